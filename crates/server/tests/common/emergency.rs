//! What the emergency HTTP tests share (issue 28): a region of their own and the seeding of an
//! item, a stockpile, a lot and a triaged request over HTTP.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{unique, Api};

/// The emergency API's prefix.
pub const E: &str = "/api/v1/emergency";

/// Posts `body` to `uri`, asserts 201 Created and answers the new record's id.
pub async fn created(api: &Api, uri: &str, token: &str, body: Value) -> String {
    let r = api.post(uri, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{uri}: {}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The sub-second nanoseconds of now, a cheap varying number.
pub fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

/// A region of its own (`45xxxx`), so that other tests' records on a shared database stay out
/// of the plan.
pub fn region() -> String {
    region_in("45")
}

/// A region of its own under the two-digit province code `province`.
pub fn region_in(province: &str) -> String {
    format!("{province}{:04}", nanos() % 10_000)
}

/// A new item: drinking water in 5 kg barrels.
pub async fn water(api: &Api, token: &str) -> String {
    let body = json!({"code": unique("W"),
        "name": "饮用水", "unit": "桶", "unit_weight_kg": 5.0, "unit_volume_m3": 0.01,
        "category": "water"});
    created(api, &format!("{E}/items"), token, body).await
}

/// A new government stockpile at `lat`, `lon`.
pub async fn stockpile(api: &Api, token: &str, lat: f64, lon: f64) -> String {
    let body = json!({"code": unique("S"),
        "name": "储备库", "kind": "government", "location": {"lat": lat, "lon": lon}});
    created(api, &format!("{E}/stockpiles"), token, body).await
}

/// Lot `A` of `quantity` units of `item` into stockpile `pile`.
pub async fn lot(api: &Api, token: &str, pile: &str, item: &str, quantity: u32) -> String {
    let body = json!({"item_id": item, "lot_number": "A", "quantity": quantity});
    created(api, &format!("{E}/stockpiles/{pile}/lots"), token, body).await
}

/// The body of a priority-1 request for `quantity` units of `item` at `demand_point`, due in
/// four hours, with `contact` as the contact's name.
pub fn request_body(demand_point: Value, item: &str, quantity: u32, contact: &str) -> Value {
    json!({
        "demand_point": demand_point,
        "lines": [{"item_id": item, "quantity": quantity}], "priority": 1,
        "deadline": (chrono::Utc::now() + chrono::Duration::hours(4)).to_rfc3339(),
        "contact": {"name": contact, "phone": "0772-1234567"}})
}

/// Creates the request `body` and triages it at priority 1; answers its id.
pub async fn triaged(api: &Api, token: &str, body: Value) -> String {
    let req = created(api, &format!("{E}/requests"), token, body).await;
    let r = api
        .post(
            &format!("{E}/requests/{req}/triage"),
            token,
            json!({"priority": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    req
}

/// A triaged request from the hospital at `lat` (lon 109.42) for `quantity` units of `item`.
pub async fn hospital_request(
    api: &Api,
    token: &str,
    item: &str,
    lat: f64,
    quantity: u32,
) -> String {
    let point =
        json!({"kind": "hospital", "name": "医院", "location": {"lat": lat, "lon": 109.42}});
    triaged(api, token, request_body(point, item, quantity, "李医生")).await
}

/// A triaged request from the village (a shelter) 0.05° north of `[lon, lat]` for 10 units of
/// `item`.
pub async fn village_request(api: &Api, token: &str, item: &str, [lon, lat]: [f64; 2]) -> String {
    let point =
        json!({"kind": "shelter", "name": "村", "location": {"lat": lat + 0.05, "lon": lon}});
    triaged(api, token, request_body(point, item, 10, "李村长")).await
}
