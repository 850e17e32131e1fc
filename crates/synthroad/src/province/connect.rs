//! Connectivity clean-up, as `clean.rs` does for the city: every kept road can be reached from
//! every other by car, and every road a 40 t truck may use from every other such road.
//!
//! The network is connected by construction (every place hangs off the road tree), so this mostly
//! repairs the grids: one-way streets stranded by a missing link become two-way, islands cut off
//! by missing links are dropped, and truck limits that would cut a pocket of truck roads off are
//! lifted — checked twice, with the time-conditional limits in force (rush hour) and ignored (as
//! an engine that does not read them sees the roads). It runs before shape nodes are added, so on
//! the junction and control nodes only.

use super::net::Net;

/// Strongly connected components of the directed graph of the ways `keep` accepts (Kosaraju,
/// iterative, on compressed adjacency). Returns the component of every node (`u32::MAX` for nodes
/// on no accepted way) and the largest component.
pub(crate) fn components(net: &Net, keep: &[bool], oneway: &[bool]) -> (Vec<u32>, u32) {
    let n = net.pts.len();
    let mut out_deg = vec![0u32; n + 1];
    let mut in_deg = vec![0u32; n + 1];
    let arcs = |f: &mut dyn FnMut(u32, u32)| {
        for w in &net.ways {
            if !keep[w.tags as usize] {
                continue;
            }
            let one = oneway[w.tags as usize];
            for p in net.nodes_of(w).windows(2) {
                f(p[0], p[1]);
                if !one {
                    f(p[1], p[0]);
                }
            }
        }
    };
    arcs(&mut |a, b| {
        out_deg[a as usize + 1] += 1;
        in_deg[b as usize + 1] += 1;
    });
    for i in 0..n {
        out_deg[i + 1] += out_deg[i];
        in_deg[i + 1] += in_deg[i];
    }
    let mut out = vec![0u32; out_deg[n] as usize];
    let mut inc = vec![0u32; in_deg[n] as usize];
    let (mut fo, mut fi) = (out_deg.clone(), in_deg.clone());
    arcs(&mut |a, b| {
        out[fo[a as usize] as usize] = b;
        fo[a as usize] += 1;
        inc[fi[b as usize] as usize] = a;
        fi[b as usize] += 1;
    });
    let present = |v: usize| out_deg[v + 1] > out_deg[v] || in_deg[v + 1] > in_deg[v];
    // First pass: finishing order.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for s in 0..n {
        if seen[s] || !present(s) {
            continue;
        }
        seen[s] = true;
        stack.push((s as u32, out_deg[s]));
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if *i < out_deg[v as usize + 1] {
                let w = out[*i as usize];
                *i += 1;
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push((w, out_deg[w as usize]));
                }
            } else {
                order.push(v);
                stack.pop();
            }
        }
    }
    // Second pass on the reversed graph.
    let mut comp = vec![u32::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    let mut todo: Vec<u32> = Vec::new();
    for &s in order.iter().rev() {
        if comp[s as usize] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        sizes.push(0);
        comp[s as usize] = c;
        todo.push(s);
        while let Some(v) = todo.pop() {
            sizes[c as usize] += 1;
            for &w in &inc[in_deg[v as usize] as usize..in_deg[v as usize + 1] as usize] {
                if comp[w as usize] == u32::MAX {
                    comp[w as usize] = c;
                    todo.push(w);
                }
            }
        }
    }
    let largest = (0..sizes.len())
        .max_by_key(|&c| (sizes[c], std::cmp::Reverse(c)))
        .unwrap_or(0) as u32;
    (comp, largest)
}

/// Truck limit keys lifted when they cut trucks off.
const TRUCK_KEYS: &[&str] = &[
    "hgv",
    "maxweight",
    "maxheight",
    "hgv:conditional",
    "maxweight:conditional",
];

/// Per tag set: `(one-way, closed to a 40 t, 4 m truck, motorway)`; with `conditional`, the
/// time-conditional limits count as in force.
fn flags(net: &Net, conditional: bool) -> (Vec<bool>, Vec<bool>, Vec<bool>) {
    let t = &net.tags;
    let n = t.sets();
    let oneway = (0..n as u32)
        .map(|s| t.get(s, "oneway") == Some("yes"))
        .collect();
    let restricted = (0..n as u32)
        .map(|s| {
            let num = |k: &str| {
                t.get(s, k)
                    .and_then(|v| v.split(' ').next()?.parse::<f64>().ok())
            };
            t.get(s, "hgv") == Some("no")
                || num("maxweight").is_some_and(|w| w < 40.0)
                || num("maxheight").is_some_and(|h| h < 4.0)
                || (conditional
                    && (t
                        .get(s, "hgv:conditional")
                        .is_some_and(|v| v.starts_with("no"))
                        || num("maxweight:conditional").is_some_and(|w| w < 40.0)))
        })
        .collect();
    let motorway = (0..n as u32)
        .map(|s| t.get(s, "highway") == Some("motorway"))
        .collect();
    (oneway, restricted, motorway)
}

