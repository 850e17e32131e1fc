//! Physical units as newtypes, so a weight can never be passed where a volume is expected.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident, $symbol:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// The unit symbol used in messages and documentation.
            pub const SYMBOL: &'static str = $symbol;
            /// The raw value in this unit.
            pub fn value(self) -> f64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{} {}", self.0, $symbol)
            }
        }

        impl std::ops::Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                Self(self.0 + rhs.0)
            }
        }

        impl std::ops::Sub for $name {
            type Output = Self;
            fn sub(self, rhs: Self) -> Self {
                Self(self.0 - rhs.0)
            }
        }
    };
}

unit!(
    /// Mass in kilograms.
    Kg, "kg"
);
unit!(
    /// Volume in cubic metres.
    M3, "m³"
);
unit!(
    /// Length or distance in metres.
    Meters, "m"
);
unit!(
    /// Duration in seconds.
    Seconds, "s"
);
unit!(
    /// Temperature in degrees Celsius.
    Celsius, "°C"
);
unit!(
    /// Money in yuan (CNY).
    Yuan, "CNY"
);

/// An inclusive temperature range, e.g. chilled produce 0–4 °C.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemperatureRange {
    /// Lowest allowed temperature.
    pub min: Celsius,
    /// Highest allowed temperature.
    pub max: Celsius,
}

impl TemperatureRange {
    /// Whether `other` lies entirely within this range.
    pub fn covers(&self, other: &TemperatureRange) -> bool {
        self.min.0 <= other.min.0 && other.max.0 <= self.max.0
    }
}

/// Inner or outer dimensions of a box-shaped space, in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Length in metres.
    pub length: Meters,
    /// Width in metres.
    pub width: Meters,
    /// Height in metres.
    pub height: Meters,
}

impl Dimensions {
    /// The enclosed volume.
    pub fn volume(&self) -> M3 {
        M3(self.length.0 * self.width.0 * self.height.0)
    }
}
