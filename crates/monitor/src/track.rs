//! Columnar GNSS tracks: one vehicle's fixes sorted by time, cheap to hold by the million.

use std::ops::Range;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Position};

/// One vehicle's fixes as parallel columns, sorted by time (Unix seconds, UTC).
///
/// Five million fixes take about 140 MB this way, against well over half a gigabyte as [`Position`]s.
/// Build it with [`Track::push`] or [`Track::from_positions`]; the engine sorts a copy of any track that is
/// not sorted or whose columns differ in length.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Track {
    /// GNSS time of each fix, seconds since the Unix epoch.
    pub time: Vec<i64>,
    /// Latitude of each fix, WGS-84 degrees.
    pub lat: Vec<f64>,
    /// Longitude of each fix, WGS-84 degrees.
    pub lon: Vec<f64>,
    /// Ground speed of each fix, km/h.
    pub speed_kmh: Vec<f32>,
}

impl Track {
    /// An empty track with room for `n` fixes.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            time: Vec::with_capacity(n),
            lat: Vec::with_capacity(n),
            lon: Vec::with_capacity(n),
            speed_kmh: Vec::with_capacity(n),
        }
    }

    /// Appends a fix given in raw columns.
    pub fn push_raw(&mut self, time_s: i64, lat: f64, lon: f64, speed_kmh: f32) {
        self.time.push(time_s);
        self.lat.push(lat);
        self.lon.push(lon);
        self.speed_kmh.push(speed_kmh);
    }

    /// Appends a fix.
    pub fn push(&mut self, time: DateTime<Utc>, point: GeoPoint, speed_kmh: f64) {
        self.push_raw(time.timestamp(), point.lat, point.lon, speed_kmh as f32);
    }

    /// Appends a position (its vehicle ID is not checked).
    pub fn push_position(&mut self, p: &Position) {
        self.push(p.time, p.point, p.speed_kmh);
    }

    /// A sorted track from positions of one vehicle, in any order.
    pub fn from_positions<'a>(positions: impl IntoIterator<Item = &'a Position>) -> Self {
        let mut t = Self::default();
        for p in positions {
            t.push_position(p);
        }
        t.normalise();
        t
    }

    /// Number of fixes (of the shortest column).
    pub fn len(&self) -> usize {
        self.time
            .len()
            .min(self.lat.len())
            .min(self.lon.len())
            .min(self.speed_kmh.len())
    }

    /// Whether the track has no fix.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the columns have one length and the times never decrease.
    pub fn is_well_formed(&self) -> bool {
        let n = self.time.len();
        self.lat.len() == n
            && self.lon.len() == n
            && self.speed_kmh.len() == n
            && self.time.windows(2).all(|w| w[0] <= w[1])
    }

    /// Truncates the columns to one length, sorts by time and keeps one fix per instant.
    pub fn normalise(&mut self) {
        let n = self.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| self.time[i]);
        order.dedup_by_key(|i| self.time[*i]);
        let mut out = Self::with_capacity(order.len());
        for i in order {
            out.push_raw(self.time[i], self.lat[i], self.lon[i], self.speed_kmh[i]);
        }
        *self = out;
    }

    /// Indices of the fixes with `start ≤ time ≤ end` (a well-formed track is assumed).
    pub fn range(&self, start: i64, end: i64) -> Range<usize> {
        let a = self.time.partition_point(|&t| t < start);
        let b = self.time.partition_point(|&t| t <= end).max(a);
        a..b
    }

    /// The point of fix `i`.
    pub fn point(&self, i: usize) -> GeoPoint {
        GeoPoint {
            lat: self.lat[i],
            lon: self.lon[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_sorts_dedups_and_truncates_ragged_columns() {
        let mut t = Track::default();
        t.push_raw(30, 1.0, 1.0, 10.0);
        t.push_raw(10, 2.0, 2.0, 20.0);
        t.push_raw(30, 3.0, 3.0, 30.0);
        t.lat.push(9.0);
        assert!(!t.is_well_formed());
        t.normalise();
        assert!(t.is_well_formed());
        assert_eq!(t.time, [10, 30]);
        assert_eq!(t.lat, [2.0, 1.0]);
        assert_eq!(t.range(11, 30), 1..2);
        assert_eq!(t.range(40, 20), 2..2);
    }
}
