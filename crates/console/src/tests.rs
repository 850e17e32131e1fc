use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;

async fn get(app: &Router, path: &str, if_none_match: Option<&str>) -> Response {
    let mut req = Request::get(path);
    if let Some(tag) = if_none_match {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn text(res: Response) -> String {
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn header_of(res: &Response, name: header::HeaderName) -> &str {
    res.headers()
        .get(&name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
}

fn app() -> Router {
    router_with(Config::default())
}

#[tokio::test]
async fn the_page_is_served_with_a_strict_policy_and_no_inline_script() {
    let res = get(&app(), "/", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(header_of(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-cache");
    let html = text(res).await;
    let scripts = regex::Regex::new(r"(?s)<script([^>]*)>(.*?)</script>").unwrap();
    let mut n = 0;
    for c in scripts.captures_iter(&html) {
        n += 1;
        assert!(
            c[1].contains("src=\"/assets/"),
            "script without src: {}",
            &c[0]
        );
        assert!(c[2].trim().is_empty(), "inline script: {}", &c[0]);
    }
    assert_eq!(n, 3, "echarts, leaflet and the console's module");
    assert!(!html.contains(" on"), "no inline event handlers");
}

#[tokio::test]
async fn assets_have_their_type_an_etag_and_a_cache_policy() {
    let app = app();
    for (path, ty, cache) in [
        (
            "/assets/js/app.js",
            "text/javascript; charset=utf-8",
            "no-cache",
        ),
        (
            "/assets/css/console.css",
            "text/css; charset=utf-8",
            "no-cache",
        ),
        (
            "/assets/vendor/echarts/echarts.min.js",
            "text/javascript; charset=utf-8",
            "public, max-age=86400",
        ),
        (
            "/assets/vendor/leaflet/images/layers.png",
            "image/png",
            "public, max-age=86400",
        ),
        (
            "/assets/img/favicon.svg",
            "image/svg+xml; charset=utf-8",
            "no-cache",
        ),
    ] {
        let res = get(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(header_of(&res, header::CONTENT_TYPE), ty, "{path}");
        assert_eq!(header_of(&res, header::CACHE_CONTROL), cache, "{path}");
        let etag = header_of(&res, header::ETAG).to_string();
        assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
        let again = get(&app, path, Some(&etag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header_of(&again, header::ETAG), etag);
        assert!(text(again).await.is_empty());
        let other = get(&app, path, Some("\"0000\"")).await;
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_missing_asset_is_a_json_404() {
    for path in ["/assets/nope.js", "/assets/../Cargo.toml", "/assets/js/"] {
        let res = get(&app(), path, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(header_of(&res, header::CONTENT_TYPE).starts_with("application/json"));
        let body: serde_json::Value = serde_json::from_str(&text(res).await).unwrap();
        assert_eq!(body["error"]["code"], "console.not_found", "{path}");
    }
}

#[tokio::test]
async fn the_tile_host_is_off_by_default_and_allowed_only_when_configured() {
    let res = get(&app(), "/assets/config.json", None).await;
    let body: serde_json::Value = serde_json::from_str(&text(res).await).unwrap();
    assert_eq!(body["tile_url"], serde_json::Value::Null);

    let config = Config {
        tile_url: Some("https://tiles.example.cn:8443/{z}/{x}/{y}.png".into()),
        tile_attribution: Some("© example".into()),
    };
    let app: Router = router_with(config);
    let res = get(&app, "/assets/config.json", None).await;
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).to_string();
    assert!(
        csp.contains("img-src 'self' data: https://tiles.example.cn:8443;"),
        "{csp}"
    );
    let body: serde_json::Value = serde_json::from_str(&text(res).await).unwrap();
    assert_eq!(
        body["tile_url"],
        "https://tiles.example.cn:8443/{z}/{x}/{y}.png"
    );

    for bad in [
        "ftp://x/{z}",
        "https://a b/{z}",
        "https://x; script-src *",
        "tiles/{z}",
    ] {
        let config = Config {
            tile_url: Some(bad.into()),
            tile_attribution: None,
        };
        assert_eq!(config.tile_origin(), None, "{bad}");
        assert!(config
            .content_security_policy()
            .contains("img-src 'self' data:;"));
        assert!(config.json().contains("\"tile_url\":null"), "{bad}");
    }
}

/// The two dictionaries: `i18n.js`'s and every page's own (`addStrings`), each between
/// `/*DICT-BEGIN*/` and `/*DICT-END*/` as strict JSON. A key defined in two files is an error.
fn dictionaries() -> (
    serde_json::Map<String, serde_json::Value>,
    serde_json::Map<String, serde_json::Value>,
) {
    let (mut zh, mut en) = (serde_json::Map::new(), serde_json::Map::new());
    let mut blocks = 0;
    for (path, js) in own_files() {
        let mut rest = js.as_str();
        while let Some(at) = rest.find("/*DICT-BEGIN*/") {
            let body = &rest[at + "/*DICT-BEGIN*/".len()..];
            let end = body
                .find("/*DICT-END*/")
                .unwrap_or_else(|| panic!("{path}: DICT-BEGIN without DICT-END"));
            let dict: serde_json::Value = serde_json::from_str(&body[..end])
                .unwrap_or_else(|e| panic!("{path}: the dictionary is not strict JSON: {e}"));
            for (lang, into) in [("zh", &mut zh), ("en", &mut en)] {
                for (k, v) in dict[lang].as_object().cloned().unwrap_or_default() {
                    assert!(
                        into.insert(k.clone(), v).is_none(),
                        "{path}: {k} defined twice"
                    );
                }
            }
            blocks += 1;
            rest = &body[end..];
        }
    }
    assert!(blocks >= 1, "no dictionary found");
    (zh, en)
}

#[test]
fn both_languages_have_every_key() {
    let (zh, en) = dictionaries();
    let zk: BTreeSet<_> = zh.keys().collect();
    let ek: BTreeSet<_> = en.keys().collect();
    let only_zh: Vec<_> = zk.difference(&ek).collect();
    let only_en: Vec<_> = ek.difference(&zk).collect();
    assert!(only_zh.is_empty(), "missing in English: {only_zh:?}");
    assert!(only_en.is_empty(), "missing in Chinese: {only_en:?}");
    let placeholder = regex::Regex::new(r"\{(\w+)\}").unwrap();
    for (k, v) in &zh {
        let (z, e) = (v.as_str().unwrap(), en[k].as_str().unwrap());
        // Rates have no unit in either language; everything else has text in both.
        assert_eq!(z.is_empty(), e.is_empty(), "{k}: '{z}' / '{e}'");
        // The same placeholders on both sides.
        let names = |s: &str| -> BTreeSet<String> {
            placeholder
                .captures_iter(s)
                .map(|c| c[1].to_string())
                .collect()
        };
        assert_eq!(names(z), names(e), "{k}");
    }
    assert!(zh.len() > 200, "{}", zh.len());
}

fn own_files() -> Vec<(String, String)> {
    Assets::iter()
        .filter(|p| !p.starts_with("vendor/"))
        .filter(|p| p.ends_with(".js") || p.ends_with(".html") || p.ends_with(".css"))
        .map(|p| {
            let text = String::from_utf8(Assets::get(&p).unwrap().data.into_owned()).unwrap();
            (p.to_string(), text)
        })
        .collect()
}

#[test]
fn every_key_the_pages_use_is_in_the_dictionaries() {
    let (zh, _) = dictionaries();
    let literal = regex::Regex::new(r#"\bt(?:\.has)?\('([a-z0-9_.]+)'"#).unwrap();
    let attr = regex::Regex::new(r#"data-i18n(?:-title)?="([a-z0-9_.]+)""#).unwrap();
    let mut missing = Vec::new();
    let mut used = 0;
    for (path, text) in own_files() {
        for c in literal
            .captures_iter(&text)
            .chain(attr.captures_iter(&text))
        {
            used += 1;
            if !zh.contains_key(&c[1]) {
                missing.push(format!("{path}: {}", &c[1]));
            }
        }
    }
    // Keys built at run time from the API's vocabulary.
    let families: [(&str, &[&str]); 9] = [
        (
            "metric.",
            &[
                "waybills",
                "tonnes",
                "tonne_km",
                "amount_yuan",
                "active_vehicles",
                "online_vehicles",
                "empty_running_rate",
                "cold_chain_share",
                "on_time_rate",
                "open_alerts",
            ],
        ),
        ("role.", &["admin", "regulator", "shipper", "carrier"]),
        (
            "plan.status.",
            &["on_track", "at_risk", "off_track", "no_data"],
        ),
        (
            "warnings.status.",
            &["open", "acknowledged", "resolved", "all"],
        ),
        (
            "map.layer.",
            &[
                "counties",
                "projects",
                "facilities",
                "vehicles",
                "load_heat",
            ],
        ),
        (
            "warnings.",
            &["acknowledge", "resolve", "acknowledge_done", "resolve_done"],
        ),
        ("model.", &["seasonal_naive", "ets", "mstl"]),
        (
            "index.comp.",
            &[
                "business_volume",
                "new_loads",
                "active_carriers",
                "vehicle_utilisation",
                "warehouse_throughput",
                "delivery_time",
            ],
        ),
        (
            "error.http_",
            &["0", "400", "401", "403", "404", "422", "500"],
        ),
    ];
    for (prefix, names) in families {
        for name in names {
            if !zh.contains_key(&format!("{prefix}{name}")) {
                missing.push(format!("{prefix}{name}"));
            }
        }
    }
    assert!(missing.is_empty(), "keys missing: {missing:#?}");
    assert!(used > 150, "{used}");
}

#[test]
fn the_console_fetches_nothing_from_elsewhere() {
    for (path, text) in own_files() {
        for needle in [
            "http://",
            "https://",
            "//cdn",
            "eval(",
            "new Function",
            "innerHTML =",
        ] {
            assert!(!text.contains(needle), "{path} contains {needle}");
        }
    }
    let leaflet = String::from_utf8(
        Assets::get("vendor/leaflet/leaflet.css")
            .unwrap()
            .data
            .into_owned(),
    )
    .unwrap();
    assert!(
        !leaflet.contains("url(http"),
        "Leaflet's CSS loads its images locally"
    );
    for licence in [
        "vendor/echarts/LICENSE",
        "vendor/leaflet/LICENSE",
        "vendor/PROVENANCE.md",
    ] {
        assert!(Assets::get(licence).is_some(), "{licence}");
    }
}
