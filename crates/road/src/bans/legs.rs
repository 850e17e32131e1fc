//! The network's side of bans: building and replacing them, and legs searched with a
//! departure time.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::search::earliest_arrival;
use super::{potential::ChPotential, ActiveBans, TimeBans};
use crate::metric::Metric;
use crate::prepared::{out_seeds, seeds, Phantom, PreparedNetwork};
use crate::route::{LegPath, PieceWait};
use crate::snap::Snapped;

/// A stop on a route to let a ban lift before entering a road.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BanWait {
    /// `[lon, lat]` where the vehicle waits (the start of the banned road).
    pub location: [f64; 2],
    /// Seconds after the route's departure at which the wait begins.
    pub after_s: f64,
    /// How long it waits, seconds.
    pub wait_s: f64,
    /// What it waits for.
    pub ban: serde_json::Value,
    /// The ban's hours (`opening_hours` syntax).
    pub hours: String,
}

/// Metrics with bans closed, by (base metric, active ban ids); the few most recent. The base
/// is held, so its address cannot be reused by another metric while the entry lives.
pub(crate) type BanMetrics = Vec<((Arc<Metric>, Vec<u32>), Arc<Metric>)>;

/// How many ban metrics are kept.
const BAN_METRICS_KEPT: usize = 8;

impl PreparedNetwork {
    /// Builds the OSM conditional bans into the metric in force (no changes yet).
    pub(crate) fn with_osm_bans(self) -> Self {
        let bans = Arc::new(TimeBans::build(&self, &[]));
        let mut m = (*self.metric()).clone();
        m.bans = bans;
        *self.metric.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(m);
        self
    }

    /// The bans in force: take once per query.
    pub(crate) fn bans(&self) -> Arc<TimeBans> {
        Arc::clone(&self.metric().bans)
    }

    /// The network's local time (the clock bans are posted in); UTC+8 unless set.
    pub fn utc_offset(&self) -> chrono::FixedOffset {
        let s = self.utc_offset_s.load(std::sync::atomic::Ordering::Relaxed);
        chrono::FixedOffset::east_opt(s).expect("offsets are checked when set")
    }

