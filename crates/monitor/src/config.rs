//! Every threshold of the rules, with documented defaults.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Thresholds of all rules. Missing fields take their defaults when deserialised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleConfig {
    /// Rule codes to skip, e.g. `driving.night_speed`.
    pub disabled_rules: BTreeSet<String>,

    /// Share above the rated load still accepted (default 0.0: any excess is flagged).
    pub overweight_tolerance: f64,
    /// Difference in yuan still accepted between amounts that should agree (default 1.0).
    pub amount_tolerance_yuan: f64,

    /// How far before despatch and after receipt fixes still count for the trip, seconds (default 1 800).
    pub trip_time_tolerance_s: i64,
    /// Longest gap between fixes that still counts as covered, seconds (default 1 800 = 30 min).
    pub max_gap_s: i64,
    /// Track completeness rate below which a trip is flagged, 0–1 (default 0.9).
    pub min_completeness: f64,
    /// Radius around consignor and consignee the track must reach, metres (default 3 000).
    pub endpoint_radius_m: f64,
    /// Implied speed between consecutive fixes above which the jump is impossible, km/h (default 160).
    pub teleport_speed_kmh: f64,
    /// Shortest jump considered for teleports, metres, to ignore GNSS jitter (default 1 000).
    pub teleport_min_distance_m: f64,
    /// Driven distance above `detour_factor` × road distance + `detour_slack_m` is a detour (default 1.5).
    pub detour_factor: f64,
    /// Slack added to the detour limit, metres (default 5 000).
    pub detour_slack_m: f64,
    /// Driven distance below `short_factor` × road distance − `detour_slack_m` is impossibly short (default 0.5).
    pub short_factor: f64,
    /// Time bucket of the track signatures used to find borrowed tracks, seconds (default 60).
    pub borrowed_bucket_s: i64,
    /// Cell size of the track signatures, degrees of latitude and longitude (default 0.005 ≈ 500 m).
    pub borrowed_cell_deg: f64,
    /// Only fixes faster than this enter the signatures, km/h, so vehicles parked together do not match (default 5).
    pub borrowed_min_speed_kmh: f64,
    /// Fewest shared signatures (time buckets) with one other vehicle to flag (default 60, i.e. one hour).
    pub borrowed_min_shared: usize,
    /// Least share of the trip's moving signatures shared with one other vehicle to flag, 0–1 (default 0.5).
    pub borrowed_min_share: f64,
    /// Shortest overlap in time of two trips of one vehicle that is checked, seconds (default 900).
    pub elsewhere_min_overlap_s: i64,
    /// Two trips sharing an end within this distance are compatible (consolidated loads), metres (default 10 000).
    pub elsewhere_shared_end_m: f64,
    /// How far the track may leave the other trip's straight corridor before the vehicle is "elsewhere", metres (default 20 000).
    pub elsewhere_corridor_m: f64,

    /// An account collecting for at least this many different drivers or vehicles is flagged (default 5).
    pub shared_account_min_parties: usize,

    /// Speed limit for heavy goods vehicles, km/h (default 100).
    pub speed_limit_kmh: f64,
    /// Overspeed must last at least this long to be flagged, seconds (default 60).
    pub overspeed_min_s: i64,
    /// Longest continuous driving allowed, seconds (default 14 400 = 4 h).
    pub fatigue_max_driving_s: i64,
    /// Shortest stop that counts as a rest, seconds (default 1 200 = 20 min).
    pub fatigue_min_rest_s: i64,
    /// At or below this speed the vehicle is resting, km/h (default 5).
    pub rest_speed_kmh: f64,
    /// Start of the night period, hour in Beijing time (default 22).
    pub night_start_hour: u32,
    /// End of the night period, hour in Beijing time (default 6).
    pub night_end_hour: u32,
    /// Night speed limit as a share of `speed_limit_kmh` (default 0.8, i.e. 80 km/h).
    pub night_speed_share: f64,

    /// Weights of the risk score per severity; see [`crate::rollup::risk_score`].
    pub risk_weights: RiskWeights,
}

/// Weight of one finding of each severity in the risk score, 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskWeights {
    /// Default 0.05.
    pub info: f64,
    /// Default 0.25.
    pub warning: f64,
    /// Default 0.6.
    pub critical: f64,
}

impl Default for RiskWeights {
    fn default() -> Self {
        Self {
            info: 0.05,
            warning: 0.25,
            critical: 0.6,
        }
    }
}

impl Default for RuleConfig {
    fn default() -> Self {
        Self {
            disabled_rules: BTreeSet::new(),
            overweight_tolerance: 0.0,
            amount_tolerance_yuan: 1.0,
            trip_time_tolerance_s: 1_800,
            max_gap_s: 1_800,
            min_completeness: 0.9,
            endpoint_radius_m: 3_000.0,
            teleport_speed_kmh: 160.0,
            teleport_min_distance_m: 1_000.0,
            detour_factor: 1.5,
            detour_slack_m: 5_000.0,
            short_factor: 0.5,
            borrowed_bucket_s: 60,
            borrowed_cell_deg: 0.005,
            borrowed_min_speed_kmh: 5.0,
            borrowed_min_shared: 60,
            borrowed_min_share: 0.5,
            elsewhere_min_overlap_s: 900,
            elsewhere_shared_end_m: 10_000.0,
            elsewhere_corridor_m: 20_000.0,
            shared_account_min_parties: 5,
            speed_limit_kmh: 100.0,
            overspeed_min_s: 60,
            fatigue_max_driving_s: 4 * 3_600,
            fatigue_min_rest_s: 20 * 60,
            rest_speed_kmh: 5.0,
            night_start_hour: 22,
            night_end_hour: 6,
            night_speed_share: 0.8,
            risk_weights: RiskWeights::default(),
        }
    }
}

impl RuleConfig {
    /// Whether the rule with this code runs.
    pub fn enabled(&self, code: &str) -> bool {
        !self.disabled_rules.contains(code)
    }
}
