//! The network-freight monitoring page (`#/monitoring`) in a real browser, against `wuliu serve
//! --demo` (see `browser/mod.rs`).
//!
//! The demo has waybills but no positions, so the test first reports, as the admin through the
//! API, a track for the last trip of one of carrier 01's vehicles (with a gap and an impossible
//! jump) and a fresh fix for vehicles of carrier 01 and carrier 02, then runs the monitoring rules
//! over the trip's day so alerts exist. Then:
//! - the regulator sees one marker per latest position (all in view), finds a vehicle by plate,
//!   clicks it and replays its track: moving the slider moves the marker to the track point and
//!   shows that point's time; it opens the jump's alert with its evidence (key/values and a map)
//!   and acknowledges it (the API says acknowledged); the trip's waybill shows a result for every
//!   rule, matching `/api/v1/waybills/{id}/checks`;
//! - the carrier sees only its own vehicles and no follow-up buttons; the shipper gets the checks;
//! - no browser console errors; screenshots `target/console-screenshots/monitoring-*.png`.

mod browser;

use std::time::Duration;

use browser::*;
use chrono::{DateTime, Utc};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| s.parse().ok())
}

fn point(v: &Value) -> (f64, f64) {
    (v["lat"].as_f64().unwrap(), v["lon"].as_f64().unwrap())
}

