//! The dashboard benchmark of issue 25 (run by `bench/console/run.sh`): against a database holding a
//! year of generated history (`wuliu demo --history-days 365 --history-total 1000000`), it starts
//! `wuliu serve`, logs in, and measures
//!
//! - every stats endpoint the console reads: `--requests` sequential requests each after a warm-up,
//!   p50 / p99 / max of the full response time (headers and body), as the admin (city scope) and as
//!   a carrier (party scope); goal p99 ≤ 100 ms;
//! - the overview's first render in headless Chromium (Debian's `chromium` + `chromedriver`, the
//!   flags of `tests/console_browser.rs`): `--loads` cold loads of `/#/overview` in the logged-in
//!   tab with the HTTP cache disabled (CDP `Network.setCacheDisabled`), each timed inside the page
//!   from the navigation start (`performance.now()`) to the moment every
//!   `[data-metric][data-block="today"]` KPI is in the document with its `data-value` (a
//!   `MutationObserver` installed before the page's own scripts, CDP
//!   `Page.addScriptToEvaluateOnNewDocument`); goal median ≤ 1 s.
//!
//! It prints a table and writes it as Markdown to `--out`.
//!
//! ```sh
//! cargo run --release -p wuliu --example console_bench -- --wuliu target/release/wuliu \
//!   --database-url sqlite:target/bench-console/wuliu.db --work target/bench-console --out RESULTS.md
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    /// The `wuliu` binary.
    #[arg(long)]
    wuliu: PathBuf,
    /// Database holding the generated history.
    #[arg(long)]
    database_url: String,
    /// Work directory (server log, ledger, browser profile).
    #[arg(long)]
    work: PathBuf,
    /// Markdown results file.
    #[arg(long)]
    out: PathBuf,
    /// Measured requests per endpoint and caller.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Unmeasured requests per endpoint before them (the first one's time is reported apart).
    #[arg(long, default_value_t = 5)]
    warmup: usize,
    /// Stop measuring an endpoint after this many seconds even if fewer than `--requests` were made
    /// (the table says how many were).
    #[arg(long, default_value_t = 60.0)]
    max_seconds: f64,
    /// Measured cold loads of the overview.
    #[arg(long, default_value_t = 10)]
    loads: usize,
    /// chromedriver.
    #[arg(
        long,
        env = "WULIU_CHROMEDRIVER",
        default_value = "/usr/bin/chromedriver"
    )]
    chromedriver: PathBuf,
    /// Chromium.
    #[arg(long, env = "WULIU_CHROMIUM", default_value = "/usr/bin/chromium")]
    chromium: PathBuf,
    /// The command that ran the benchmark (quoted in the results).
    #[arg(long, default_value = "bench/console/run.sh")]
    command: String,
    /// A line about how the data was generated (quoted in the results).
    #[arg(long, default_value = "")]
    generated: String,
    /// Carrier party for the party-scope run.
    #[arg(long, default_value = "pty_demo_carrier_01")]
    carrier_party: String,
}

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("bound")
        .port()
}

fn wait_for_port(port: u16, what: &str, child: &mut Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(300);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            bail!("{what} exited with {status} before listening");
        }
        if Instant::now() > deadline {
            bail!("{what} did not come up");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Creates `user` (or resets its password) with the CLI; returns the password.
fn ensure_user(args: &Args, user: &str, role: &str, party: Option<&str>) -> Result<String> {
    let password = format!("bench-{user}-{}", std::process::id());
    let run = |cmd: &[&str]| -> Result<bool> {
        let mut child = Command::new(&args.wuliu)
            .args(["--database-url", &args.database_url, "--log-format", "text"])
            .args(cmd)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot run wuliu")?;
        writeln!(child.stdin.take().expect("piped"), "{password}")?;
        Ok(child.wait()?.success())
    };
    let mut create = vec!["user", "create", user, "--role", role, "--password-stdin"];
    if let Some(p) = party {
        create.extend(["--party", p]);
    }
    if !run(&create)? && !run(&["user", "password", user, "--password-stdin"])? {
        bail!("cannot create or reset user {user}");
    }
    Ok(password)
}

/// Logs in over HTTP; returns the `Cookie` header value.
async fn login(http: &reqwest::Client, base: &str, user: &str, password: &str) -> Result<String> {
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({ "username": user, "password": password }))
        .send()
        .await?;
    if !res.status().is_success() {
        bail!("login of {user}: {}", res.status());
    }
    let cookies: Vec<String> = res
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_string))
        .collect();
    if cookies.is_empty() {
        bail!("login of {user} set no cookie");
    }
    Ok(cookies.join("; "))
}

