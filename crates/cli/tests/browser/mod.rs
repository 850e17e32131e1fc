//! The harness of the console's browser tests, shared by every `tests/console_*.rs`: the demo
//! server on a temporary SQLite database, chromedriver with Debian's headless Chromium at 1366×768,
//! logins, waiting for a page, screenshots to `target/console-screenshots/`, fetches in the page's
//! session and the browser console's errors.
//!
//! [`Session::start`] gives `None` (and says why) when Chromium or chromedriver is missing, unless
//! `WULIU_REQUIRE_BROWSER=1` (CI sets it), which makes it fail instead.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// A child process killed when the test ends, however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A child started as the leader of its own process group (see [`own_group`]), killed with every
/// process of the group when the test ends: chromedriver and the Chromium processes it started,
/// which would otherwise outlive a test that did not close its browser.
pub struct KilledGroup(pub Child);

impl Drop for KilledGroup {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `command` set to start a process group of its own, for [`KilledGroup`].
pub fn own_group(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt;
    command.process_group(0)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(180);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status} before listening");
        }
        assert!(Instant::now() < deadline, "{what} did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    path.exists().then_some(path)
}

/// `target/console-screenshots/`, next to the binary under test.
pub fn screenshot_dir() -> PathBuf {
    let exe = Path::new(env!("CARGO_BIN_EXE_wuliu"));
    // target/<profile>/wuliu → target/console-screenshots
    let target = exe.parent().and_then(Path::parent).unwrap();
    let dir = target.join("console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The demo server and the passwords it printed for its users.
pub struct Demo {
    _server: Killed,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Demo user name → password.
    pub passwords: HashMap<String, String>,
}

pub fn start_demo(dir: &Path) -> Demo {
    let db = format!("sqlite:{}", dir.join("console.db").display());
    // Port 0 for both listeners: the server picks free ports when it binds and prints them, so no
    // other process can take a port between our choosing it and the server binding it (the demo
    // seeds for half a minute before it listens).
    let mut child = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["--database-url", &db, "serve", "--demo"])
        .args(["--listen", "127.0.0.1:0", "--jt808", "127.0.0.1:0"])
        // No monitoring run in the middle of a comparison (it would change the open alerts).
        .args(["--monitor-every", "0"])
        .arg("--ledger-dir")
        .arg(dir.join("ledger"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // "demo user demo-admin (admin): password XXXX"
            if let Some(rest) = line.strip_prefix("demo user ") {
                if let (Some(name), Some((_, pw))) = (
                    rest.split_whitespace().next(),
                    rest.split_once(": password "),
                ) {
                    let _ = tx.send((name.to_string(), pw.trim().to_string()));
                }
            }
        }
    });
    let (base, log) = wait_for_serving(&mut child);
    let mut passwords = HashMap::new();
    while passwords.len() < 7 {
        let (name, pw) = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "the demo prints its users' passwords; its log:\n{}",
                    log.lock().unwrap().join("\n")
                )
            });
        passwords.insert(name, pw);
    }
    Demo {
        _server: Killed(child),
        base,
        passwords,
    }
}

/// Reads the server's stderr until it says where it serves (`wuliu: serving on http://…`) and
/// gives that base URL and the log so far (still growing). Panics with the log when the server
/// exits first or stays silent for five minutes.
fn wait_for_serving(child: &mut Child) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let stderr = child.stderr.take().unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("wuliu: serving on ") {
                let base = rest.split_whitespace().next().unwrap_or_default();
                let _ = tx.send(base.to_string());
            }
            lines.lock().unwrap().push(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(base) = rx.recv_timeout(Duration::from_millis(100)) {
            return (base, log);
        }
        let exited = child.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() > deadline {
            std::thread::sleep(Duration::from_millis(200)); // the rest of its stderr
            panic!(
                "wuliu serve --demo {} before listening; its log:\n{}",
                exited.map_or("did not come up".to_string(), |s| format!(
                    "exited with {s}"
                )),
                log.lock().unwrap().join("\n")
            );
        }
    }
}

pub async fn browser(driver: &str, chromium: &Path, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=1366,768", "--lang=zh-CN", "--force-device-scale-factor=1",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("chromedriver starts a Chromium session");
    // A 1366×768 viewport (the console's target screen), whatever the window's frame takes.
    viewport(&c, 1366, 768).await;
    c
}

