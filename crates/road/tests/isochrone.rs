//! Isochrones on the Monaco and Andorra extracts, checked against the router's own times.

mod common;

use common::*;
use wuliu_model::GeoPoint;
use wuliu_road::isochrone::Isochrone;
use wuliu_road::{IsochroneRequest, PreparedNetwork, RoadError};

const ANDORRA_LA_VELLA: GeoPoint = GeoPoint {
    lat: 42.5078,
    lon: 1.5211,
};
const MONACO: GeoPoint = GeoPoint {
    lat: 43.7384,
    lon: 7.4246,
};

fn request(point: GeoPoint, contours: &[f64], reverse: bool) -> IsochroneRequest {
    IsochroneRequest {
        point,
        contours_minutes: contours.to_vec(),
        reverse,
        denoise: 0.0,
        generalize_m: None,
        vehicle: None,
    }
}

/// For ~200 road points: those whose router time is under 0.8 × a contour must lie inside it,
/// those over 1.2 × (or unreachable) outside. Returns (agreeing, checked) over all contours.
fn agreement(p: &PreparedNetwork, iso: &Isochrone, centre: GeoPoint, seed: u64) -> (usize, usize) {
    let c = p.snap(0, centre).unwrap();
    let (mut ok, mut n) = (0, 0);
    for pt in random_points(p, 200, seed) {
        let Ok(s) = p.snap(1, pt) else { continue };
        let t = if iso.reverse {
            p.shortest(&s, &c)
        } else {
            p.shortest(&c, &s)
        };
        let minutes = t.map_or(f64::INFINITY, |(ms, _)| f64::from(ms) / 60_000.0);
        let road = GeoPoint {
            lat: s.location[0],
            lon: s.location[1],
        };
        for contour in &iso.contours {
            let want = if minutes < 0.8 * contour.minutes {
                true
            } else if minutes > 1.2 * contour.minutes {
                false
            } else {
                continue;
            };
            n += 1;
            if contour.contains(road) == want {
                ok += 1;
            } else {
                eprintln!(
                    "{road:?}: {minutes:.2} min, contour {} says {}",
                    contour.minutes, !want
                );
            }
        }
    }
    (ok, n)
}

fn assert_agrees(p: &PreparedNetwork, req: &IsochroneRequest, seed: u64) -> Isochrone {
    let iso = p.isochrone(req).unwrap();
    let (ok, n) = agreement(p, &iso, req.point, seed);
    eprintln!("{ok}/{n} agree, cell {} m", iso.cell_m);
    assert!(n >= 300, "too few decisive samples: {n}");
    assert!(ok * 100 >= n * 95, "only {ok} of {n} points agree");
    iso
}

#[test]
fn andorra_contours_agree_with_route_times() {
    let p = andorra_car();
    let iso = assert_agrees(p, &request(ANDORRA_LA_VELLA, &[5.0, 10.0, 15.0], false), 1);
    let minutes: Vec<f64> = iso.contours.iter().map(|c| c.minutes).collect();
    assert_eq!(minutes, vec![15.0, 10.0, 5.0], "largest first");
}

#[test]
fn andorra_reverse_contours_agree_with_route_times_to_the_centre() {
    let p = andorra_car();
    assert_agrees(p, &request(ANDORRA_LA_VELLA, &[4.0, 8.0, 12.0], true), 2);
}

#[test]
fn monaco_contours_agree_with_route_times() {
    let p = monaco_car();
    assert_agrees(p, &request(MONACO, &[1.0, 2.0, 3.0], false), 3);
}

/// Planar area of a ring in square degrees (enough to compare contours).
fn ring_area(r: &[[f64; 2]]) -> f64 {
    r.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

/// Points of a grid over the largest contour that lie in a smaller contour, and how many of
/// those lie outside the next larger one.
fn nesting(iso: &Isochrone) -> (usize, usize) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for c in iso.contours[0].polygons.iter().flatten().flatten() {
        (x0, x1, y0, y1) = (x0.min(c[0]), x1.max(c[0]), y0.min(c[1]), y1.max(c[1]));
    }
    let (mut inner, mut broken) = (0, 0);
    for i in 0..100 {
        for j in 0..100 {
            let g = GeoPoint {
                lon: x0 + (x1 - x0) * f64::from(i) / 99.0,
                lat: y0 + (y1 - y0) * f64::from(j) / 99.0,
            };
            for w in iso.contours.windows(2) {
                if w[1].contains(g) {
                    inner += 1;
                    broken += usize::from(!w[0].contains(g));
                }
            }
        }
    }
    (inner, broken)
}