    /// Sets the network's local time (e.g. UTC+1 for an extract of Andorra).
    pub fn set_utc_offset(&self, offset: chrono::FixedOffset) {
        self.utc_offset_s.store(
            offset.local_minus_utc(),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// `at` on the network's local clock.
    pub fn local_time<Tz: chrono::TimeZone>(
        &self,
        at: chrono::DateTime<Tz>,
    ) -> chrono::NaiveDateTime {
        at.with_timezone(&self.utc_offset()).naive_local()
    }

    /// The earliest-arrival leg from `s` to `t` leaving at `start_ms` after the route's
    /// departure; the path's weight is the leg's duration including waits.
    pub(crate) fn leg_path_at(
        &self,
        s: &Snapped,
        t: &Snapped,
        bans: &ActiveBans,
        start_ms: u32,
    ) -> Option<LegPath> {
        let m = self.metric();
        let ps = self.phantom(&m, *s);
        let pt = self.phantom(&m, *t);
        let mut sources = out_seeds(&ps.out);
        for x in &mut sources {
            x.weight = x.weight.saturating_add(start_ms);
        }
        let targets = seeds(&pt.inc);
        // Bans only add time: the static fastest path, if no ban meets it on its own clock, is
        // the earliest arrival (and costs one hierarchy query).
        if let Some(path) = self.static_if_clear(&m, (s, t), (&ps, &pt), bans, start_ms) {
            return Some(path);
        }
        let mut potential = ChPotential::new(&m.ch, &targets);
        let found = earliest_arrival(
            &self.graph,
            &m,
            bans,
            &sources,
            &targets,
            Some(&mut potential),
        );
        let direct = self.direct(&m, s, t);
        match (found, direct) {
            (found, Some((w, d, _)))
                if found.as_ref().is_none_or(|f| w <= f.arrival_ms - start_ms) =>
            {
                Some(LegPath::along_one_edge(s, t, w, d))
            }
            (Some(f), _) => {
                let (_, fwd, pending) = ps.out[f.source_seed];
                let inc = pt.inc[f.target_seed].1;
                Some(LegPath {
                    weight: f.arrival_ms - start_ms,
                    dist: f.dist,
                    pieces: self.pieces_along(s, t, (fwd, pending), &f.arcs, inc),
                    // Piece 0 is the rest of the start edge; the wait before arc `at` comes
                    // before piece `at + 1`.
                    waits: f
                        .waits
                        .iter()
                        .map(|w| PieceWait {
                            piece: w.at + 1,
                            from_ms: w.from_ms - start_ms,
                            wait_ms: w.wait_ms,
                            ban: w.ban,
                        })
                        .collect(),
                })
            }
            (None, _) => None,
        }
    }

    /// Travel time in milliseconds (driving and waiting for bans) and length in metres of the
    /// earliest arrival from `s` to `t` leaving at local time `departure` with `vehicle`
    /// (`None`: the prepared class); `None` when unreachable. The time-dependent counterpart of
    /// [`PreparedNetwork::shortest`].
    pub fn shortest_at(
        &self,
        s: &Snapped,
        t: &Snapped,
        departure: chrono::NaiveDateTime,
        vehicle: Option<crate::profile::Vehicle>,
    ) -> Option<(u32, f64)> {
        let bans = self.bans();
        let active = ActiveBans::new(&bans, departure, vehicle.or(self.vehicle));
        self.leg_path_at(s, t, &active, 0)
            .map(|p| (p.weight, f64::from(p.dist) / 10.0))
    }

    /// The metric for a whole trip leaving at `departure`: the live metric with every road
    /// under a ban in force at `departure` (for `vehicle`) closed. Customised on first use and
    /// kept (the few most recent), so a day's worth of matrices customises once per ban period.
    pub(crate) fn metric_at(
        &self,
        departure: chrono::NaiveDateTime,
        vehicle: Option<crate::profile::Vehicle>,
    ) -> Arc<Metric> {
        let m = self.metric();
        let bans = &m.bans;
        let active: Vec<u32> = (0..bans.bans.len() as u32)
            .filter(|&b| {
                let ban = &bans.bans[b as usize];
                ban.applies.stops(vehicle.as_ref())
                    && bans.hours[ban.hours as usize].active_at(departure)
            })
            .collect();
        if active.is_empty() {
            return m;
        }
        let mut cache = self.ban_metrics.lock().unwrap_or_else(|e| e.into_inner());
        let hit = cache
            .iter()
            .find(|((base, ids), _)| Arc::ptr_eq(base, &m) && *ids == active);
        if let Some((_, banned)) = hit {
            return Arc::clone(banned);
        }
        let mut weight = m.state_weight.clone();
        for e in 0..self.net.edges.len() as u32 {
            if bans
                .on_edge(e)
                .iter()
                .any(|b| active.binary_search(b).is_ok())
            {
                weight[2 * e as usize] = u32::MAX;
                weight[2 * e as usize + 1] = u32::MAX;
            }
        }
        let mut banned = Metric::new(&self.graph, &self.cch, weight);
        banned.changes = m.changes.clone();
        banned.bans = Arc::clone(&m.bans);
        let banned = Arc::new(banned);
        if cache.len() >= BAN_METRICS_KEPT {
            cache.remove(0);
        }
        cache.push(((m, active), Arc::clone(&banned)));
        banned
    }

    /// The static fastest leg when no ban stops it on its own timing, else `None`.
    fn static_if_clear(
        &self,
        m: &Metric,
        (s, t): (&Snapped, &Snapped),
        (ps, pt): (&Phantom, &Phantom),
        bans: &ActiveBans,
        start_ms: u32,
    ) -> Option<LegPath> {
        let f =
            m.ch.shortest_path(&out_seeds(&ps.out), &seeds(&pt.inc), true)?;
        if self.direct(m, s, t).is_some_and(|(w, _, _)| w <= f.weight) {
            return None; // the searches below weigh the same-edge case themselves
        }
        let (first, fwd, pending) = ps.out[f.source_seed];
        let mut clock = start_ms.saturating_add(first.weight);
        for &a in &f.arcs {
            let arc = &self.graph.arcs[a as usize];
            if bans.enter(arc.tail / 2, clock).0 != clock {
                return None;
            }
            clock = clock.saturating_add(m.arc_weight(&self.graph, arc));
        }
        let (last, inc) = pt.inc[f.target_seed];
        if bans.enter(last.node / 2, clock).0 != clock {
            return None;
        }
        Some(LegPath {
            weight: f.weight,
            dist: f.dist,
            pieces: self.pieces_along(s, t, (fwd, pending), &f.arcs, inc),
            waits: Vec::new(),
        })
    }

    /// Describes a wait found by a search.
    pub(crate) fn ban_wait(
        &self,
        bans: &TimeBans,
        w: &PieceWait,
        at: [f64; 2],
        leg_start_ms: u32,
    ) -> BanWait {
        let ban = &bans.bans[w.ban as usize];
        BanWait {
            location: at,
            after_s: f64::from(leg_start_ms + w.from_ms) / 1000.0,
            wait_s: f64::from(w.wait_ms) / 1000.0,
            ban: serde_json::to_value(&ban.source).unwrap_or_default(),
            hours: bans.hours[ban.hours as usize].text().to_string(),
        }
    }
}
