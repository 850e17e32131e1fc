//! Indexed view of a validated [`Problem`], shared by the exact model, the greedy baseline and the
//! evaluator so that all three see the same fleet, arrivals and usable stock.

use std::collections::HashMap;

use crate::error::Error;
use crate::model::*;
use crate::validate::validate;

/// Fleet summary at one stockpile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Depot {
    /// Mean payload of the usable vehicles (the representative truck), 0 without vehicles.
    pub cap_kg: f64,
    /// Mean load volume of the usable vehicles.
    pub cap_m3: f64,
    /// Vehicle-seconds available before the horizon: Σ max(0, horizon − available_from).
    pub budget_s: f64,
    /// Earliest time a usable vehicle can be loaded.
    pub dispatch_s: f64,
}

/// A stockpile–request pair that trucks can serve.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    pub s: usize,
    pub r: usize,
    /// Earliest arrival: the depot's earliest dispatch plus the driving time.
    pub arrival_s: f64,
    /// Fleet time one truckload takes: out and back plus handling.
    pub round_trip_s: f64,
    /// One-way distance in metres.
    pub metres: f64,
}

/// The validated, indexed problem.
pub(crate) struct Prepared<'a> {
    pub p: &'a Problem,
    pub item_ix: HashMap<&'a str, usize>,
    pub stock_ix: HashMap<&'a str, usize>,
    pub req_ix: HashMap<&'a str, usize>,
    pub depots: Vec<Depot>,
    pub pairs: Vec<Pair>,
    pub pair_of: HashMap<(usize, usize), usize>,
    /// `lots[s][item]`: (expiry in seconds, units), sorted by expiry; `f64::INFINITY` never expires.
    pub lots: Vec<HashMap<usize, Vec<(f64, u64)>>>,
    /// `lines[r]`: (item index, units).
    pub lines: Vec<Vec<(usize, u64)>>,
}

impl<'a> Prepared<'a> {
    /// Validates and indexes `p`.
    pub fn new(p: &'a Problem) -> Result<Self, Error> {
        validate(p)?;
        let index =
            |ids: Vec<&'a str>| ids.into_iter().enumerate().map(|(k, id)| (id, k)).collect();
        let item_ix: HashMap<&str, usize> = index(p.items.iter().map(|i| i.id.as_str()).collect());
        let stock_ix: HashMap<&str, usize> =
            index(p.stockpiles.iter().map(|s| s.id.as_str()).collect());
        let req_ix = index(p.requests.iter().map(|r| r.id.as_str()).collect());
        let horizon = horizon_s(p);
        let depots = depots(p, &stock_ix, horizon);
        let (pairs, pair_of) = pairs(p, &depots, horizon);
        let lots = p.stockpiles.iter().map(|s| lots(s, &item_ix)).collect();
        let lines = p
            .requests
            .iter()
            .map(|r| {
                r.lines
                    .iter()
                    .map(|l| (item_ix[l.item.as_str()], l.quantity))
                    .collect()
            })
            .collect();
        Ok(Prepared {
            p,
            item_ix,
            stock_ix,
            req_ix,
            depots,
            pairs,
            pair_of,
            lots,
            lines,
        })
    }

    /// Units of item `i` at stockpile `s` whose lots are still good at `arrival_s`.
    pub fn usable(&self, s: usize, i: usize, arrival_s: f64) -> u64 {
        self.lots[s]
            .get(&i)
            .map(|l| {
                l.iter()
                    .filter(|(e, _)| *e > arrival_s)
                    .map(|(_, q)| q)
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// The planning horizon in seconds (see [`Problem::horizon_s`]).
pub(crate) fn horizon_s(p: &Problem) -> f64 {
    let latest = p.requests.iter().map(|r| r.deadline_s).max().unwrap_or(0);
    p.horizon_s.unwrap_or(latest + 12 * 3600) as f64
}

fn depots(p: &Problem, stock_ix: &HashMap<&str, usize>, horizon: f64) -> Vec<Depot> {
    let mut sums = vec![
        (
            0usize,
            Depot {
                dispatch_s: f64::INFINITY,
                ..Depot::default()
            }
        );
        p.stockpiles.len()
    ];
    for v in &p.vehicles {
        let from = v.available_from_s as f64;
        if (p.green_pass_required && !v.green_pass) || from >= horizon {
            continue;
        }
        let (n, d) = &mut sums[stock_ix[v.stockpile.as_str()]];
        *n += 1;
        d.cap_kg += v.capacity_kg;
        d.cap_m3 += v.capacity_m3;
        d.budget_s += horizon - from;
        d.dispatch_s = d.dispatch_s.min(from);
    }
    sums.into_iter()
        .map(|(n, mut d)| {
            if n > 0 {
                d.cap_kg /= n as f64;
                d.cap_m3 /= n as f64;
            }
            d
        })
        .collect()
}

fn pairs(
    p: &Problem,
    depots: &[Depot],
    horizon: f64,
) -> (Vec<Pair>, HashMap<(usize, usize), usize>) {
    let mut pairs = Vec::new();
    let mut pair_of = HashMap::new();
    for (s, row) in p.travel.from_stockpile.iter().enumerate() {
        let d = &depots[s];
        for (r, leg) in row.iter().enumerate() {
            let Some(leg) = leg else { continue };
            let arrival_s = d.dispatch_s + f64::from(leg.seconds);
            if d.budget_s <= 0.0 || arrival_s > horizon {
                continue;
            }
            let round_trip_s = 2.0 * f64::from(leg.seconds) + f64::from(p.handling_s);
            pair_of.insert((s, r), pairs.len());
            pairs.push(Pair {
                s,
                r,
                arrival_s,
                round_trip_s,
                metres: f64::from(leg.metres),
            });
        }
    }
    (pairs, pair_of)
}

fn lots(s: &Stockpile, item_ix: &HashMap<&str, usize>) -> HashMap<usize, Vec<(f64, u64)>> {
    let mut out: HashMap<usize, Vec<(f64, u64)>> = HashMap::new();
    for lot in &s.lots {
        let expiry = lot
            .expires_day
            .map_or(f64::INFINITY, |d| f64::from(d) * 86_400.0);
        out.entry(item_ix[lot.item.as_str()])
            .or_default()
            .push((expiry, lot.quantity));
    }
    for l in out.values_mut() {
        l.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    out
}
