//! Batched travel-cost look-ups: many (from, to) pairs answered with a few matrix calls.
//!
//! Pairs are grouped by source and the sources ordered spatially; each block of up to [`BLOCK`]
//! distinct sources makes ONE [`TravelCosts::matrix`] call over the distinct targets of that
//! block (a block closes early when its matrix would exceed about four times the pairs it
//! answers), so a batch costs a few matrix calls, never one call per pair.

use std::collections::HashMap;

use wuliu_model::{GeoPoint, Leg, TravelCostError, TravelCosts};

/// Most distinct sources per matrix call.
pub const BLOCK: usize = 64;

fn key(p: &GeoPoint) -> (u64, u64) {
    (p.lat.to_bits(), p.lon.to_bits())
}

/// The leg of every pair (`None`: unreachable), in the order given.
pub fn pair_legs(
    costs: &dyn TravelCosts,
    pairs: &[(GeoPoint, GeoPoint)],
) -> Result<Vec<Option<Leg>>, TravelCostError> {
    let mut out = vec![None; pairs.len()];
    // Distinct sources, each with the pair indices that use it.
    let mut src_ix: HashMap<(u64, u64), usize> = HashMap::new();
    let mut sources: Vec<(GeoPoint, Vec<usize>)> = Vec::new();
    for (i, (s, _)) in pairs.iter().enumerate() {
        let k = *src_ix.entry(key(s)).or_insert_with(|| {
            sources.push((*s, Vec::new()));
            sources.len() - 1
        });
        sources[k].1.push(i);
    }
    // Nearby sources share targets: order them along ~10 km grid rows so each block's target set
    // (and its matrix) stays small.
    sources.sort_by_key(|(p, _)| ((p.lat * 11.0).floor() as i64, (p.lon * 11.0).floor() as i64));
    // Blocks grow while the matrix stays within a few times the pairs it answers.
    let mut b0 = 0;
    while b0 < sources.len() {
        let mut tgt_ix: HashMap<(u64, u64), usize> = HashMap::new();
        let mut targets = Vec::new();
        let mut npairs = 0;
        let mut b1 = b0;
        while b1 < sources.len() && b1 - b0 < BLOCK {
            let ids = &sources[b1].1;
            let fresh: Vec<GeoPoint> = {
                let mut seen = std::collections::HashSet::new();
                ids.iter()
                    .map(|&i| pairs[i].1)
                    .filter(|t| !tgt_ix.contains_key(&key(t)) && seen.insert(key(t)))
                    .collect()
            };
            let (ns, nt) = (b1 - b0 + 1, targets.len() + fresh.len());
            if b1 > b0 && ns * nt > 4 * (npairs + ids.len()) + 4096 {
                break;
            }
            for t in fresh {
                tgt_ix.insert(key(&t), targets.len());
                targets.push(t);
            }
            npairs += ids.len();
            b1 += 1;
        }
        let block = &sources[b0..b1];
        let srcs: Vec<GeoPoint> = block.iter().map(|(p, _)| *p).collect();
        let m = costs.matrix(&srcs, &targets)?;
        for (si, (_, ids)) in block.iter().enumerate() {
            for &i in ids {
                out[i] = m.get(si, tgt_ix[&key(&pairs[i].1)]);
            }
        }
        b0 = b1;
    }
    Ok(out)
}
