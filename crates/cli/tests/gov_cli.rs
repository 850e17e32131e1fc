//! `wuliu gov …` (issue 29): `load` puts the gazette's task tables and county targets into a
//! region, once (a second load changes nothing), and refuses a bad file naming its line and field
//! before writing anything; `tasks-summary` and `appeals-report` answer from what is stored (the
//! weekly Form 2 as CSV with the 13 printed columns).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn wuliu(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["--database-url", db, "gov"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn summary(db: &str) -> Value {
    let (ok, out, err) = wuliu(db, &["tasks-summary", "--by", "document"]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Tasks per document in a summary: (document, count), sorted.
fn per_document(v: &Value) -> Vec<(String, u64)> {
    let rows = v["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows in {v}"));
    let mut out: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            let name = r["document"].as_str().unwrap_or_else(|| panic!("{r}"));
            let total = r["counts"]["total"]
                .as_u64()
                .unwrap_or_else(|| panic!("{r}"));
            (name.to_string(), total)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn load_puts_the_gazette_tables_in_once_and_refuses_a_bad_file_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("gov.db").display());

    // A bad 69号 file: line 3 has no lead unit. Nothing is written.
    let bad = dir.path().join("tasks.csv");
    std::fs::write(
        &bad,
        "seq,task,lead_units,cooperating_units,deadline\n1,任务一,市教育局,市财政局,2025年底\n2,任务二,,市财政局,持续推进\n",
    )
    .unwrap();
    let (ok, _, err) = wuliu(&db, &["load", "--tasks-69", bad.to_str().unwrap()]);
    assert!(!ok, "a bad file is refused");
    assert!(err.contains("tasks.csv") && err.contains("line 3"), "{err}");
    assert!(err.contains("lead_units"), "{err}");
    let empty = summary(&db);
    assert!(
        per_document(&empty).iter().all(|(_, n)| *n == 0),
        "nothing loaded from a refused file: {empty}"
    );

    // The bundled tables: 27 tasks of 69号 and 35 measures of 61号.
    let (ok, _, err) = wuliu(&db, &["load"]);
    assert!(ok, "{err}");
    assert!(err.contains("62 tasks and 23 county targets"), "{err}");
    assert!(err.contains("tracking starts today"), "{err}");
    let loaded = summary(&db);
    let first = per_document(&loaded);
    assert_eq!(first, [("61".to_string(), 35), ("69".to_string(), 27)]);
    // Tracking starts on the load day: no quarter since the documents' 2022 issue is owed yet.
    for row in loaded["rows"].as_array().unwrap() {
        assert_eq!(row["stale"], serde_json::json!([]), "{row}");
    }
    // Loading again changes nothing, and keeps the tracking day.
    let (ok, _, err) = wuliu(&db, &["load"]);
    assert!(ok, "{err}");
    assert!(!err.contains("tracking starts today"), "{err}");
    assert_eq!(per_document(&summary(&db)), first);
}

#[test]
fn the_weekly_form_2_is_written_as_csv_with_the_printed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("gov.db").display());
    let out = dir.path().join("form2.csv");
    let (ok, _, err) = wuliu(
        &db,
        &[
            "appeals-report",
            "--date",
            "2026-12-04",
            "--csv",
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(Path::new(&out)).unwrap();
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    let columns: Vec<&str> = header.split(',').collect();
    assert_eq!(columns.len(), 13, "{header}");
    assert_eq!(columns[0], "序号");
    assert_eq!(columns[12], "备注");
    // The monthly report prints as JSON; --csv is for the weekly Form 2 only.
    let (ok, report, err) = wuliu(
        &db,
        &[
            "appeals-report",
            "--kind",
            "monthly",
            "--date",
            "2026-11-30",
        ],
    );
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["kind"], "monthly", "{v}");
    let (ok, _, err) = wuliu(
        &db,
        &[
            "appeals-report",
            "--kind",
            "monthly",
            "--csv",
            out.to_str().unwrap(),
        ],
    );
    assert!(!ok && err.contains("weekly"), "{err}");
}
