//! Turning planned trips into tracks: geometry (road network or great circles), driving, and the
//! track anomalies (ghost, borrowed, detour, teleport, fatigue).

use std::collections::HashMap;

use chrono::Duration;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;

use crate::anomaly::AnomalyKind;
use crate::drive::{drive, great_circle, DriveParams, Sample};
use crate::geo::{offset, path_length_m, Walk};
use crate::scenario::{Geometry, Scenario, Trip};

/// A route the simulator would like from the road network: the trip and its waypoints.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRequest {
    /// Trip index.
    pub trip: usize,
    /// Consignor, via point (detours), consignee.
    pub waypoints: Vec<GeoPoint>,
}

/// The random generator of one trip's track, independent of the other trips.
fn trip_rng(seed: u64, index: usize) -> ChaCha8Rng {
    let k = (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ChaCha8Rng::seed_from_u64(seed.rotate_left(17) ^ k)
}

impl Scenario {
    /// The routes to ask the road network for (every trip that drives its own track).
    pub fn route_requests(&self) -> Vec<RouteRequest> {
        self.trips
            .iter()
            .filter(|t| t.borrowed_from.is_none())
            .map(|t| RouteRequest {
                trip: t.index,
                waypoints: t.waypoints(),
            })
            .collect()
    }

    /// Drives every trip: along its road geometry in `roads` (by trip index) when there is one,
    /// otherwise along great circles; then copies the borrowed tracks and empties the ghosts'.
    pub fn realise(&mut self, roads: &HashMap<usize, Vec<GeoPoint>>) {
        let seed = self.config.seed;
        for trip in self.trips.iter_mut().filter(|t| t.borrowed_from.is_none()) {
            let mut rng = trip_rng(seed, trip.index);
            let (route, geometry) = match roads.get(&trip.index) {
                Some(road) if road.len() >= 2 => {
                    let mut r = vec![trip.consignor.point];
                    r.extend_from_slice(road);
                    r.push(trip.consignee.point);
                    (r, Geometry::Road)
                }
                _ => (
                    great_circle(&trip.waypoints(), &mut rng),
                    Geometry::GreatCircle,
                ),
            };
            drive_trip(trip, route, geometry, &mut rng);
        }
        for i in 0..self.trips.len() {
            if let Some(d) = self.trips[i].borrowed_from {
                let donor = self.trips[d].clone();
                let mut rng = trip_rng(seed, i);
                borrow(&mut self.trips[i], &donor, &mut rng);
            }
        }
    }
}

/// Drives one trip along `route` and sets its fixes and times.
fn drive_trip(trip: &mut Trip, route: Vec<GeoPoint>, geometry: Geometry, rng: &mut ChaCha8Rng) {
    let walk = Walk::new(route);
    let length = walk.length_m();
    let teleport = (trip.anomaly == Some(AnomalyKind::Teleport)).then(|| {
        let at = length * rng.gen_range(0.35..0.55);
        let jump = rng.gen_range(30_000.0..60_000.0_f64).min(0.35 * length);
        (at, jump)
    });
    let params = DriveParams {
        rests: trip.anomaly != Some(AnomalyKind::Fatigue),
        teleport,
        dwell_s: rng.gen_range(600..1200),
    };
    let fixes = drive(&walk, trip.planned_despatch, &params, rng);
    trip.despatch = fixes[0].time;
    trip.receipt = fixes.last().expect("a fix").time;
    trip.path_m = length;
    trip.geometry = geometry;
    trip.fixes = if trip.anomaly == Some(AnomalyKind::Ghost) {
        Vec::new()
    } else {
        fixes
    };
}

/// A borrowed track: the donor's fixes at the same times, a few metres off, claimed for the
/// same consignor and consignee.
fn borrow(trip: &mut Trip, donor: &Trip, rng: &mut ChaCha8Rng) {
    trip.consignor.point = donor.consignor.point;
    trip.consignor.place = donor.consignor.place.clone();
    trip.consignor.division = donor.consignor.division.clone();
    trip.consignee = donor.consignee.clone();
    trip.despatch = donor.despatch;
    trip.receipt = donor.receipt;
    trip.consignment = donor.despatch - Duration::seconds(rng.gen_range(3600..4 * 3600));
    trip.fixes = donor.fixes.iter().map(|f| nudge(f, rng)).collect();
    trip.path_m = path_length_m(&trip.fixes.iter().map(|f| f.point).collect::<Vec<_>>());
    trip.geometry = Geometry::Copied;
}

fn nudge(f: &Sample, rng: &mut ChaCha8Rng) -> Sample {
    let p = offset(f.point, rng.gen_range(0.0..360.0), rng.gen_range(0.0..15.0));
    Sample {
        point: GeoPoint {
            lat: (p.lat * 1e6).round() / 1e6,
            lon: (p.lon * 1e6).round() / 1e6,
        },
        ..*f
    }
}
