//! # wuliu-road: the Wuliu road engine
//!
//! A synchronous library: no HTTP, no SQL, no async. The tour:
//!
//! 1. **Import** an OpenStreetMap PBF extract with [`RoadNetwork::import_pbf`] for a [`Profile`]
//!    (`car` or `truck`; speeds, access, oneways, turn restrictions and legal limits are described
//!    in [`profile`]).
//! 2. **Prepare** it for a vehicle class with [`PreparedNetwork::prepare`]: roads whose limits the
//!    vehicle exceeds are dropped, an edge-based graph carries turn restrictions and turn delays
//!    (see [below](crate#turns-edge-based-graph)), and a contraction hierarchy is built. Save it with
//!    [`PreparedNetwork::save`], load it with [`PreparedNetwork::load`].
//! 3. **Query**: [`PreparedNetwork::snap`] a coordinate onto the nearest usable road (grid index,
//!    tiny disconnected islands excluded), [`PreparedNetwork::route`] between points (distance,
//!    duration, GeoJSON/polyline geometry, steps), [`PreparedNetwork::table`] for many-to-many
//!    matrices (bucket-based, parallel). Unreachable pairs are `None`, never 0.
//! 4. **Interfaces**: [`osrm`] builds OSRM-shaped `route/v1` and `table/v1` responses from the
//!    URL parts; [`RouteRequest`]/[`TableRequest`] are our own JSON API; [`PreparedNetwork`]
//!    implements [`wuliu_model::TravelCosts`] for matching and dispatch.
//!
//! ## Turns: edge-based graph
//! The routing graph has one node per usable direction of each road edge and one arc per allowed
//! turn (as OSRM does). A forbidden turn is a missing arc, so `no_*` and `only_*` restrictions
//! with a via *node* cost nothing at query time (via-way restrictions are counted and skipped);
//! each arc carries OSRM `car.lua`'s turn delay (left turns dearer than right turns, U-turns only
//! at dead ends, +20 s), and each traffic signal passed adds 2 s.
//!
//! ## Threads and cost
//! [`PreparedNetwork`] is immutable and `Sync`: share one (e.g. in an `Arc`) between threads.
//! Point queries use per-thread search buffers (no allocation proportional to the network per
//! query); [`PreparedNetwork::table`] and [`PreparedNetwork::route_batch`] run on rayon's global
//! pool. Preparation is sequential.
//!
//! ## Truck limits and the hierarchy
//! Limits are applied when preparing, so each truck class gets its own hierarchy (limits are a
//! hard filter, not a penalty). A request for a vehicle bigger than the class is refused.
//!
//! ## Example
//! ```
//! use wuliu_road::{OsmData, OsmWay, PreparedNetwork, Profile, RoadNetwork, RouteRequest};
//! use wuliu_model::GeoPoint;
//!
//! let tags = |v: &str| vec![("highway".to_string(), v.to_string())];
//! let data = OsmData {
//!     nodes: vec![(1, 24.30, 109.40), (2, 24.30, 109.41), (3, 24.31, 109.41)],
//!     ways: vec![
//!         OsmWay { id: 10, nodes: vec![1, 2], tags: tags("primary") },
//!         OsmWay { id: 11, nodes: vec![2, 3], tags: tags("residential") },
//!     ],
//!     ..OsmData::default()
//! };
//! let net = RoadNetwork::from_osm(&data, Profile::Car)?;
//! let prepared = PreparedNetwork::prepare(net, None);
//! let req = RouteRequest {
//!     points: vec![GeoPoint { lat: 24.30, lon: 109.40 }, GeoPoint { lat: 24.31, lon: 109.41 }],
//!     steps: true,
//!     vehicle: None,
//!     departure: None,
//! };
//! let route = prepared.route(&req)?.expect("connected");
//! assert!((route.distance_m - 2126.0).abs() < 10.0);
//! assert_eq!(route.legs[0].steps.first().unwrap().maneuver.kind, "depart");
//! # Ok::<(), wuliu_road::RoadError>(())
//! ```

#![warn(missing_docs)]

pub mod bans;
mod cch;
mod ch;
mod closures;
mod codec;
mod components;
mod error;
mod graph;
mod import;
pub mod isochrone;
mod lines;
pub mod matching;
mod metric;
mod nearest;
mod network;
pub mod oracle;
pub mod osrm;
pub mod osrm_match;
pub mod osrm_nearest;
pub mod osrm_trip;
pub mod polyline;
mod prepared;
pub mod profile;
mod route;
mod snap;
mod table;
mod travel;
pub mod trip;

pub use bans::legs::BanWait;
pub use bans::zones::{zones_from_geojson, BanZone, VehicleClass};
pub use closures::{
    ChangeEffect, ChangeReport, ChangeTarget, InvalidChange, RoadChange, MAX_CHANGES,
    MAX_CHANGE_ID_LEN,
};
pub use error::{Result, RoadError};
pub use import::{ImportPhase, ImportProgress};
pub use isochrone::{Isochrone, IsochroneRequest};
pub use lines::RoadLine;
pub use matching::{Driven, MatchRequest, MatchResult, Matching, Tracepoint};
pub use nearest::{Nearest, MAX_NEAREST};
pub use network::{
    ImportStats, MemberKind, OsmData, OsmRelation, OsmWay, RawRestriction, RoadNetwork, WayInfo,
};
pub use prepared::{
    PreparePhase, PrepareProgress, PreparedNetwork, DEFAULT_SNAP_RADIUS_M, DEFAULT_UTC_OFFSET_S,
};
pub use profile::{Limits, Profile, Vehicle};
pub use route::{Maneuver, Route, RouteLeg, RouteRequest, Step, Waypoint};
pub use snap::Snapped;
pub use table::{Table, TableRequest};
pub use trip::{Trip, TripRequest, TripShape};
