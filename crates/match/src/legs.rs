//! Batched travel-cost look-ups: many (from, to) pairs answered with a few matrix calls.
//!
//! Pairs are grouped by source; each block of up to [`BLOCK`] distinct sources makes ONE
//! [`TravelCosts::matrix`] call over the distinct targets of that block, so a batch costs a
//! handful of matrix calls, never one call per pair.

use std::collections::HashMap;

use wuliu_model::{GeoPoint, Leg, TravelCostError, TravelCosts};

/// Distinct sources per matrix call.
pub const BLOCK: usize = 256;

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
    for block in sources.chunks(BLOCK) {
        let mut tgt_ix: HashMap<(u64, u64), usize> = HashMap::new();
        let mut targets = Vec::new();
        for (_, ids) in block {
            for &i in ids {
                let t = pairs[i].1;
                tgt_ix.entry(key(&t)).or_insert_with(|| {
                    targets.push(t);
                    targets.len() - 1
                });
            }
        }
        let srcs: Vec<GeoPoint> = block.iter().map(|(p, _)| *p).collect();
        let m = costs.matrix(&srcs, &targets)?;
        for (si, (_, ids)) in block.iter().enumerate() {
            for &i in ids {
                out[i] = m.get(si, tgt_ix[&key(&pairs[i].1)]);
            }
        }
    }
    Ok(out)
}
