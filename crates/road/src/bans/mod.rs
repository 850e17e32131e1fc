//! Truck bans by time of day (货车限行): OSM `:conditional` restrictions and a city's own ban
//! zones, honoured by routes with a departure time.
//!
//! * [`conditional`]: `hgv:conditional=no @ (Mo-Fr 07:00-09:00)`, `maxweight:conditional` — read
//!   at import for the truck profile and kept with each way.
//! * [`zones`]: a city's ban zones (polygons with hours and vehicle classes) read from GeoJSON;
//!   each becomes a live road change with a [`ChangeEffect::Banned`] effect, so zones are set,
//!   stored and lifted like closures (and a ban can target ways or edges as well).
//! * [`hours`]: when a ban is in force (`opening_hours` syntax, local time).
//! * `search`: the earliest-arrival search. A vehicle may not *enter* a road while a ban on it
//!   applies to it; it may wait where it is until the ban lifts (waiting keeps the problem FIFO,
//!   so a label-setting search is exact). The search is A* on the edge-based graph with exact
//!   static lower bounds taken lazily from the customised hierarchy (CH potentials): bans only
//!   ever add time, so the static fastest time is a valid, consistent bound.
//!
//! A route that starts on a banned road may leave it (the vehicle is already there). Matrices at
//! a departure time treat the bans in force at departure as closures for the whole trip (see
//! [`PreparedNetwork::table_at`](crate::PreparedNetwork::table_at)).

pub mod conditional;
pub mod hours;
pub mod legs;
pub(crate) mod potential;
pub(crate) mod search;
pub mod zones;

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::closures::{ChangeEffect, RoadChange};
use crate::prepared::PreparedNetwork;
use crate::profile::{Profile, Vehicle};
use conditional::ConditionalKind;
use hours::{lift, BanHours};
use zones::VehicleClass;

/// Where a ban comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum BanSource {
    /// An OSM way's `:conditional` tag.
    Way {
        /// The OSM way id.
        osm_id: i64,
        /// What the tag forbids.
        restriction: ConditionalKind,
    },
    /// A live road change with hours (e.g. a city's ban zone).
    Change {
        /// The change's id.
        id: String,
    },
}

/// Which vehicles a ban stops.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Applies {
    /// Every truck.
    AllTrucks,
    /// Trucks heavier than this many tonnes.
    HeavierThan(f64),
    /// Trucks of these classes.
    Classes(Vec<VehicleClass>),
}

impl Applies {
    /// Whether the ban stops `vehicle` (`None`: the class is unknown, so every ban applies).
    pub(crate) fn stops(&self, vehicle: Option<&Vehicle>) -> bool {
        let Some(v) = vehicle else { return true };
        match self {
            Applies::AllTrucks => true,
            Applies::HeavierThan(t) => v.gross_weight.0 > t * 1000.0,
            Applies::Classes(c) => c.contains(&VehicleClass::of(v)),
        }
    }
}

/// One ban on a set of road edges.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ban {
    pub source: BanSource,
    /// Index into [`TimeBans::hours`].
    pub hours: u32,
    pub applies: Applies,
}

/// Every ban of a prepared network, indexed by road edge.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TimeBans {
    /// Distinct hour expressions.
    pub hours: Vec<BanHours>,
    pub bans: Vec<Ban>,
    /// `first[e]..first[e + 1]`: indices into `list` of the bans on road edge `e`.
    pub first: Vec<u32>,
    pub list: Vec<u32>,
}

