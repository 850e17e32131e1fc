//! Truck bans by time of day (货车限行): OSM `:conditional` restrictions and a city's own ban
//! zones, honoured by routes with a departure time.
//!
//! * [`conditional`]: `hgv:conditional=no @ (Mo-Fr 07:00-09:00)`, `maxweight:conditional` — read
//!   at import for the truck profile and kept with each way.
//! * [`zones`]: polygons with hours and vehicle classes, loaded from GeoJSON and set at run time
//!   with [`PreparedNetwork::set_ban_zones`](crate::PreparedNetwork::set_ban_zones).
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

use crate::prepared::PreparedNetwork;
use crate::profile::{Profile, Vehicle};
use conditional::ConditionalKind;
use hours::{lift, BanHours};
use zones::{BanZone, VehicleClass};

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
    /// A ban zone.
    Zone {
        /// The zone's id.
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
    /// The zones in force.
    pub zones: Vec<BanZone>,
}

impl TimeBans {
    /// Collects the bans of `p`'s ways (truck profile only) and of `zones`.
    pub fn build(p: &PreparedNetwork, zones: Vec<BanZone>) -> TimeBans {
        let mut b = TimeBans::default();
        let mut by_text: HashMap<String, u32> = HashMap::new();
        let mut hours_id = |b: &mut TimeBans, text: &str| -> Option<u32> {
            if let Some(&i) = by_text.get(text) {
                return Some(i);
            }
            let h = BanHours::parse(text).ok()?;
            b.hours.push(h);
            let i = (b.hours.len() - 1) as u32;
            by_text.insert(text.to_string(), i);
            Some(i)
        };
        let net = &p.net;
        let mut per_edge: Vec<Vec<u32>> = vec![Vec::new(); net.edges.len()];
        if net.profile == Profile::Truck {
            let mut way_bans: HashMap<u32, Vec<u32>> = HashMap::new();
            for (e, edge) in net.edges.iter().enumerate() {
                let list = way_bans.entry(edge.way).or_insert_with(|| {
                    let way = &net.ways[edge.way as usize];
                    let mut ids = Vec::new();
                    for r in &way.conditional {
                        let Some(h) = hours_id(&mut b, &r.hours) else {
                            continue;
                        };
                        b.bans.push(Ban {
                            source: BanSource::Way {
                                osm_id: way.osm_id,
                                restriction: r.kind,
                            },
                            hours: h,
                            applies: match r.kind {
                                ConditionalKind::NoAccess => Applies::AllTrucks,
                                ConditionalKind::MaxWeight { tonnes } => {
                                    Applies::HeavierThan(tonnes)
                                }
                            },
                        });
                        ids.push((b.bans.len() - 1) as u32);
                    }
                    ids
                });
                per_edge[e].extend(list.iter().copied());
            }
            for z in &zones {
                let Some(h) = hours_id(&mut b, &z.hours) else {
                    continue;
                };
                b.bans.push(Ban {
                    source: BanSource::Zone { id: z.id.clone() },
                    hours: h,
                    applies: Applies::Classes(z.vehicles.clone()),
                });
                let id = (b.bans.len() - 1) as u32;
                let target = crate::closures::ChangeTarget::Polygon(z.polygon.clone());
                for e in p.edges_of(&target) {
                    per_edge[e as usize].push(id);
                }
            }
        }
        b.first.push(0);
        for list in per_edge {
            b.list.extend(list);
            b.first.push(b.list.len() as u32);
        }
        b.zones = zones;
        b
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
