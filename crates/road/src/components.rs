//! Strongly connected components (iterative Tarjan), used to keep snapping off tiny islands
//! (a parking aisle cut off by the extract border, a private road whose access is closed).

use crate::graph::Graph;

/// Component id of every graph node, and the size of each component.
pub(crate) fn strongly_connected(g: &Graph) -> (Vec<u32>, Vec<u32>) {
    let n = g.node_count();
    let mut first = vec![0u32; n + 1];
    for a in &g.arcs {
        first[a.tail as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut heads = vec![0u32; g.arcs.len()];
    let mut fill = first.clone();
    for a in &g.arcs {
        heads[fill[a.tail as usize] as usize] = a.head;
        fill[a.tail as usize] += 1;
    }
    const NONE: u32 = u32::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![NONE; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    let mut next = 0u32;
    let mut call: Vec<(u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        call.push((root, first[root as usize]));
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            if *pos < first[v as usize + 1] {
                let w = heads[*pos as usize];
                *pos += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = next;
                    low[w as usize] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    call.push((w, first[w as usize]));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
            } else {
                call.pop();
                if let Some(&(p, _)) = call.last() {
                    low[p as usize] = low[p as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    let id = sizes.len() as u32;
                    let mut size = 0;
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp[w as usize] = id;
                        size += 1;
                        if w == v {
                            break;
                        }
                    }
                    sizes.push(size);
                }
            }
        }
    }
    (comp, sizes)
}
