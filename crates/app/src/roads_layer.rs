//! The base map's road layer: the loaded road network's lines inside a box, as GeoJSON.
//!
//! Bounded work: at low zoom only major roads (see [`classes_at`]), at most [`MAX_FEATURES`] lines
//! (major roads kept first), and one pass over the network's edges per request. Without a network the
//! collection is empty and says so (`road_network: false`). A synthetic network (the demo's,
//! `wuliu-synthroad`) is reported as `synthetic: true` with an attribution saying it is not real roads.

use serde_json::{json, Value};
use wuliu_road::{RoadNetwork, WayInfo};

use crate::error::AppError;

/// Most lines returned by one request.
pub const MAX_FEATURES: usize = 4_000;
/// Zoom used when the request gives none.
pub const DEFAULT_ZOOM: u8 = 12;

/// Road classes by importance; the lowest zoom at which each is drawn.
const CLASSES: &[(&str, u8)] = &[
    ("motorway", 0),
    ("trunk", 0),
    ("primary", 9),
    ("motorway_link", 11),
    ("trunk_link", 11),
    ("secondary", 10),
    ("primary_link", 12),
    ("secondary_link", 12),
    ("tertiary", 11),
    ("tertiary_link", 13),
    ("unclassified", 12),
    ("residential", 12),
    ("living_street", 14),
    ("service", 15),
];

/// The `highway` classes drawn at `zoom`, most important first.
pub fn classes_at(zoom: u8) -> Vec<&'static str> {
    CLASSES
        .iter()
        .filter(|(_, z)| zoom >= *z)
        .map(|(c, _)| *c)
        .collect()
}

/// Parses `bbox=west,south,east,north` (WGS-84 degrees); a 400 naming `bbox` otherwise.
pub fn parse_bbox(text: Option<&str>) -> Result<[f64; 4], AppError> {
    let bad = |m: &str| AppError::bad("map.bbox", "bbox", m);
    let text = text.ok_or_else(|| bad("bbox=west,south,east,north is required"))?;
    let v: Vec<f64> = text
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("bbox must be four numbers: west,south,east,north"))?;
    let [w, s, e, n] = <[f64; 4]>::try_from(v)
        .map_err(|_| bad("bbox must be four numbers: west,south,east,north"))?;
    if ![w, s, e, n].iter().all(|x| x.is_finite()) {
        return Err(bad("bbox must be finite numbers"));
    }
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) {
        return Err(bad("bbox longitudes must lie within -180..180"));
    }
    if !(-90.0..=90.0).contains(&s) || !(-90.0..=90.0).contains(&n) {
        return Err(bad("bbox latitudes must lie within -90..90"));
    }
    if w >= e || s >= n {
        return Err(bad("bbox must have west < east and south < north"));
    }
    Ok([w, s, e, n])
}

