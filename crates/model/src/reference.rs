//! Reference data from the city's logistics plan (柳政办〔2022〕59号, in the Liuzhou gazette 2024 No. 10):
//! county-level units, 2025 targets and 2020 baselines.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::check_division;
use crate::ids::DivisionCode;
use crate::validation::{Validate, Violations};

/// A county-level unit of Liuzhou (district, county or autonomous county).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct County {
    /// Natural key for idempotent loading: the division code.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Name, e.g. 柳南区.
    pub name: String,
    /// Type: 市辖区, 县 or 自治县.
    pub division_type: String,
    /// GB/T 2260 code.
    pub division_code: DivisionCode,
    /// Parent division (450200).
    pub parent_code: DivisionCode,
    /// Role in the regional layout (e.g. 先进制造业三角).
    #[serde(default)]
    pub regional_role: Option<String>,
    /// Development direction, English summary.
    #[serde(default)]
    pub development_direction_en: Option<String>,
    /// Key towns.
    #[serde(default)]
    pub key_towns: Option<String>,
    /// Approximate centre (the seat of the government), for maps.
    #[serde(default)]
    pub centre: Option<crate::geo::GeoPoint>,
}

impl Validate for County {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("name", &self.name);
        check_division(&self.division_code, "division_code", v);
        check_division(&self.parent_code, "parent_code", v);
    }
}

/// A 2025 target of the logistics plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanTarget {
    /// The target's ID in the plan extract, e.g. `T03`.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Indicator, Chinese.
    pub indicator_zh: String,
    /// Indicator, English.
    pub indicator_en: String,
    /// Target value, when it is one number (`None` for a range).
    #[serde(default)]
    pub target_value: Option<f64>,
    /// The target as the plan writes it: `7603`, or `6-8` for a range (comparator `range`).
    #[serde(default)]
    pub target_text: Option<String>,
    /// Unit (万吨, 个, %…).
    pub unit: String,
    /// How the actual is compared: `>=`, `=`, `<=`, `>`, `<`, or `range` (inside
    /// `target_text`'s bounds, e.g. `6-8`).
    pub comparator: String,
    /// Target year.
    pub year: i32,
    /// Baseline value, when given.
    #[serde(default)]
    pub baseline_value: Option<f64>,
    /// Baseline year.
    #[serde(default)]
    pub baseline_year: Option<i32>,
    /// The sentence of the plan that sets the target.
    pub source_quote: String,
}

impl Validate for PlanTarget {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("indicator_zh", &self.indicator_zh);
        if self.comparator == "range" {
            let text = self.target_text.as_deref().unwrap_or_default();
            if range_bounds(text).is_none() {
                v.push(
                    "target.range_invalid",
                    "target_text",
                    "a range target needs target_text with two bounds, lower first, e.g. 6-8",
                );
            }
        } else if ![">=", "=", "<=", ">", "<"].contains(&self.comparator.as_str()) {
            v.push(
                "target.comparator_invalid",
                "comparator",
                "comparator must be one of >=, =, <=, >, <, range",
            );
        }
        if self.target_value.is_some_and(|x| !x.is_finite()) {
            v.push(
                "out_of_range",
                "target_value",
                "target_value must be a finite number",
            );
        }
    }
}

/// The bounds of a range written `lo-hi` (also `~`, `～`, `–`, `—`, `至`, `到`; a `%` after a
/// bound is allowed), when both are numbers and `lo <= hi`.
fn range_bounds(text: &str) -> Option<(f64, f64)> {
    const SEPARATORS: [char; 7] = ['-', '~', '～', '–', '—', '至', '到'];
    let t = text.trim();
    // Skip the first character so that a negative lower bound (`-1-3`) reads.
    let (i, sep) = t
        .char_indices()
        .skip(1)
        .find(|(_, c)| SEPARATORS.contains(c))?;
    let number = |s: &str| {
        let s = s.trim().trim_end_matches(['%', '％']).trim();
        s.parse::<f64>().ok().filter(|x| x.is_finite())
    };
    let (lo, hi) = (number(&t[..i])?, number(&t[i + sep.len_utf8()..])?);
    (lo <= hi).then_some((lo, hi))
}

/// A 2020 baseline figure of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Stable key (the English indicator, slugged).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Indicator, Chinese.
    pub indicator_zh: String,
    /// Indicator, English.
    pub indicator_en: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Year or period, e.g. `2020` or `2015-2020`.
    pub year: String,
    /// The sentence the figure comes from.
    pub source_quote: String,
    /// The document it comes from.
    pub source_doc: String,
}

impl Validate for Baseline {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("indicator_zh", &self.indicator_zh);
        if !self.value.is_finite() {
            v.push("out_of_range", "value", "value must be a finite number");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(comparator: &str, value: Option<f64>, text: Option<&str>) -> PlanTarget {
        PlanTarget {
            external_id: Some("T18".into()),
            indicator_zh: "网络货运较传统货运交易成本降低幅度".into(),
            indicator_en: "Network-freight transaction cost reduction".into(),
            target_value: value,
            target_text: text.map(String::from),
            unit: "%".into(),
            comparator: comparator.into(),
            year: 2025,
            baseline_value: None,
            baseline_year: None,
            source_quote: "力争“十四五”末较传统货运交易成本降低6%至8%".into(),
        }
    }

    #[test]
    fn a_range_target_needs_readable_bounds() {
        assert!(target("range", None, Some("6-8")).validate().is_ok());
        assert!(target("range", None, Some("6%至8%")).validate().is_ok());
        assert!(target("range", None, None).validate().is_err());
        assert!(target("range", None, Some("8-6")).validate().is_err());
        assert!(target("range", None, Some("about 7")).validate().is_err());
        assert!(target(">=", Some(6.0), None).validate().is_ok());
        assert!(target("between", Some(6.0), None).validate().is_err());
        assert_eq!(range_bounds("-1-3"), Some((-1.0, 3.0)));
    }
}
