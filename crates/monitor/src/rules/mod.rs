//! The rule registry: one rule per file, each with a stable code, a severity and a description in
//! Chinese and English.
//!
//! | code | severity | checks |
//! | --- | --- | --- |
//! | `doc.required_fields` | critical | fields the monitoring record needs are present |
//! | `doc.time_order` | critical | consignment ≤ despatch ≤ receipt |
//! | `doc.overweight` | critical | goods weight ≤ the vehicle's rated load |
//! | `doc.amount_mismatch` | warning | waybill total = the amounts fund-flow records state for it |
//! | `doc.vehicle_certificate` | critical | road transport certificate valid on the despatch date |
//! | `doc.driver_licence` | critical | driving licence and qualification valid on the despatch date |
//! | `track.ghost` | critical | the vehicle has fixes during the trip |
//! | `track.completeness` | warning | share of the trip covered by fixes without long gaps |
//! | `track.endpoints` | warning | track starts near the consignor and ends near the consignee |
//! | `track.teleport` | critical | no impossible jump between consecutive fixes |
//! | `track.distance` | warning | driven distance fits the road distance |
//! | `track.borrowed` | critical | no other vehicle has the same track |
//! | `track.elsewhere` | critical | the vehicle was not on another trip elsewhere at the same time |
//! | `money.third_party` | critical | paid to the actual carrier or a driver |
//! | `money.totals` | warning | payments add up to the amounts of the waybills they pay |
//! | `money.shared_account` | warning | no account collects for many drivers or vehicles |
//! | `driving.overspeed` | warning | speed over the limit for longer than allowed |
//! | `driving.fatigue` | warning | no more than 4 h driving without a 20-minute rest |
//! | `driving.night_speed` | warning | at night (22:00–06:00 Beijing time) no faster than 80 % of the limit |

use serde::Serialize;

use crate::context::WaybillContext;
use crate::finding::{Finding, Severity};

pub mod doc_amount;
pub mod doc_driver_licence;
pub mod doc_overweight;
pub mod doc_required_fields;
pub mod doc_time_order;
pub mod doc_vehicle_certificate;
pub mod driving_fatigue;
pub mod driving_night;
pub mod driving_overspeed;
pub mod money_shared_account;
pub mod money_third_party;
pub mod money_totals;
pub mod track_borrowed;
pub mod track_completeness;
pub mod track_distance;
pub mod track_elsewhere;
pub mod track_endpoints;
pub mod track_ghost;
pub mod track_teleport;

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The waybill, vehicle and driver documents.
    Documents,
    /// The GNSS track against the waybill.
    Track,
    /// Fund-flow records.
    Money,
    /// Driving behaviour on the trip.
    Driving,
}

/// A rule's entry in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable code, e.g. `track.ghost`.
    pub code: &'static str,
    /// What the rule looks at.
    pub category: Category,
    /// Severity of its findings.
    pub severity: Severity,
    /// One sentence for a regulator, in Chinese.
    pub description_zh: &'static str,
    /// The same sentence in English.
    pub description_en: &'static str,
}

/// A monitoring rule.
pub trait Rule: Send + Sync {
    /// The catalogue entry.
    fn info(&self) -> &'static RuleInfo;
    /// Appends this rule's findings about one waybill to `out`.
    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in catalogue order.
pub static RULES: &[&dyn Rule] = &[
    &doc_required_fields::RequiredFields,
    &doc_time_order::TimeOrder,
    &doc_overweight::Overweight,
    &doc_amount::AmountMismatch,
    &doc_vehicle_certificate::VehicleCertificate,
    &doc_driver_licence::DriverLicence,
    &track_ghost::Ghost,
    &track_completeness::TrackCompleteness,
    &track_endpoints::Endpoints,
    &track_teleport::Teleport,
    &track_distance::Distance,
    &track_borrowed::Borrowed,
    &track_elsewhere::Elsewhere,
    &money_third_party::ThirdParty,
    &money_totals::Totals,
    &money_shared_account::SharedAccount,
    &driving_overspeed::Overspeed,
    &driving_fatigue::Fatigue,
    &driving_night::NightSpeed,
];

/// The rule catalogue: code, category, severity and descriptions of every rule.
pub fn catalogue() -> Vec<RuleInfo> {
    RULES.iter().map(|r| *r.info()).collect()
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.info().code == code)
}

/// Declares a rule struct with its catalogue entry `INFO`.
macro_rules! declare_rule {
    ($(#[$doc:meta])* $name:ident, $code:literal, $cat:ident, $sev:ident, $zh:literal, $en:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        /// Catalogue entry of this rule.
        pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            code: $code,
            category: $crate::rules::Category::$cat,
            severity: $crate::finding::Severity::$sev,
            description_zh: $zh,
            description_en: $en,
        };
    };
}
pub(crate) use declare_rule;

/// Runs one kind of episode detection over fixes: maximal runs of consecutive fixes satisfying `hit`,
/// broken by a gap longer than `max_gap_s`; returns `(first index, last index)` of each run.
pub(crate) fn runs(
    ctx: &WaybillContext<'_>,
    max_gap_s: i64,
    hit: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let t = ctx.track;
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for i in ctx.trip_fixes.clone() {
        let continues = cur.is_some_and(|(_, last)| t.time[i] - t.time[last] <= max_gap_s);
        match (hit(i), cur) {
            (true, Some((a, _))) if continues => cur = Some((a, i)),
            (true, _) => {
                out.extend(cur);
                cur = Some((i, i));
            }
            (false, _) => out.extend(cur.take()),
        }
    }
    out.extend(cur);
    out
}
