//! Loading order: each item goes in after the items it stands on and after the items behind it
//! (farther from the door) that it would otherwise block; within that, front wall to door, bottom up.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::Door;
use crate::plan::{LoadStep, Placement};

fn over(a0: u32, a1: u32, b0: u32, b1: u32) -> bool {
    a0 < b1 && b0 < a1
}

/// Reorders `placements` into a loading sequence and writes one instruction per placement.
pub fn sequence(door: Door, placements: Vec<Placement>) -> (Vec<Placement>, Vec<LoadStep>) {
    let n = placements.len();
    let (d, a) = match door {
        Door::Rear => (0, 1),
        Door::Side => (1, 0),
    };
    let mut preds = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let (pi, mi) = (&placements[i], placements[i].max());
        for j in 0..n {
            if i == j {
                continue;
            }
            let (pj, mj) = (&placements[j], placements[j].max());
            let xy = over(pi.position[0], mi[0], pj.position[0], mj[0])
                && over(pi.position[1], mi[1], pj.position[1], mj[1]);
            let below = xy && mi[2] <= pj.position[2];
            let behind = mi[d] <= pj.position[d]
                && over(pi.position[a], mi[a], pj.position[a], mj[a])
                && over(pi.position[2], mi[2], pj.position[2], mj[2]);
            if below || behind {
                succ[i].push(j);
                preds[j] += 1;
            }
        }
    }
    let key = |k: usize| {
        let p = &placements[k];
        Reverse((p.position[d], p.position[2], p.position[a], k))
    };
    let mut heap: BinaryHeap<_> = (0..n).filter(|&k| preds[k] == 0).map(key).collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let k = match heap.pop() {
            Some(Reverse((_, _, _, k))) if !done[k] => k,
            Some(_) => continue,
            // A cycle cannot occur between non-overlapping boxes in practice; break it if it does.
            None => match (0..n).filter(|&k| !done[k]).min_by_key(|&k| key(k).0) {
                Some(k) => k,
                None => break,
            },
        };
        done[k] = true;
        order.push(k);
        for &j in &succ[k] {
            preds[j] = preds[j].saturating_sub(1);
            if preds[j] == 0 && !done[j] {
                heap.push(key(j));
            }
        }
    }
    let mut slots: Vec<Option<Placement>> = placements.into_iter().map(Some).collect();
    let ordered: Vec<Placement> = order.iter().filter_map(|&k| slots[k].take()).collect();
    let steps = steps(&ordered);
    (ordered, steps)
}

/// One human-readable instruction per placement, in the given order.
pub fn steps(ordered: &[Placement]) -> Vec<LoadStep> {
    ordered
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let level = if p.position[2] == 0 {
                "on the floor".to_string()
            } else {
                format!("on top of the items below, {} mm up", p.position[2])
            };
            LoadStep {
                step: k as u32 + 1,
                placement: k,
                instruction: format!(
                    "Place {} #{} ({}×{}×{} mm, {}) {} mm from the front wall, {} mm from the left wall, {}.",
                    p.item,
                    p.copy + 1,
                    p.size[0],
                    p.size[1],
                    p.size[2],
                    p.orientation.describe(),
                    p.position[0],
                    p.position[1],
                    level
                ),
            }
        })
        .collect()
}
