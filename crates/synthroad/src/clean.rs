//! Connectivity clean-up: every kept road can be reached from every other, by car and by a 40 t truck.
//!
//! Dropping links (irregular blocks, the river) can strand one-way streets or pockets behind truck
//! bans. Rather than generate again, the clean-up makes stranded one-way streets two-way, removes
//! truck limits that would cut a pocket off for trucks, and deletes islands the river cut off.

use crate::build::{Builder, W};

/// Strongly connected components of the directed graph given by `ways` (Kosaraju, iterative).
/// Returns the component of every node (`u32::MAX` for nodes on no way) and the largest component.
fn components(n: usize, ways: &[W], keep: impl Fn(&W) -> bool) -> (Vec<u32>, u32) {
    let mut out: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut inc: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut present = vec![false; n];
    for w in ways.iter().filter(|w| keep(w)) {
        for p in w.nodes.windows(2) {
            let (a, b) = (p[0], p[1]);
            present[a] = true;
            present[b] = true;
            out[a].push(b as u32);
            inc[b].push(a as u32);
            if !w.oneway() {
                out[b].push(a as u32);
                inc[a].push(b as u32);
            }
        }
    }
    // First pass: finishing order.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for s in 0..n {
        if seen[s] || !present[s] {
            continue;
        }
        seen[s] = true;
        let mut stack = vec![(s, 0usize)];
        while let Some((v, i)) = stack.pop() {
            if i < out[v].len() {
                stack.push((v, i + 1));
                let w = out[v][i] as usize;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                order.push(v);
            }
        }
    }
    // Second pass on the reversed graph.
    let mut comp = vec![u32::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    for &s in order.iter().rev() {
        if comp[s] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        sizes.push(0);
        comp[s] = c;
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            sizes[c as usize] += 1;
            for &w in &inc[v] {
                if comp[w as usize] == u32::MAX {
                    comp[w as usize] = c;
                    stack.push(w as usize);
                }
            }
        }
    }
    let largest = (0..sizes.len()).max_by_key(|&c| sizes[c]).unwrap_or(0) as u32;
    (comp, largest)
}

fn untag(w: &mut W, keys: &[&str]) {
    w.tags.retain(|(k, _)| !keys.contains(&k.as_str()));
}

/// Makes the network strongly connected for cars and for 40 t trucks (see the module docs).
pub(crate) fn connect(b: &mut Builder) {
    let n = b.pts.len();
    for _ in 0..20 {
        let (comp, main) = components(n, &b.ways, |_| true);
        let mut changed = false;
        for w in b.ways.iter_mut() {
            if w.oneway() && w.nodes.iter().any(|&v| comp[v] != main) {
                // A motorway carriageway stays one-way; its ramps are what connects it.
                if w.tag("highway") != Some("motorway") {
                    untag(w, &["oneway"]);
                    changed = true;
                }
            }
        }
        if !changed {
            b.ways.retain(|w| w.nodes.iter().all(|&v| comp[v] == main));
            break;
        }
    }
    for _ in 0..50 {
        let (comp, main) = components(n, &b.ways, |w| !w.truck_restricted());
        let mut changed = false;
        for w in b.ways.iter_mut() {
            // Nodes on restricted ways only are simply not for trucks (nothing snaps a truck there);
            // a pocket of truck roads reachable only through a restricted way is what must not be.
            let stranded = |v: usize| comp[v] != main && comp[v] != u32::MAX;
            if w.truck_restricted() && w.nodes.iter().any(|&v| stranded(v)) {
                untag(w, &["hgv", "maxweight"]);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(nodes: &[usize], oneway: bool) -> W {
        let mut tags = vec![("highway".to_string(), "residential".to_string())];
        if oneway {
            tags.push(("oneway".into(), "yes".into()));
        }
        W {
            nodes: nodes.to_vec(),
            tags,
        }
    }

    #[test]
    fn components_follow_one_way_streets() {
        // 0 ⇄ 1 → 2: node 2 is a trap, so it is not in the main component.
        let ways = vec![way(&[0, 1], false), way(&[1, 2], true)];
        let (comp, main) = components(3, &ways, |_| true);
        assert_eq!(comp[0], main);
        assert_eq!(comp[1], main);
        assert_ne!(comp[2], main);
    }
}
