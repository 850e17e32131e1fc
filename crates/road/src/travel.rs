//! [`TravelCosts`] for a prepared network, so matching and dispatch can use real road costs.

use wuliu_model::{CostMatrix, GeoPoint, Leg, Meters, Seconds, TravelCostError, TravelCosts};

use crate::error::RoadError;
use crate::prepared::PreparedNetwork;
use crate::table::TableRequest;

fn convert(e: RoadError) -> TravelCostError {
    match e {
        RoadError::InvalidPoint { index, lat, lon } => {
            TravelCostError::InvalidPoint { index, lat, lon }
        }
        RoadError::NoRoadNearby { index, radius_m } => TravelCostError::NoRoadNearby {
            index,
            max_snap_m: radius_m,
        },
        other => TravelCostError::Other(other.to_string()),
    }
}

/// Share of a track's fixes that must match a road for its matched distance to be used.
const MIN_MATCHED_SHARE: f64 = 0.8;

impl TravelCosts for PreparedNetwork {
    fn driven_m(&self, times: &[i64], points: &[GeoPoint]) -> Option<f64> {
        if points.len() < 2 || times.len() != points.len() {
            return None;
        }
        let (mut total, mut matched, mut start) = (0.0, 0, 0);
        // Chunks of the matcher's limit, overlapping by one fix so no stretch is lost.
        while start + 1 < points.len() {
            let end = (start + crate::matching::MAX_MATCH_POINTS).min(points.len());
            let d = self
                .driven(&times[start..end], &points[start..end], None)
                .ok()?;
            total += d.distance_m;
            matched += d.matched_points - usize::from(start > 0 && d.matched_points > 0);
            start = end - 1;
        }
        (matched as f64 >= MIN_MATCHED_SHARE * points.len() as f64).then_some(total)
    }

    fn label(&self) -> String {
        PreparedNetwork::label(self)
    }
    fn is_road_network(&self) -> bool {
        true
    }
    fn matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
    ) -> Result<CostMatrix, TravelCostError> {
        self.matrix_at(sources, targets, None)
    }
    fn matrix_at(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        departure: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Result<CostMatrix, TravelCostError> {
        let t = self
            .table(&TableRequest {
                sources: sources.to_vec(),
                targets: Some(targets.to_vec()),
                vehicle: None,
                departure,
            })
            .map_err(convert)?;
        let legs = t
            .durations_s
            .iter()
            .zip(&t.distances_m)
            .flat_map(|(dr, mr)| {
                dr.iter().zip(mr).map(|(d, m)| match (d, m) {
                    (Some(d), Some(m)) => Some(Leg {
                        distance: Meters(*m),
                        duration: Seconds(*d),
                    }),
                    _ => None,
                })
            })
            .collect();
        CostMatrix::from_row_major(sources.len(), targets.len(), legs)
    }
}
