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
