//! Parties: shippers, carriers, consignees and the platform operator.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::{validate_phone, validate_uscc};
use crate::common::{check_division, Certificate};
use crate::ids::DivisionCode;
use crate::validation::{Validate, Violations};

/// The roles a party can play on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// Owns goods and posts loads (托运人).
    Shipper,
    /// Operates vehicles (承运人).
    Carrier,
    /// Receives goods (收货人).
    Consignee,
    /// Runs a network-freight platform (网络货运经营者).
    PlatformOperator,
    /// An enterprise on the industry–education platform (posts jobs, internships, R&D problems).
    Enterprise,
    /// A college or vocational school on the industry–education platform.
    College,
}

/// A legal person taking part in freight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// The caller's own ID for this party; unique per region; makes imports idempotent.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Registered name.
    pub name: String,
    /// Roles the party plays; at least one.
    pub roles: Vec<PartyRole>,
    /// Unified social credit code (统一社会信用代码), 18 characters, GB 32100 check character.
    pub credit_code: String,
    /// Contact person.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Contact phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Registered address.
    #[serde(default)]
    pub address: Option<String>,
    /// GB/T 2260 division of registration.
    pub division_code: DivisionCode,
    /// Road transport business permit (道路运输经营许可证), required for carriers and platform operators.
    #[serde(default)]
    pub transport_permit: Option<Certificate>,
}

impl Validate for Party {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("name", &self.name);
        if self.roles.is_empty() {
            v.push(
                "party.roles_empty",
                "roles",
                "a party needs at least one role",
            );
        }
        if let Err(e) = validate_uscc(&self.credit_code) {
            v.push(
                "party.credit_code_invalid",
                "credit_code",
                format!("unified social credit code {e}"),
            );
        }
        if let Some(phone) = &self.phone {
            if let Err(e) = validate_phone(phone) {
                v.push("phone.invalid", "phone", e.to_string());
            }
        }
        check_division(&self.division_code, "division_code", v);
        let needs_permit = self
            .roles
            .iter()
            .any(|r| matches!(r, PartyRole::Carrier | PartyRole::PlatformOperator));
        match &self.transport_permit {
            Some(p) => p.check("transport_permit", v),
            None if needs_permit => v.push(
                "party.transport_permit_required",
                "transport_permit",
                "carriers and platform operators need a road transport business permit",
            ),
            None => {}
        }
    }
}
