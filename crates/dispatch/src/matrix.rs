//! The travel matrix: distance and duration between every pair of locations.
//!
//! Built from the road engine through [`wuliu_model::TravelCosts`] (see [`TravelMatrix::from_travel_costs`]),
//! or, for the academic benchmarks, from planar coordinates with an explicit rounding convention
//! ([`TravelMatrix::euclidean`]).

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, TravelCosts};

use crate::error::DispatchError;

/// How planar Euclidean distances are rounded (the VRPTW literature has no single convention).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Rounding {
    /// Full double precision (the convention of the Solomon/SINTEF best-known solutions).
    Exact,
    /// Multiply by `scale` and round *up* to an integer. Travel times can only grow, so a solution that
    /// is feasible under this matrix is also feasible under exact distances. Time windows and service
    /// times are multiplied by the same scale.
    CeilScaled {
        /// Multiplier applied before rounding, e.g. 100 for hundredths.
        scale: f64,
    },
    /// Truncate to one decimal (the DIMACS challenge convention).
    TruncateOneDecimal,
}

impl Rounding {
    /// The factor by which times and distances are multiplied under this convention.
    pub fn scale(&self) -> f64 {
        match self {
            Rounding::CeilScaled { scale } => *scale,
            _ => 1.0,
        }
    }
    /// Applies the convention to one exact distance.
    pub fn apply(&self, d: f64) -> f64 {
        match self {
            Rounding::Exact => d,
            // The small tolerance keeps exact integers (e.g. 3-4-5 triangles) from rounding up.
            Rounding::CeilScaled { scale } => (d * scale - 1e-9).ceil(),
            Rounding::TruncateOneDecimal => (d * 10.0 + 1e-9).floor() / 10.0,
        }
    }
}

/// Square matrix of distances (metres) and durations (seconds), row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MatrixRows", into = "MatrixRows")]
pub struct TravelMatrix {
    size: usize,
    distances: Vec<f64>,
    durations: Vec<f64>,
}

/// The JSON shape of a [`TravelMatrix`]: two square arrays of rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MatrixRows {
    distances: Vec<Vec<f64>>,
    durations: Vec<Vec<f64>>,
}

impl TryFrom<MatrixRows> for TravelMatrix {
    type Error = DispatchError;
    fn try_from(m: MatrixRows) -> Result<Self, DispatchError> {
        TravelMatrix::from_rows(&m.distances, &m.durations)
    }
}

impl From<TravelMatrix> for MatrixRows {
    fn from(m: TravelMatrix) -> Self {
        let n = m.size;
        let rows = |v: &Vec<f64>| -> Vec<Vec<f64>> {
            (0..n).map(|i| v[i * n..(i + 1) * n].to_vec()).collect()
        };
        MatrixRows {
            distances: rows(&m.distances),
            durations: rows(&m.durations),
        }
    }
}

impl TravelMatrix {
    /// Builds a matrix from square row arrays; both must be `n × n` with finite, non-negative entries.
    pub fn from_rows(
        distances: &[Vec<f64>],
        durations: &[Vec<f64>],
    ) -> Result<Self, DispatchError> {
        let n = distances.len();
        if durations.len() != n || distances.iter().chain(durations).any(|r| r.len() != n) {
            return Err(DispatchError::Matrix(format!(
                "distance and duration matrices must both be {n} x {n}"
            )));
        }
        let flat = |rows: &[Vec<f64>]| rows.iter().flatten().copied().collect::<Vec<_>>();
        Self::from_flat(n, flat(distances), flat(durations))
    }

    /// Builds a matrix from row-major vectors of length `n × n`.
    pub fn from_flat(
        size: usize,
        distances: Vec<f64>,
        durations: Vec<f64>,
    ) -> Result<Self, DispatchError> {
        if distances.len() != size * size || durations.len() != size * size {
            return Err(DispatchError::Matrix(format!(
                "matrices need {} entries",
                size * size
            )));
        }
        if distances
            .iter()
            .chain(&durations)
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            return Err(DispatchError::Matrix(
                "entries must be finite and >= 0 (unreachable pairs are not supported)".into(),
            ));
        }
        Ok(Self {
            size,
            distances,
            durations,
        })
    }

    /// Euclidean distances between planar points under `rounding`; durations equal distances (one
    /// distance unit per time unit, the Solomon convention).
    pub fn euclidean(points: &[(f64, f64)], rounding: Rounding) -> Self {
        let n = points.len();
        let mut d = Vec::with_capacity(n * n);
        for a in points {
            for b in points {
                d.push(rounding.apply(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()));
            }
        }
        Self {
            size: n,
            durations: d.clone(),
            distances: d,
        }
    }

    /// Asks a [`TravelCosts`] provider (normally the road engine) for all pairs of `points`.
    pub fn from_travel_costs(
        costs: &dyn TravelCosts,
        points: &[GeoPoint],
    ) -> Result<Self, DispatchError> {
        Self::from_travel_costs_at(costs, points, None)
    }

    /// [`TravelMatrix::from_travel_costs`] for trips leaving at `departure` (the road engine
    /// closes roads under truck bans in force then).
    pub fn from_travel_costs_at(
        costs: &dyn TravelCosts,
        points: &[GeoPoint],
        departure: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Result<Self, DispatchError> {
        let m = costs
            .matrix_at(points, points, departure)
            .map_err(|e| DispatchError::Matrix(e.to_string()))?;
        let n = points.len();
        let mut distances = Vec::with_capacity(n * n);
        let mut durations = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                let leg = m.get(i, j).ok_or_else(|| {
                    DispatchError::Matrix(format!("location {j} is unreachable from {i}"))
                })?;
                distances.push(leg.distance.0);
                durations.push(leg.duration.0);
            }
        }
        Self::from_flat(n, distances, durations)
    }

    /// Number of locations.
    pub fn size(&self) -> usize {
        self.size
    }
    /// Distance from `i` to `j` in metres.
    #[inline]
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        self.distances[i * self.size + j]
    }
    /// Duration from `i` to `j` in seconds.
    #[inline]
    pub fn duration(&self, i: usize, j: usize) -> f64 {
        self.durations[i * self.size + j]
    }
}
