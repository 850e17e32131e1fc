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

impl TravelCosts for PreparedNetwork {
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
