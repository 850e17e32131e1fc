//! What the kept trips commit, and the problem left for the re-plan.

use std::collections::BTreeMap;

use super::fates::Fates;
use super::Fate;
use crate::allocate::Allocation;
use crate::error::{Error, Invalid};
use crate::model::{Problem, Request, RequestLine, Stockpile, Vehicle};
use crate::prepare::Prepared;
use crate::stock::{lots_at, take_fefo};

/// Units the kept trips cover and take, by stockpile, request and item.
pub(super) struct Committed {
    /// Units of demand covered: `(s, r, item)` → units (rounded down).
    pub covered: BTreeMap<(usize, usize, usize), u64>,
    /// Units out of stock (kept or stranded on a truck): `(s, item)` → units (rounded up).
    pub taken: BTreeMap<(usize, usize), u64>,
}

impl Committed {
    /// Shares each stockpile→request flow of `allocation` over the kilograms its kept (and stranded)
    /// stops carry.
    pub fn new(prep: &Prepared, allocation: &Allocation, fates: &Fates) -> Result<Self, Error> {
        let mut kept: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut gone: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for e in &fates.entries {
            for (st, &r) in e.kept.iter().flat_map(|k| &k.stops).zip(&e.stops) {
                *kept.entry((e.s, r)).or_default() += st.weight_kg;
            }
            if let Fate::OnRoadCut {
                delivered,
                stranded: true,
                ..
            } = e.fate
            {
                for (st, &r) in e.planned.stops.iter().zip(&e.stops).skip(delivered) {
                    *gone.entry((e.s, r)).or_default() += st.weight_kg;
                }
            }
        }
        let flows = flows_by_pair(prep, allocation)?;
        let mut out = Committed {
            covered: BTreeMap::new(),
            taken: BTreeMap::new(),
        };
        for (&(s, r), lines) in &flows {
            let total: f64 = lines.iter().map(|&(i, q)| q as f64 * weight(prep, i)).sum();
            let k = kept.get(&(s, r)).copied().unwrap_or(0.0);
            let g = gone.get(&(s, r)).copied().unwrap_or(0.0);
            for &(i, q) in lines {
                let cover = share(q, k, total, f64::floor);
                let take = share(q, k + g, total, f64::ceil);
                *out.covered.entry((s, r, i)).or_default() += cover;
                *out.taken.entry((s, i)).or_default() += take;
            }
        }
        Ok(out)
    }
}

/// `q × part / total` units, rounded by `round`, and all `q` when the part is (about) the total.
fn share(q: u64, part: f64, total: f64, round: fn(f64) -> f64) -> u64 {
    if total <= 0.0 || part >= total - 1e-6 {
        return if part > 0.0 || total <= 0.0 { q } else { 0 };
    }
    (round(q as f64 * part / total).max(0.0) as u64).min(q)
}

fn weight(prep: &Prepared, item: usize) -> f64 {
    prep.p.items[item].unit_weight_kg
}

/// The allocation's flows as `(s, r)` → `(item, units)`.
type PairFlows = BTreeMap<(usize, usize), Vec<(usize, u64)>>;

fn flows_by_pair(prep: &Prepared, a: &Allocation) -> Result<PairFlows, Error> {
    let mut out: PairFlows = BTreeMap::new();
    let mut bad = Vec::new();
    for (k, f) in a.flows.iter().enumerate() {
        let s = prep.stock_ix.get(f.stockpile.as_str());
        let r = prep.req_ix.get(f.request.as_str());
        let i = prep.item_ix.get(f.item.as_str());
        match (s, r, i) {
            (Some(&s), Some(&r), Some(&i)) => out.entry((s, r)).or_default().push((i, f.quantity)),
            _ => bad.push(Invalid::Allocation {
                path: format!("in_force.allocation.flows[{k}]"),
                reason: "names an unknown stockpile, request or item".into(),
            }),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(bad))
    }
}

/// The problem left at `elapsed`: demand not covered, stock not taken, trucks from when they are
/// free, times counted from the re-plan.
pub(super) fn problem_left(prep: &Prepared, c: &Committed, fates: &Fates, elapsed: u64) -> Problem {
    let p = prep.p;
    let open: Vec<(usize, Request)> = p
        .requests
        .iter()
        .enumerate()
        .filter_map(|(r, req)| request_left(prep, c, r, req, elapsed).map(|q| (r, q)))
        .collect();
    let stockpiles = p
        .stockpiles
        .iter()
        .enumerate()
        .map(|(s, pile)| stock_left(prep, c, s, pile, elapsed))
        .collect();
    let vehicles = p
        .vehicles
        .iter()
        .zip(&fates.ready)
        .filter_map(|(v, ready)| {
            ready.map(|t| Vehicle {
                available_from_s: (t - elapsed as f64).max(0.0).ceil() as u64,
                ..v.clone()
            })
        })
        .collect();
    let mut rest = Problem {
        items: p.items.clone(),
        stockpiles,
        requests: open.iter().map(|(_, q)| q.clone()).collect(),
        vehicles,
        horizon_s: p.horizon_s.map(|h| h.saturating_sub(elapsed)),
        ..p.clone()
    };
    let ix: Vec<usize> = open.iter().map(|&(r, _)| r).collect();
    rest.travel.from_stockpile = p
        .travel
        .from_stockpile
        .iter()
        .map(|row| ix.iter().map(|&r| row[r]).collect())
        .collect();
    let between = &p.travel.between_requests;
    rest.travel.between_requests = if between.is_empty() {
        vec![]
    } else {
        ix.iter()
            .map(|&a| ix.iter().map(|&b| between[a][b]).collect())
            .collect()
    };
    rest
}

fn request_left(
    prep: &Prepared,
    c: &Committed,
    r: usize,
    req: &Request,
    elapsed: u64,
) -> Option<Request> {
    let lines: Vec<RequestLine> = req
        .lines
        .iter()
        .filter_map(|l| {
            let i = prep.item_ix[l.item.as_str()];
            let covered: u64 = (0..prep.p.stockpiles.len())
                .map(|s| c.covered.get(&(s, r, i)).copied().unwrap_or(0))
                .sum();
            let left = l.quantity.saturating_sub(covered);
            (left > 0).then(|| RequestLine {
                item: l.item.clone(),
                quantity: left,
            })
        })
        .collect();
    (!lines.is_empty()).then(|| Request {
        deadline_s: req.deadline_s.saturating_sub(elapsed),
        lines,
        ..req.clone()
    })
}

fn stock_left(
    prep: &Prepared,
    c: &Committed,
    s: usize,
    pile: &Stockpile,
    elapsed: u64,
) -> Stockpile {
    let mut lots = pile.lots.clone();
    for (i, item) in prep.p.items.iter().enumerate() {
        if let Some(&q) = c.taken.get(&(s, i)) {
            take_fefo(&mut lots, &item.id, q, 0.0);
        }
    }
    Stockpile {
        lots: lots_at(&lots, elapsed),
        ..pile.clone()
    }
}
