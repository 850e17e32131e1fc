//! The regulator's web console of Wuliu (指挥舱, 规划监测, 趋势预测, 风险预警, 景气指数, 地图), served by
//! `wuliu serve` itself at `/`.
//!
//! The console is plain ES modules, one stylesheet and two vendored libraries (Apache ECharts for
//! charts, Leaflet for the map; see `assets/vendor/PROVENANCE.md`), embedded in the binary with
//! `rust-embed`: the repository builds with no JavaScript toolchain and the console fetches nothing
//! from the internet at run time. It reads only the API described in `docs/console-api.md`.
//!
//! [`router`] serves `GET /` (the page) and `GET /assets/{*path}` (its scripts, styles, images and
//! the deployment's [`Config`] as `/assets/config.json`), every response with a strict
//! `Content-Security-Policy` (scripts from the platform only, no inline script; API calls to the
//! platform only), an `ETag` and a `Cache-Control`. A missing asset is a 404 in the API's JSON error
//! shape.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use tower::ServiceExt;
//!
//! let app: axum::Router = wuliu_console::router_with(wuliu_console::Config::default());
//! let res = app
//!     .oneshot(axum::http::Request::get("/").body(axum::body::Body::empty()).unwrap())
//!     .await
//!     .unwrap();
//! assert_eq!(res.status(), 200);
//! assert!(res.headers()["content-security-policy"]
//!     .to_str()
//!     .unwrap()
//!     .contains("script-src 'self'"));
//! # });
//! ```
#![warn(missing_docs)]

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The console's files (`crates/console/assets/`), compiled into release builds.
#[derive(rust_embed::Embed)]
#[folder = "assets/"]
struct Assets;

/// What a deployment may configure about the console. The default is fully offline: the map draws
/// only the platform's GeoJSON layers, with no tile server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// URL template of a raster tile layer drawn under the map's layers, e.g.
    /// `https://tiles.example.cn/{z}/{x}/{y}.png` (Leaflet's syntax). Its origin is added to the
    /// page's `img-src`. None by default.
    pub tile_url: Option<String>,
    /// Attribution shown on the map for [`Config::tile_url`]'s tiles.
    pub tile_attribution: Option<String>,
}

impl Config {
    /// Reads `WULIU_MAP_TILE_URL` and `WULIU_MAP_TILE_ATTRIBUTION`; a tile URL that is not an
    /// absolute `http(s)` URL is ignored (with no tiles the map still works).
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let config = Config {
            tile_url: var("WULIU_MAP_TILE_URL"),
            tile_attribution: var("WULIU_MAP_TILE_ATTRIBUTION"),
        };
        if config.tile_url.is_some() && config.tile_origin().is_none() {
            return Config::default();
        }
        config
    }

    /// `scheme://host[:port]` of the tile URL, when it is an absolute http(s) URL whose host has no
    /// character that could break out of a CSP source expression.
    fn tile_origin(&self) -> Option<String> {
        let url = self.tile_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let host = rest.split(['/', '?', '#']).next()?;
        let ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        ok.then(|| format!("{scheme}://{host}"))
    }

    /// The `Content-Security-Policy` of every console response: scripts, styles, fonts and API
    /// calls from the platform itself only; images from it, `data:` URLs and the tile host if one is
    /// configured. Inline `style` attributes are allowed because ECharts' tooltips and Leaflet's
    /// markers write them; inline *script* is not.
    pub fn content_security_policy(&self) -> String {
        let tiles = self
            .tile_origin()
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        format!(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self'; manifest-src 'self'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    }

    /// `/assets/config.json`: what the page needs to know of the deployment.
    fn json(&self) -> String {
        serde_json::json!({
            "tile_url": self.tile_origin().and(self.tile_url.clone()),
            "tile_attribution": self.tile_attribution,
        })
        .to_string()
    }
}

/// The console's routes with the deployment's [`Config::from_env`]; merge them into the API's
/// router (they use no state).
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    router_with(Config::from_env())
}

