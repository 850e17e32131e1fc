//! Drivers with their identity, licence and qualification.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::{validate_phone, validate_resident_id};
use crate::common::Certificate;
use crate::ids::PartyId;
use crate::validation::{Validate, Violations};

/// Driving licence classes (准驾车型) relevant to goods vehicles.
pub const LICENCE_CLASSES: &[&str] = &["A1", "A2", "A3", "B1", "B2", "C1", "C2", "C6"];

/// A driving licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrivingLicence {
    /// Licence number (usually the resident ID number).
    pub number: String,
    /// Permitted vehicle class, e.g. `A2` for tractor-trailers, `B2` for heavy trucks.
    pub class: String,
    /// Last day of validity.
    pub expires: chrono::NaiveDate,
}

/// A truck driver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Carrier party the driver works for.
    pub carrier_id: PartyId,
    /// Full name.
    pub name: String,
    /// Resident identity number (GB 11643, 18 characters with check character).
    pub id_number: String,
    /// Mobile phone.
    pub phone: String,
    /// Driving licence.
    pub licence: DrivingLicence,
    /// Road transport qualification certificate (从业资格证).
    pub qualification: Certificate,
    /// Qualified to drive dangerous goods (危险货物运输驾驶员).
    #[serde(default)]
    pub dangerous_goods_qualified: bool,
}

impl Validate for Driver {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("carrier_id", self.carrier_id.as_str());
        v.require_text("name", &self.name);
        if let Err(e) = validate_resident_id(&self.id_number) {
            v.push(
                "driver.id_number_invalid",
                "id_number",
                format!("resident ID number: {e}"),
            );
        }
        if let Err(e) = validate_phone(&self.phone) {
            v.push("phone.invalid", "phone", e.to_string());
        }
        v.require_text("licence.number", &self.licence.number);
        if !LICENCE_CLASSES.contains(&self.licence.class.as_str()) {
            v.push(
                "driver.licence_class_invalid",
                "licence.class",
                format!(
                    "'{}' is not one of {}",
                    self.licence.class,
                    LICENCE_CLASSES.join(", ")
                ),
            );
        }
        self.qualification.check("qualification", v);
    }
}
