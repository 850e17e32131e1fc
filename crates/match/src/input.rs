//! Matching inputs: open loads, available vehicles and the cost configuration.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{Driver, GeoPoint, Load, LoadId, Seconds, Vehicle, VehicleId};

/// A load waiting for a vehicle: the stored [`Load`] record with its ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpenLoad {
    /// The load's ID.
    pub id: LoadId,
    /// The stored load record.
    pub load: Load,
}

fn default_driving() -> Seconds {
    Seconds(DEFAULT_DRIVING_S)
}

/// Daily driving allowance used when a vehicle does not state its remaining driving time (8 h).
pub const DEFAULT_DRIVING_S: f64 = 8.0 * 3600.0;

/// A vehicle that can take loads: the stored [`Vehicle`] with where and when it becomes free,
/// its driver(s) and the driving time they have left today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AvailableVehicle {
    /// The vehicle's ID.
    pub id: VehicleId,
    /// The stored vehicle record.
    pub vehicle: Vehicle,
    /// Current (or expected) position when it becomes free.
    pub position: GeoPoint,
    /// When it becomes free at `position`.
    pub free_from: DateTime<Utc>,
    /// Driver(s) on board; at least one is needed.
    #[serde(default)]
    pub drivers: Vec<Driver>,
    /// Driving time the crew has left today (default 8 h).
    #[serde(default = "default_driving")]
    pub remaining_driving: Seconds,
    /// When the crew's working day ends, if known. It is not a hard limit: it tells matching
    /// when the vehicle will head home, so trips that end near or after it count their return leg
    /// in full (see [`MatchConfig::return_ramp_h`]), steering the day's last loads towards home.
    #[serde(default)]
    pub available_until: Option<DateTime<Utc>>,
}

impl AvailableVehicle {
    /// How much the return leg of a trip that leaves the vehicle free at `done` counts:
    /// `return_weight`, rising to 1 over the last `return_ramp_h` hours before `available_until`.
    pub fn return_weight(&self, done: DateTime<Utc>, c: &MatchConfig) -> f64 {
        let base = c.return_weight.clamp(0.0, 1.0);
        let Some(until) = self.available_until else {
            return base;
        };
        let ramp = (c.return_ramp_h * 3600.0).max(1.0);
        let left = (until - done).num_seconds() as f64;
        let x = (1.0 - left / ramp).clamp(0.0, 1.0);
        base + (1.0 - base) * x
    }

    /// Where the vehicle returns at the end of its day: its home base, else its current position.
    pub fn home(&self) -> GeoPoint {
        self.vehicle.home_base.unwrap_or(self.position)
    }
}