/// The console's routes with an explicit [`Config`].
pub fn router_with<S: Clone + Send + Sync + 'static>(config: Config) -> Router<S> {
    let csp = HeaderValue::from_str(&config.content_security_policy())
        .expect("the policy is ASCII without control characters");
    let json = std::sync::Arc::new(config.json());
    let index_csp = csp.clone();
    Router::new()
        .route(
            "/",
            get(move |headers: HeaderMap| {
                let csp = index_csp.clone();
                async move { asset("index.html", &headers, csp) }
            }),
        )
        .route(
            "/assets/{*path}",
            get(move |Path(path): Path<String>, headers: HeaderMap| {
                let csp = csp.clone();
                let json = json.clone();
                async move {
                    if path == "config.json" {
                        return config_json(&json, csp);
                    }
                    asset(&path, &headers, csp)
                }
            }),
        )
}

/// Headers every console response carries.
fn security_headers(headers: &mut HeaderMap, csp: HeaderValue) {
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

fn config_json(json: &str, csp: HeaderValue) -> Response {
    let mut res = (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        json.to_string(),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    security_headers(res.headers_mut(), csp);
    res
}

/// `Cache-Control` of an asset: the vendored libraries change only with a new release of the
/// platform, so browsers may keep them a day; the console's own files are revalidated each time
/// (cheaply: a matching `If-None-Match` gets a 304).
fn cache_control(path: &str) -> &'static str {
    if path.starts_with("vendor/") {
        "public, max-age=86400"
    } else {
        "no-cache"
    }
}

/// The MIME type of an asset, with `charset=utf-8` for text so Chinese labels decode right.
fn content_type(path: &str, guessed: &str) -> String {
    let text = guessed.starts_with("text/")
        || guessed == "application/javascript"
        || guessed == "application/json"
        || guessed == "image/svg+xml";
    let guessed = if guessed == "application/javascript" {
        "text/javascript"
    } else if path.ends_with(".md") {
        "text/markdown"
    } else {
        guessed
    };
    if text || guessed == "text/markdown" {
        format!("{guessed}; charset=utf-8")
    } else {
        guessed.to_string()
    }
}

/// `WULIU_CONSOLE_DIR`: a directory the console's files are read from at each request instead of
/// the embedded copy, for working on the pages without rebuilding the binary. Unset in production.
fn dev_dir() -> Option<&'static std::path::Path> {
    static DIR: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        std::env::var_os("WULIU_CONSOLE_DIR")
            .map(std::path::PathBuf::from)
            .filter(|d| d.is_dir())
    })
    .as_deref()
}

/// An asset read from [`dev_dir`], never cached by the browser; `None` when it is not there (or the
/// path tries to leave the directory).
fn dev_asset(dir: &std::path::Path, path: &str, csp: HeaderValue) -> Option<Response> {
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        return None;
    }
    let data = std::fs::read(dir.join(path)).ok()?;
    let guessed = mime_guess::from_path(path).first_or_octet_stream();
    let mut res = data.into_response();
    let h = res.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(&content_type(path, guessed.essence_str())) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    security_headers(h, csp);
    Some(res)
}

fn asset(path: &str, headers: &HeaderMap, csp: HeaderValue) -> Response {
    if let Some(res) = dev_dir().and_then(|dir| dev_asset(dir, path, csp.clone())) {
        return res;
    }
    let Some(file) = Assets::get(path) else {
        let message = format!("no console asset '{path}'");
        let body = serde_json::json!({ "error": { "code": "console.not_found", "message": message,
            "violations": [ { "code": "console.not_found", "field": "path", "message": message } ] } });
        let mut res = (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
        security_headers(res.headers_mut(), csp);
        return res;
    };
    let hash = file.metadata.sha256_hash();
    let etag = format!("\"{}\"", hex::encode(&hash[..16]));
    let mut res = if headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == etag || tag == "*" || tag.strip_prefix("W/") == Some(etag.as_str())
        }) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = file.data.into_owned().into_response();
        let ct = content_type(path, file.metadata.mimetype());
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&ct)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        res
    };
    let h = res.headers_mut();
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a valid header value"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(path)),
    );
    security_headers(h, csp);
    res
}

#[cfg(test)]
mod tests;
