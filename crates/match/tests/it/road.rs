//! Matching on a real road network (the Andorra OSM extract of the road crate's test data):
//! plans use road legs, say so, and pass the checker.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_match::{check, match_batch, suggest_vehicles, MatchConfig};
use wuliu_model::{BodyType, GeoPoint, TravelCosts};
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork};

use crate::fixtures::*;

fn andorra() -> PreparedNetwork {
    let path = format!(
        "{}/../road/tests/data/andorra.osm.pbf",
        env!("CARGO_MANIFEST_DIR")
    );
    PreparedNetwork::prepare(
        RoadNetwork::import_pbf(path, Profile::Truck, |_| {}).unwrap(),
        None,
    )
}

#[test]
fn road_network_plans_are_flagged_and_checked() {
    let road = andorra();
    let net = road.network();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    // Points near Andorra la Vella / Escaldes that the truck network reaches both ways.
    let centre = GeoPoint {
        lat: 42.508,
        lon: 1.530,
    };
    let cands: Vec<GeoPoint> = (0..net.node_count())
        .map(|n| net.node_location(n))
        .filter(|p| p.haversine(&centre).0 < 3000.0)
        .take(80)
        .collect();
    let m = road.matrix(&cands, &cands).unwrap();
    let pts: Vec<GeoPoint> = (0..cands.len())
        .filter(|&i| (0..cands.len()).all(|j| m.get(i, j).is_some()))
        .map(|i| cands[i])
        .collect();
    assert!(pts.len() > 20, "{} reachable points", pts.len());
    let mut pick = || pts[rng.gen_range(0..pts.len())];
    let loads: Vec<_> = (0..30)
        .map(|i| {
            let mut l = load(&format!("lod_{i}"), pick(), pick(), 3000.0, 400.0);
            let s = (i % 6) as f64;
            l.load.pickup_window.start = at(s);
            l.load.pickup_window.end = at(s + 1.5);
            l.load.delivery_window.end = at(s + 4.0);
            l
        })
        .collect();
    let vehicles: Vec<_> = (0..8)
        .map(|i| vehicle(&format!("veh_{i}"), pick(), BodyType::Box, 10_000.0))
        .collect();
    let mut req = request(loads, vehicles);
    req.config.max_chain = 6;
    let plan = match_batch(&req, &road).unwrap();
    assert!(plan.road_network);
    assert_eq!(plan.travel_costs, road.label());
    assert!(
        plan.totals.served > 8,
        "chaining should let 8 vehicles serve more than 8 loads"
    );
    let report = check(&req, &plan, &road);
    assert!(report.is_ok(), "{:?}", report.violations);
    // Deadheads are road distances: never shorter than the straight line.
    for a in &plan.assignments {
        let l = &req.loads.iter().find(|l| l.id == a.load).unwrap().load;
        let straight = l.origin.point.haversine(&l.destination.point).0 / 1000.0;
        assert!(
            a.loaded_km + 0.05 >= straight,
            "{} < {}",
            a.loaded_km,
            straight
        );
    }
    let s = suggest_vehicles(
        &req.loads[0],
        &req.vehicles,
        &road,
        &MatchConfig::default(),
        3,
    )
    .unwrap();
    assert!(!s.is_empty() && s.len() <= 3);
}