/// The browser console's errors since the last call (chromedriver's log of the page).
pub async fn console_errors(driver: &str, c: &Client) -> Vec<String> {
    let id = c.session_id().await.unwrap().unwrap();
    let res: Value = reqwest::Client::new()
        .post(format!("{driver}/session/{id}/se/log"))
        .json(&json!({ "type": "browser" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["value"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// While the console's API is being built, `WULIU_CONSOLE_API_PENDING=1` lets a developer see the
/// pages: the endpoints' 404s are not errors and the overview is not compared. Never set in CI.
pub fn api_pending() -> bool {
    std::env::var("WULIU_CONSOLE_API_PENDING").is_ok_and(|v| v == "1")
}

pub async fn assert_no_console_errors(driver: &str, c: &Client, what: &str) {
    let mut errors = console_errors(driver, c).await;
    if api_pending() {
        errors.retain(|e| !e.contains("404"));
    }
    assert!(
        errors.is_empty(),
        "{what}: browser console errors: {errors:#?}"
    );
}

pub async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no '{css}' on the page: {e}"))
}

pub async fn text_of(c: &Client, css: &str) -> String {
    wait_css(c, css).await.text().await.unwrap()
}

/// Opens `#/<page>` and waits until the page says it has rendered.
pub async fn open(c: &Client, base: &str, page: &str) {
    c.goto(&format!("{base}/#/{page}")).await.unwrap();
    let route = page.split('?').next().unwrap_or(page);
    wait_css(
        c,
        &format!("main[data-page=\"{route}\"][data-ready=\"yes\"]"),
    )
    .await;
    // Let charts finish their first frame.
    tokio::time::sleep(Duration::from_millis(700)).await;
}

pub async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// GET `path` in the page with its session cookie: `(status, body)`.
pub async fn fetch(c: &Client, path: &str) -> (u16, Value) {
    let r = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0], { credentials: 'same-origin', headers: { Accept: 'application/json' } })
               .then(r => r.json().then(b => done([r.status, b]), () => done([r.status, null])))
               .catch(e => done([0, String(e)]));",
            vec![json!(path)],
        )
        .await
        .unwrap();
    (r[0].as_u64().unwrap() as u16, r[1].clone())
}

pub async fn login(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(&format!("{base}/#/login")).await.unwrap();
    wait_css(c, "#username")
        .await
        .send_keys(user)
        .await
        .unwrap();
    wait_css(c, "#password")
        .await
        .send_keys(password)
        .await
        .unwrap();
    wait_css(c, "#login-submit").await.click().await.unwrap();
    // The page the role lands on: the overview, or a desk's page for officials, enterprises and
    // colleges.
    wait_css(c, "main[data-ready=\"yes\"]:not([data-page=\"login\"])").await;
}

/// A browser test's world: the demo server, chromedriver, and a temporary directory.
pub struct Session {
    /// The demo server.
    pub demo: Demo,
    /// chromedriver's URL.
    pub driver: String,
    /// Debian's Chromium.
    pub chromium: PathBuf,
    _driver: KilledGroup,
    /// Holds the database, the ledger and the browser profiles.
    pub dir: tempfile::TempDir,
}

impl Session {
    /// Starts the demo and chromedriver; `None` when the browser is not installed (see the module
    /// docs). `what` names the test in the messages.
    pub fn start(what: &str) -> Option<Session> {
        let required = std::env::var("WULIU_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        let (Some(chromedriver), Some(chromium)) = (
            tool("WULIU_CHROMEDRIVER", "/usr/bin/chromedriver"),
            tool("WULIU_CHROMIUM", "/usr/bin/chromium"),
        ) else {
            assert!(
                !required,
                "WULIU_REQUIRE_BROWSER=1 but /usr/bin/chromedriver or /usr/bin/chromium is missing \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "{what}: skipped: no /usr/bin/chromedriver or /usr/bin/chromium \
                 (apt-get install chromium chromium-driver; set WULIU_REQUIRE_BROWSER=1 to fail instead)"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let demo = start_demo(dir.path());
        let port = free_port();
        let mut child = own_group(&mut Command::new(&chromedriver))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_port(port, "chromedriver", &mut child);
        Some(Session {
            demo,
            driver: format!("http://127.0.0.1:{port}"),
            chromium,
            _driver: KilledGroup(child),
            dir,
        })
    }

    /// A new browser (its own profile) logged in as the demo user `user`, e.g. `demo-shipper`.
    pub async fn login_as(&self, user: &str) -> Client {
        let profile = self
            .dir
            .path()
            .join(format!("chromium-{user}-{}", free_port()));
        let c = browser(&self.driver, &self.chromium, &profile).await;
        let password = self
            .demo
            .passwords
            .get(user)
            .unwrap_or_else(|| panic!("no demo user {user}"))
            .clone();
        login(&c, &self.demo.base, user, &password).await;
        c
    }

    /// A new browser with no login.
    pub async fn anonymous(&self) -> Client {
        let profile = self
            .dir
            .path()
            .join(format!("chromium-anon-{}", free_port()));
        browser(&self.driver, &self.chromium, &profile).await
    }
}

/// Any method on `path` in the page with its session cookie and CSRF token: `(status, body)`.
pub async fn call(c: &Client, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let r = c
        .execute_async(
            "const [method, path, body] = arguments; const done = arguments[arguments.length - 1];
             const headers = { Accept: 'application/json' };
             if (body !== null) headers['Content-Type'] = 'application/json';
             const csrf = sessionStorage.getItem('wuliu.csrf'); if (csrf) headers['X-CSRF-Token'] = csrf;
             fetch(path, { method, headers, credentials: 'same-origin',
                           body: body === null ? undefined : JSON.stringify(body) })
               .then(r => r.text().then(t => { let b = null; try { b = JSON.parse(t); } catch { b = t; }
                                               done([r.status, b]); }))
               .catch(e => done([0, String(e)]));",
            vec![json!(method), json!(path), body.unwrap_or(Value::Null)],
        )
        .await
        .unwrap();
    (r[0].as_u64().unwrap() as u16, r[1].clone())
}

/// Sets the viewport (not the window) to `width`×`height` CSS pixels: 1366×768 or a phone's 390×844.
pub async fn viewport(c: &Client, width: u32, height: u32) {
    let frame = c
        .execute(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]",
            vec![],
        )
        .await
        .unwrap();
    let dw = frame[0].as_u64().unwrap_or(0) as u32;
    let dh = frame[1].as_u64().unwrap_or(0) as u32;
    c.set_window_size(width + dw, height + dh).await.unwrap();
}

/// Waits until `css` matches an element whose text contains `needle`.
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = c
            .execute(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent).join('\\n');",
                vec![json!(css)],
            )
            .await
            .unwrap();
        let text = got.as_str().unwrap_or_default().to_string();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "'{css}' never showed '{needle}'; it shows: {text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