/// Latencies of one endpoint, milliseconds, sorted.
struct Timing {
    name: String,
    path: String,
    status: u16,
    bytes: usize,
    /// The very first request's time (cold: the server's first of this kind).
    first: f64,
    ms: Vec<f64>,
}

impl Timing {
    fn pct(&self, p: f64) -> f64 {
        let i = ((p * self.ms.len() as f64).ceil() as usize).clamp(1, self.ms.len()) - 1;
        self.ms[i]
    }
}

async fn time_endpoint(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    name: &str,
    path: &str,
    args: &Args,
) -> Result<Timing> {
    let (warmup, n, max_seconds) = (args.warmup, args.requests, args.max_seconds);
    let get = || async {
        let t = Instant::now();
        let res = http
            .get(format!("{base}{path}"))
            .header(reqwest::header::COOKIE, cookie)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let status = res.status().as_u16();
        let body = res.bytes().await?;
        Ok::<_, anyhow::Error>((status, body.len(), t.elapsed().as_secs_f64() * 1000.0))
    };
    let (status, bytes, first) = get().await?;
    if status != 200 {
        return Ok(Timing {
            name: name.into(),
            path: path.into(),
            status,
            bytes,
            first,
            ms: Vec::new(),
        });
    }
    for _ in 1..warmup {
        get().await?;
    }
    let mut ms = Vec::with_capacity(n);
    let started = Instant::now();
    for _ in 0..n {
        if started.elapsed().as_secs_f64() > max_seconds {
            break;
        }
        let (s, _, t) = get().await?;
        if s != 200 {
            bail!("{path}: {s} during the measurement");
        }
        ms.push(t);
    }
    ms.sort_by(f64::total_cmp);
    Ok(Timing {
        name: name.into(),
        path: path.into(),
        status,
        bytes,
        first,
        ms,
    })
}

fn endpoints(today: chrono::NaiveDate) -> Vec<(&'static str, String)> {
    let year_ago = today - chrono::Duration::days(365);
    vec![
        ("overview", "/api/v1/stats/overview".into()),
        (
            "breakdown county",
            "/api/v1/stats/breakdown?by=county".into(),
        ),
        (
            "breakdown industry",
            "/api/v1/stats/breakdown?by=industry".into(),
        ),
        (
            "series day",
            "/api/v1/stats/series?metric=waybills&interval=day".into(),
        ),
        (
            "series month (1 y)",
            format!("/api/v1/stats/series?metric=waybills&interval=month&from={year_ago}"),
        ),
        (
            "forecast month",
            "/api/v1/stats/forecast?metric=waybills&interval=month".into(),
        ),
        (
            "forecast day",
            "/api/v1/stats/forecast?metric=waybills&interval=day".into(),
        ),
        ("index", "/api/v1/stats/index".into()),
        ("warnings", "/api/v1/stats/warnings?status=open".into()),
        ("plan targets", "/api/v1/plan/targets".into()),
        ("map counties", "/api/v1/map/layers/counties".into()),
        ("map load_heat", "/api/v1/map/layers/load_heat".into()),
    ]
}

async fn cdp(driver: &str, c: &Client, cmd: &str, params: Value) -> Result<Value> {
    let id = c
        .session_id()
        .await?
        .context("the browser session has no id")?;
    let res: Value = reqwest::Client::new()
        .post(format!("{driver}/session/{id}/goog/cdp/execute"))
        .json(&json!({ "cmd": cmd, "params": params }))
        .send()
        .await?
        .json()
        .await?;
    if res["value"].get("error").is_some() {
        bail!("CDP {cmd}: {}", res["value"]);
    }
    Ok(res["value"].clone())
}