/// Costs, limits and search parameters of a matching run. Every field has a documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Operating cost per driven km (fuel, tolls, wear), CNY. Default 3.0.
    pub cost_per_km: f64,
    /// Crew cost per driving hour, CNY. Default 60.
    pub cost_per_hour: f64,
    /// Extra objective penalty per empty km (deadhead and return), CNY. Default 2.0.
    pub empty_km_penalty: f64,
    /// Objective penalty per hour a vehicle waits at a pickup for its window to open, CNY; it
    /// steers vehicles towards their earliest useful load, which leaves room for follow-on loads.
    /// Default 20.
    pub waiting_cost_per_hour: f64,
    /// Weight of the expected return-to-base leg in the objective: 1 treats every trip as the
    /// vehicle's last of the day; lower values suit rolling dispatch where vehicles keep working.
    /// Default 1.
    pub return_weight: f64,
    /// For vehicles with `available_until`: over the last this many hours before it, the weight
    /// of a trip's return leg rises linearly from `return_weight` to 1 (a trip ending then is
    /// likely the day's last). Default 3.
    pub return_ramp_h: f64,
    /// Objective bonus per served load, so the plan serves as many loads as it can before it
    /// optimises money. Default 2000 CNY.
    pub serve_bonus: f64,
    /// Pairs whose margin is below this are not offered (CNY). Default: none.
    pub min_margin: Option<f64>,
    /// Time to load at the origin, seconds. Default 1800.
    pub loading_s: f64,
    /// Time to unload at the destination, seconds. Default 1800.
    pub unloading_s: f64,
    /// Straight-line radius around a pickup in which vehicles are considered, km. Default 150.
    pub max_deadhead_km: f64,
    /// Nearest feasible vehicles kept per load (0 = all; the assignment is exact on the kept
    /// candidate graph). Default 40.
    pub candidates_per_load: usize,
    /// Speed no truck exceeds, used to prune pairs that cannot reach a pickup window from the
    /// straight-line distance alone (a safe bound), km/h. Default 100.
    pub prune_speed_kmh: f64,
    /// Loads one vehicle may take in sequence (1 = no chaining). Default 3.
    pub max_chain: usize,
    /// With chaining, loads are first assigned in time slices of this many hours of pickup start,
    /// so chains grow in time order (0 = no slices). Default 1.
    pub slice_h: f64,
    /// How chains are built when `max_chain > 1`. Default: time slices (see [`Sequencing`] for
    /// the measured trade-off).
    pub sequencing: Sequencing,
    /// With successor sequencing, the nearest possible next loads priced for each load. Default 10.
    pub successors_per_load: usize,
    /// With successor sequencing, how many times the assignment is re-solved with done-time
    /// estimates taken from the previous solution's replayed chains. Default 4.
    pub sequencing_rounds: usize,
    /// With [`Sequencing::Search`], the search's time budget in seconds. Default 1.
    pub search_time_s: f64,
    /// With [`Sequencing::Search`], a cap on search iterations per thread: the plan then depends
    /// only on the request (the time budget still applies). Default: none.
    pub search_iterations: Option<u64>,
    /// With [`Sequencing::Search`], search threads. Default 2.
    pub search_threads: usize,
    /// Nearest vehicles explained for each unmatched load. Default 3.
    pub explain_nearest: usize,
    /// Grid cell size of the spatial index, km. Default 2 (small cells keep dense parks cheap).
    pub grid_cell_km: f64,
    /// Expected empty km after a trip ending at each site, learned from past loads
    /// ([`crate::outlook::learn_outlook`]). With [`Sequencing::Search`], a chain's end costs
    /// `w × return km + (1 − w) × outlook km` (`w`: the vehicle's return weight). Default: none.
    pub outlook: Vec<crate::outlook::SiteOutlook>,
    /// Stops the search early (with the best plan so far) when set by the caller, e.g. when the
    /// client that asked has gone. Not part of the request.
    #[serde(skip)]
    #[schemars(skip)]
    pub cancel: wuliu_model::Cancel,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            cost_per_km: 3.0,
            cost_per_hour: 60.0,
            empty_km_penalty: 2.0,
            waiting_cost_per_hour: 20.0,
            return_weight: 1.0,
            return_ramp_h: 3.0,
            serve_bonus: 2000.0,
            min_margin: None,
            loading_s: 1800.0,
            unloading_s: 1800.0,
            max_deadhead_km: 150.0,
            candidates_per_load: 40,
            prune_speed_kmh: 100.0,
            max_chain: 3,
            slice_h: 1.0,
            sequencing: Sequencing::TimeSlices,
            successors_per_load: 10,
            sequencing_rounds: 4,
            search_time_s: 1.0,
            search_iterations: None,
            search_threads: 2,
            explain_nearest: 3,
            grid_cell_km: 2.0,
            outlook: Vec::new(),
            cancel: wuliu_model::Cancel::default(),
        }
    }
}

/// How [`crate::match_batch`] builds multi-load chains.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sequencing {
    /// Assignments in time slices of `slice_h` hours of pickup start, each vehicle continuing
    /// from the end of its chain so far.
    #[default]
    TimeSlices,
    /// The loads as a vehicle routing problem solved by the dispatch engine's search within
    /// `search_time_s`; see [`crate::search`].
    Search,
    /// One assignment in which every load picks its predecessor (a vehicle or another load), the
    /// vehicle-scheduling formulation; see [`crate::sequencing`]. In the benchmark's whole-day
    /// plans it cut empty km further than time slices but served fewer loads, so it is opt-in.
    Successors,
}

/// A batch matching request: everything [`crate::match_batch`] needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatchRequest {
    /// Open loads.
    pub loads: Vec<OpenLoad>,
    /// Available vehicles.
    pub vehicles: Vec<AvailableVehicle>,
    /// Trip date, for certificate validity.
    pub date: NaiveDate,
    /// Costs and limits.
    #[serde(default)]
    pub config: MatchConfig,
}
