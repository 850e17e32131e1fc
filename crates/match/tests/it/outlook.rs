//! Anticipation from load history: learned outlooks and their use by the search sequencing.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_match::grid::Grid;
use wuliu_match::outlook::{learn_outlook, outlook_km, SiteOutlook};
use wuliu_match::{check, match_batch, MatchPlan, MatchRequest, Sequencing};
use wuliu_model::{BodyType, GeoPoint, StraightLine, TimeWindow};

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

/// Leader clustering as a plain scan of every site in creation order: the reference the grid
/// lookup of [`learn_outlook`] must reproduce. Returns (point, radius km, net arrivals) per site.
fn scan_sites(trips: &[(GeoPoint, GeoPoint)], site_km: f64) -> Vec<(GeoPoint, f64, i64)> {
    let mut sites: Vec<(Vec<GeoPoint>, i64)> = Vec::new();
    for &(o, d) in trips {
        for (p, arrival) in [(o, false), (d, true)] {
            let k = match sites
                .iter()
                .position(|(m, _)| m[0].haversine(&p).0 / 1000.0 <= site_km)
            {
                Some(k) => k,
                None => {
                    sites.push((Vec::new(), 0));
                    sites.len() - 1
                }
            };
            sites[k].0.push(p);
            sites[k].1 += if arrival { 1 } else { -1 };
        }
    }
    sites
        .into_iter()
        .map(|(m, net)| {
            let n = m.len() as f64;
            let (lat, lon) = m
                .iter()
                .fold((0.0, 0.0), |(a, b), p| (a + p.lat, b + p.lon));
            let c = GeoPoint::new(lat / n, lon / n).unwrap_or(m[0]);
            let r = m
                .iter()
                .map(|p| c.haversine(p).0 / 1000.0)
                .fold(0.0, f64::max);
            (c, r, net)
        })
        .collect()
}

fn learned(trips: &[(GeoPoint, GeoPoint)], site_km: f64) -> Vec<(GeoPoint, f64, i64)> {
    learn_outlook(trips, &costs(), site_km)
        .unwrap()
        .into_iter()
        .map(|s| (s.point, s.radius_km, s.net_arrivals))
        .collect()
}