/// Installed before the page's scripts on every load: notes `performance.now()` when every KPI of
/// today's block is in the document with its value.
const PROBE: &str = r#"
(() => {
  const WANT = 9;
  const done = () => {
    const els = document.querySelectorAll('[data-metric][data-block="today"]');
    if (els.length < WANT) return false;
    for (const e of els) if (e.dataset.value === undefined || e.dataset.value === '') return false;
    return true;
  };
  const start = () => {
    const obs = new MutationObserver(() => {
      if (window.__benchRendered === undefined && done()) {
        window.__benchRendered = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true });
  };
  start();
})();
"#;

/// One cold load's figures, milliseconds from the navigation start.
#[derive(Debug)]
struct Load {
    rendered: f64,
    dom_content_loaded: f64,
    load_event: f64,
    overview_api: f64,
}

async fn browser_bench(args: &Args, base: &str, user: &str, password: &str) -> Result<Vec<Load>> {
    let port = free_port();
    let mut child = Command::new(&args.chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", args.chromedriver.display()))?;
    wait_for_port(port, "chromedriver", &mut child)?;
    let _driver_proc = Killed(child);
    let driver = format!("http://127.0.0.1:{port}");
    let profile = args.work.join("chromium-profile");
    let _ = std::fs::remove_dir_all(&profile);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": args.chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=1366,768", "--lang=zh-CN", "--force-device-scale-factor=1",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver)
        .await
        .context("chromedriver starts a Chromium session")?;
    let result = async {
        // Log in through the form, as a user would.
        c.goto(&format!("{base}/#/login")).await?;
        let wait = |css: &'static str| {
            c.wait()
                .at_most(Duration::from_secs(60))
                .for_element(Locator::Css(css))
        };
        wait("#username").await?.send_keys(user).await?;
        wait("#password").await?.send_keys(password).await?;
        wait("#login-submit").await?.click().await?;
        wait("main[data-page=\"overview\"][data-ready=\"yes\"]").await?;
        cdp(&driver, &c, "Network.enable", json!({})).await?;
        cdp(
            &driver,
            &c,
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": true }),
        )
        .await?;
        cdp(
            &driver,
            &c,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PROBE }),
        )
        .await?;
        let mut loads = Vec::new();
        // One unmeasured load first (the server's and the browser's first of this kind).
        for i in 0..=args.loads {
            c.goto("about:blank").await?;
            c.goto(&format!("{base}/#/overview")).await?;
            let deadline = Instant::now() + Duration::from_secs(60);
            let got = loop {
                let v = c
                    .execute(
                        "const n = performance.getEntriesByType('navigation')[0];
                         const api = performance.getEntriesByType('resource')
                           .filter(e => e.name.includes('/api/v1/stats/overview'));
                         return window.__benchRendered === undefined ? null : {
                           rendered: window.__benchRendered,
                           dcl: n ? n.domContentLoadedEventEnd : null,
                           load: n ? n.loadEventEnd : null,
                           api: api.length ? api[0].duration : null,
                         };",
                        vec![],
                    )
                    .await?;
                if !v.is_null() {
                    break v;
                }
                if Instant::now() > deadline {
                    bail!("the overview's KPIs did not render within 60 s");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let f = |k: &str| got[k].as_f64().unwrap_or(f64::NAN);
            let load = Load {
                rendered: f("rendered"),
                dom_content_loaded: f("dcl"),
                load_event: f("load"),
                overview_api: f("api"),
            };
            eprintln!(
                "load {i}{}: first render {:.0} ms (DOMContentLoaded {:.0}, load {:.0}, overview API {:.0})",
                if i == 0 { " (warm-up)" } else { "" },
                load.rendered,
                load.dom_content_loaded,
                load.load_event,
                load.overview_api
            );
            if i > 0 {
                loads.push(load);
            }
        }
        Ok(loads)
    }
    .await;
    let _ = c.close().await;
    result
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kib| kib / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    format!("{cores} cores ({cpu}), {mem_gib:.0} GiB RAM")
}

