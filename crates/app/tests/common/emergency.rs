//! What the emergency application tests share (issue 28): a region of their own, the office
//! caller, and the seeding of items, stockpiles, lots, triaged requests, trucks and passes.

use serde_json::{json, Value};
use wuliu_app::emergency::{catalogue, fleet, requests, stock};
use wuliu_app::{Caller, Role};
use wuliu_store::{Kind, NewRecord};

use super::{unique, Repo};

/// A region of its own (`45xxxx`) for each call, so that records of other tests sharing the
/// PostgreSQL database stay out of the plan.
pub fn region() -> String {
    region_in("45")
}

/// A region of its own under the two-digit province code `province`.
pub fn region_in(province: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{province}{:04}", nanos % 10_000)
}

/// The emergency office (a regulator) of `region`.
pub fn office(region: &str) -> Caller {
    Caller::new(Role::Regulator, None, region, "user:office")
}

/// The `id` of a record as the app functions answer it.
pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// A new item: drinking water in 5 kg barrels.
pub async fn water(repo: &Repo, office: &Caller) -> String {
    let body = json!({"code": unique("W"),
        "name": "饮用水", "unit": "桶", "unit_weight_kg": 5.0, "unit_volume_m3": 0.01,
        "category": "water"});
    id(&catalogue::create_item(repo.as_ref(), office, body)
        .await
        .unwrap())
}

/// A new government stockpile `name` at `[lon, lat]`.
pub async fn stockpile(repo: &Repo, office: &Caller, name: &str, [lon, lat]: [f64; 2]) -> String {
    let body = json!({"code": unique("S"), "name": name, "kind": "government",
        "location": {"lat": lat, "lon": lon}});
    id(&stock::create_stockpile(repo.as_ref(), office, body)
        .await
        .unwrap())
}

/// Receives lot `number` of `qty` units of `item` expiring on `expiry` (received 2020-01-01)
/// into stockpile `pile`.
pub async fn receive(
    repo: &Repo,
    office: &Caller,
    pile: &str,
    item: &str,
    (number, qty, expiry): (&str, i64, &str),
) {
    let body = json!({"item_id": item, "lot_number": number, "quantity": qty,
        "expiry_date": expiry, "received_date": "2020-01-01"});
    stock::receive_lot(repo.as_ref(), office, pile, body)
        .await
        .unwrap();
}

/// The body of a request with `priority` from the shelter `name` at `lat`, `lon` for `qty` units
/// of `item`, due in six hours.
pub fn request_body(
    item: &str,
    (name, lat, lon): (&str, f64, f64),
    qty: i64,
    priority: i64,
) -> Value {
    json!({"demand_point": {"kind": "shelter", "name": name,
        "location": {"lat": lat, "lon": lon}},
        "lines": [{"item_id": item, "quantity": qty}], "priority": priority,
        "deadline": (chrono::Utc::now() + chrono::Duration::hours(6)).to_rfc3339(),
        "contact": {"name": "韦主任", "phone": "0772-8123456"}})
}

/// Submits the request `body` and triages it with `priority`; answers its id.
pub async fn triaged(repo: &Repo, office: &Caller, body: Value, priority: i64) -> String {
    let req = id(&requests::submit(repo.as_ref(), office, body).await.unwrap());
    requests::triage(repo.as_ref(), office, &req, json!({"priority": priority}))
        .await
        .unwrap();
    req
}

/// An available 8 t truck of carrier `pty_c` with `plate`, of `office`'s region, kept at
/// `[lon, lat]`; its id.
pub async fn truck(repo: &Repo, office: &Caller, plate: &str, [lon, lat]: [f64; 2]) -> String {
    let vid = unique("veh_");
    let body = json!({"carrier_id": "pty_c", "plate": plate, "rated_load": 8000.0,
        "cargo_volume": 40.0, "home_base": {"lat": lat, "lon": lon}});
    let rec = NewRecord {
        id: vid.clone(),
        region: office.region.clone(),
        external_id: None,
        owner_party: Some("pty_c".into()),
        partner_party: None,
        status: Some("available".into()),
        body,
    };
    repo.insert(Kind::Vehicle, rec).await.unwrap();
    vid
}

/// The body of a green-channel pass for `vehicle`, valid from an hour ago for 48 hours.
pub fn pass_body(vehicle: &str) -> Value {
    let now = chrono::Utc::now();
    json!({"pass_number": unique("应急"), "vehicle_id": vehicle,
        "valid_from": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "valid_to": (now + chrono::Duration::hours(48)).to_rfc3339()})
}

/// Registers a pass (see [`pass_body`]) for `vehicle`.
pub async fn with_pass(repo: &Repo, office: &Caller, vehicle: &str) {
    fleet::register_pass(repo.as_ref(), office, pass_body(vehicle))
        .await
        .unwrap();
}

/// The units of `request` a plan answer leaves unmet.
pub fn unmet(plan: &Value, request: &str) -> u64 {
    plan["allocation"]["unmet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["request"] == request)
        .map(|u| u["quantity"].as_u64().unwrap())
        .sum()
}
