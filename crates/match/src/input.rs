//! Matching inputs: open loads, available vehicles and the cost configuration.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{Driver, GeoPoint, Load, LoadId, Seconds, Vehicle, VehicleId};

/// A load waiting for a vehicle: the stored [`Load`] record with its ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

impl AvailableVehicle {
    /// Where the vehicle returns at the end of its day: its home base, else its current position.
    pub fn home(&self) -> GeoPoint {
        self.vehicle.home_base.unwrap_or(self.position)
    }
}

/// Costs, limits and search parameters of a matching run. Every field has a documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Nearest vehicles explained for each unmatched load. Default 3.
    pub explain_nearest: usize,
    /// Grid cell size of the spatial index, km. Default 2 (small cells keep dense parks cheap).
    pub grid_cell_km: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            cost_per_km: 3.0,
            cost_per_hour: 60.0,
            empty_km_penalty: 2.0,
            waiting_cost_per_hour: 20.0,
            return_weight: 1.0,
            serve_bonus: 2000.0,
            min_margin: None,
            loading_s: 1800.0,
            unloading_s: 1800.0,
            max_deadhead_km: 150.0,
            candidates_per_load: 40,
            prune_speed_kmh: 100.0,
            max_chain: 3,
            slice_h: 1.0,
            explain_nearest: 3,
            grid_cell_km: 2.0,
        }
    }
}

/// A batch matching request: everything [`crate::match_batch`] needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
