//! The demo's emergency reserves (issue 28), written through the emergency application layer as an
//! office would: the relief catalogue and stockpiles of [`wuliu_demo::emergency`] with their lots,
//! green-channel passes for the first demo vehicles, stationed round-robin at the reserves (so each
//! county reserve has trucks and a plan loads at several), and relief requests from flooded
//! counties (some triaged, some waiting), so `serve --demo` shows reserves, requests and a plan at
//! once.

use anyhow::{Context, Result};
use serde_json::{json, Value};
use wuliu_app::emergency::{catalogue, fleet, requests, stock};
use wuliu_app::{Caller, Service};
use wuliu_store::{Kind, ListQuery};

/// Vehicles of the demo fleet that get a pass: two for each of the demo's eight stockpiles.
const PASSES: usize = 16;

/// A relief request of the demo.
struct DemoRequest {
    kind: &'static str,
    name: &'static str,
    lat: f64,
    lon: f64,
    item_code: &'static str,
    units: i64,
    priority: i64,
    hours_to_deadline: i64,
    triaged: bool,
}

/// Relief requests of the demo, from flooded counties (illustrative).
const REQUESTS: &[DemoRequest] = &[
    DemoRequest {
        kind: "hospital",
        name: "融安县人民医院（示例，断水）",
        lat: 25.215,
        lon: 109.405,
        item_code: "WATER-5L",
        units: 600,
        priority: 1,
        hours_to_deadline: 3,
        triaged: true,
    },
    DemoRequest {
        kind: "shelter",
        name: "融安县长安镇第一安置点（示例）",
        lat: 25.226,
        lon: 109.395,
        item_code: "NOODLE-BOX",
        units: 300,
        priority: 2,
        hours_to_deadline: 6,
        triaged: true,
    },
    DemoRequest {
        kind: "point",
        name: "柳城县大埔镇防洪堤抢险点（示例）",
        lat: 24.650,
        lon: 109.240,
        item_code: "SANDBAG",
        units: 3000,
        priority: 1,
        hours_to_deadline: 2,
        triaged: true,
    },
    DemoRequest {
        kind: "shelter",
        name: "融水县县城安置点（示例）",
        lat: 25.068,
        lon: 109.252,
        item_code: "TENT-12",
        units: 60,
        priority: 2,
        hours_to_deadline: 8,
        triaged: true,
    },
    DemoRequest {
        kind: "village",
        name: "三江县古宜镇受灾村（示例）",
        lat: 25.783,
        lon: 109.607,
        item_code: "WATER-5L",
        units: 300,
        priority: 3,
        hours_to_deadline: 12,
        triaged: false,
    },
    DemoRequest {
        kind: "village",
        name: "鹿寨县中渡镇受灾村（示例）",
        lat: 24.740,
        lon: 109.700,
        item_code: "NOODLE-BOX",
        units: 100,
        priority: 4,
        hours_to_deadline: 24,
        triaged: false,
    },
];

fn id(v: &Value) -> Result<String> {
    v["id"]
        .as_str()
        .map(String::from)
        .context("the emergency layer answered without an id")
}

/// Seeds the reserves, passes and requests; answers how many records were written.
pub async fn seed(
    service: &Service,
    region: &str,
    party_id: impl Fn(&str) -> String,
) -> Result<usize> {
    let repo = service.repo.as_ref();
    let office = Caller::system(region, "demo");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let mut items = std::collections::HashMap::new();
    for it in wuliu_demo::emergency::ITEMS {
        let body = json!({"code": it.code, "name": it.name, "unit": it.unit,
            "unit_weight_kg": it.unit_weight_kg, "unit_volume_m3": it.unit_volume_m3,
            "shelf_life_days": it.shelf_life_days, "category": it.category});
        items.insert(
            it.code,
            id(&catalogue::create_item(repo, &office, body).await?)?,
        );
    }
    let mut written = items.len();
    let mut piles = Vec::new();
    for pile in wuliu_demo::emergency::stockpiles() {
        let body = json!({"code": pile.code, "name": pile.name, "kind": pile.kind,
            "holder_party_id": pile.holder_external_id.map(&party_id),
            "agreement_number": pile.agreement_number,
            "location": {"lat": pile.lat, "lon": pile.lon}, "division_code": pile.division_code});
        let pid = id(&stock::create_stockpile(repo, &office, body).await?)?;
        piles.push(pid.clone());
        for lot in &pile.lots {
            let expiry = lot
                .expires_in_days
                .map(|d| (today + chrono::Duration::days(d)).to_string());
            let body = json!({"item_id": items[lot.item_code], "lot_number": lot.lot_number,
                "quantity": lot.quantity, "expiry_date": expiry,
                "received_date": (today - chrono::Duration::days(60)).to_string()});
            stock::receive_lot(repo, &office, &pid, body).await?;
        }
        written += 1 + pile.lots.len();
    }
    written += seed_passes(service, &office, &piles).await?;
    for r in REQUESTS {
        let Some(item) = items.get(r.item_code) else {
            continue;
        };
        let (kind, name, lat, lon) = (r.kind, r.name, r.lat, r.lon);
        let (units, priority, hours) = (r.units, r.priority, r.hours_to_deadline);
        let body = json!({"demand_point": {"kind": kind, "name": name, "location": {"lat": lat, "lon": lon}},
            "lines": [{"item_id": item, "quantity": units}], "priority": priority,
            "deadline": (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339(),
            "contact": {"name": "值班员（示例）", "phone": "0772-0000000"}});
        let rid = id(&requests::submit(repo, &office, body).await?)?;
        if r.triaged {
            requests::triage(repo, &office, &rid, json!({"priority": priority})).await?;
        }
        written += 1;
    }
    Ok(written)
}

/// Passes for the first [`PASSES`] vehicles of the region, valid from yesterday for 30 days, the
/// n-th stationed at stockpile `n mod piles.len()` of `piles`.
async fn seed_passes(service: &Service, office: &Caller, piles: &[String]) -> Result<usize> {
    let query = ListQuery {
        region: Some(office.region.clone()),
        limit: PASSES as u32,
        ..ListQuery::default()
    };
    let page = service.repo.list(Kind::Vehicle, &query).await?;
    let now = chrono::Utc::now();
    for (n, v) in page.records.iter().enumerate() {
        let body = json!({"pass_number": format!("柳应急通〔示例〕{:03}号", n + 1), "vehicle_id": v.id,
            "valid_from": (now - chrono::Duration::days(1)).to_rfc3339(),
            "valid_to": (now + chrono::Duration::days(30)).to_rfc3339(),
            "stockpile_id": piles.get(n % piles.len().max(1))});
        fleet::register_pass(service.repo.as_ref(), office, body).await?;
    }
    Ok(page.records.len())
}
