//! Trips: visit every given point once in the fastest order (a travelling salesman), OSRM's
//! `trip` service.
//!
//! [`PreparedNetwork::trip`] builds the duration matrix with [`PreparedNetwork::table`], orders
//! the points with [`solve`] and routes the legs in that order with [`PreparedNetwork::route`].
//! The order is exact (Held–Karp dynamic programming, [`solve_exact`]) up to
//! [`MAX_EXACT_POINTS`] points; beyond, nearest-neighbour tours from several starts are
//! improved by 2-opt and Or-opt moves until none helps ([`solve_heuristic`]); more than
//! [`MAX_TRIP_POINTS`] points are refused.
//!
//! Every variant ([`TripShape`]: round trip or not, first and/or last point fixed) is solved as
//! a closed tour through one fixed *root*: the first point, or a zero-cost dummy when the start
//! is free; forced endings become forbidden arcs. Durations are asymmetric (one-way streets),
//! so the solvers never assume `d[i][j] = d[j][i]`.

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::error::{Result, RoadError};
use crate::prepared::PreparedNetwork;
use crate::profile::Vehicle;
use crate::route::{Route, RouteRequest, Waypoint};
use crate::table::TableRequest;

/// Most points a trip may have.
pub const MAX_TRIP_POINTS: usize = 100;
/// Up to this many points the order is exact (Held–Karp); above, heuristic.
pub const MAX_EXACT_POINTS: usize = 12;

/// How a trip starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TripShape {
    /// Return to the start at the end (default `true`).
    pub roundtrip: bool,
    /// Start at the first point (a round trip always does).
    pub fix_first: bool,
    /// End at the last point (a round trip: visit it last before returning).
    pub fix_last: bool,
}

impl Default for TripShape {
    fn default() -> Self {
        TripShape {
            roundtrip: true,
            fix_first: false,
            fix_last: false,
        }
    }
}

/// A request for [`PreparedNetwork::trip`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TripRequest {
    /// The points to visit (2 to [`MAX_TRIP_POINTS`]).
    pub points: Vec<GeoPoint>,
    /// Round trip and fixed ends.
    #[serde(default)]
    pub shape: TripShape,
    /// Compute turn-by-turn steps.
    #[serde(default)]
    pub steps: bool,
    /// The requesting vehicle; must fit within the prepared class.
    #[serde(default)]
    pub vehicle: Option<Vehicle>,
}

/// A computed trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trip {
    /// Request indices in visiting order (a round trip's return to the start not repeated).
    pub order: Vec<usize>,
    /// The route through the points in that order (a round trip has a last leg back).
    pub route: Route,
    /// Snapped points in request order.
    pub waypoints: Vec<Waypoint>,
    /// Whether the order is provably the fastest (Held–Karp) rather than heuristic.
    pub exact: bool,
}

/// Duration of visiting `order` (request indices) under `shape`, `None` when some leg is
/// unreachable.
pub fn order_cost(d: &[Vec<Option<f64>>], order: &[usize], shape: TripShape) -> Option<f64> {
    let mut total = 0.0;
    for w in order.windows(2) {
        total += d[w[0]][w[1]]?;
    }
    if shape.roundtrip && order.len() > 1 {
        total += d[*order.last()?][order[0]]?;
    }
    Some(total)
}

/// A pair not reachable in the matrix.
const UNREACHABLE: f64 = 1e9;
/// An arc the shape does not allow.
const FORBIDDEN: f64 = 1e13;

/// The closed-tour form of a problem: cost matrix with the root at index `root`.
struct Closed {
    c: Vec<Vec<f64>>,
    root: usize,
    dummy: bool,
}

