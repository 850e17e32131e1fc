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
    /// Target value, when numeric.
    #[serde(default)]
    pub target_value: Option<f64>,
    /// Unit (万吨, 个, %…).
    pub unit: String,
    /// How the actual is compared: `>=`, `=`, `<=`.
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
        if ![">=", "=", "<=", ">", "<"].contains(&self.comparator.as_str()) {
            v.push(
                "target.comparator_invalid",
                "comparator",
                "comparator must be one of >=, =, <=, >, <",
            );
        }
    }
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
