//! Temperature classes and the analysis policy.
//!
//! # Standards
//!
//! Classes follow the temperature-based classification of cold-chain logistics in
//! **GB/T 28577-2012 《冷链物流分类与基本要求》** (Classification and basic requirements for
//! cold chain logistics; revised as GB/T 28577-2021): ultra-low (超低温, ≤ −50 °C), frozen
//! (冷冻, ≤ −18 °C), ice-temperature (冰温, −2…2 °C), refrigerated (冷藏, 0…10 °C) and other
//! controlled temperature (其他控温, 10…25 °C). `Chilled` (0…4 °C) is the narrower band the
//! project brief asks for chilled meat and dairy; use `Custom` for a product standard's own
//! range. The hand-over checks and the continuous-recording requirement follow
//! **GB 31605-2020 《食品安全国家标准 食品冷链物流卫生规范》** (hygienic specification for food
//! cold-chain logistics), which requires temperature monitoring and recording throughout
//! transport and storage and a temperature check at every hand-over (交接). The numeric
//! tolerances below are this library's defaults, not numbers from those standards: set them
//! from the product standard or the shipper's contract. Check the edition in force before
//! relying on a class for regulatory decisions.

use serde::{Deserialize, Serialize};
use wuliu_model::{Celsius, Seconds};

/// Allowed temperature band; a missing bound is open.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AllowedRange {
    /// Lowest allowed temperature (inclusive), if bounded below.
    pub min: Option<Celsius>,
    /// Highest allowed temperature (inclusive), if bounded above.
    pub max: Option<Celsius>,
}

impl AllowedRange {
    /// How far `low..=high` lies outside the band (0 when inside), and on which side.
    pub fn deviation(&self, low: f64, high: f64) -> (f64, Option<Side>) {
        let above = self.max.map_or(0.0, |m| (high - m.0).max(0.0));
        let below = self.min.map_or(0.0, |m| (m.0 - low).max(0.0));
        if above == 0.0 && below == 0.0 {
            (0.0, None)
        } else if above >= below {
            (above, Some(Side::Above))
        } else {
            (below, Some(Side::Below))
        }
    }
}

/// Which bound an excursion crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Too warm.
    Above,
    /// Too cold.
    Below,
}

/// Product temperature class. JSON: `"frozen"`, `"chilled"`, … or
/// `{"custom": {"min": 2.0, "max": 8.0}}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemperatureClass {
    /// 超低温: ≤ −50 °C (GB/T 28577).
    UltraLow,
    /// 冷冻: ≤ −18 °C (GB/T 28577), e.g. frozen meat, quick-frozen dumplings.
    Frozen,
    /// 冰温: −2…2 °C (GB/T 28577), e.g. super-chilled fish.
    IceTemperature,
    /// 0…4 °C, chilled meat and dairy (project brief; narrower than 冷藏).
    Chilled,
    /// 冷藏: 0…10 °C (GB/T 28577), e.g. fruit and vegetables.
    Refrigerated,
    /// 其他控温: 10…25 °C (GB/T 28577), e.g. chocolate, some medicines.
    ControlledAmbient,
    /// A product standard's own range.
    Custom {
        /// Lowest allowed °C.
        min: Option<f64>,
        /// Highest allowed °C.
        max: Option<f64>,
    },
}

impl TemperatureClass {
    /// The allowed band.
    pub fn range(&self) -> AllowedRange {
        let (min, max) = match *self {
            TemperatureClass::UltraLow => (None, Some(-50.0)),
            TemperatureClass::Frozen => (None, Some(-18.0)),
            TemperatureClass::IceTemperature => (Some(-2.0), Some(2.0)),
            TemperatureClass::Chilled => (Some(0.0), Some(4.0)),
            TemperatureClass::Refrigerated => (Some(0.0), Some(10.0)),
            TemperatureClass::ControlledAmbient => (Some(10.0), Some(25.0)),
            TemperatureClass::Custom { min, max } => (min, max),
        };
        AllowedRange {
            min: min.map(Celsius),
            max: max.map(Celsius),
        }
    }

    /// Where the band comes from.
    pub fn reference(&self) -> &'static str {
        match self {
            TemperatureClass::Chilled => "project brief (chilled meat/dairy 0–4 °C)",
            TemperatureClass::Custom { .. } => "product standard or contract",
            _ => "GB/T 28577 冷链物流分类与基本要求",
        }
    }
}

/// Thresholds for [`crate::coldchain::analyse`]. Defaults are documented per field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ColdChainPolicy {
    /// Product class (default `Chilled`).
    pub class: TemperatureClass,
    /// Longest allowed time between two temperature records (default 600 s = 10 min).
    pub max_recording_interval: Seconds,
    /// An excursion longer than this is a violation (default 1800 s = 30 min).
    pub excursion_tolerance: Seconds,
    /// An excursion deviating more than this is a violation (default 2 °C).
    pub peak_tolerance: Celsius,
    /// Total time out of range above this is a violation (default 3600 s = 1 h).
    pub max_cumulative_out_of_range: Seconds,
    /// A hand-over needs a reading within this time of it (default 900 s = 15 min).
    pub handover_reading_window: Seconds,
}

impl Default for ColdChainPolicy {
    fn default() -> Self {
        ColdChainPolicy {
            class: TemperatureClass::Chilled,
            max_recording_interval: Seconds(600.0),
            excursion_tolerance: Seconds(1800.0),
            peak_tolerance: Celsius(2.0),
            max_cumulative_out_of_range: Seconds(3600.0),
            handover_reading_window: Seconds(900.0),
        }
    }
}

impl ColdChainPolicy {
    /// Default policy for `class`.
    pub fn for_class(class: TemperatureClass) -> ColdChainPolicy {
        ColdChainPolicy {
            class,
            ..ColdChainPolicy::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_json_uses_defaults_and_readable_classes() {
        let p: ColdChainPolicy = serde_json::from_str(r#"{"class": "frozen"}"#).unwrap();
        assert_eq!(p.class, TemperatureClass::Frozen);
        assert_eq!(p.max_recording_interval, Seconds(600.0));
        assert_eq!(p.class.range().max, Some(Celsius(-18.0)));
        assert_eq!(p.class.range().min, None);
        let p: ColdChainPolicy = serde_json::from_str(
            r#"{"class": {"custom": {"min": 2, "max": 8}}, "peak_tolerance": 1}"#,
        )
        .unwrap();
        assert_eq!(p.class.range().min, Some(Celsius(2.0)));
        assert_eq!(p.peak_tolerance, Celsius(1.0));
        assert_eq!(
            serde_json::to_string(&TemperatureClass::Chilled).unwrap(),
            r#""chilled""#
        );
    }

    #[test]
    fn deviation_reports_the_side_and_distance() {
        let r = TemperatureClass::Chilled.range();
        assert_eq!(r.deviation(1.0, 3.0), (0.0, None));
        assert_eq!(r.deviation(3.0, 6.5), (2.5, Some(Side::Above)));
        assert_eq!(r.deviation(-1.5, 2.0), (1.5, Some(Side::Below)));
        let frozen = TemperatureClass::Frozen.range();
        assert_eq!(frozen.deviation(-40.0, -18.0), (0.0, None));
        assert_eq!(frozen.deviation(-40.0, -15.0), (3.0, Some(Side::Above)));
    }
}
