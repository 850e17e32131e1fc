//! The greedy nearest-stockpile baseline the benchmark compares against.
//!
//! Requests are served in order of priority, then deadline (then input order); each line takes as
//! much as it can from the reachable stockpile nearest in driving time, then the next nearest, and so
//! on, using lots first-expiry-first among those still good on arrival and only the fleet time left
//! at each depot. It never undoes an earlier choice.

use std::collections::HashMap;
use std::time::Instant;

use crate::allocate::{Allocation, Status};
use crate::error::Error;
use crate::evaluate::{evaluate_prepared, trucks_for, Flow};
use crate::model::Problem;
use crate::prepare::Prepared;

/// Allocates with the greedy baseline (see the module docs); same output as [`crate::allocate`]
/// with `status = Heuristic` and no bound or gap.
///
/// Cost: O(requests × lines × stockpiles × lots). Runs on the calling thread.
///
/// # Errors
/// [`Error::Invalid`] for an invalid problem.
pub fn greedy(problem: &Problem) -> Result<Allocation, Error> {
    let started = Instant::now();
    let prep = Prepared::new(problem)?;
    let flows = greedy_flows(&prep);
    let e = evaluate_prepared(&prep, &flows);
    Ok(Allocation::from_eval(flows, e, Status::Heuristic, started))
}

/// What is left while the greedy walks the requests.
struct State {
    /// `lots[s][item]`: (expiry s, units left), earliest expiry first.
    lots: Vec<HashMap<usize, Vec<(f64, u64)>>>,
    /// Fleet seconds left per depot.
    budget: Vec<f64>,
    /// Per pair: (kg, m3, truckloads) so far.
    load: HashMap<usize, (f64, f64, u64)>,
}

pub(crate) fn greedy_flows(prep: &Prepared) -> Vec<Flow> {
    greedy_from(prep, &[])
}

/// Ships `initial` (pair, item, units) first, as far as stock and fleet allow (latest arrival first,
/// so lots good for fewer requests go to those), then completes greedily.
pub(crate) fn greedy_from(prep: &Prepared, initial: &[(usize, usize, u64)]) -> Vec<Flow> {
    let p = prep.p;
    let mut st = State {
        lots: prep.lots.clone(),
        budget: prep.depots.iter().map(|d| d.budget_s).collect(),
        load: HashMap::new(),
    };
    let mut shipped: Vec<(usize, usize, u64)> = Vec::new();
    let mut got: HashMap<(usize, usize), u64> = HashMap::new();
    let mut first = initial.to_vec();
    first.sort_by(|a, b| {
        prep.pairs[b.0]
            .arrival_s
            .total_cmp(&prep.pairs[a.0].arrival_s)
    });
    for (k, i, q) in first {
        let q = take(prep, &mut st, k, i, q);
        *got.entry((prep.pairs[k].r, i)).or_default() += q;
        shipped.push((k, i, q));
    }
    let mut order: Vec<usize> = (0..p.requests.len()).collect();
    order.sort_by_key(|&r| (p.requests[r].priority, p.requests[r].deadline_s, r));
    let mut near: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, pair) in prep.pairs.iter().enumerate() {
        near.entry(pair.r).or_default().push(k);
    }
    for r in order {
        let mut pairs = near.remove(&r).unwrap_or_default();
        pairs.sort_by(|&a, &b| {
            let (a, b) = (&prep.pairs[a], &prep.pairs[b]);
            (a.round_trip_s, a.s)
                .partial_cmp(&(b.round_trip_s, b.s))
                .expect("finite times")
        });
        for &(i, want) in &prep.lines[r] {
            let mut need = want - got.get(&(r, i)).copied().unwrap_or(0).min(want);
            for &k in &pairs {
                if need == 0 {
                    break;
                }
                let q = take(prep, &mut st, k, i, need);
                need -= q;
                shipped.push((k, i, q));
            }
        }
    }
    to_flows(prep, shipped)
}

/// Merges (pair, item, units) into flows, in shipping order of first appearance.
fn to_flows(prep: &Prepared, shipped: Vec<(usize, usize, u64)>) -> Vec<Flow> {
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    let mut flows: Vec<Flow> = Vec::new();
    for (k, i, q) in shipped.into_iter().filter(|x| x.2 > 0) {
        if let Some(&f) = at.get(&(k, i)) {
            flows[f].quantity += q;
            continue;
        }
        at.insert((k, i), flows.len());
        let pair = &prep.pairs[k];
        flows.push(Flow {
            stockpile: prep.p.stockpiles[pair.s].id.clone(),
            request: prep.p.requests[pair.r].id.clone(),
            item: prep.p.items[i].id.clone(),
            quantity: q,
        });
    }
    flows
}

/// Ships as much of item `i` as stock and fleet allow over pair `k`, at most `need`; returns units.
fn take(prep: &Prepared, st: &mut State, k: usize, i: usize, need: u64) -> u64 {
    let pair = &prep.pairs[k];
    let Some(lots) = st.lots[pair.s].get_mut(&i) else {
        return 0;
    };
    let good: u64 = lots
        .iter()
        .filter(|l| l.0 > pair.arrival_s)
        .map(|l| l.1)
        .sum();
    let item = &prep.p.items[i];
    let (kg, m3, trucks) = st.load.get(&k).copied().unwrap_or_default();
    let extra = (st.budget[pair.s] / pair.round_trip_s + 1e-9).floor() as u64;
    let fits = |q: u64| {
        let q = q as f64;
        trucks_for(
            prep,
            pair.s,
            kg + q * item.unit_weight_kg,
            m3 + q * item.unit_volume_m3,
        ) <= trucks + extra
    };
    let mut q = need.min(good);
    if !fits(q) {
        // Largest q that fits, by bisection over [0, q).
        let (mut lo, mut hi) = (0, q);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) {
                lo = mid
            } else {
                hi = mid
            }
        }
        q = lo;
    }
    if q == 0 {
        return 0;
    }
    let mut left = q;
    for lot in lots.iter_mut().filter(|l| l.0 > pair.arrival_s) {
        let used = lot.1.min(left);
        lot.1 -= used;
        left -= used;
    }
    let (kg, m3) = (
        kg + q as f64 * item.unit_weight_kg,
        m3 + q as f64 * item.unit_volume_m3,
    );
    let now = trucks_for(prep, pair.s, kg, m3);
    st.budget[pair.s] -= (now - trucks) as f64 * pair.round_trip_s;
    st.load.insert(k, (kg, m3, now));
    q
}