/// The trip the page opens by default for a vehicle: its latest waybill despatched by now.
async fn default_trip(c: &Client, vehicle: &Value) -> Option<Value> {
    let plate = vehicle["plate"].as_str()?;
    let path = format!(
        "/api/v1/waybills?plate={}&sort=-consignment_time&limit=20",
        urlencode(plate)
    );
    let (status, body) = fetch(c, &path).await;
    assert_eq!(status, 200, "{body}");
    let now = Utc::now();
    body["items"]
        .as_array()?
        .iter()
        .find(|w| {
            w["vehicle"]["vehicle_id"] == vehicle["id"]
                && time(&w["despatch_time"]).is_some_and(|d| d <= now)
        })
        .cloned()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A fix every minute from the consignor to the consignee over the trip, with a gap (40 minutes
/// on long trips, 12 on short ones) and one impossible 50 km jump (a teleport) after it.
fn trip_track(vehicle: &str, w: &Value) -> Vec<Value> {
    let start = time(&w["despatch_time"]).unwrap();
    let end = time(&w["receipt_time"]).unwrap();
    let (a_lat, a_lon) = point(&w["consignor"]["point"]);
    let (b_lat, b_lon) = point(&w["consignee"]["point"]);
    let minutes = (end - start).num_minutes().max(30);
    let gap_start = minutes / 5;
    let gap_len = if minutes >= 120 { 40 } else { 12 };
    let jump = minutes * 4 / 5;
    let mut out = Vec::new();
    for m in 0..=minutes {
        if m > gap_start && m < gap_start + gap_len {
            continue;
        }
        let f = m as f64 / minutes as f64;
        let mut lat = a_lat + (b_lat - a_lat) * f;
        let lon = a_lon + (b_lon - a_lon) * f;
        if m == jump {
            lat += 0.45;
        }
        out.push(json!({
            "vehicle_id": vehicle, "time": (start + chrono::Duration::minutes(m)).to_rfc3339(),
            "point": {"lat": lat, "lon": lon}, "speed_kmh": if m % 30 < 8 { 0.0 } else { 42.0 },
            "heading": 90,
        }));
    }
    out
}

fn fresh_fix(vehicle: &str, lat: f64, lon: f64) -> Value {
    json!({"vehicle_id": vehicle, "time": (Utc::now() - chrono::Duration::seconds(20)).to_rfc3339(),
           "point": {"lat": lat, "lon": lon}, "speed_kmh": 35.0, "heading": 45})
}

/// What the admin seeds: the vehicle, its trip's waybill, and the teleport alert.
struct Seeded {
    vehicle: String,
    plate: String,
    waybill: String,
    alert: String,
    other_vehicle: String,
}

async fn seed(c: &Client) -> Seeded {
    let (_, vehicles) = fetch(
        c,
        "/api/v1/vehicles?carrier_id=pty_demo_carrier_01&limit=50",
    )
    .await;
    let mut chosen = None;
    for v in vehicles["items"].as_array().unwrap() {
        if let Some(w) = default_trip(c, v).await {
            let done = time(&w["receipt_time"])
                .is_some_and(|r| r < Utc::now() - chrono::Duration::minutes(15));
            if done && w["consignor"]["point"].is_object() && w["consignee"]["point"].is_object() {
                chosen = Some((v.clone(), w));
                break;
            }
        }
    }
    let (v, w) = chosen.expect("a carrier-01 vehicle whose last trip is over");
    let vehicle = v["id"].as_str().unwrap().to_string();
    let (status, report) = call(
        c,
        "POST",
        "/api/v1/positions",
        Some(json!(trip_track(&vehicle, &w))),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert!(
        report["rejected"].as_array().unwrap().is_empty(),
        "{report}"
    );
    // Two vehicles online now: another of carrier 01's and one of carrier 02's.
    let (_, others) = fetch(c, "/api/v1/vehicles?limit=200").await;
    let pick = |carrier: &str| {
        others["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["carrier_id"] == carrier && x["id"] != v["id"])
            .map(|x| x["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let own = pick("pty_demo_carrier_01");
    let other = pick("pty_demo_carrier_02");
    let fixes = json!([
        fresh_fix(&own, 24.33, 109.40),
        fresh_fix(&other, 24.36, 109.45)
    ]);
    let (status, report) = call(c, "POST", "/api/v1/positions", Some(fixes)).await;
    assert_eq!(status, 200, "{report}");
    // The rules over the trip's Beijing day.
    let day = (time(&w["despatch_time"]).unwrap() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let (status, run) = call(
        c,
        "POST",
        &format!("/api/v1/monitoring/run?day={day}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{run}");
    let waybill = w["id"].as_str().unwrap().to_string();
    let (_, alerts) = fetch(
        c,
        &format!("/api/v1/alerts?waybill_id={waybill}&rule=track.teleport"),
    )
    .await;
    let alert = alerts["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no teleport alert for {waybill}: {run}"))
        .to_string();
    Seeded {
        vehicle,
        plate: v["plate"].as_str().unwrap().to_string(),
        waybill,
        alert,
        other_vehicle: other,
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn wait_js(c: &Client, script: &str, what: &str) -> Value {
    for _ in 0..150 {
        let v = js(c, script).await;
        if !v.is_null() && v != json!(false) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn live_vehicles(c: &Client, base: &str, screenshot_name: &str) -> (Vec<String>, Value) {
    open(c, base, "monitoring?tab=live").await;
    wait_css(c, "#mon-live-map[data-markers]").await;
    let (status, latest) = fetch(c, "/api/v1/positions/latest").await;
    assert_eq!(status, 200, "{latest}");
    let n = latest["features"].as_array().unwrap().len();
    let shown = js(c, "return [...document.querySelectorAll('#mon-live-map .mon-veh')].map(e => e.dataset.vehicle)").await;
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown.len(), n, "one marker per latest position");
    let in_view = js(
        c,
        "return document.getElementById('mon-live-map').dataset.inView",
    )
    .await;
    assert_eq!(in_view, json!(n.to_string()), "every position is in view");
    let listed = js(
        c,
        "return document.querySelectorAll('#mon-live-list li[data-vehicle]').length",
    )
    .await;
    assert_eq!(listed, json!(n));
    screenshot(c, screenshot_name).await;
    (shown, latest)
}

async fn regulator(s: &Session, seeded: &Seeded) {
    let base = &s.demo.base;
    let c = s.login_as("demo-regulator").await;
    let (shown, latest) = live_vehicles(&c, base, "monitoring-live").await;
    assert!(shown.len() >= 3, "{latest}");
    assert!(shown.contains(&seeded.vehicle) && shown.contains(&seeded.other_vehicle));
    let stale = js(
        &c,
        "return document.querySelectorAll('#mon-live-map .mon-veh-stale').length",
    )
    .await;
    assert!(
        stale.as_u64().unwrap() >= 1,
        "the trip's vehicle reported hours ago: greyed"
    );

    // Search by plate, then click the vehicle's marker: its track.
    let search = wait_css(&c, "#mon-search").await;
    search.send_keys(&seeded.plate).await.unwrap();
    wait_js(
        &c,
        "return document.querySelectorAll('#mon-live-list li[data-vehicle]').length === 1",
        "search by plate",
    )
    .await;
    c.find(Locator::Css(&format!(
        ".mon-veh[data-vehicle=\"{}\"]",
        seeded.vehicle
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_css(
        &c,
        "main[data-page=\"monitoring\"][data-ready=\"yes\"] #mon-track-map[data-index]",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let d = js(
        &c,
        "return Object.assign({}, document.getElementById('mon-track-map').dataset)",
    )
    .await;
    assert_eq!(d["vehicle"], json!(seeded.vehicle));
    let path = format!(
        "/api/v1/vehicles/{}/track?from={}&to={}",
        seeded.vehicle,
        urlencode(d["from"].as_str().unwrap()),
        urlencode(d["to"].as_str().unwrap())
    );
    let (status, track) = fetch(&c, &path).await;
    assert_eq!(status, 200, "{track}");
    let coords = track["geometry"]["coordinates"].as_array().unwrap();
    let times = track["properties"]["times"].as_array().unwrap();
    assert!(
        coords.len() > 20,
        "the seeded trip is replayed: {}",
        coords.len()
    );
    assert_eq!(d["points"], json!(coords.len().to_string()));
    let link = js(
        &c,
        "return document.querySelector('#mon-window-why a')?.getAttribute('href')",
    )
    .await;
    assert!(
        link.as_str().unwrap_or_default().contains(&seeded.waybill),
        "default window = last trip: {link}"
    );
    let gaps = js(
        &c,
        "return document.querySelectorAll('.mon-tick-gap').length",
    )
    .await;
    assert!(gaps.as_u64().unwrap() >= 1, "the gap is marked");
    let alerts = js(&c, "return [...document.querySelectorAll('#mon-track-alerts li[data-alert]')].map(e => e.dataset.alert)").await;
    assert!(
        alerts.as_array().unwrap().contains(&json!(seeded.alert)),
        "the jump's alert is on the track: {alerts}"
    );

    // The slider moves the marker to the track point and shows its time.
    let before = js(&c, "const r = document.getElementById('mon-replay-marker').getBoundingClientRect(); return [r.x, r.y]").await;
    let i = coords.len() * 2 / 3;
    js(&c, &format!("const s = document.getElementById('mon-slider'); s.value = '{i}'; s.dispatchEvent(new Event('input'));")).await;
    let d = js(
        &c,
        "return Object.assign({}, document.getElementById('mon-track-map').dataset)",
    )
    .await;
    assert_eq!(d["index"], json!(i.to_string()));
    let lat: f64 = d["lat"].as_str().unwrap().parse().unwrap();
    let lon: f64 = d["lon"].as_str().unwrap().parse().unwrap();
    assert!(
        (lat - coords[i][1].as_f64().unwrap()).abs() < 1e-9
            && (lon - coords[i][0].as_f64().unwrap()).abs() < 1e-9
    );
    let after = js(&c, "const r = document.getElementById('mon-replay-marker').getBoundingClientRect(); return [r.x, r.y]").await;
    assert_ne!(before, after, "the marker moved on the map");
    let shown_time = js(
        &c,
        "return document.getElementById('mon-replay-time').dataset.time",
    )
    .await;
    assert_eq!(
        time(&shown_time),
        time(&times[i]),
        "the shown time is the point's"
    );
    let text = text_of(&c, "#mon-replay-time").await;
    assert!(!text.is_empty() && text != "—");
    // Play moves it on.
    c.find(Locator::Css("#mon-play"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    c.find(Locator::Css("#mon-play"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let moved = js(
        &c,
        "return Number(document.getElementById('mon-track-map').dataset.index)",
    )
    .await;
    assert!(
        moved.as_u64().unwrap() > i as u64 || moved.as_u64().unwrap() == coords.len() as u64 - 1
    );
    screenshot(&c, "monitoring-track").await;

    // Alerts: the jump's alert with its evidence, then acknowledged.
    open(
        &c,
        base,
        "monitoring?tab=alerts&rule=track.teleport&status=all",
    )
    .await;
    let row = format!("tr.mon-alert[data-alert=\"{}\"]", seeded.alert);
    wait_css(&c, &row).await;
    c.find(Locator::Css(&format!("{row} [data-action=evidence]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let ev = format!("tr[data-evidence-of=\"{}\"]", seeded.alert);
    wait_text(&c, &format!("{ev} .mon-kv"), "推算速度").await;
    wait_css(&c, &format!("{ev} .mon-ev-map[data-points]")).await;
    let pts = js(
        &c,
        &format!(
            "return Number(document.querySelector('{} .mon-ev-map').dataset.points)",
            ev.replace('\'', "\\'")
        ),
    )
    .await;
    assert!(
        pts.as_u64().unwrap() >= 2,
        "the jump's two points on the map"
    );
    js(
        &c,
        &format!(
            "document.querySelector('{}').scrollIntoView()",
            row.replace('\'', "\\'")
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(&c, "monitoring-alerts").await;
    c.find(Locator::Css(&format!("{row} [data-action=acknowledge]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_css(&c, "form[data-form=acknowledge] input[name=note]")
        .await
        .send_keys("已电话核实")
        .await
        .unwrap();
    c.find(Locator::Css(
        "form[data-form=acknowledge] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_css(
        &c,
        &format!(
            "tr.mon-alert[data-alert=\"{}\"][data-status=acknowledged]",
            seeded.alert
        ),
    )
    .await;
    let (_, stored) = fetch(&c, &format!("/api/v1/alerts/{}", seeded.alert)).await;
    assert_eq!(stored["status"], "acknowledged", "{stored}");
    assert_eq!(stored["note"], "已电话核实");

    // The trip's waybill: every rule's result, as the API says.
    open(
        &c,
        base,
        &format!("monitoring?tab=checks&waybill={}", seeded.waybill),
    )
    .await;
    wait_css(&c, "#mon-checks tr.mon-rule").await;
    let (_, checks) = fetch(&c, &format!("/api/v1/waybills/{}/checks", seeded.waybill)).await;
    let (_, rules) = fetch(&c, "/api/v1/monitoring/rules").await;
    let findings = checks["report"]["findings"].as_array().unwrap();
    let shown = js(&c, "return [...document.querySelectorAll('#mon-checks tr.mon-rule')].map(r => [r.dataset.rule, r.dataset.result])").await;
    let shown: Vec<(String, String)> = serde_json::from_value(shown).unwrap();
    assert_eq!(
        shown.len(),
        rules.as_array().unwrap().len(),
        "a row per rule"
    );
    for (rule, result) in &shown {
        let failed = findings
            .iter()
            .any(|f| f["rule"] == rule.as_str() && f["severity"] != "info");
        assert_eq!(
            result == "failed",
            failed,
            "{rule}: page {result}, API {checks}"
        );
    }
    assert!(shown
        .iter()
        .any(|(r, res)| r == "track.teleport" && res == "failed"));
    assert!(shown.iter().any(|(_, res)| res == "passed"));
    let risk = text_of(&c, "#mon-risk strong").await;
    assert_eq!(risk, checks["report"]["risk_score"].to_string());
    screenshot(&c, "monitoring-checks").await;

    // English, and a phone's width.
    c.find(Locator::Css("#lang"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&c, ".mon-tabs", "Live vehicles").await;
    wait_text(&c, "#mon-checks", "Passed").await;
    screenshot(&c, "monitoring-checks-en").await;
    viewport(&c, 390, 844).await;
    open(&c, base, "monitoring?tab=live").await;
    wait_css(&c, "#mon-live-map[data-markers]").await;
    screenshot(&c, "monitoring-phone-live").await;
    open(&c, base, "monitoring?tab=alerts").await;
    screenshot(&c, "monitoring-phone-alerts").await;
    let overflow = js(
        &c,
        "const m = document.getElementById('main'); return m.scrollWidth > m.clientWidth + 1",
    )
    .await;
    assert_eq!(
        overflow,
        json!(false),
        "nothing of the page sticks out at a phone's width"
    );
    c.find(Locator::Css("#lang"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_no_console_errors(&s.driver, &c, "regulator on #/monitoring").await;
    c.close().await.unwrap();
}

async fn carrier(s: &Session, seeded: &Seeded) {
    let base = &s.demo.base;
    let c = s.login_as("demo-carrier").await;
    let (shown, _) = live_vehicles(&c, base, "monitoring-carrier-live").await;
    let (_, own) = fetch(&c, "/api/v1/vehicles?limit=1000").await;
    let own: Vec<&str> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert!(!shown.is_empty());
    for v in &shown {
        assert!(own.contains(&v.as_str()), "{v} is not the carrier's");
    }
    assert!(
        !shown.contains(&seeded.other_vehicle),
        "another carrier's vehicle is hidden"
    );
    open(
        &c,
        base,
        &format!("monitoring?tab=track&vehicle={}", seeded.vehicle),
    )
    .await;
    wait_css(&c, "#mon-track-map[data-index]").await;
    open(&c, base, "monitoring?tab=alerts&status=all").await;
    wait_css(&c, "tr.mon-alert").await;
    let buttons = js(&c, "return document.querySelectorAll('[data-action=acknowledge],[data-action=resolve],#mon-run').length").await;
    assert_eq!(buttons, json!(0), "follow-up is the regulator's");
    let carriers = js(&c, "return [...new Set([...document.querySelectorAll('tr.mon-alert')].map(r => r.children[3].textContent))].length").await;
    assert_eq!(carriers, json!(1), "only its own alerts");
    screenshot(&c, "monitoring-carrier-alerts").await;
    open(
        &c,
        base,
        &format!("monitoring?tab=checks&waybill={}", seeded.waybill),
    )
    .await;
    wait_css(&c, "#mon-checks tr.mon-rule").await;
    assert_no_console_errors(&s.driver, &c, "carrier on #/monitoring").await;
    c.close().await.unwrap();

    let c = s.login_as("demo-shipper").await;
    open(&c, base, "monitoring").await;
    wait_css(&c, "#mon-check-form").await;
    let tabs = js(
        &c,
        "return [...document.querySelectorAll('.mon-tabs a')].map(a => a.dataset.tab)",
    )
    .await;
    assert_eq!(tabs, json!(["checks"]));
    screenshot(&c, "monitoring-shipper").await;
    assert_no_console_errors(&s.driver, &c, "shipper on #/monitoring").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitoring_page_in_a_real_browser() {
    let Some(s) = Session::start("console_monitoring") else {
        return;
    };
    let admin = s.login_as("demo-admin").await;
    let seeded = seed(&admin).await;
    admin.close().await.unwrap();
    regulator(&s, &seeded).await;
    carrier(&s, &seeded).await;
}
