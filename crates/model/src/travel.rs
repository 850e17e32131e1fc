//! The `TravelCosts` trait: distance and time between points, shared by matching and dispatch.
//!
//! The road engine implements it on the real network; [`StraightLine`] is the clearly labelled
//! fallback for when no network is loaded.

use crate::geo::GeoPoint;
use crate::units::{Meters, Seconds};

/// Distance and duration of one origin–destination pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    /// Travelled distance.
    pub distance: Meters,
    /// Travel time.
    pub duration: Seconds,
}

/// A sources × targets matrix of legs; `None` marks an unreachable pair.
#[derive(Debug, Clone, PartialEq)]
pub struct CostMatrix {
    sources: usize,
    targets: usize,
    legs: Vec<Option<Leg>>,
}

impl CostMatrix {
    /// Builds a matrix from row-major legs; `legs.len()` must equal `sources * targets`.
    pub fn from_row_major(
        sources: usize,
        targets: usize,
        legs: Vec<Option<Leg>>,
    ) -> Result<Self, TravelCostError> {
        if legs.len() != sources * targets {
            return Err(TravelCostError::Shape {
                expected: sources * targets,
                found: legs.len(),
            });
        }
        Ok(Self {
            sources,
            targets,
            legs,
        })
    }
    /// Number of rows (sources).
    pub fn sources(&self) -> usize {
        self.sources
    }
    /// Number of columns (targets).
    pub fn targets(&self) -> usize {
        self.targets
    }
    /// The leg from source `i` to target `j`, or `None` when unreachable.
    pub fn get(&self, i: usize, j: usize) -> Option<Leg> {
        self.legs[i * self.targets + j]
    }
}

/// Why travel costs could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum TravelCostError {
    /// A point is not a valid WGS-84 coordinate.
    #[error("point {index} ({lat}, {lon}) is not a valid WGS-84 coordinate")]
    InvalidPoint {
        /// Position of the point in the request.
        index: usize,
        /// Its latitude.
        lat: f64,
        /// Its longitude.
        lon: f64,
    },
    /// A point is too far from any usable road.
    #[error("point {index} is farther than {max_snap_m} m from any usable road")]
    NoRoadNearby {
        /// Position of the point in the request.
        index: usize,
        /// The snapping radius that was searched.
        max_snap_m: f64,
    },
    /// Matrix data of the wrong size.
    #[error("matrix needs {expected} entries, got {found}")]
    Shape {
        /// Expected number of entries.
        expected: usize,
        /// Entries supplied.
        found: usize,
    },
    /// Anything else the provider reports.
    #[error("{0}")]
    Other(String),
}

/// Distance and time between points. Implementations must be usable from several threads.
pub trait TravelCosts: Send + Sync {
    /// A short label for output, e.g. `road:truck` or `straight-line`.
    fn label(&self) -> String;
    /// `true` when costs come from a real road network; `false` for estimates such as [`StraightLine`].
    fn is_road_network(&self) -> bool;
    /// Costs from every source to every target.
    fn matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
    ) -> Result<CostMatrix, TravelCostError>;
    /// Costs from every source to every target for trips leaving at `departure` (local time
    /// with its UTC offset): a road network closes the roads under truck bans in force then.
    /// The default ignores the time (costs that do not depend on it).
    fn matrix_at(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        departure: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Result<CostMatrix, TravelCostError> {
        let _ = departure;
        self.matrix(sources, targets)
    }
    /// Metres driven along a GPS track (`points[i]` fixed at `times[i]`, UNIX seconds,
    /// non-decreasing), matched onto the roads; `None` when these costs have no roads to match
    /// on or most of the track matches none (the caller then sums the straight lines between
    /// fixes, which cuts corners between sparse fixes).
    fn driven_m(&self, times: &[i64], points: &[GeoPoint]) -> Option<f64> {
        let _ = (times, points);
        None
    }
    /// Cost of a single pair; `Ok(None)` when unreachable.
    fn leg(&self, from: GeoPoint, to: GeoPoint) -> Result<Option<Leg>, TravelCostError> {
        Ok(self.matrix(&[from], &[to])?.get(0, 0))
    }
}

/// Straight-line fallback: haversine distance × a detour factor, at a constant speed.
///
/// Use only when no road network is loaded; outputs must say so (`is_road_network()` is `false`).
/// The default detour factor 1.3 is the commonly used ratio of road to great-circle distance for
/// regional trips; 45 km/h is a blended urban/interurban truck speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StraightLine {
    /// Road distance ÷ great-circle distance.
    pub detour_factor: f64,
    /// Assumed average speed in km/h.
    pub speed_kmh: f64,
}

impl Default for StraightLine {
    fn default() -> Self {
        Self {
            detour_factor: 1.3,
            speed_kmh: 45.0,
        }
    }
}

impl TravelCosts for StraightLine {
    fn label(&self) -> String {
        format!(
            "straight-line (haversine x {}, {} km/h)",
            self.detour_factor, self.speed_kmh
        )
    }
    fn is_road_network(&self) -> bool {
        false
    }
    fn matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
    ) -> Result<CostMatrix, TravelCostError> {
        for (index, p) in sources.iter().chain(targets).enumerate() {
            if !p.is_valid() {
                return Err(TravelCostError::InvalidPoint {
                    index,
                    lat: p.lat,
                    lon: p.lon,
                });
            }
        }
        let mps = self.speed_kmh / 3.6;
        let legs = sources
            .iter()
            .flat_map(|s| {
                targets.iter().map(move |t| {
                    let d = s.haversine(t).0 * self.detour_factor;
                    Some(Leg {
                        distance: Meters(d),
                        duration: Seconds(d / mps),
                    })
                })
            })
            .collect();
        CostMatrix::from_row_major(sources.len(), targets.len(), legs)
    }
}
