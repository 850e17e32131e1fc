//! The hierarchy must give exactly the travel times of plain Dijkstra, on both real extracts,
//! with turn restrictions and turn delays (checked by a Dijkstra that walks the road network
//! itself, with its own restriction tables).

mod common;

use common::*;
use wuliu_road::{oracle, PreparedNetwork};

fn compare(p: &PreparedNetwork, seed: u64) {
    let pts = random_points(p, pair_count() * 2, seed);
    let snapped: Vec<_> = pts
        .iter()
        .enumerate()
        .map(|(i, g)| p.snap(i, *g).unwrap())
        .collect();
    let mut reachable = 0;
    for pair in snapped.chunks(2) {
        let (s, t) = (&pair[0], &pair[1]);
        let ch = p.shortest(s, t).map(|x| x.0);
        let turn_aware = oracle::turn_aware_dijkstra(p, s, t);
        let edge_based = oracle::graph_dijkstra(p, s, t);
        assert_eq!(
            ch, edge_based,
            "CH vs Dijkstra on the edge-based graph, {s:?} -> {t:?}"
        );
        assert_eq!(ch, turn_aware, "CH vs turn-aware Dijkstra, {s:?} -> {t:?}");
        reachable += usize::from(ch.is_some());
    }
    // Snapping avoids islands, so nearly every pair must be connected.
    assert!(
        reachable * 10 >= pair_count() * 9,
        "only {reachable} reachable"
    );
}

#[test]
fn monaco_matches_dijkstra() {
    let p = monaco_car();
    assert!(
        p.network().stats().restrictions > 0,
        "Monaco has turn restrictions"
    );
    compare(p, 1);
}

#[test]
fn andorra_matches_dijkstra() {
    compare(andorra_car(), 2);
}

/// After closing and slowing roads at run time (by way, by polygon, by edge) the re-customised
/// hierarchy still equals Dijkstra on the changed weights; lifting the changes restores the
/// original answers.
#[test]
fn closures_keep_hierarchy_equal_to_dijkstra() {
    use wuliu_road::{ChangeEffect, ChangeTarget, RoadChange};
    let p = andorra_car().clone();
    let pts = random_points(&p, 120, 9);
    let snapped: Vec<_> = pts
        .iter()
        .enumerate()
        .map(|(i, g)| p.snap(i, *g).unwrap())
        .collect();
    let before: Vec<_> = snapped
        .chunks(2)
        .map(|w| p.shortest(&w[0], &w[1]))
        .collect();
    // Close the ways of the first routes' middle, slow a box around Andorra la Vella.
    let ways: Vec<i64> = snapped.iter().take(40).map(|s| p.way_of(s)).collect();
    let report = p
        .set_changes(vec![
            RoadChange {
                id: "flood".into(),
                target: ChangeTarget::Ways(ways),
                effect: ChangeEffect::Closed,
            },
            RoadChange {
                id: "works".into(),
                target: ChangeTarget::Polygon(vec![
                    [1.51, 42.50],
                    [1.54, 42.50],
                    [1.54, 42.52],
                    [1.51, 42.52],
                ]),
                effect: ChangeEffect::Slowed { speed_factor: 0.3 },
            },
            RoadChange {
                id: "edges".into(),
                target: ChangeTarget::Edges(vec![0, 1, 2]),
                effect: ChangeEffect::Closed,
            },
        ])
        .unwrap();
    assert!(
        report.edges_closed >= 40 && report.edges_slowed > 0,
        "{report:?}"
    );
    let mut changed = 0;
    for (k, w) in snapped.chunks(2).enumerate() {
        let now = p.shortest(&w[0], &w[1]).map(|x| x.0);
        assert_eq!(now, oracle::graph_dijkstra(&p, &w[0], &w[1]), "pair {k}");
        changed += usize::from(now != before[k].map(|x| x.0));
    }
    assert!(changed > 10, "closures changed only {changed} routes");
    // Bad input is refused whole and leaves the changes in force untouched.
    let bad = RoadChange {
        id: "bad".into(),
        target: ChangeTarget::Edges(vec![u32::MAX]),
        effect: ChangeEffect::Closed,
    };
    assert!(p.upsert_change(bad).is_err());
    assert_eq!(p.changes().len(), 3);
    for id in ["flood", "works", "edges"] {
        assert!(p.remove_change(id).unwrap().is_some());
    }
    let after: Vec<_> = snapped
        .chunks(2)
        .map(|w| p.shortest(&w[0], &w[1]))
        .collect();
    assert_eq!(after, before);
}
