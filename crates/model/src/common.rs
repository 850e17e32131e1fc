//! Building blocks shared by several entities: places, time windows, certificates.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::DivisionCode;
use crate::validation::Violations;

/// A location with its address and administrative division.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// WGS-84 coordinate.
    pub point: GeoPoint,
    /// Street address as written on documents.
    pub address: String,
    /// GB/T 2260 division code of the county-level unit, e.g. `450204` (柳南区).
    pub division_code: DivisionCode,
}

impl Place {
    /// Checks coordinate, address and division code, with paths under `path`.
    pub fn check(&self, path: &str, v: &mut Violations) {
        self.point.check(&format!("{path}.point"), v);
        v.require_text(&format!("{path}.address"), &self.address);
        check_division(&self.division_code, &format!("{path}.division_code"), v);
    }
}

/// Records a violation when `code` is not a well-formed GB/T 2260 code.
pub fn check_division(code: &DivisionCode, path: &str, v: &mut Violations) {
    if !code.is_well_formed() {
        v.push(
            "division_code.invalid",
            path,
            format!("'{code}' is not a six-digit GB/T 2260 division code"),
        );
    }
}

/// A time interval `[start, end]` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Earliest time.
    pub start: DateTime<Utc>,
    /// Latest time.
    pub end: DateTime<Utc>,
}

impl TimeWindow {
    /// Records a violation when the window ends before it starts.
    pub fn check(&self, path: &str, v: &mut Violations) {
        if self.end < self.start {
            v.push(
                "time_window.reversed",
                format!("{path}.end"),
                format!(
                    "{path} ends ({}) before it starts ({})",
                    self.end, self.start
                ),
            );
        }
    }
}

/// A licence or certificate with a number and an expiry date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Certificate number as printed.
    pub number: String,
    /// Last day of validity.
    pub expires: NaiveDate,
}

impl Certificate {
    /// Whether the certificate is valid on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        date <= self.expires
    }
    /// Requires a non-empty number.
    pub fn check(&self, path: &str, v: &mut Violations) {
        v.require_text(&format!("{path}.number"), &self.number);
    }
}