fn closed(d: &[Vec<Option<f64>>], shape: TripShape) -> Closed {
    let n = d.len();
    let fix_first = shape.fix_first || shape.roundtrip;
    let dummy = !fix_first;
    let size = n + usize::from(dummy);
    let mut c = vec![vec![0.0; size]; size];
    for i in 0..n {
        for j in 0..n {
            c[i][j] = d[i][j].unwrap_or(UNREACHABLE);
        }
    }
    let root = if dummy { n } else { 0 };
    let last = n - 1;
    if !shape.roundtrip {
        for row in c.iter_mut().take(n) {
            row[root] = 0.0; // an open trip ends anywhere at no cost
        }
    }
    if shape.fix_last && last != 0 {
        for (v, row) in c.iter_mut().enumerate() {
            if v != last {
                row[root] = FORBIDDEN;
            }
        }
        if dummy {
            c[root][last] = FORBIDDEN; // and does not start there
        }
    }
    Closed { c, root, dummy }
}

impl Closed {
    /// Request indices in visiting order from a closed tour starting at the root.
    fn order(&self, tour: &[usize]) -> Vec<usize> {
        if self.dummy {
            tour[1..].to_vec()
        } else {
            tour.to_vec()
        }
    }
}

fn check_square(d: &[Vec<Option<f64>>]) {
    assert!(
        !d.is_empty() && d.iter().all(|r| r.len() == d.len()),
        "a square, non-empty matrix"
    );
}

/// The fastest order by Held–Karp dynamic programming: O(2ⁿ n²) time, O(2ⁿ n) memory.
/// `None` when no order reaches every point.
///
/// # Panics
/// When the matrix is not square or has more than [`MAX_EXACT_POINTS`] points.
pub fn solve_exact(d: &[Vec<Option<f64>>], shape: TripShape) -> Option<Vec<usize>> {
    check_square(d);
    assert!(d.len() <= MAX_EXACT_POINTS, "too many points for Held–Karp");
    let p = closed(d, shape);
    let others: Vec<usize> = (0..p.c.len()).filter(|&v| v != p.root).collect();
    let k = others.len();
    if k == 0 {
        return Some(p.order(&[p.root]));
    }
    let full = (1usize << k) - 1;
    let mut dp = vec![f64::INFINITY; (full + 1) * k];
    let mut parent = vec![u8::MAX; (full + 1) * k];
    for (j, &v) in others.iter().enumerate() {
        dp[(1 << j) * k + j] = p.c[p.root][v];
    }
    for mask in 1..=full {
        for j in 0..k {
            let here = dp[mask * k + j];
            if mask & (1 << j) == 0 || here == f64::INFINITY {
                continue;
            }
            for (l, &w) in others.iter().enumerate() {
                if mask & (1 << l) != 0 {
                    continue;
                }
                let (next, cost) = (mask | (1 << l), here + p.c[others[j]][w]);
                if cost < dp[next * k + l] {
                    dp[next * k + l] = cost;
                    parent[next * k + l] = j as u8;
                }
            }
        }
    }
    let end = (0..k)
        .min_by(|&a, &b| {
            let ca = dp[full * k + a] + p.c[others[a]][p.root];
            let cb = dp[full * k + b] + p.c[others[b]][p.root];
            ca.total_cmp(&cb)
        })
        .expect("k > 0");
    let (mut tour, mut mask, mut j) = (Vec::with_capacity(k + 1), full, end);
    loop {
        tour.push(others[j]);
        let pj = parent[mask * k + j];
        mask &= !(1 << j);
        if pj == u8::MAX {
            break;
        }
        j = usize::from(pj);
    }
    tour.push(p.root);
    tour.reverse();
    let order = p.order(&tour);
    order_cost(d, &order, shape).map(|_| order)
}