/// Parses `zoom` (0–22, default [`DEFAULT_ZOOM`]); a 400 naming `zoom` otherwise.
pub fn parse_zoom(text: Option<&str>) -> Result<u8, AppError> {
    match text {
        None => Ok(DEFAULT_ZOOM),
        Some(t) => t
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|z| z.is_finite() && (0.0..=22.0).contains(z))
            .map(|z| z.floor() as u8)
            .ok_or_else(|| AppError::bad("map.zoom", "zoom", "zoom must be a number from 0 to 22")),
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The roads of `net` (if loaded) inside `bbox` for `zoom`, as a GeoJSON FeatureCollection.
pub fn roads(net: Option<&RoadNetwork>, bbox: [f64; 4], zoom: u8) -> Value {
    let classes = classes_at(zoom);
    let Some(net) = net else {
        return json!({"type": "FeatureCollection", "features": [], "road_network": false,
            "synthetic": false, "truncated": false, "zoom": zoom, "classes": classes});
    };
    let rank = |w: &WayInfo| {
        classes
            .iter()
            .position(|c| *c == w.highway)
            .map(|p| p as u8)
    };
    let (lines, truncated) = net.lines_in_bbox(bbox, rank, MAX_FEATURES);
    let features: Vec<Value> = lines
        .iter()
        .map(|l| {
            let coords: Vec<[f64; 2]> = l
                .coords
                .iter()
                .map(|c| [round6(c[0]), round6(c[1])])
                .collect();
            json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"highway": l.way.highway, "name": l.way.name, "oneway": l.oneway,
                    "speed_kmh": l.way.speed_kmh, "maxweight_t": l.way.limits.max_weight_t}})
        })
        .collect();
    let synthetic = net.is_synthetic();
    let attribution = if synthetic {
        "合成路网，非真实道路 · synthetic road network, not real roads (wuliu-synthroad)"
    } else {
        "© OpenStreetMap contributors (ODbL)"
    };
    json!({"type": "FeatureCollection", "features": features, "road_network": true,
        "synthetic": synthetic, "attribution": attribution, "truncated": truncated,
        "zoom": zoom, "classes": classes})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_is_checked_and_names_its_field() {
        assert_eq!(
            parse_bbox(Some("109.3,24.2,109.5,24.4")).unwrap(),
            [109.3, 24.2, 109.5, 24.4]
        );
        for bad in [
            None,
            Some(""),
            Some("1,2,3"),
            Some("a,b,c,d"),
            Some("109.5,24.2,109.3,24.4"),
            Some("109.3,24.4,109.5,24.2"),
            Some("NaN,1,2,3"),
            Some("-200,1,2,3"),
            Some("1,2,3,4,5"),
        ] {
            let e = parse_bbox(bad).unwrap_err();
            assert!(
                matches!(&e, AppError::BadRequest { field, .. } if field == "bbox"),
                "{bad:?}: {e:?}"
            );
        }
        assert_eq!(parse_zoom(None).unwrap(), DEFAULT_ZOOM);
        assert_eq!(parse_zoom(Some("11.6")).unwrap(), 11);
        assert!(parse_zoom(Some("99")).is_err());
    }

    fn net() -> RoadNetwork {
        use wuliu_road::{OsmData, OsmWay, Profile};
        let way = |id: i64, nodes: Vec<i64>, hw: &str| OsmWay {
            id,
            nodes,
            tags: vec![("highway".into(), hw.into())],
        };
        let data = OsmData {
            nodes: vec![
                (1, 24.30, 109.40),
                (2, 24.30, 109.41),
                (3, 24.31, 109.41),
                (4, 24.50, 109.60),
            ],
            ways: vec![
                way(-10, vec![1, 2], "primary"),
                way(-11, vec![2, 3], "residential"),
                way(-12, vec![3, 4], "trunk"),
            ],
            ..OsmData::default()
        };
        RoadNetwork::from_osm(&data, Profile::Car).unwrap()
    }

    #[test]
    fn lines_are_filtered_by_box_zoom_and_flagged_synthetic() {
        let net = net();
        let all = roads(Some(&net), [109.0, 24.0, 110.0, 25.0], 14);
        assert_eq!(all["features"].as_array().unwrap().len(), 3);
        assert_eq!(all["synthetic"], true);
        // Only the box: the trunk reaches out to 24.50, the others stay near 24.30.
        let far = roads(Some(&net), [109.55, 24.45, 109.65, 24.55], 14);
        let f = far["features"].as_array().unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["properties"]["highway"], "trunk");
        assert_eq!(f[0]["geometry"]["type"], "LineString");
        // Low zoom: major roads only.
        let low = roads(Some(&net), [109.0, 24.0, 110.0, 25.0], 8);
        assert_eq!(low["features"].as_array().unwrap().len(), 1);
        let none = roads(None, [109.0, 24.0, 110.0, 25.0], 14);
        assert_eq!(none["road_network"], false);
    }

    #[test]
    fn low_zoom_draws_major_roads_only() {
        assert_eq!(classes_at(5), vec!["motorway", "trunk"]);
        assert!(!classes_at(11).contains(&"residential"));
        assert!(classes_at(13).contains(&"residential"));
    }
}
