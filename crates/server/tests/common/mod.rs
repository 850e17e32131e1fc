//! What the HTTP test files share: an API over a fresh store, tokens, calls, and valid bodies.
#![allow(dead_code)]

pub mod emergency;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_model::codes::{resident_id_check_char, uscc_check_char};
use wuliu_server::{app, auth, AppState, Role};
use wuliu_store::{Repository, SqlStore};

pub struct Api {
    pub router: axum::Router,
    pub repo: Arc<dyn Repository>,
    pub _dir: Option<tempfile::TempDir>,
}

pub struct Reply {
    pub status: StatusCode,
    pub text: String,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn violation_fields(&self) -> Vec<String> {
        self.json()["error"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["field"].as_str().unwrap().to_string())
            .collect()
    }
}

pub fn credit_code(seq: u32) -> String {
    let first17 = format!("91450200MA5K{seq:04}X");
    let first17 = &first17[..17];
    format!("{first17}{}", uscc_check_char(first17).unwrap())
}

pub fn resident_id(seq: u32) -> String {
    let first17 = format!("450202198501{:02}{:03}", 1 + seq % 28, seq % 1000);
    format!("{first17}{}", resident_id_check_char(&first17).unwrap())
}

impl Api {
    pub async fn new() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = SqlStore::open(&format!("sqlite:{}", dir.path().join("api.db").display()))
            .await
            .unwrap();
        let repo: Arc<dyn Repository> = Arc::new(store);
        Api {
            router: app(AppState::new(repo.clone())),
            repo,
            _dir: Some(dir),
        }
    }

    pub async fn token(&self, role: Role, party: Option<&str>, region: &str) -> String {
        let (secret, stored) = auth::new_token("test", role, party.map(String::from), region);
        self.repo.put_token(&stored).await.unwrap();
        secret
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        content_type: &str,
        body: String,
    ) -> Reply {
        self.call_with(method, uri, token, &[("content-type", content_type)], body)
            .await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.call("GET", uri, token, "application/json", String::new())
            .await
    }
    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.call("POST", uri, token, "application/json", body.to_string())
            .await
    }

    pub async fn party(&self, admin: &str, ext: &str, seq: u32, roles: &[&str]) -> String {
        let r = self
            .post(
                "/api/v1/parties",
                admin,
                json!({
                    "external_id": ext, "name": format!("柳州{ext}物流有限公司"), "roles": roles,
                    "credit_code": credit_code(seq), "division_code": "450204", "phone": "0772-2825555",
                    "transport_permit": {"number": format!("桂交运管许可柳字{seq:06}号"), "expires": "2030-12-31"}
                }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }
}

pub fn vehicle(carrier: &str, ext: &str, plate: &str, load: f64) -> Value {
    json!({
        "external_id": ext, "carrier_id": carrier, "plate": plate, "plate_colour": "yellow", "body_type": "box",
        "rated_load": load, "cargo_volume": 40.0,
        "transport_certificate": {"number": format!("450200{ext}"), "expires": "2028-06-30"}
    })
}

pub fn waybill(shipper: &str, carrier: &str, ext: &str) -> Value {
    json!({
        "external_id": ext, "shipping_note_number": format!("SN{ext}"), "business_type_code": "1002996",
        "shipper_id": shipper, "carrier_id": carrier, "consignment_time": "2026-11-02T08:00:00Z",
        "consignor": {"name": "上汽通用五菱", "place": "柳州市柳南区河西工业园", "division_code": "450204"},
        "consignee": {"name": "南宁配送中心", "place": "南宁市西乡塘区", "division_code": "450107"},
        "vehicle": {"plate": "桂B12345", "plate_colour": "yellow"},
        "drivers": [{"name": "韦师傅", "licence_number": resident_id(7)}],
        "goods": [{"description": "汽车零部件", "cargo_type_code": "0100", "gross_weight": 8000.0, "packages": 40}],
        "actual_carrier": {"name": "柳州运输", "business_licence": "450200001", "id_code": credit_code(99)},
        "insurance": {"policy_number": "none", "company_code": "none"},
        "total_amount": 2600.0
    })
}

impl Api {
    /// An API over the store at `url` (e.g. the PostgreSQL test database).
    pub async fn on(url: &str) -> Api {
        let store = SqlStore::open(url).await.unwrap();
        let repo: Arc<dyn Repository> = Arc::new(store);
        Api {
            router: app(AppState::new(repo.clone())),
            repo,
            _dir: None,
        }
    }

    /// The APIs to run a test on: SQLite always, PostgreSQL too when `WULIU_TEST_DATABASE_URL`
    /// names one.
    pub async fn each_backend() -> Vec<(&'static str, Api)> {
        let mut out = vec![("sqlite", Api::new().await)];
        if let Ok(url) = std::env::var("WULIU_TEST_DATABASE_URL") {
            out.push(("postgres", Api::on(&url).await));
        }
        out
    }

    /// A call with extra headers.
    pub async fn call_with(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    /// A PATCH (merge patch).
    pub async fn patch(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.call(
            "PATCH",
            uri,
            token,
            "application/merge-patch+json",
            body.to_string(),
        )
        .await
    }
}

/// A string unique to this test run, for keys that must not collide on a shared database.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}{nanos:09}{}", N.fetch_add(1, Ordering::Relaxed))
}

/// A region admin, a shipper and a carrier with their tokens, a vehicle with a home base and a
/// driver of the carrier, and an open 8 t load of the shipper: everything an accept needs.
pub struct Market {
    /// Admin token.
    pub admin: String,
    /// Shipper party and token.
    pub shipper: String,
    pub ts: String,
    /// Carrier party and token.
    pub carrier: String,
    pub tc: String,
    /// Vehicle, driver and load IDs.
    pub vehicle: String,
    pub driver: String,
    pub load: String,
}

impl Market {
    /// Sets a market up on `api`; every key is unique, so several markets share one database.
    pub async fn new(api: &Api) -> Market {
        let admin = api.token(Role::Admin, None, "450200").await;
        let seq = std::process::id() % 9000 + 100;
        let shipper = api.party(&admin, &unique("S"), seq, &["shipper"]).await;
        let carrier = api.party(&admin, &unique("C"), seq + 1, &["carrier"]).await;
        let ts = api.token(Role::Shipper, Some(&shipper), "450200").await;
        let tc = api.token(Role::Carrier, Some(&carrier), "450200").await;
        let plate = format!("桂B{}", &unique("")[4..9]);
        let mut v = vehicle(&carrier, &unique("V"), &plate, 18000.0);
        v["home_base"] = json!({"lat": 24.30, "lon": 109.42});
        v["cargo_volume"] = json!(50.0);
        let r = api.post("/api/v1/vehicles", &tc, v).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let vehicle = r.json()["id"].as_str().unwrap().to_string();
        let driver = json!({"external_id": unique("D"), "carrier_id": carrier, "name": "韦师傅", "id_number": resident_id(7), "phone": "13800138000",
            "licence": {"number": resident_id(7), "class": "A2", "expires": "2031-01-01"},
            "qualification": {"number": "Q450200001", "expires": "2031-01-01"}});
        let r = api.post("/api/v1/drivers", &tc, driver).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let driver = r.json()["id"].as_str().unwrap().to_string();
        let load = Market::post_load(api, &ts, &shipper, 8000.0).await;
        Market {
            admin,
            shipper,
            ts,
            carrier,
            tc,
            vehicle,
            driver,
            load,
        }
    }

    /// Posts an open load of `weight` kg for the shipper; returns its ID.
    pub async fn post_load(api: &Api, ts: &str, shipper: &str, weight: f64) -> String {
        let load = json!({"external_id": unique("L"), "shipper_id": shipper, "goods": "汽车零部件", "cargo": {"kind": "general"},
            "origin": {"point": {"lat": 24.33, "lon": 109.40}, "address": "柳东新区", "division_code": "450206"},
            "destination": {"point": {"lat": 22.82, "lon": 108.37}, "address": "南宁市西乡塘区", "division_code": "450107"},
            "pickup_window": {"start": "2027-03-02T00:00:00Z", "end": "2027-03-02T04:00:00Z"},
            "delivery_window": {"start": "2027-03-02T00:00:00Z", "end": "2027-03-02T12:00:00Z"},
            "weight": weight, "volume": 30.0, "packages": 20, "price_offered": 2600.0});
        let r = api.post("/api/v1/loads", ts, load).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    /// The accept body for this market's load, vehicle and driver.
    pub fn accept(&self) -> Value {
        json!({"load_id": self.load, "vehicle_id": self.vehicle, "driver_id": self.driver})
    }
}

impl Api {
    /// A POST of raw bytes (files that are not UTF-8).
    pub async fn call_bytes(
        &self,
        uri: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        self.call_with("POST", uri, token, &[("content-type", content_type)], body)
            .await
    }
}