/// A good order: nearest-neighbour tours from up to 16 starts, each improved by 2-opt and
/// Or-opt moves until none helps (O(n²) per pass), the best kept; for up to
/// [`MAX_TRIP_POINTS`] points. `None` when no order found reaches
/// every point.
///
/// # Panics
/// When the matrix is not square.
pub fn solve_heuristic(d: &[Vec<Option<f64>>], shape: TripShape) -> Option<Vec<usize>> {
    check_square(d);
    let p = closed(d, shape);
    // Several starts: the root's nearest points taken first, each tour improved locally.
    let mut firsts: Vec<usize> = (0..p.c.len()).filter(|&v| v != p.root).collect();
    firsts.sort_by(|&a, &b| p.c[p.root][a].total_cmp(&p.c[p.root][b]));
    firsts.truncate(HEURISTIC_STARTS);
    let tour = firsts
        .into_iter()
        .map(|first| {
            let mut tour = nearest_neighbour(&p.c, p.root, first);
            local_search(&p.c, &mut tour);
            tour
        })
        .min_by(|a, b| tour_cost(&p.c, a).total_cmp(&tour_cost(&p.c, b)))
        .unwrap_or_else(|| vec![p.root]);
    let order = p.order(&tour);
    order_cost(d, &order, shape).map(|_| order)
}

/// [`solve_exact`] up to [`MAX_EXACT_POINTS`] points, [`solve_heuristic`] above.
pub fn solve(d: &[Vec<Option<f64>>], shape: TripShape) -> Option<Vec<usize>> {
    if d.len() <= MAX_EXACT_POINTS {
        solve_exact(d, shape)
    } else {
        solve_heuristic(d, shape)
    }
}

/// Starts of the heuristic (each a nearest-neighbour tour plus local search).
const HEURISTIC_STARTS: usize = 16;

/// The nearest-neighbour tour from `root` whose first step is to `first`.
fn nearest_neighbour(c: &[Vec<f64>], root: usize, first: usize) -> Vec<usize> {
    let n = c.len();
    let mut seen = vec![false; n];
    let mut tour = vec![root, first];
    seen[root] = true;
    seen[first] = true;
    while tour.len() < n {
        let at = *tour.last().unwrap();
        let next = (0..n)
            .filter(|&v| !seen[v])
            .min_by(|&a, &b| c[at][a].total_cmp(&c[at][b]))
            .unwrap();
        seen[next] = true;
        tour.push(next);
    }
    tour
}

fn tour_cost(c: &[Vec<f64>], t: &[usize]) -> f64 {
    let n = t.len();
    (0..n).map(|i| c[t[i]][t[(i + 1) % n]]).sum()
}

/// Improves a closed tour whose position 0 (the root) stays put.
fn local_search(c: &[Vec<f64>], tour: &mut [usize]) {
    const EPS: f64 = 1e-7;
    // Bounded: each pass improves the tour; 10 000 passes are far beyond what 100 points need.
    for _ in 0..10_000 {
        if !(two_opt(c, tour, EPS) || or_opt(c, tour, EPS)) {
            break;
        }
    }
}

/// One improving segment reversal, if any (delta from prefix sums: O(1) per move).
fn two_opt(c: &[Vec<f64>], t: &mut [usize], eps: f64) -> bool {
    let n = t.len();
    if n < 4 {
        return false;
    }
    // fwd[k] = cost of t[0..=k] forwards, bwd[k] = the same arcs driven backwards.
    let (mut fwd, mut bwd) = (vec![0.0; n], vec![0.0; n]);
    for k in 1..n {
        fwd[k] = fwd[k - 1] + c[t[k - 1]][t[k]];
        bwd[k] = bwd[k - 1] + c[t[k]][t[k - 1]];
    }
    for i in 1..n - 1 {
        for j in i + 1..n {
            let (a, b, e) = (t[i - 1], t[j], t[(j + 1) % n]);
            let old = c[a][t[i]] + (fwd[j] - fwd[i]) + c[b][e];
            let new = c[a][b] + (bwd[j] - bwd[i]) + c[t[i]][e];
            if new < old - eps {
                t[i..=j].reverse();
                return true;
            }
        }
    }
    false
}

