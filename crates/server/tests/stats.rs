//! The dashboard's indicators over HTTP: the overview and breakdowns follow waybill writes (including
//! a cancellation), a carrier sees only its own waybills, the regulator's pages refuse parties, and
//! bad parameters are named.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use wuliu_server::Role;

struct World {
    api: Api,
    admin: String,
    regulator: String,
    carrier_a: String,
    carrier_b: String,
    shipper: String,
    a: String,
}

async fn world() -> World {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let regulator = api.token(Role::Regulator, None, "450200").await;
    let shipper_id = api.party(&admin, "S1", 1, &["shipper"]).await;
    let a = api.party(&admin, "CA", 2, &["carrier"]).await;
    let b = api.party(&admin, "CB", 3, &["carrier"]).await;
    World {
        carrier_a: api.token(Role::Carrier, Some(&a), "450200").await,
        carrier_b: api.token(Role::Carrier, Some(&b), "450200").await,
        shipper: api.token(Role::Shipper, Some(&shipper_id), "450200").await,
        api,
        admin,
        regulator,
        a: shipper_id.clone() + "|" + &a + "|" + &b,
    }
}

impl World {
    fn ids(&self) -> (String, String, String) {
        let v: Vec<&str> = self.a.split('|').collect();
        (v[0].into(), v[1].into(), v[2].into())
    }

