//! Opaque identifiers. Each entity has its own ID type so a vehicle ID can never be used as a driver ID.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The prefix of generated IDs of this kind, e.g. `veh_`.
            pub const PREFIX: &'static str = $prefix;
            /// Wraps an existing ID string.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            /// The ID as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id!(
    /// Identifies a party (shipper, carrier, consignee or platform operator).
    PartyId, "pty_"
);
id!(
    /// Identifies a vehicle.
    VehicleId, "veh_"
);
id!(
    /// Identifies a driver.
    DriverId, "drv_"
);
id!(
    /// Identifies a load (a freight order).
    LoadId, "lod_"
);
id!(
    /// Identifies an electronic waybill.
    WaybillId, "wyb_"
);
id!(
    /// Identifies a fund-flow (payment) record.
    PaymentId, "pay_"
);
id!(
    /// Identifies a facility (park, warehouse, depot, port, rail yard).
    FacilityId, "fac_"
);

/// A GB/T 2260 administrative division code (six digits), e.g. `450200` for Liuzhou.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct DivisionCode(pub String);

impl DivisionCode {
    /// The code of Liuzhou city, the platform's home region.
    pub const LIUZHOU: &'static str = "450200";

    /// Whether the code has the GB/T 2260 shape: six digits, a valid province prefix (11–82).
    pub fn is_well_formed(&self) -> bool {
        let s = self.0.as_bytes();
        if s.len() != 6 || !s.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let province = (s[0] - b'0') * 10 + (s[1] - b'0');
        (11..=82).contains(&province)
    }
}

impl std::fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