/// One improving move of a run of 1–3 points elsewhere (possibly reversed), if any.
fn or_opt(c: &[Vec<f64>], t: &mut [usize], eps: f64) -> bool {
    let n = t.len();
    for len in 1..=3.min(n.saturating_sub(2)) {
        for i in 1..=n - len {
            let seg: Vec<usize> = t[i..i + len].to_vec();
            let (prev, next) = (t[i - 1], t[(i + len) % n]);
            let (first, last) = (seg[0], seg[len - 1]);
            let inner: f64 = seg.windows(2).map(|w| c[w[0]][w[1]]).sum();
            let inner_rev: f64 = seg.windows(2).map(|w| c[w[1]][w[0]]).sum();
            let removed = c[prev][first] + inner + c[last][next] - c[prev][next];
            // The tour without the run, then every gap (x, y) to put it into.
            let rest: Vec<usize> = t[..i].iter().chain(&t[i + len..]).copied().collect();
            for g in 0..rest.len() {
                let (x, y) = (rest[g], rest[(g + 1) % rest.len()]);
                if x == prev {
                    continue; // where it was
                }
                let plain = c[x][first] + inner + c[last][y] - c[x][y];
                let rev = c[x][last] + inner_rev + c[first][y] - c[x][y];
                let (add, reversed) = if rev < plain {
                    (rev, true)
                } else {
                    (plain, false)
                };
                if add < removed - eps {
                    let mut s = seg.clone();
                    if reversed {
                        s.reverse();
                    }
                    let mut out: Vec<usize> = rest[..=g].to_vec();
                    out.extend(s);
                    out.extend(&rest[g + 1..]);
                    t.copy_from_slice(&out);
                    return true;
                }
            }
        }
    }
    false
}

impl PreparedNetwork {
    /// The fastest order to visit `req.points` (see the [module](crate::trip) docs) and the route
    /// through them in that order. `Ok(None)` when the points cannot all be reached from one
    /// another.
    ///
    /// Cost: one matrix, the ordering (Held–Karp: about 1 ms at 12 points; heuristic: about
    /// 25 ms at 100) and one route per leg; a 100-point Andorra trip takes about 45 ms.
    pub fn trip(&self, req: &TripRequest) -> Result<Option<Trip>> {
        self.check_vehicle(req.vehicle.as_ref())?;
        let n = req.points.len();
        if !(2..=MAX_TRIP_POINTS).contains(&n) {
            return Err(RoadError::InvalidRequest(format!(
                "points: a trip needs 2 to {MAX_TRIP_POINTS} points, got {n}"
            )));
        }
        let table = self.table(&TableRequest {
            sources: req.points.clone(),
            targets: None,
            vehicle: req.vehicle,
            departure: None,
        })?;
        let Some(order) = solve(&table.durations_s, req.shape) else {
            return Ok(None);
        };
        let mut points: Vec<GeoPoint> = order.iter().map(|&i| req.points[i]).collect();
        if req.shape.roundtrip {
            points.push(points[0]);
        }
        let route = self.route(&RouteRequest {
            points,
            steps: req.steps,
            vehicle: req.vehicle,
            departure: None,
        })?;
        Ok(route.map(|route| Trip {
            order,
            route,
            waypoints: table.sources,
            exact: n <= MAX_EXACT_POINTS,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forced_endings_shape_the_closed_tour() {
        let d = vec![vec![Some(0.0), Some(1.0)], vec![Some(1.0), Some(0.0)]];
        let open_last = TripShape {
            roundtrip: false,
            fix_first: false,
            fix_last: true,
        };
        assert_eq!(solve_exact(&d, open_last), Some(vec![0, 1]));
        assert_eq!(solve_heuristic(&d, open_last), Some(vec![0, 1]));
        let one_way = vec![vec![Some(0.0), None], vec![Some(1.0), Some(0.0)]];
        assert_eq!(solve_exact(&one_way, TripShape::default()), None);
        let free = TripShape {
            roundtrip: false,
            fix_first: false,
            fix_last: false,
        };
        assert_eq!(solve_exact(&one_way, free), Some(vec![1, 0]));
    }
}
