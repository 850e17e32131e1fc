//! The account commands of the `wuliu` binary, and `serve --demo` creating its accounts once.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn wuliu(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wuliu"));
    c.args(["--database-url", db])
        .env("RUST_LOG", "warn")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    c
}

fn run(db: &str, args: &[&str]) -> Output {
    wuliu(db).args(args).output().unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).to_string()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `serve --demo` until it serves, and returns what it printed on standard output.
fn serve_demo(db: &str, ledger: &std::path::Path) -> String {
    let port = free_port();
    let mut child = wuliu(db)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--ledger-dir")
        .arg(ledger)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut out = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        out.push_str(&line.unwrap());
        out.push('\n');
    }
    out
}

#[test]
fn demo_accounts_are_created_once_and_the_cli_manages_users_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("demo.db").display());
    let ledger = dir.path().join("ledger");

    let first = serve_demo(&db, &ledger);
    for name in [
        "demo-admin",
        "demo-regulator",
        "demo-shipper",
        "demo-carrier",
        "demo-official",
        "demo-enterprise",
        "demo-college",
    ] {
        assert!(
            first.contains(&format!("demo user {name} (")),
            "{name}: {first}"
        );
    }
    assert!(first.contains("wuliu user password <name>"), "{first}");
    assert_eq!(first.matches("admin token (shown once): wl_").count(), 1);
    let second = serve_demo(&db, &ledger);
    assert!(
        !second.contains("): password "),
        "no password again: {second}"
    );
    assert!(!second.contains("wl_"), "no token again: {second}");
    assert!(second.contains("demo users: demo-admin"), "{second}");

    // A carrier token for a shipper party is refused, with the reason.
    let out = run(
        &db,
        &[
            "token",
            "create",
            "--role",
            "carrier",
            "--party",
            "pty_demo_shipper_01",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is not a carrier"),
        "{}",
        text(&out.stderr)
    );

    // Users: create (password printed once), list, password, disable.
    let out = run(
        &db,
        &[
            "user",
            "create",
            "Wei",
            "--role",
            "carrier",
            "--party",
            "pty_demo_carrier_01",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let password = text(&out.stdout).trim().to_string();
    assert_eq!(password.len(), 23, "{password}");
    let out = run(
        &db,
        &[
            "user",
            "create",
            "fake",
            "--role",
            "carrier",
            "--party",
            "pty_demo_shipper_01",
        ],
    );
    assert!(!out.status.success());
    let list = text(&run(&db, &["user", "list"]).stdout);
    assert!(
        list.contains("wei\tcarrier\tpty_demo_carrier_01\t450200\tactive"),
        "{list}"
    );
    assert!(!list.contains("fake") && !list.contains("argon2"), "{list}");
    assert!(run(&db, &["user", "disable", "wei"]).status.success());
    let list = text(&run(&db, &["user", "list"]).stdout);
    assert!(list.contains("wei\tcarrier\tpty_demo_carrier_01\t450200\tdisabled"));

    // Tokens: create, list without secrets, revoke.
    let out = run(
        &db,
        &[
            "token",
            "create",
            "--role",
            "regulator",
            "--expires-days",
            "7",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let secret = text(&out.stdout).trim().to_string();
    assert!(secret.starts_with("wl_"));
    let list = text(&run(&db, &["token", "list"]).stdout);
    assert!(!list.contains(&secret) && !list.contains("wl_"), "{list}");
    let id = list
        .lines()
        .find(|l| l.contains("\tregulator\t"))
        .and_then(|l| l.split('\t').next())
        .unwrap()
        .to_string();
    assert!(run(&db, &["token", "revoke", &id]).status.success());
    let list = text(&run(&db, &["token", "list"]).stdout);
    assert!(
        list.contains(&format!("{id}\tcli\tregulator\t-\t450200\trevoked")),
        "{list}"
    );
    let out = run(
        &db,
        &["token", "create", "--role", "admin", "--expires-days", "0"],
    );
    assert!(!out.status.success());
}