#[test]
fn contours_are_nested_closed_and_oriented() {
    let p = andorra_car();
    let mut req = request(ANDORRA_LA_VELLA, &[10.0, 3.0, 6.0], false);
    let iso = p.isochrone(&req).unwrap();
    let mut last_area = f64::INFINITY;
    for c in &iso.contours {
        assert!(!c.polygons.is_empty(), "contour {} is empty", c.minutes);
        let mut total = 0.0;
        for poly in &c.polygons {
            for (k, ring) in poly.iter().enumerate() {
                assert!(
                    ring.len() >= 4 && ring.first() == ring.last(),
                    "closed ring"
                );
                let a = ring_area(ring);
                assert!(if k == 0 { a > 0.0 } else { a < 0.0 }, "RFC 7946 winding");
                total += a;
            }
        }
        assert!(total < last_area, "contour {} is not smaller", c.minutes);
        last_area = total;
    }
    // Unsimplified outlines come from one raster: strictly nested.
    req.generalize_m = Some(0.0);
    let (inner, broken) = nesting(&p.isochrone(&req).unwrap());
    assert!(inner > 100, "{inner}");
    assert_eq!(broken, 0, "{broken} of {inner} points break nesting");
    // Simplifying each contour on its own may move a shared boundary by the tolerance.
    let (inner, broken) = nesting(&iso);
    assert!(
        broken * 100 <= inner,
        "{broken} of {inner} points break nesting"
    );
    // The GeoJSON is a FeatureCollection with one feature per contour.
    let gj = iso.geojson(true);
    assert_eq!(gj["type"], "FeatureCollection");
    assert_eq!(gj["features"].as_array().unwrap().len(), 3);
    assert_eq!(gj["features"][2]["properties"]["contour"], 3.0);
    let kind = gj["features"][0]["geometry"]["type"].as_str().unwrap();
    assert!(kind == "Polygon" || kind == "MultiPolygon", "{kind}");
    let lines = iso.geojson(false);
    let kind = lines["features"][0]["geometry"]["type"].as_str().unwrap();
    assert!(kind.ends_with("LineString"), "{kind}");
}

#[test]
fn denoise_keeps_only_the_largest_area() {
    let p = andorra_car();
    let mut req = request(ANDORRA_LA_VELLA, &[8.0], false);
    req.denoise = 1.0;
    let iso = p.isochrone(&req).unwrap();
    assert_eq!(iso.contours[0].polygons.len(), 1);
}

#[test]
fn bad_input_names_the_field() {
    let p = monaco_car();
    let cases: Vec<(IsochroneRequest, &str)> = vec![
        (request(MONACO, &[], false), "contours_minutes"),
        (
            request(MONACO, &[1.0, 2.0, 3.0, 4.0, 5.0], false),
            "contours_minutes",
        ),
        (request(MONACO, &[5.0, 0.0], false), "contours_minutes[1]"),
        (request(MONACO, &[121.0], false), "contours_minutes[0]"),
        (request(MONACO, &[f64::NAN], false), "contours_minutes[0]"),
        (request(MONACO, &[5.0, 5.0], false), "contours_minutes[1]"),
        (
            IsochroneRequest {
                denoise: 1.5,
                ..request(MONACO, &[5.0], false)
            },
            "denoise",
        ),
        (
            IsochroneRequest {
                generalize_m: Some(-1.0),
                ..request(MONACO, &[5.0], false)
            },
            "generalize_m",
        ),
    ];
    for (req, field) in cases {
        match p.isochrone(&req) {
            Err(RoadError::InvalidRequest(m)) => {
                assert!(
                    m.starts_with(&format!("{field}:")),
                    "{m} should name {field}"
                )
            }
            other => panic!("{field}: expected an error, got {other:?}"),
        }
    }
    let far = request(GeoPoint { lat: 0.0, lon: 0.0 }, &[5.0], false);
    assert!(matches!(
        p.isochrone(&far),
        Err(RoadError::NoRoadNearby { .. })
    ));
}

/// Not a test: compute times for the report (`cargo test --release -- --ignored --nocapture`).
#[test]
#[ignore]
fn andorra_isochrone_timings() {
    let p = andorra_car();
    for (minutes, reverse) in [(10.0, false), (30.0, false), (60.0, false), (60.0, true)] {
        let req = request(ANDORRA_LA_VELLA, &[minutes], reverse);
        let t = std::time::Instant::now();
        let mut iso = p.isochrone(&req).unwrap();
        for _ in 0..4 {
            iso = p.isochrone(&req).unwrap();
        }
        let points: usize = iso.contours[0]
            .polygons
            .iter()
            .flatten()
            .map(Vec::len)
            .sum();
        eprintln!(
            "{minutes} min (reverse {reverse}): {:.1} ms, {} stretches, cell {:.0} m, {} polygons, {points} points",
            t.elapsed().as_secs_f64() * 1000.0 / 5.0,
            iso.reached,
            iso.cell_m,
            iso.contours[0].polygons.len()
        );
    }
}
