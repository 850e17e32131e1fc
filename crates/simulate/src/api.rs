//! A small client of the platform's HTTP API: reading the fleet, creating records, moving
//! waybills along their lifecycle, and asking the OSRM-compatible routing endpoint.

use serde::Serialize;
use serde_json::Value;
use wuliu_model::GeoPoint;

use crate::error::{Error, Result};
use crate::fleet::{Fleet, Stored};

/// What the routing endpoint answered.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteAnswer {
    /// The route's geometry.
    Geometry(Vec<GeoPoint>),
    /// The server has no road network loaded.
    NoNetwork,
    /// The network has no route between the points.
    NoRoute,
}

/// The API at one base URL with one bearer token.
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    /// A client of the API at `base` (e.g. `http://127.0.0.1:8080`) using `token`.
    pub fn new(base: &str, token: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            http: reqwest::Client::new(),
        }
    }

    async fn send(&self, what: String, req: reqwest::RequestBuilder) -> Result<Value> {
        let res = req
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|source| Error::Http {
                what: what.clone(),
                source,
            })?;
        let status = res.status().as_u16();
        let body = res.text().await.map_err(|source| Error::Http {
            what: what.clone(),
            source,
        })?;
        if !(200..300).contains(&status) {
            return Err(Error::Refused { what, status, body });
        }
        serde_json::from_str(&body).map_err(|e| Error::Answer {
            what,
            message: e.to_string(),
        })
    }

    /// `GET` a path under the base URL.
    pub async fn get(&self, path: &str) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        self.send(format!("GET {path}"), self.http.get(url)).await
    }

    /// `POST` a JSON body.
    pub async fn post(&self, path: &str, body: &impl Serialize) -> Result<Value> {
        let url = format!("{}{path}", self.base);
        self.send(format!("POST {path}"), self.http.post(url).json(body))
            .await
    }

    /// Every record of a collection, page after page.
    pub async fn list_all(&self, collection: &str) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/{collection}?limit=1000");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = self.get(&path).await?;
            if let Some(items) = page["items"].as_array() {
                out.extend(items.iter().cloned());
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return Ok(out),
            }
        }
    }

    async fn stored<T: serde::de::DeserializeOwned>(
        &self,
        collection: &str,
    ) -> Result<Vec<Stored<T>>> {
        self.list_all(collection)
            .await?
            .into_iter()
            .map(|v| {
                Stored::from_api(v).map_err(|message| Error::Answer {
                    what: format!("GET /api/v1/{collection}"),
                    message,
                })
            })
            .collect()
    }

    /// The parties, vehicles and drivers the token may see.
    pub async fn fleet(&self) -> Result<Fleet> {
        Ok(Fleet {
            parties: self.stored("parties").await?,
            vehicles: self.stored("vehicles").await?,
            drivers: self.stored("drivers").await?,
        })
    }

    /// Creates a record and returns its platform ID.
    pub async fn create(&self, collection: &str, body: &impl Serialize) -> Result<String> {
        let rec = self.post(&format!("/api/v1/{collection}"), body).await?;
        rec["id"]
            .as_str()
            .map(String::from)
            .ok_or_else(|| Error::Answer {
                what: format!("POST /api/v1/{collection}"),
                message: "no id in the answer".into(),
            })
    }

    /// Moves a record to `status`.
    pub async fn transition(&self, collection: &str, id: &str, status: &str) -> Result<()> {
        let path = format!("/api/v1/{collection}/{id}/status");
        self.post(&path, &serde_json::json!({ "status": status }))
            .await
            .map(drop)
    }

    /// Merge-patches a record.
    pub async fn patch(&self, collection: &str, id: &str, body: &Value) -> Result<()> {
        let path = format!("/api/v1/{collection}/{id}");
        let url = format!("{}{path}", self.base);
        let req = self
            .http
            .patch(url)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string());
        self.send(format!("PATCH {path}"), req).await.map(drop)
    }

    /// A driving route through `points` from the OSRM-compatible endpoint.
    pub async fn route(&self, points: &[GeoPoint]) -> Result<RouteAnswer> {
        let coords: Vec<String> = points
            .iter()
            .map(|p| format!("{:.6},{:.6}", p.lon, p.lat))
            .collect();
        let path = format!(
            "/route/v1/driving/{}?overview=full&geometries=geojson",
            coords.join(";")
        );
        match self.get(&path).await {
            Ok(v) => Ok(geometry(&v).map_or(RouteAnswer::NoRoute, RouteAnswer::Geometry)),
            Err(Error::Refused { status: 503, .. }) => Ok(RouteAnswer::NoNetwork),
            Err(Error::Refused { status: 400, .. }) => Ok(RouteAnswer::NoRoute),
            Err(e) => Err(e),
        }
    }
}

/// The first route's GeoJSON line of an OSRM answer.
fn geometry(answer: &Value) -> Option<Vec<GeoPoint>> {
    if answer["code"] != "Ok" {
        return None;
    }
    let coords = answer["routes"][0]["geometry"]["coordinates"].as_array()?;
    let line: Vec<GeoPoint> = coords
        .iter()
        .filter_map(|c| {
            let lon = c[0].as_f64()?;
            let lat = c[1].as_f64()?;
            GeoPoint::new(lat, lon)
        })
        .collect();
    (line.len() >= 2).then_some(line)
}