#[test]
fn thousands_of_ends_over_separated_clusters_form_one_site_per_cluster() {
    // Six depots at least 40 km apart; every end lies within 0.4 km of its depot, so any two
    // ends of a depot are closer than the 1 km site radius and ends of different depots are not.
    let depots = [
        off(LIUZHOU, 0.0, 0.0),
        off(LIUZHOU, 60.0, 0.0),
        off(LIUZHOU, -50.0, 20.0),
        off(LIUZHOU, 10.0, 70.0),
        off(LIUZHOU, 40.0, -60.0),
        off(LIUZHOU, -40.0, -45.0),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut near = |k: usize| {
        let (dx, dy): (f64, f64) = (rng.gen_range(-0.28..0.28), rng.gen_range(-0.28..0.28));
        (k, off(depots[k], dx, dy))
    };
    let mut tagged = Vec::new();
    for t in 0..2500 {
        // Depot 3 only sends, depot 5 only receives; the rest mix.
        let a = [0, 1, 2, 3, 4][t % 5];
        let b = [1, 2, 4, 0, 5, 5, 2][t % 7];
        let b = if b == a { 5 } else { b };
        tagged.push((near(a), near(b)));
    }
    let trips: Vec<(GeoPoint, GeoPoint)> = tagged.iter().map(|&((_, o), (_, d))| (o, d)).collect();

    // Expected: one site per depot, in the order the depots first appear among the ends.
    let mut order: Vec<usize> = Vec::new();
    let mut members = vec![Vec::new(); depots.len()];
    let mut net = [0i64; 6];
    for &((a, o), (b, d)) in &tagged {
        for (k, p, arrival) in [(a, o, false), (b, d, true)] {
            if !order.contains(&k) {
                order.push(k);
            }
            members[k].push(p);
            net[k] += if arrival { 1 } else { -1 };
        }
    }
    assert_eq!(order, [0, 1, 2, 4, 3, 5]);
    let sites = learn_outlook(&trips, &costs(), 1.0).unwrap();
    assert_eq!(sites.len(), depots.len(), "{sites:?}");
    for (s, &k) in sites.iter().zip(&order) {
        let n = members[k].len() as f64;
        let lat = members[k].iter().map(|p| p.lat).sum::<f64>() / n;
        let lon = members[k].iter().map(|p| p.lon).sum::<f64>() / n;
        assert!((s.point.lat - lat).abs() < 1e-9 && (s.point.lon - lon).abs() < 1e-9);
        assert!(
            s.point.haversine(&depots[k]).0 < 100.0,
            "site {k} at its depot"
        );
        let radius = members[k]
            .iter()
            .map(|p| s.point.haversine(p).0 / 1000.0)
            .fold(0.0, f64::max);
        assert!((s.radius_km - radius).abs() < 1e-9 && radius < 0.5);
        assert_eq!(s.net_arrivals, net[k], "depot {k}");
    }
    assert!(net[3] < 0 && net[5] > 0);
    // The receiving-only depot sends its surplus away empty; the sending-only one expects none.
    assert!(outlook_km(&sites, depots[5]) > 30.0, "{sites:?}");
    assert_eq!(outlook_km(&sites, depots[3]), 0.0);
    // The grid lookup finds exactly what a scan of every site finds.
    assert_eq!(learned(&trips, 1.0), scan_sites(&trips, 1.0));
}

#[test]
fn site_lookup_matches_a_scan_of_every_site_where_sites_overlap() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    // Dense random ends (sites overlap and the leader order decides), near the antimeridian and
    // near the pole (where the flat grid cannot bound the radius), and one degenerate site size.
    let cases: [(f64, f64, f64, f64, f64); 4] = [
        (24.20, 24.40, 109.30, 109.50, 1.0),
        (9.95, 10.05, 179.9, 180.1, 1.0),
        (89.9, 90.0, -180.0, 180.0, 0.5),
        (24.30, 24.32, 109.40, 109.42, 0.0),
    ];
    for (lat0, lat1, lon0, lon1, site_km) in cases {
        let mut point = || {
            let lon: f64 = rng.gen_range(lon0..lon1);
            // Wrap across ±180° so both sides of the antimeridian occur.
            let lon = if lon > 180.0 { lon - 360.0 } else { lon };
            GeoPoint::new(rng.gen_range(lat0..lat1), lon).unwrap()
        };
        let trips: Vec<(GeoPoint, GeoPoint)> = (0..400).map(|_| (point(), point())).collect();
        let got = learned(&trips, site_km);
        let want = scan_sites(&trips, site_km.max(0.1));
        assert!(want.len() > 5, "the case has several sites: {}", want.len());
        assert_eq!(got, want, "lat {lat0}..{lat1}, lon {lon0}..{lon1}");
    }
}

#[test]
fn grid_within_passes_every_point_in_the_radius() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for (lat0, lat1, lon0, lon1) in [
        (24.0, 25.0, 109.0, 110.0),
        (-60.0, 60.0, -30.0, 30.0),
        (70.0, 89.9, 170.0, 190.0),
    ] {
        let mut point = || {
            let lon: f64 = rng.gen_range(lon0..lon1);
            let lon = if lon > 180.0 { lon - 360.0 } else { lon };
            GeoPoint::new(rng.gen_range(lat0..lat1), lon).unwrap()
        };
        let pts: Vec<GeoPoint> = (0..600).map(|_| point()).collect();
        let queries: Vec<GeoPoint> = (0..50).map(|_| point()).collect();
        for cell_km in [0.5, 3.0, 40.0] {
            let grid = Grid::new(&pts, cell_km);
            for q in &queries {
                for km in [0.0, 2.0, 25.0, 400.0] {
                    if km / cell_km > 50.0 {
                        continue; // thousands of rings: slow, and nothing new
                    }
                    let mut seen = vec![0u32; pts.len()];
                    grid.within(q, km, |ids| ids.iter().for_each(|&i| seen[i] += 1));
                    for (i, p) in pts.iter().enumerate() {
                        assert!(seen[i] <= 1, "point {i} passed twice");
                        if q.haversine(p).0 / 1000.0 <= km {
                            assert_eq!(seen[i], 1, "{p:?} within {km} km of {q:?} missed");
                        }
                    }
                }
            }
        }
    }
}
