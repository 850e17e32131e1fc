use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::json;
use wuliu_store::{Kind, SqlStore};

use super::*;
use crate::spec;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_embedded_county_targets_read_as_printed() {
    let t = parse_county_targets(COUNTY_TARGETS_CSV).unwrap();
    assert_eq!(t.len(), 23);
    assert_eq!(t.iter().filter(|r| r.seq == 19).count(), 2);
    assert_eq!(t[2].indicator, "财政收入(亿元)");
    assert_eq!(t[2].target_2025.as_deref(), Some("500"));
    assert_eq!(t[0].target_2025.as_deref(), Some("—"));
    let row18 = t.iter().find(|r| r.seq == 18).unwrap();
    assert_eq!(
        (
            row18.target_2025.as_ref(),
            row18.growth_or_cumulative.as_ref()
        ),
        (None, None)
    );
    assert_eq!(t[22].attribute, "约束性");
    assert_eq!(county_targets().unwrap().targets, t);
}

#[test]
fn a_damaged_county_file_names_the_record() {
    let err = parse_county_targets("category,seq,indicator,target_2025,growth_or_cumulative,attribute\r\n经济发展,one,x,1,2,预期性\r\n")
        .unwrap_err();
    assert_eq!(err.record, 1);
}

async fn service() -> Service {
    Service::new(Arc::new(SqlStore::open("sqlite::memory:").await.unwrap()))
}

async fn add(svc: &Service, caller: &Caller, collection: &str, body: serde_json::Value) -> String {
    let spec = spec::by_collection(collection).unwrap();
    let rec = svc.create(caller, spec, body, "450200").await.unwrap();
    rec.id
}

fn rail_target() -> serde_json::Value {
    json!({"external_id": "T03", "indicator_zh": "铁路货运量", "indicator_en": "Rail freight volume",
        "target_value": 7603.0, "target_text": "7603", "unit": "万吨", "comparator": "=", "year": 2025,
        "baseline_value": 4698.0, "baseline_year": 2020, "source_quote": "铁路货运量达到7603万吨"})
}

#[tokio::test]
async fn values_are_assessed_on_the_day_and_later_ones_are_left_out() {
    let svc = service().await;
    let admin = Caller::system("450200", "test");
    add(&svc, &admin, "plan_targets", rail_target()).await;
    for (as_of, value) in [("2023-12-31", 6500.0), ("2025-12-31", 5000.0)] {
        add(
            &svc,
            &admin,
            "indicator_values",
            json!({"target_id": "T03", "value": value,
            "as_of": as_of, "source": "测试来源", "note": "备注"}),
        )
        .await;
    }
    let early = targets(&svc, &admin, day("2025-03-01")).await.unwrap();
    let t = &early.targets[0];
    assert_eq!(t.history.len(), 1, "the 2025-12-31 value is after the day");
    assert_eq!(t.status, "on_track");
    let cur = t.current.as_ref().unwrap();
    assert_eq!((cur.value, cur.source.as_str()), (6500.0, "manual"));
    assert_eq!(cur.note.as_deref(), Some("测试来源；备注"));
    assert_eq!(cur.recorded_by.as_deref(), Some("test"));
    let late = targets(&svc, &admin, day("2026-03-01")).await.unwrap();
    assert_eq!(late.targets[0].status, "off_track");
    assert_eq!(late.targets[0].current.as_ref().unwrap().value, 5000.0);
}

#[tokio::test]
async fn the_report_has_a_bom_a_header_and_a_row_per_target() {
    let svc = service().await;
    let admin = Caller::system("450200", "test");
    add(&svc, &admin, "plan_targets", rail_target()).await;
    let csv = report_csv(&svc, &admin, day("2025-03-01")).await.unwrap();
    assert!(csv.starts_with('\u{FEFF}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines[0], REPORT_COLUMNS.join(","));
    assert_eq!(
        lines[1],
        "T03,铁路货运量,Rail freight volume,万吨,4698,2020,7603,,,,,,no_data"
    );
    assert_eq!(lines.len(), 2);
}

#[tokio::test]
async fn a_project_takes_its_state_from_the_latest_report() {
    let svc = service().await;
    let admin = Caller::system("450200", "test");
    let id = add(
        &svc,
        &admin,
        "facilities",
        json!({"external_id": "kp-liunan-01", "name": "柳州示例物流园",
        "kind": "logistics_park", "status": "planned", "location": {"lat": 24.3, "lon": 109.4},
        "location_approximate": true, "division_code": "450204", "address": "柳州市柳南区",
        "plan_category": "综合服务型", "build_status": "预备", "investment_yuan": 1.0e9}),
    )
    .await;
    add(
        &svc,
        &admin,
        "facilities",
        json!({"external_id": "F-1", "name": "普通仓库", "kind": "warehouse",
        "status": "operating", "location": {"lat": 24.3, "lon": 109.4}, "division_code": "450204"}),
    )
    .await;
    for (on, status, pct) in [
        ("2026-06-30", "在建", Some(60.0)),
        ("2026-03-31", "新建", Some(10.0)),
        ("2026-09-30", "在建", None),
    ] {
        add(
            &svc,
            &admin,
            "project_reports",
            json!({"project_id": id, "reported_on": on,
            "build_status": status, "progress_pct": pct, "invested_yuan": 2.0e8}),
        )
        .await;
    }
    let list = projects(&svc, &admin).await.unwrap();
    assert_eq!(
        list.projects.len(),
        1,
        "only kp- facilities are key projects"
    );
    let p = &list.projects[0];
    assert_eq!((p.district.as_str(), p.reports), ("柳南区", 3));
    assert_eq!(p.build_status.as_deref(), Some("在建"));
    assert_eq!(p.planned_build_status.as_deref(), Some("预备"));
    assert_eq!(
        p.progress_pct,
        Some(60.0),
        "the latest report giving a progress"
    );
    assert_eq!(p.last_report_on, Some(day("2026-09-30")));
    assert!(p.history.is_none());
    let one = project(&svc, &admin, "kp-liunan-01").await.unwrap();
    let days: Vec<String> = one
        .history
        .unwrap()
        .iter()
        .map(|r| r.reported_on.to_string())
        .collect();
    assert_eq!(days, ["2026-03-31", "2026-06-30", "2026-09-30"]);
    assert!(matches!(
        project(&svc, &admin, "F-1").await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(
        svc.repo
            .count(Kind::ProjectReport, Some("450200"))
            .await
            .unwrap(),
        3
    );
}
