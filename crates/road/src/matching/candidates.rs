//! Candidate road positions per track point, emission and transition probabilities, and the
//! chains of matched points they lead to.

use std::f64::consts::PI;

use crate::metric::Metric;
use crate::prepared::{out_seeds, seeds, PreparedNetwork};
use crate::snap::Snapped;

use super::viterbi::Viterbi;
use super::{MatchedPoint, Track, BETA_M};

/// At most this many candidate positions (one per edge) per track point.
pub const MAX_CANDIDATES: usize = 8;
/// Candidates are searched within 4σ of a point, but never less than this, metres.
const MIN_SEARCH_M: f64 = 30.0;

/// The candidates of one track point.
struct Layer {
    point: usize,
    cands: Vec<Snapped>,
}

/// How far back along the road a candidate may lie from the previous position and still be read
/// as GPS jitter (4σ + 10 m: two points each up to 2σ off along the road), metres.
pub(super) fn jitter_m(sigma_a: f64, sigma_b: f64) -> f64 {
    4.0 * sigma_a.max(sigma_b) + 10.0
}

fn log_emission(distance_m: f64, sigma: f64) -> f64 {
    let z = distance_m / sigma;
    -0.5 * z * z - sigma.ln() - 0.5 * (2.0 * PI).ln()
}

fn log_transition(route_m: f64, straight_m: f64) -> f64 {
    -BETA_M.ln() - (route_m - straight_m).abs() / BETA_M
}

/// Log transition probabilities from the candidates of `a` (those `alive`) to those of `b`.
fn transitions(
    p: &PreparedNetwork,
    m: &Metric,
    track: &Track,
    a: &Layer,
    b: &Layer,
    alive: &[bool],
) -> Vec<Vec<(f64, bool)>> {
    let straight = track.points[a.point].haversine(&track.points[b.point]).0;
    let limit = 5.0 * straight + 2_000.0;
    let jitter = jitter_m(track.sigma[a.point], track.sigma[b.point]);
    let rows: Vec<usize> = (0..a.cands.len()).filter(|&i| alive[i]).collect();
    let src: Vec<_> = rows
        .iter()
        .map(|&i| out_seeds(&p.phantom(m, a.cands[i]).out))
        .collect();
    let tgt: Vec<_> = b
        .cands
        .iter()
        .map(|c| seeds(&p.phantom(m, *c).inc))
        .collect();
    let limit_dm = (limit * 10.0).min(f64::from(u32::MAX - 1)) as u32;
    let nt = b.cands.len();
    let mut out = vec![vec![(f64::NEG_INFINITY, false); nt]; a.cands.len()];
    for (r, &i) in rows.iter().enumerate() {
        let s = &a.cands[i];
        let cells = super::local::distances(&p.graph, m, &src[r], &tgt, limit_dm);
        for (j, t) in b.cands.iter().enumerate() {
            let mut d = cells[j].map(|dm| f64::from(dm) / 10.0);
            let mut held = false;
            if s.edge == t.edge {
                let along = (t.offset_m - s.offset_m).abs();
                if let Some((_, dm, _)) = p.direct(m, s, t) {
                    let x = f64::from(dm) / 10.0;
                    d = Some(d.map_or(x, |d| d.min(x)));
                } else if along <= jitter && d.is_none_or(|x| along < x) {
                    // A step back against a one-way edge: GPS jitter, read as standing still.
                    (d, held) = (Some(along), true);
                }
            }
            if let Some(d) = d.filter(|&d| d <= limit) {
                out[i][j] = (log_transition(d, straight), held);
            }
        }
    }
    out
}

/// One unbroken chain of matched points, and the points left out of it because they were
/// within 4σ of the previous one (with the index of the matched point they follow).
#[derive(Debug, Default)]
pub(super) struct Chain {
    pub points: Vec<MatchedPoint>,
    pub thinned: Vec<(usize, usize)>,
}

fn finish(layers: &[Layer], v: &Viterbi, thinned: Vec<(usize, usize)>) -> Chain {
    let points = layers
        .iter()
        .zip(v.best())
        .map(|(l, c)| MatchedPoint {
            point: l.point,
            snapped: l.cands[c.candidate],
            share: c.share,
            alternatives: c.alternatives,
            held: c.held,
        })
        .collect();
    Chain { points, thinned }
}

/// Candidate road positions of `point` (request index) in the track.
pub(super) fn candidates_of(p: &PreparedNetwork, track: &Track, point: usize) -> Vec<Snapped> {
    let (pt, sigma) = (track.points[point], track.sigma[point]);
    let search = (4.0 * sigma).max(MIN_SEARCH_M);
    p.snap
        .within(&p.net, pt.lat, pt.lon, search, MAX_CANDIDATES)
}

/// Splits the track into unbroken chains and matches each with Viterbi. Points without
/// candidates (or tidied away) are skipped; points within 4σ of the previous used point are
/// thinned out (they carry jitter rather than movement; Newson & Krumm thin at 2σ, 4σ measured
/// better on dense noisy tracks); a time gap or
/// an unreachable point starts a new chain.
pub(super) fn match_chains(p: &PreparedNetwork, m: &Metric, track: &Track) -> Vec<Chain> {
    let mut chains = Vec::new();
    let mut layers: Vec<Layer> = Vec::new();
    let mut thinned = Vec::new();
    let mut v = Viterbi::default();
    for i in (0..track.points.len()).filter(|&i| track.keep[i]) {
        let gap = match (track.gap_s, &track.times, layers.last()) {
            (Some(g), Some(ts), Some(prev)) => ts[i] - ts[prev.point] > g,
            _ => false,
        };
        if let Some(prev) = layers.last().filter(|_| !gap) {
            let moved = track.points[i].haversine(&track.points[prev.point]).0;
            if moved < 4.0 * track.sigma[i] {
                thinned.push((i, layers.len() - 1));
                continue;
            }
        }
        let cands = candidates_of(p, track, i);
        if cands.is_empty() {
            continue;
        }
        let emission: Vec<f64> = cands
            .iter()
            .map(|c| log_emission(c.distance_m, track.sigma[i]))
            .collect();
        let layer = Layer { point: i, cands };
        if let Some(prev) = layers.last() {
            if !gap {
                let trans = transitions(p, m, track, prev, &layer, &v.alive());
                if v.step(&emission, &trans) {
                    layers.push(layer);
                    continue;
                }
            }
            chains.push(finish(&layers, &v, std::mem::take(&mut thinned)));
        }
        v = Viterbi::start(&emission);
        layers = vec![layer];
    }
    if !layers.is_empty() {
        chains.push(finish(&layers, &v, thinned));
    }
    chains
}