    /// Posts a waybill despatched on `day` (10:00 Beijing) from `county`, `kg` heavy; returns its ID.
    async fn waybill(&self, carrier: &str, day: &str, county: &str, kg: f64) -> String {
        let (shipper, _, _) = self.ids();
        let mut w = waybill(&shipper, carrier, &unique("W"));
        w["consignment_time"] = json!(format!("{day}T01:00:00Z"));
        w["despatch_time"] = json!(format!("{day}T02:00:00Z"));
        w["consignor"]["division_code"] = json!(county);
        w["goods"][0]["gross_weight"] = json!(kg);
        let r = self.api.post("/api/v1/waybills", &self.admin, w).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    async fn overview(&self, token: &str, date: &str) -> Value {
        let r = self
            .api
            .get(&format!("/api/v1/stats/overview?date={date}"), token)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()
    }
}

#[tokio::test]
async fn overview_follows_writes_and_cancellations() {
    let w = world().await;
    let (_, a, b) = w.ids();
    w.waybill(&b, "2026-11-01", "450204", 1000.0).await;
    let first = w.waybill(&a, "2026-11-30", "450204", 8000.0).await;
    w.waybill(&a, "2026-12-01", "450205", 4000.0).await;
    w.waybill(&b, "2026-12-01", "450205", 2000.0).await;

    let o = w.overview(&w.regulator, "2026-12-01").await;
    assert_eq!(o["scope"], "city");
    assert_eq!(o["today"]["waybills"], 2);
    assert_eq!(o["today"]["tonnes"], 6.0);
    assert_eq!(
        o["today"]["active_vehicles"], 1,
        "both waybills name the same plate"
    );
    assert_eq!(o["yesterday"]["waybills"], 1);
    assert_eq!(o["month_to_date"]["waybills"], 2);
    assert_eq!(
        o["previous_month"]["waybills"], 1,
        "November 1st only: the same days of the month"
    );
    let trend = o["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 30);
    assert_eq!(trend[29]["day"], "2026-12-01");
    assert_eq!(trend[28]["waybills"], 1);

    // Cancelling takes the waybill out of every figure.
    let r = w
        .api
        .post(
            &format!("/api/v1/waybills/{first}/status"),
            &w.admin,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let o = w.overview(&w.regulator, "2026-12-01").await;
    assert_eq!(o["yesterday"]["waybills"], 0);
    assert_eq!(o["trend"][28]["waybills"], 0);
}

#[tokio::test]
async fn a_carrier_sees_only_its_own_waybills() {
    let w = world().await;
    let (_, a, b) = w.ids();
    w.waybill(&a, "2026-12-01", "450204", 8000.0).await;
    w.waybill(&b, "2026-12-01", "450204", 3000.0).await;
    w.waybill(&b, "2026-12-01", "450205", 1000.0).await;

    let mine = w.overview(&w.carrier_a, "2026-12-01").await;
    assert_eq!(mine["scope"], "party");
    assert_eq!(
        (
            mine["today"]["waybills"].clone(),
            mine["today"]["tonnes"].clone()
        ),
        (json!(1), json!(8.0))
    );
    let theirs = w.overview(&w.carrier_b, "2026-12-01").await;
    assert_eq!(theirs["today"]["waybills"], 2);
    let shipper = w.overview(&w.shipper, "2026-12-01").await;
    assert_eq!(
        shipper["today"]["waybills"], 3,
        "the shipper consigned all three"
    );
    assert_eq!(shipper["today"]["online_vehicles"], Value::Null);

    let r = w
        .api
        .get(
            "/api/v1/stats/breakdown?by=county&from=2026-12-01&to=2026-12-01",
            &w.carrier_b,
        )
        .await;
    let rows = r.json()["rows"].as_array().unwrap().clone();
    let counts: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["waybills"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, vec![("450204".into(), 1), ("450205".into(), 1)]);
}

#[tokio::test]
async fn regulator_pages_refuse_parties_and_bad_parameters_are_named() {
    let w = world().await;
    for uri in [
        "/api/v1/stats/index",
        "/api/v1/stats/warnings",
        "/api/v1/map/layers/load_heat",
    ] {
        let r = w.api.get(uri, &w.carrier_a).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.text);
        assert_eq!(
            w.api.get(uri, &w.regulator).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    let r = w
        .api
        .post("/api/v1/stats/warnings/run", &w.shipper, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (uri, field) in [
        ("/api/v1/stats/series?metric=speed", "metric"),
        ("/api/v1/stats/series?interval=week", "interval"),
        ("/api/v1/stats/breakdown?by=colour", "by"),
        (
            "/api/v1/stats/breakdown?from=2026-12-02&to=2026-12-01",
            "to",
        ),
        ("/api/v1/stats/overview?date=yesterday", "date"),
        ("/api/v1/stats/forecast?series=public:nothing", "series"),
        (
            "/api/v1/stats/forecast?series=public:airline_passengers&horizon=0",
            "horizon",
        ),
    ] {
        let r = w.api.get(uri, &w.regulator).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.text);
        assert!(
            r.violation_fields().contains(&field.to_string()),
            "{uri}: {}",
            r.text
        );
    }
    assert_eq!(
        w.api
            .get("/api/v1/map/layers/rivers", &w.regulator)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_public_series_forecasts_with_nested_intervals() {
    let w = world().await;
    let r = w
        .api
        .get(
            "/api/v1/stats/forecast?series=public:airline_passengers&horizon=12",
            &w.regulator,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let f = r.json();
    assert_eq!(f["history"].as_array().unwrap().len(), 144);
    assert_eq!(f["history"][0]["period"], "1949-01");
    let points = f["forecast"].as_array().unwrap();
    assert_eq!(points.len(), 12);
    assert_eq!(points[0]["period"], "1961-01");
    for p in points {
        let g = |k: &str| p[k].as_f64().unwrap();
        assert!(
            g("lo95") <= g("lo80")
                && g("lo80") <= g("mean")
                && g("mean") <= g("hi80")
                && g("hi80") <= g("hi95"),
            "{p}"
        );
    }
    let chosen: Vec<&Value> = f["backtest"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["chosen"] == true)
        .collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0]["model"], f["model"]);
}

#[tokio::test]
async fn an_off_track_target_raises_one_warning_that_the_regulator_resolves() {
    let w = world().await;
    let target = json!({
        "external_id": "T03", "indicator_zh": "铁路货运量", "indicator_en": "Rail freight volume",
        "target_value": 7603.0, "target_text": "7603", "unit": "万吨", "comparator": "=", "year": 2025,
        "baseline_value": 4698.0, "baseline_year": 2020, "source_quote": "铁路货运量达到7603万吨",
    });
    assert_eq!(
        w.api
            .post("/api/v1/plan_targets", &w.admin, target)
            .await
            .status,
        StatusCode::CREATED
    );
    let value =
        json!({"target_id": "T03", "value": 4000.0, "as_of": "2024-12-31", "source": "test"});
    let r = w
        .api
        .post("/api/v1/indicator_values", &w.regulator, value)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let run = |day: &'static str| {
        let api = &w.api;
        let token = w.regulator.clone();
        async move {
            let r = api
                .post(
                    &format!("/api/v1/stats/warnings/run?day={day}"),
                    &token,
                    json!({}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.json()
        }
    };
    let first = run("2025-01-10").await;
    let plan: Vec<&Value> = first["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "plan.off_track")
        .collect();
    assert_eq!(plan.len(), 1, "{first}");
    assert_eq!(plan[0]["subject"], "T03");
    assert_eq!(first["raised"], first["found"]);
    assert_eq!(
        run("2025-01-10").await["raised"],
        0,
        "a re-run raises nothing twice"
    );

    let open = w
        .api
        .get("/api/v1/stats/warnings?status=open", &w.regulator)
        .await
        .json();
    let alert = open["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "plan.off_track")
        .unwrap()
        .clone();
    let id = alert["id"].as_str().unwrap();
    let r = w
        .api
        .post(
            &format!("/api/v1/alerts/{id}/resolve"),
            &w.regulator,
            json!({"note": "统计局复核"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let open = w
        .api
        .get("/api/v1/stats/warnings?status=open", &w.regulator)
        .await
        .json();
    assert!(!open["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == id));
}

#[tokio::test]
async fn a_surge_of_monitoring_alerts_is_a_warning() {
    let w = world().await;
    let (_, a, _) = w.ids();
    for day in [
        "2026-11-27",
        "2026-11-28",
        "2026-11-29",
        "2026-11-30",
        "2026-12-01",
    ] {
        for _ in 0..25 {
            w.waybill(&a, day, "450204", 1000.0).await;
        }
    }
    // One monitoring alert a day before, twelve on the last day.
    let alert = |day: &str, n: usize| {
        json!({"rule": "track.ghost", "severity": "warning", "message": format!("ghost {n}"),
               "day": day, "detected_at": format!("{day}T10:00:00Z"), "status": "open"})
    };
    for day in ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"] {
        let r = w.api.post("/api/v1/alerts", &w.admin, alert(day, 0)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    for n in 0..12 {
        let r = w
            .api
            .post("/api/v1/alerts", &w.admin, alert("2026-12-01", n))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = w
        .api
        .post(
            "/api/v1/stats/warnings/run?day=2026-12-01",
            &w.regulator,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let found = r.json();
    let surge: Vec<&Value> = found["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "indicator.alert_rate")
        .collect();
    assert_eq!(surge.len(), 1, "{found}");
    assert_eq!(
        surge[0]["severity"], "critical",
        "48 alerts per 100 waybills is over the ceiling"
    );
    // The day before, at the usual rate, raises nothing.
    let r = w
        .api
        .post(
            "/api/v1/stats/warnings/run?day=2026-11-30",
            &w.regulator,
            json!({}),
        )
        .await;
    assert!(!r.json()["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["rule"] == "indicator.alert_rate"));
}
