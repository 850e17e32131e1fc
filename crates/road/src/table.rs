//! Distance/time matrices between many points.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::error::Result;
use crate::prepared::{out_seeds, seeds, PreparedNetwork};
use crate::profile::Vehicle;
use crate::route::Waypoint;

/// A request for [`PreparedNetwork::table`] (our own JSON API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableRequest {
    /// Row points.
    pub sources: Vec<GeoPoint>,
    /// Column points; when absent, the sources are used.
    #[serde(default)]
    pub targets: Option<Vec<GeoPoint>>,
    /// The requesting vehicle; must fit within the prepared class.
    #[serde(default)]
    pub vehicle: Option<Vehicle>,
    /// Departure with its UTC offset, read on the network's local clock: roads under a truck ban in force at that
    /// moment are closed for every trip of the matrix (a matrix has no single clock along the
    /// way; routes with a departure follow the clock exactly). Without it, bans are ignored.
    #[serde(default)]
    pub departure: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// A matrix result. `None` marks an unreachable pair (never 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// `durations_s[i][j]`: seconds from source `i` to target `j`.
    pub durations_s: Vec<Vec<Option<f64>>>,
    /// `distances_m[i][j]`: metres from source `i` to target `j`.
    pub distances_m: Vec<Vec<Option<f64>>>,
    /// Snapped sources.
    pub sources: Vec<Waypoint>,
    /// Snapped targets.
    pub targets: Vec<Waypoint>,
}

impl PreparedNetwork {
    /// Many-to-many matrix with bucket-based searches on the hierarchy, parallel over rows.
    ///
    /// Cost: one upward search per source and per target plus bucket scans; a 1000 × 1000 city
    /// matrix takes a fraction of a second on two cores.
    pub fn table(&self, req: &TableRequest) -> Result<Table> {
        self.check_vehicle(req.vehicle.as_ref())?;
        let targets_pts = req.targets.as_deref().unwrap_or(&req.sources);
        let snap_all = |pts: &[GeoPoint], base: usize| {
            pts.iter()
                .enumerate()
                .map(|(i, p)| self.snap(base + i, *p))
                .collect::<Result<Vec<_>>>()
        };
        let ss = snap_all(&req.sources, 0)?;
        let ts = snap_all(targets_pts, req.sources.len())?;
        let m = match req.departure {
            Some(d) => self.metric_at(self.local_time(d), req.vehicle.or(self.vehicle)),
            None => self.metric(),
        };
        let src_seeds: Vec<_> = ss
            .iter()
            .map(|s| out_seeds(&self.phantom(&m, *s).out))
            .collect();
        let tgt_seeds: Vec<_> = ts
            .iter()
            .map(|s| seeds(&self.phantom(&m, *s).inc))
            .collect();
        let mut cells = m.ch.many_to_many(&src_seeds, &tgt_seeds);
        // Pairs on the same edge may be closer without leaving it.
        let mut by_edge: HashMap<u32, Vec<usize>> = HashMap::new();
        for (j, t) in ts.iter().enumerate() {
            by_edge.entry(t.edge).or_default().push(j);
        }
        let nt = ts.len();
        for (i, s) in ss.iter().enumerate() {
            for &j in by_edge.get(&s.edge).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some((w, d, _)) = self.direct(&m, s, &ts[j]) {
                    let cell = &mut cells[i * nt + j];
                    if cell.is_none_or(|(cw, _)| w <= cw) {
                        *cell = Some((w, d));
                    }
                }
            }
        }
        let rows = |f: fn((u32, u32)) -> f64| -> Vec<Vec<Option<f64>>> {
            (0..ss.len())
                .map(|i| {
                    cells[i * nt..(i + 1) * nt]
                        .iter()
                        .map(|c| c.map(f))
                        .collect()
                })
                .collect()
        };
        Ok(Table {
            durations_s: rows(|(w, _)| f64::from(w) / 1000.0),
            distances_m: rows(|(_, d)| f64::from(d) / 10.0),
            sources: ss.iter().map(|s| self.waypoint_of(s)).collect(),
            targets: ts.iter().map(|s| self.waypoint_of(s)).collect(),
        })
    }
}
