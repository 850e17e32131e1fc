//! The Viterbi algorithm in log space over the candidate layers of one unbroken chain.

/// One layer: best log probability of ending at each candidate, and the previous candidate on
/// that best path with whether the step from it was standing still.
type Layer = (Vec<f64>, Vec<(u32, bool)>);

/// Scores and back pointers of every layer pushed so far.
#[derive(Debug, Default)]
pub(super) struct Viterbi {
    layers: Vec<Layer>,
}

/// The chosen candidate of one layer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chosen {
    pub candidate: usize,
    /// Its share of the layer's probability mass (0–1).
    pub share: f64,
    /// Other candidates holding at least 1 % of the mass.
    pub alternatives: usize,
    /// Whether the step into this layer was read as standing still (GPS jitter).
    pub held: bool,
}

fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + xs.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

impl Viterbi {
    /// A chain starting with a layer of the given emission log probabilities.
    pub fn start(emission: &[f64]) -> Self {
        Viterbi {
            layers: vec![(emission.to_vec(), vec![(0, false); emission.len()])],
        }
    }

    /// Which candidates of the last layer can still be on a path.
    pub fn alive(&self) -> Vec<bool> {
        self.layers
            .last()
            .map(|(s, _)| s.iter().map(|x| x.is_finite()).collect())
            .unwrap_or_default()
    }

    /// Adds a layer; `trans[i][j]` is the log probability of going from candidate `i` of the
    /// last layer to candidate `j` of the new one (−∞: impossible) and whether that step is
    /// standing still. Returns `false`, and adds nothing, when no candidate of the new layer can
    /// be reached (a break).
    pub fn step(&mut self, emission: &[f64], trans: &[Vec<(f64, bool)>]) -> bool {
        let Some((prev, _)) = self.layers.last() else {
            *self = Viterbi::start(emission);
            return true;
        };
        let mut score = vec![f64::NEG_INFINITY; emission.len()];
        let mut parent = vec![(0u32, false); emission.len()];
        for (i, (&p, row)) in prev.iter().zip(trans).enumerate() {
            if !p.is_finite() {
                continue;
            }
            for (j, &(t, held)) in row.iter().enumerate() {
                if p + t > score[j] {
                    score[j] = p + t;
                    parent[j] = (i as u32, held);
                }
            }
        }
        for (s, e) in score.iter_mut().zip(emission) {
            *s += e;
        }
        if score.iter().all(|s| !s.is_finite()) {
            return false;
        }
        self.layers.push((score, parent));
        true
    }

    /// The most probable sequence of candidates, one per layer.
    pub fn best(&self) -> Vec<Chosen> {
        let Some((last, _)) = self.layers.last() else {
            return Vec::new();
        };
        let mut c = (0..last.len())
            .max_by(|&a, &b| last[a].total_cmp(&last[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let mut out = Vec::with_capacity(self.layers.len());
        for (score, parent) in self.layers.iter().rev() {
            let total = log_sum_exp(score);
            let share = |k: usize| (score[k] - total).exp();
            out.push(Chosen {
                candidate: c,
                share: share(c),
                alternatives: (0..score.len())
                    .filter(|&k| k != c && share(k) >= 0.01)
                    .count(),
                held: parent[c].1,
            });
            c = parent[c].0 as usize;
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_path_with_the_best_total_not_the_best_first_layer() {
        // Layer 0 slightly prefers candidate 0, but only candidate 1 leads on cheaply.
        let mut v = Viterbi::start(&[-1.0, -1.5]);
        let inf = f64::NEG_INFINITY;
        assert!(v.step(&[-1.0], &[vec![(-10.0, false)], vec![(-1.0, true)]]));
        let best = v.best();
        assert_eq!(best.len(), 2);
        assert_eq!(best[0].candidate, 1);
        assert_eq!(best[1].candidate, 0);
        assert!(best[1].held && !best[0].held);
        assert!((best[1].share - 1.0).abs() < 1e-12);
        // A layer nothing can reach is refused and leaves the chain as it was.
        assert!(!v.step(&[-1.0, -2.0], &[vec![(inf, false), (inf, false)]]));
        assert_eq!(v.best().len(), 2);
    }
}
