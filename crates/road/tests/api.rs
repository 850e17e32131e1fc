//! Save/load, snapping, matrices, OSRM-shaped responses and `TravelCosts` on the Monaco extract.

mod common;

use common::*;
use serde_json::Value;
use wuliu_model::TravelCosts;
use wuliu_road::{osrm, PreparedNetwork, RoadError, RouteRequest, TableRequest};

#[test]
fn save_and_load_round_trip() {
    let p = monaco_car();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("monaco.car.wroad");
    p.save(&file).unwrap();
    let q = PreparedNetwork::load(&file).unwrap();
    assert_eq!(q.sizes(), p.sizes());
    let pts = random_points(p, 60, 5);
    let req = RouteRequest {
        points: pts[..4].to_vec(),
        steps: true,
        vehicle: None,
        departure: None,
    };
    assert_eq!(p.route(&req).unwrap(), q.route(&req).unwrap());
    let t = TableRequest {
        sources: pts.clone(),
        targets: None,
        vehicle: None,
        departure: None,
    };
    assert_eq!(p.table(&t).unwrap(), q.table(&t).unwrap());
    // A damaged file is a typed error, not a panic.
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        PreparedNetwork::load(&file),
        Err(RoadError::BadPreparedFile { .. })
    ));
}

#[test]
fn table_equals_point_to_point_queries() {
    let p = monaco_car();
    let pts = random_points(p, 40, 9);
    let t = p
        .table(&TableRequest {
            sources: pts[..20].to_vec(),
            targets: Some(pts[20..].to_vec()),
            vehicle: None,
            departure: None,
        })
        .unwrap();
    for i in 0..20 {
        for j in 0..20 {
            let s = p.snap(0, pts[i]).unwrap();
            let d = p.snap(0, pts[20 + j]).unwrap();
            let one = p.shortest(&s, &d);
            assert_eq!(
                t.durations_s[i][j],
                one.map(|x| f64::from(x.0) / 1000.0),
                "{i},{j}"
            );
            let (tm, om) = (t.distances_m[i][j].unwrap(), one.unwrap().1);
            assert!((tm - om).abs() < 1.0, "{i},{j}: {tm} vs {om}");
        }
    }
    // TravelCosts gives the same numbers.
    let m = p.matrix(&pts[..20], &pts[20..]).unwrap();
    assert!(p.is_road_network());
    assert_eq!(
        m.get(3, 4).unwrap().duration.0,
        t.durations_s[3][4].unwrap()
    );
}

#[test]
fn route_geometry_steps_and_distance_are_consistent() {
    let p = monaco_car();
    let pts = random_points(p, 40, 13);
    for pair in pts.chunks(2) {
        let req = RouteRequest {
            points: pair.to_vec(),
            steps: true,
            vehicle: None,
            departure: None,
        };
        let r = p.route(&req).unwrap().expect("Monaco is connected");
        let s = p.snap(0, pair[0]).unwrap();
        let t = p.snap(1, pair[1]).unwrap();
        let (ms, _) = p.shortest(&s, &t).unwrap();
        // Duration from geometry pieces equals the hierarchy's weight up to rounding.
        assert!(
            (r.duration_s - f64::from(ms) / 1000.0).abs() < 0.05,
            "{} vs {ms}",
            r.duration_s
        );
        // The line's length equals the reported distance.
        let line: f64 = r
            .coordinates
            .windows(2)
            .map(|w| {
                wuliu_model::GeoPoint {
                    lat: w[0][1],
                    lon: w[0][0],
                }
                .haversine(&wuliu_model::GeoPoint {
                    lat: w[1][1],
                    lon: w[1][0],
                })
                .0
            })
            .sum();
        assert!(
            (line - r.distance_m).abs() < 1.0 + r.distance_m * 0.002,
            "{line} vs {}",
            r.distance_m
        );
        let steps = &r.legs[0].steps;
        assert_eq!(steps.first().unwrap().maneuver.kind, "depart");
        assert_eq!(steps.last().unwrap().maneuver.kind, "arrive");
        let sum: f64 = steps.iter().map(|s| s.distance_m).sum();
        assert!((sum - r.distance_m).abs() < 0.01);
        // Line starts and ends at the snapped points.
        assert_eq!(r.coordinates.first().unwrap(), &r.waypoints[0].location);
        assert_eq!(r.coordinates.last().unwrap(), &r.waypoints[1].location);
        let decoded = wuliu_road::polyline::decode(&r.polyline(6), 6).unwrap();
        assert_eq!(decoded.len(), r.coordinates.len());
    }
}

fn is_num(v: &Value) -> bool {
    v.is_f64() || v.is_u64() || v.is_i64()
}

