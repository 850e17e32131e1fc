//! Engine input: the relief item catalogue, stockpiles with their lots, requests, the emergency fleet
//! and the travel table.
//!
//! Every identifier is a caller-chosen string; the engine refers to objects by these ids in its output.
//! Times are seconds from the plan start (`t = 0`, when the plan is computed); lot expiry is a day
//! number from the plan start day (see [`Lot::expires_day`]).

use serde::{Deserialize, Serialize};

/// Most requests one problem may hold.
pub const MAX_REQUESTS: usize = 2_000;
/// Most stockpiles one problem may hold.
pub const MAX_STOCKPILES: usize = 500;
/// Most catalogue items one problem may hold.
pub const MAX_ITEMS: usize = 500;
/// Most vehicles one problem may hold.
pub const MAX_VEHICLES: usize = 5_000;
/// Most lots one stockpile may hold.
pub const MAX_LOTS_PER_STOCKPILE: usize = 10_000;
/// Largest quantity (units) of one lot or one request line; keeps every sum exact in `f64`.
pub const MAX_QUANTITY: u64 = 1_000_000_000;

/// A relief item in the catalogue (water, rice, tents, sandbags, medicine…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Caller's id, unique among items.
    pub id: String,
    /// Display name (Chinese first, e.g. `"瓶装水 Bottled water"`).
    pub name: String,
    /// Counting unit (`"箱"`, `"顶"`, `"袋"`); quantities everywhere are whole units.
    pub unit: String,
    /// Weight of one unit in kilograms (> 0).
    pub unit_weight_kg: f64,
    /// Volume of one unit in cubic metres (> 0).
    pub unit_volume_m3: f64,
    /// Nominal shelf life, informative only: expiry is carried per lot.
    #[serde(default)]
    pub shelf_life_days: Option<u32>,
}

/// Who holds a stockpile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Holder {
    /// A government reserve (政府储备).
    Government,
    /// An agreement reserve held by an enterprise under contract (协议储备).
    Agreement {
        /// The enterprise holding the goods.
        enterprise: String,
    },
}

/// A quantity of one item in a stockpile with one expiry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lot {
    /// Item id (must be in the catalogue).
    pub item: String,
    /// Units on hand (> 0).
    pub quantity: u64,
    /// Day number from the plan start day at which the lot expires: the lot may be used by a delivery
    /// arriving strictly before `expires_day × 86 400` seconds. `None` never expires. A lot with
    /// `expires_day = 0` is already expired and never used.
    #[serde(default)]
    pub expires_day: Option<u32>,
}

/// An emergency stockpile (应急储备库) at a facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stockpile {
    /// Caller's id, unique among stockpiles.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Longitude (WGS-84 degrees).
    pub lon: f64,
    /// Latitude (WGS-84 degrees).
    pub lat: f64,
    /// Government or agreement reserve.
    pub holder: Holder,
    /// Goods on hand, by lot.
    pub lots: Vec<Lot>,
}

/// One requested item and quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    /// Item id (must be in the catalogue; at most one line per item in a request).
    pub item: String,
    /// Units needed (> 0).
    pub quantity: u64,
}

/// A demand point (shelter, hospital, village) asking for goods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Caller's id, unique among requests.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Longitude (WGS-84 degrees).
    pub lon: f64,
    /// Latitude (WGS-84 degrees).
    pub lat: f64,
    /// 1 = life-critical, 2 = urgent, 3 = important, 4 = routine; see [`priority_weight`].
    pub priority: u8,
    /// Seconds from the plan start by which the goods should arrive (later arrivals are penalised).
    pub deadline_s: u64,
    /// Items needed.
    pub lines: Vec<RequestLine>,
}

/// A vehicle of the emergency fleet, based at a stockpile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Caller's id, unique among vehicles.
    pub id: String,
    /// Id of the stockpile it loads at (its home depot).
    pub stockpile: String,
    /// Payload in kilograms (> 0).
    pub capacity_kg: f64,
    /// Load volume in cubic metres (> 0).
    pub capacity_m3: f64,
    /// Holds an emergency green-channel pass (应急通行证). When [`Problem::green_pass_required`] is set,
    /// vehicles without one are left out of the plan.
    pub green_pass: bool,
    /// Seconds from the plan start at which it can be loaded.
    #[serde(default)]
    pub available_from_s: u64,
}

/// One road leg: driving time and distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    /// Driving time in seconds.
    pub seconds: u32,
    /// Driving distance in metres.
    pub metres: u32,
}

/// Travel table filled by the caller from the road engine with closures applied; `None` (JSON `null`)
/// where no open road exists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TravelTimes {
    /// `from_stockpile[s][r]`: stockpile `s` to request `r` (indices in [`Problem`] order).
    pub from_stockpile: Vec<Vec<Option<Leg>>>,
    /// `between_requests[a][b]`: request `a` to request `b`, used for routes; may be empty when routes
    /// are not needed.
    #[serde(default)]
    pub between_requests: Vec<Vec<Option<Leg>>>,
}

/// The whole engine input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Item catalogue.
    pub items: Vec<Item>,
    /// Stockpiles.
    pub stockpiles: Vec<Stockpile>,
    /// Open requests.
    pub requests: Vec<Request>,
    /// Emergency fleet.
    pub vehicles: Vec<Vehicle>,
    /// Travel table.
    pub travel: TravelTimes,
    /// Only vehicles with a green-channel pass may be used (default `false`).
    #[serde(default)]
    pub green_pass_required: bool,
    /// Planning horizon in seconds from the start: no truck trip may start after it and every
    /// vehicle's working time ends there. Default: the latest request deadline plus 12 hours.
    #[serde(default)]
    pub horizon_s: Option<u64>,
    /// Loading plus unloading time of one truckload, in seconds (default 1 800).
    #[serde(default = "default_handling_s")]
    pub handling_s: u32,
}

fn default_handling_s() -> u32 {
    1_800
}

/// Weight of one kilogram of unmet demand by request priority: 1 → 1 000, 2 → 100, 3 → 10,
/// 4 → 1 (any other value → 1). Each level counts ten times the next, so a kilogram for a life-critical
/// request outweighs ten for an urgent one.
pub fn priority_weight(priority: u8) -> f64 {
    match priority {
        1 => 1_000.0,
        2 => 100.0,
        3 => 10.0,
        _ => 1.0,
    }
}
