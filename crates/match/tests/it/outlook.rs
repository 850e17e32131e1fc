//! Anticipation from load history: learned outlooks and their use by the search sequencing.

use wuliu_match::outlook::{learn_outlook, outlook_km, SiteOutlook};
use wuliu_match::{check, match_batch, MatchPlan, MatchRequest, Sequencing};
use wuliu_model::{BodyType, StraightLine, TimeWindow};

use crate::fixtures::*;

const DETOUR: f64 = 1.25;

fn costs() -> StraightLine {
    StraightLine {
        detour_factor: DETOUR,
        speed_kmh: 60.0,
    }
}

fn km(a: wuliu_model::GeoPoint, b: wuliu_model::GeoPoint) -> f64 {
    a.haversine(&b).0 / 1000.0 * DETOUR
}

#[test]
fn the_surplus_goes_to_the_deficit_sites_along_the_cheapest_total_km() {
    // On a line west to east: works W1 at 0 km, yard Y at 40, works W2 at 50, port Z at 90.
    let w1 = LIUZHOU;
    let y = off(LIUZHOU, 40.0, 0.0);
    let w2 = off(LIUZHOU, 50.0, 0.0);
    let z = off(LIUZHOU, 90.0, 0.0);
    // Yesterday: W1 → Y and W2 → Z. Y and Z each hold one truck too many, W1 and W2 one too few.
    let sites = learn_outlook(&[(w1, y), (w2, z)], &costs(), 2.0).unwrap();
    assert_eq!(sites.len(), 4);
    // Sending Y's truck to the nearest works (W2, 10 km) would leave Z's for W1 (90 km): 100 km.
    // The cheapest total is Y → W1 and Z → W2: 40 km each.
    let expect = km(y, w1);
    assert!((outlook_km(&sites, y) - expect).abs() < 0.01, "{sites:?}");
    assert!(
        (outlook_km(&sites, z) - km(z, w2)).abs() < 0.01,
        "{sites:?}"
    );
    assert_eq!(outlook_km(&sites, w1), 0.0);
    assert_eq!(outlook_km(&sites, w2), 0.0);
    let net: i64 = sites.iter().map(|s| s.net_arrivals).sum();
    assert_eq!(net, 0, "every trip arrives once and leaves once");
}

#[test]
fn balanced_flows_and_unknown_places_expect_no_empty_running() {
    let a = LIUZHOU;
    let b = off(LIUZHOU, 30.0, 10.0);
    let sites = learn_outlook(&[(a, b), (b, a), (a, b), (b, a)], &costs(), 2.0).unwrap();
    assert_eq!(sites.len(), 2);
    assert!(sites
        .iter()
        .all(|s| s.empty_km == 0.0 && s.net_arrivals == 0));
    // Far from every site: nothing is known.
    let lopsided = learn_outlook(&[(a, b)], &costs(), 2.0).unwrap();
    assert!(outlook_km(&lopsided, b) > 30.0);
    assert_eq!(outlook_km(&lopsided, off(b, 20.0, 0.0)), 0.0);
}

/// One truck, two loads from its base whose windows allow only one: east to `east`, or west to
/// `west`, equally far and equally paid.
fn one_of_two(outlook: Vec<SiteOutlook>) -> MatchPlan {
    let east = off(LIUZHOU, 50.0, 0.0);
    let west = off(LIUZHOU, -50.0, 0.0);
    let mut loads = vec![
        load("lod_east", off(LIUZHOU, 0.5, 0.0), east, 5000.0, 1500.0),
        load("lod_west", off(LIUZHOU, -0.5, 0.0), west, 5000.0, 1500.0),
    ];
    for l in &mut loads {
        l.load.pickup_window = TimeWindow {
            start: at(1.0),
            end: at(1.5),
        };
    }
    let v = vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0);
    let mut req: MatchRequest = request(loads, vec![v]);
    req.config.sequencing = Sequencing::Search;
    req.config.max_chain = 2;
    req.config.return_weight = 0.3;
    req.config.search_iterations = Some(2000);
    req.config.outlook = outlook;
    let plan = match_batch(&req, &costs()).unwrap();
    let report = check(&req, &plan, &costs());
    assert!(report.is_ok(), "checker: {:?}", report.violations);
    plan
}

fn site(p: wuliu_model::GeoPoint, empty_km: f64) -> SiteOutlook {
    SiteOutlook {
        point: p,
        radius_km: 2.0,
        empty_km,
        net_arrivals: 10,
    }
}

#[test]
fn the_search_ends_a_chain_where_trucks_are_needed() {
    let east = off(LIUZHOU, 50.0, 0.0);
    let west = off(LIUZHOU, -50.0, 0.0);
    let plan = one_of_two(vec![site(east, 40.0)]);
    assert_eq!(plan.totals.served, 1);
    assert_eq!(plan.assignments[0].load.as_str(), "lod_west");
    let plan = one_of_two(vec![site(west, 40.0)]);
    assert_eq!(plan.totals.served, 1);
    assert_eq!(plan.assignments[0].load.as_str(), "lod_east");
}