/// What the clean-up changed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Cleaned {
    pub made_two_way: usize,
    pub ways_dropped: usize,
    pub limits_lifted: usize,
}

/// Makes the network strongly connected for cars and for 40 t trucks (see the module docs).
pub(crate) fn connect(net: &mut Net) -> Cleaned {
    let mut done = Cleaned::default();
    for round in 0..20 {
        let (oneway, _, motorway) = flags(net, false);
        let all = vec![true; oneway.len()];
        let (comp, main) = components(net, &all, &oneway);
        let mut changed = false;
        for k in 0..net.ways.len() {
            let w = net.ways[k];
            if oneway[w.tags as usize]
                && !motorway[w.tags as usize]
                && net.nodes_of(&w).iter().any(|&v| comp[v as usize] != main)
            {
                net.ways[k].tags = net.tags.without(w.tags, &["oneway"]);
                done.made_two_way += 1;
                changed = true;
            }
        }
        if !changed || round == 19 {
            let before = net.ways.len();
            let keep: Vec<bool> = net
                .ways
                .iter()
                .map(|w| net.nodes_of(w).iter().all(|&v| comp[v as usize] == main))
                .collect();
            drop_ways(net, &keep);
            done.ways_dropped = before - net.ways.len();
            break;
        }
    }
    // Trucks: with the conditional limits in force (rush hour), then without (an engine that
    // ignores them sees those streets open: one-way streets into pockets must not become traps).
    // Lifting limits for one view may open a trap in the other: repeat until both hold.
    for _ in 0..10 {
        let lifted = done.limits_lifted;
        for conditional in [true, false] {
            lift_truck_limits(net, conditional, &mut done);
        }
        if done.limits_lifted == lifted {
            break;
        }
    }
    done
}

/// Lifts the truck limits of ways that cut a pocket of truck roads off the main component.
fn lift_truck_limits(net: &mut Net, conditional: bool, done: &mut Cleaned) {
    for _ in 0..50 {
        let (oneway, restricted, _) = flags(net, conditional);
        let open: Vec<bool> = restricted.iter().map(|r| !r).collect();
        let (comp, main) = components(net, &open, &oneway);
        let stranded = |v: u32| comp[v as usize] != main && comp[v as usize] != u32::MAX;
        let mut changed = false;
        for k in 0..net.ways.len() {
            let w = net.ways[k];
            if restricted[w.tags as usize] && net.nodes_of(&w).iter().any(|&v| stranded(v)) {
                net.ways[k].tags = net.tags.without(w.tags, TRUCK_KEYS);
                done.limits_lifted += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Removes the ways `keep` rejects; restrictions on them go too, the others are renumbered.
fn drop_ways(net: &mut Net, keep: &[bool]) {
    let mut new_index = vec![u32::MAX; net.ways.len()];
    let mut kept = Vec::with_capacity(net.ways.len());
    for (k, w) in net.ways.iter().enumerate() {
        if keep[k] {
            new_index[k] = kept.len() as u32;
            kept.push(*w);
        }
    }
    net.ways = kept;
    net.restrictions.retain_mut(|r| {
        let (f, t) = (new_index[r.from as usize], new_index[r.to as usize]);
        r.from = f;
        r.to = t;
        f != u32::MAX && t != u32::MAX
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::P;

    #[test]
    fn stranded_one_ways_open_and_islands_go() {
        let mut net = Net::default();
        for k in 0..6 {
            net.node(P::new(k as f64, 0.0));
        }
        let two = net.tags.set(&[("highway", "residential")]);
        let one = net
            .tags
            .set(&[("highway", "residential"), ("oneway", "yes")]);
        let banned = net.tags.set(&[("highway", "residential"), ("hgv", "no")]);
        net.way(&[0, 1], two);
        net.way(&[1, 2], one); // 2 is a trap until made two-way
        net.way(&[2, 3], banned); // 3 ⇄ 4 reachable by truck only through the ban
        net.way(&[3, 4], two);
        net.node(P::new(9.0, 9.0));
        net.way(&[5, 6], two); // an island
        let done = connect(&mut net);
        assert_eq!(done.made_two_way, 1);
        assert_eq!(done.ways_dropped, 1);
        assert_eq!(done.limits_lifted, 1);
        assert_eq!(net.ways.len(), 4);
    }
}