#[test]
fn osrm_route_response_has_documented_fields() {
    let p = monaco_car();
    let pts = random_points(p, 3, 21);
    let coords = pts
        .iter()
        .map(|g| format!("{},{}", g.lon, g.lat))
        .collect::<Vec<_>>()
        .join(";");
    let opts = osrm::RouteOptions {
        steps: true,
        geometries: "geojson".into(),
        ..Default::default()
    };
    let resp = osrm::route(p, &coords, &opts);
    assert_eq!(resp.http_status(), 200);
    let v: Value = serde_json::to_value(&resp).unwrap();
    assert_eq!(v["code"], "Ok");
    let route = &v["routes"][0];
    for k in ["distance", "duration", "weight"] {
        assert!(is_num(&route[k]), "{k}");
    }
    assert_eq!(route["geometry"]["type"], "LineString");
    assert_eq!(route["legs"].as_array().unwrap().len(), 2);
    let step = &route["legs"][0]["steps"][0];
    assert!(is_num(&step["distance"]) && is_num(&step["duration"]));
    assert!(step["name"].is_string());
    assert_eq!(step["maneuver"]["type"], "depart");
    assert_eq!(step["maneuver"]["location"].as_array().unwrap().len(), 2);
    let wp = &v["waypoints"][0];
    assert!(is_num(&wp["distance"]) && wp["name"].is_string());
    assert_eq!(wp["location"].as_array().unwrap().len(), 2);
    // Default geometry is a polyline string; it round-trips through the typed struct.
    let resp = osrm::route(p, &coords, &osrm::RouteOptions::default());
    let text = serde_json::to_string(&resp).unwrap();
    let back: osrm::RouteResponse = serde_json::from_str(&text).unwrap();
    assert!(matches!(
        back.routes[0].geometry,
        Some(osrm::Geometry::Polyline(_))
    ));
    // Errors use OSRM codes.
    assert_eq!(osrm::route(p, "7.4", &opts).code, "InvalidQuery");
    assert_eq!(osrm::route(p, "0,0;0.1,0.1", &opts).code, "NoSegment");
}

#[test]
fn osrm_table_response_has_documented_fields() {
    let p = monaco_car();
    let pts = random_points(p, 4, 22);
    let coords = pts
        .iter()
        .map(|g| format!("{},{}", g.lon, g.lat))
        .collect::<Vec<_>>()
        .join(";");
    let opts = osrm::TableOptions {
        sources: Some("0;1".into()),
        destinations: None,
        annotations: Some("duration,distance".into()),
    };
    let v = serde_json::to_value(osrm::table(p, &coords, &opts)).unwrap();
    assert_eq!(v["code"], "Ok");
    assert_eq!(v["durations"].as_array().unwrap().len(), 2);
    assert_eq!(v["durations"][0].as_array().unwrap().len(), 4);
    assert_eq!(v["distances"][1].as_array().unwrap().len(), 4);
    assert_eq!(v["durations"][0][0], 0.0);
    assert!(is_num(&v["durations"][0][1]));
    assert_eq!(v["sources"].as_array().unwrap().len(), 2);
    assert_eq!(v["destinations"].as_array().unwrap().len(), 4);
    let only_dur = serde_json::to_value(osrm::table(p, &coords, &Default::default())).unwrap();
    assert!(only_dur.get("distances").is_none());
    let bad = osrm::table(
        p,
        &coords,
        &osrm::TableOptions {
            sources: Some("9".into()),
            ..Default::default()
        },
    );
    assert_eq!(bad.code, "InvalidOptions");
}

#[test]
fn import_reports_progress_and_names_corrupt_blocks() {
    let mut phases = Vec::new();
    let net = wuliu_road::RoadNetwork::import_pbf(
        data("andorra.osm.pbf"),
        wuliu_road::Profile::Truck,
        |p| phases.push((p.phase, p.bytes_done, p.bytes_total)),
    )
    .unwrap();
    assert!(net.stats().edges > 1000 && net.stats().ways > 500);
    assert!(phases
        .iter()
        .any(|p| p.0 == wuliu_road::ImportPhase::Nodes && p.1 == p.2 && p.2 > 0));
    // Flip bytes in the middle of the file: the error names the block and its offset.
    let mut bytes = std::fs::read(data("andorra.osm.pbf")).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.osm.pbf");
    std::fs::write(&bad, bytes).unwrap();
    let err =
        wuliu_road::RoadNetwork::import_pbf(&bad, wuliu_road::Profile::Car, |_| {}).unwrap_err();
    assert!(matches!(err, RoadError::CorruptBlock { .. }), "{err}");
    assert!(err.to_string().contains("block #"), "{err}");
}
