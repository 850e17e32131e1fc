//! Vehicle terminals (车载终端): the GNSS devices that speak JT/T 808 and report a vehicle's
//! positions. A terminal is bound to one vehicle when it registers; it then authenticates with the
//! code the platform issued.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::{PartyId, VehicleId};
use crate::validation::{Validate, Violations};
use crate::vehicle::PlateColour;

/// Whether a terminal may report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerminalStatus {
    /// Bound to its vehicle; its authentication code works.
    Registered,
    /// Unbound (0x0003 or by the operator); the vehicle may take another terminal.
    Unregistered,
}

/// A terminal bound to a vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terminal {
    /// The terminal's phone number (its identity in every JT/T 808 header), digits only.
    pub phone: String,
    /// The vehicle it reports for.
    pub vehicle_id: VehicleId,
    /// The vehicle's carrier.
    pub carrier_id: PartyId,
    /// The plate it registered with.
    pub plate: String,
    /// The plate colour it registered with.
    pub plate_colour: PlateColour,
    /// JT/T 808 generation it speaks: 2013 or 2019.
    pub protocol: u16,
    /// Manufacturer ID.
    #[serde(default)]
    pub manufacturer: String,
    /// Terminal model.
    #[serde(default)]
    pub model: String,
    /// Terminal ID given by the manufacturer.
    #[serde(default)]
    pub terminal_id: String,
    /// SHA-256 (hex) of the authentication code; the code itself is never stored.
    pub auth_code_hash: String,
    /// When it (last) registered.
    pub registered_at: DateTime<Utc>,
    /// Registered or unregistered.
    pub status: TerminalStatus,
}

impl Validate for Terminal {
    fn validate_into(&self, v: &mut Violations) {
        let digits = self.phone.len();
        if !(1..=20).contains(&digits) || !self.phone.bytes().all(|b| b.is_ascii_digit()) {
            v.push(
                "terminal.phone_invalid",
                "phone",
                format!("phone '{}' must be 1 to 20 digits", self.phone),
            );
        }
        v.require_text("vehicle_id", self.vehicle_id.as_str());
        v.require_text("carrier_id", self.carrier_id.as_str());
        v.require_text("plate", &self.plate);
        if self.protocol != 2013 && self.protocol != 2019 {
            v.push(
                "terminal.protocol_unknown",
                "protocol",
                format!("protocol {} is neither 2013 nor 2019", self.protocol),
            );
        }
        let hash_ok = self.auth_code_hash.len() == 64
            && self.auth_code_hash.bytes().all(|b| b.is_ascii_hexdigit());
        if !hash_ok {
            v.push(
                "terminal.auth_hash_invalid",
                "auth_code_hash",
                "auth_code_hash must be 64 hex digits (SHA-256)",
            );
        }
    }
}