impl TimeBans {
    /// Collects the bans of `p`'s ways and of the `changes` with a
    /// [`ChangeEffect::Banned`] effect (truck profile only: a car network has none).
    pub fn build(p: &PreparedNetwork, changes: &[RoadChange]) -> TimeBans {
        let mut b = TimeBans::default();
        let net = &p.net;
        if net.profile != Profile::Truck {
            b.first = vec![0; net.edges.len() + 1];
            return b;
        }
        let mut per_edge: Vec<Vec<u32>> = vec![Vec::new(); net.edges.len()];
        let mut by_text: HashMap<String, u32> = HashMap::new();
        let mut way_bans: HashMap<u32, Vec<u32>> = HashMap::new();
        for (e, edge) in net.edges.iter().enumerate() {
            let list = way_bans.entry(edge.way).or_insert_with(|| {
                let way = &net.ways[edge.way as usize];
                let mut ids = Vec::new();
                for r in &way.conditional {
                    let applies = match r.kind {
                        ConditionalKind::NoAccess => Applies::AllTrucks,
                        ConditionalKind::MaxWeight { tonnes } => Applies::HeavierThan(tonnes),
                    };
                    let source = BanSource::Way {
                        osm_id: way.osm_id,
                        restriction: r.kind,
                    };
                    ids.extend(b.push(&mut by_text, source, &r.hours, applies));
                }
                ids
            });
            per_edge[e].extend(list.iter().copied());
        }
        for c in changes {
            let ChangeEffect::Banned { hours, vehicles } = &c.effect else {
                continue;
            };
            let source = BanSource::Change { id: c.id.clone() };
            let applies = Applies::Classes(vehicles.clone());
            if let Some(id) = b.push(&mut by_text, source, hours, applies) {
                for e in p.edges_of(&c.target) {
                    per_edge[e as usize].push(id);
                }
            }
        }
        b.first.push(0);
        for list in per_edge {
            b.list.extend(list);
            b.first.push(b.list.len() as u32);
        }
        b
    }

    /// Adds a ban (its hours parsed once per distinct text); `None` when the hours do not parse
    /// (validation refuses such changes; OSM tags were checked at import).
    fn push(
        &mut self,
        by_text: &mut HashMap<String, u32>,
        source: BanSource,
        text: &str,
        applies: Applies,
    ) -> Option<u32> {
        let hours = match by_text.get(text) {
            Some(&i) => i,
            None => {
                self.hours.push(BanHours::parse(text).ok()?);
                let i = (self.hours.len() - 1) as u32;
                by_text.insert(text.to_string(), i);
                i
            }
        };
        self.bans.push(Ban {
            source,
            hours,
            applies,
        });
        Some((self.bans.len() - 1) as u32)
    }

    /// Bans on road edge `e`.
    pub fn on_edge(&self, e: u32) -> &[u32] {
        let (a, z) = (self.first[e as usize], self.first[e as usize + 1]);
        &self.list[a as usize..z as usize]
    }

    /// Number of road edges under at least one ban.
    pub fn edges_banned(&self) -> usize {
        self.first.windows(2).filter(|w| w[1] > w[0]).count()
    }
}

/// The bans as seen by one query: a departure time and a vehicle; ban intervals are computed
/// the first time the search meets them.
pub(crate) struct ActiveBans<'a> {
    bans: &'a TimeBans,
    depart: NaiveDateTime,
    vehicle: Option<Vehicle>,
    intervals: RefCell<HashMap<u32, Vec<(u32, u32)>>>,
}

impl<'a> ActiveBans<'a> {
    pub fn new(bans: &'a TimeBans, depart: NaiveDateTime, vehicle: Option<Vehicle>) -> Self {
        ActiveBans {
            bans,
            depart,
            vehicle,
            intervals: RefCell::new(HashMap::new()),
        }
    }

    /// The earliest time `>= t` (ms after departure) at which the vehicle may enter road edge
    /// `e`, and the ban that made it wait longest, if any.
    pub fn enter(&self, e: u32, t: u32) -> (u32, Option<u32>) {
        let on = self.bans.on_edge(e);
        if on.is_empty() {
            return (t, None);
        }
        let mut cache = self.intervals.borrow_mut();
        let (mut now, mut why) = (t, None);
        loop {
            let before = now;
            for &b in on {
                let ban = &self.bans.bans[b as usize];
                if !ban.applies.stops(self.vehicle.as_ref()) {
                    continue;
                }
                let iv = cache.entry(ban.hours).or_insert_with(|| {
                    self.bans.hours[ban.hours as usize].intervals_after(self.depart)
                });
                let lifted = lift(iv, now);
                if lifted > now {
                    now = lifted;
                    why = Some(b);
                }
            }
            if now == before {
                return (now, why);
            }
        }
    }
}