fn chromium_version(path: &Path) -> String {
    Command::new(path)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "chromium (version unknown)".into())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.work)?;
    eprintln!("users…");
    let admin_pw = ensure_user(&args, "bench-admin", "admin", None)?;
    let carrier_pw = ensure_user(&args, "bench-carrier", "carrier", Some(&args.carrier_party))?;

    let port = free_port();
    let log = std::fs::File::create(args.work.join("serve.log"))?;
    let mut child = Command::new(&args.wuliu)
        .args(["--database-url", &args.database_url, "--log-format", "json"])
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--monitor-every", "0"])
        .arg("--ledger-dir")
        .arg(args.work.join("ledger"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .context("cannot start wuliu serve")?;
    let started = Instant::now();
    wait_for_port(port, "wuliu serve", &mut child)?;
    let _server = Killed(child);
    eprintln!(
        "wuliu serve up on port {port} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()?;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();

    // What the database holds: counted waybills per month over the last 13 months.
    let admin = login(&http, &base, "bench-admin", &admin_pw).await?;
    let from = today - chrono::Duration::days(400);
    let months: Value = http
        .get(format!(
            "{base}/api/v1/stats/series?metric=waybills&interval=month&from={from}"
        ))
        .header(reqwest::header::COOKIE, &admin)
        .send()
        .await?
        .json()
        .await?;
    let counted: f64 = months["points"]
        .as_array()
        .map(|p| p.iter().filter_map(|x| x["value"].as_f64()).sum())
        .unwrap_or(0.0);
    let first_month = months["points"]
        .as_array()
        .and_then(|p| p.iter().find(|x| x["value"].as_f64().unwrap_or(0.0) > 0.0))
        .and_then(|x| x["period"].as_str())
        .unwrap_or("?")
        .to_string();
    eprintln!("{counted:.0} counted waybills since {first_month}");

    let mut runs = Vec::new();
    for (who, user, pw) in [
        ("admin (city)", "bench-admin", &admin_pw),
        ("carrier (party)", "bench-carrier", &carrier_pw),
    ] {
        let cookie = login(&http, &base, user, pw).await?;
        let mut rows = Vec::new();
        for (name, path) in endpoints(today) {
            let t = time_endpoint(&http, &base, &cookie, name, &path, &args).await?;
            if t.ms.is_empty() {
                eprintln!("{who:16} {name:20} {}", t.status);
            } else {
                eprintln!(
                    "{who:16} {name:20} first {:7.1} ms  n {:3}  p50 {:7.1} ms  p99 {:7.1} ms  max {:7.1} ms  {} B",
                    t.first,
                    t.ms.len(),
                    t.pct(0.5),
                    t.pct(0.99),
                    t.ms[t.ms.len() - 1],
                    t.bytes
                );
            }
            rows.push(t);
        }
        runs.push((who, rows));
    }

    eprintln!("browser…");
    let loads = browser_bench(&args, &base, "bench-admin", &admin_pw).await?;
    let render = median(loads.iter().map(|l| l.rendered).collect());

    // The report.
    let mut md = String::new();
    let _ = writeln!(md, "# Console dashboard benchmark\n");
    let _ = writeln!(
        md,
        "Issue 25's goal: with 1,000,000 waybills and a year of history generated, the overview's first render in headless Chromium ≤ 1 s and every stats endpoint p99 ≤ 100 ms.\n"
    );
    let _ = writeln!(md, "- Command: `{}`", args.command);
    let _ = writeln!(
        md,
        "- Machine: {} (shared with other work); {}; SQLite (`{}`)",
        machine(),
        chromium_version(&args.chromium),
        args.database_url
    );
    if !args.generated.is_empty() {
        let _ = writeln!(md, "- Data: {}", args.generated);
    }
    let _ = writeln!(
        md,
        "- Counted waybills in the database (sum of `series?interval=month` since {first_month}): {counted:.0}"
    );
    let _ = writeln!(
        md,
        "- Response times: {} sequential requests per endpoint and caller (fewer when they took over {} s; column n) after {} unmeasured ones, one keep-alive connection, time to the last body byte; \"first\" is the very first request to that endpoint after the server started (nothing cached). Run on {} (Beijing).\n",
        args.requests,
        args.max_seconds,
        args.warmup,
        today
    );
    let mut all_ok = true;
    let _ = writeln!(
        md,
        "| caller | endpoint | first ms | n | p50 ms | p99 ms | max ms | body bytes | goal p99 ≤ 100 ms |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---:|---|");
    for (who, rows) in &runs {
        for t in rows {
            if t.ms.is_empty() {
                let _ = writeln!(
                    md,
                    "| {who} | {} `{}` | {:.1} | — | — | — | — | — | answers {} (not measured) |",
                    t.name, t.path, t.first, t.status
                );
                continue;
            }
            let p99 = t.pct(0.99);
            let ok = p99 <= 100.0;
            all_ok &= ok;
            let _ = writeln!(
                md,
                "| {who} | {} `{}` | {:.1} | {} | {:.1} | {:.1} | {:.1} | {} | {} |",
                t.name,
                t.path,
                t.first,
                t.ms.len(),
                t.pct(0.5),
                p99,
                t.ms[t.ms.len() - 1],
                t.bytes,
                if ok { "pass" } else { "**FAIL**" }
            );
        }
    }
    let render_ok = render <= 1000.0;
    let _ = writeln!(
        md,
        "\n## Overview first render (headless Chromium)\n\n{} cold loads of `/#/overview` as the admin, HTTP cache disabled, after one unmeasured load; from the navigation start to every `[data-metric][data-block=\"today\"]` KPI in the document with its value.\n",
        loads.len()
    );
    let _ = writeln!(
        md,
        "| load | first render ms | DOMContentLoaded ms | load event ms | overview API ms |"
    );
    let _ = writeln!(md, "|---:|---:|---:|---:|---:|");
    for (i, l) in loads.iter().enumerate() {
        let _ = writeln!(
            md,
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} |",
            i + 1,
            l.rendered,
            l.dom_content_loaded,
            l.load_event,
            l.overview_api
        );
    }
    let _ = writeln!(
        md,
        "\n**Median first render: {render:.0} ms** (goal ≤ 1000 ms: {}).",
        if render_ok { "pass" } else { "**FAIL**" }
    );
    let _ = writeln!(
        md,
        "\n**Stats endpoints: {}.**",
        if all_ok {
            "every p99 ≤ 100 ms (pass)"
        } else {
            "some p99 > 100 ms (**FAIL**)"
        }
    );
    std::fs::write(&args.out, &md)?;
    println!("{md}");
    Ok(())
}
