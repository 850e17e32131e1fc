//! `wuliu import` and `wuliu export` as scripts use them: a file with bad rows fails the command and
//! names every row, and an export read only in part (`| head`) ends quietly.

use std::io::Read;
use std::process::{Command, Stdio};

fn wuliu(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wuliu"));
    c.args(["--database-url", db])
        .env("RUST_LOG", "warn")
        .env_remove("RUST_BACKTRACE");
    c
}

#[test]
fn an_import_with_rejected_rows_fails_and_names_each_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("w.db").display());
    let file = dir.path().join("counties.csv");
    std::fs::write(
        &file,
        "external_id,name,division_code,division_type,parent_code\r\nc1,柳南区,450204,district,450200\r\nc2,,bad,district,450200\r\n",
    )
    .unwrap();
    let out = wuliu(&db)
        .args(["import", "counties"])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "exit status must say rows were rejected: {err}"
    );
    assert!(err.contains("counties.csv:line 3:"), "{err}");
    assert!(
        err.contains("1 created") && err.contains("1 rejected"),
        "{err}"
    );
    // The good row is stored.
    let out = wuliu(&db)
        .args(["export", "counties", "--format", "json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("柳南区"));
}

#[test]
fn an_export_read_in_part_ends_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("w.db").display());
    assert!(wuliu(&db).args(["demo"]).output().unwrap().status.success());
    let mut child = wuliu(&db)
        .args(["export", "events", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe as `head -1` does.
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}
