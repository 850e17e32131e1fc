//! Demands and supply as the engine reads them, with their validation (every problem at once,
//! each naming its field) and the bounds of the engine's work.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Violations};

use super::tags::{self, TagGroup};

/// The most tags in one list (`industry_tags`, `skill_tags`).
pub const MAX_TAGS: usize = 12;
/// The most characters of a title.
pub const MAX_TITLE: usize = 120;
/// The most characters of a description.
pub const MAX_TEXT: usize = 2000;
/// The most counterparts one request weighs.
pub const MAX_CANDIDATES: usize = 2000;
/// The most matches one answer lists.
pub const MAX_LIMIT: usize = 50;
/// The largest headcount or capacity of a post.
pub const MAX_COUNT: u32 = 10_000;

/// What an enterprise asks for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DemandKind {
    /// Jobs (招聘岗位).
    Job,
    /// Internships (实习岗位).
    Internship,
    /// Joint training (订单班、现代学徒制、共建专业).
    JointTraining,
    /// An R&D problem (技术攻关难题).
    RdProblem,
}

/// What a college offers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    /// A programme (专业) with places for joint training or order classes.
    Programme,
    /// Graduates by skill (毕业生).
    Graduates,
    /// A lab or training base (实验室、实训基地).
    Lab,
    /// Teachers (师资、技术专家).
    Teacher,
}

impl DemandKind {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            DemandKind::Job => "job",
            DemandKind::Internship => "internship",
            DemandKind::JointTraining => "joint_training",
            DemandKind::RdProblem => "rd_problem",
        }
    }
}

impl SupplyKind {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            SupplyKind::Programme => "programme",
            SupplyKind::Graduates => "graduates",
            SupplyKind::Lab => "lab",
            SupplyKind::Teacher => "teacher",
        }
    }
}

/// Education levels, lowest first (the order is the comparison the education rule makes).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// 中职 (secondary vocational).
    SecondaryVocational,
    /// 高职/专科 (higher vocational).
    HigherVocational,
    /// 本科 (bachelor).
    Bachelor,
    /// 硕士 (master).
    Master,
    /// 博士 (doctorate).
    Doctorate,
}

impl EducationLevel {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            EducationLevel::SecondaryVocational => "secondary_vocational",
            EducationLevel::HigherVocational => "higher_vocational",
            EducationLevel::Bachelor => "bachelor",
            EducationLevel::Master => "master",
            EducationLevel::Doctorate => "doctorate",
        }
    }
}

/// Where a post is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// GB/T 2260 code of the county-level unit (`450206` 柳江区, …).
    #[serde(default)]
    pub division_code: Option<String>,
    /// The point, when known.
    #[serde(default)]
    pub point: Option<GeoPoint>,
    /// Address text.
    #[serde(default)]
    pub address: Option<String>,
}

/// A demand as an enterprise posts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandPost {
    /// What is asked for.
    pub kind: DemandKind,
    /// Short title, e.g. `数控加工实习生`.
    pub title: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Industry tags (codes of [`tags::TAGS`]).
    #[serde(default)]
    pub industry_tags: Vec<String>,
    /// Skill tags wanted.
    #[serde(default)]
    pub skill_tags: Vec<String>,
    /// People wanted (1 for an R&D problem).
    pub headcount: u32,
    /// The fewest people the enterprise takes from one supplier (default 1).
    #[serde(default)]
    pub min_headcount: Option<u32>,
    /// Lowest education level accepted.
    #[serde(default)]
    pub min_education: Option<EducationLevel>,
    /// First day needed.
    pub start: NaiveDate,
    /// Last day needed (open when absent).
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Whether the work is done at the enterprise's place.
    #[serde(default)]
    pub on_site: bool,
    /// For on-site work: how far (km, straight line) the supply may be.
    #[serde(default)]
    pub max_km: Option<f64>,
    /// Where.
    #[serde(default)]
    pub location: Place,
}

/// Supply as a college posts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplyPost {
    /// What is offered.
    pub kind: SupplyKind,
    /// Short title, e.g. `数控技术专业 2026 届毕业生`.
    pub title: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Industry tags served.
    #[serde(default)]
    pub industry_tags: Vec<String>,
    /// Skill tags offered.
    #[serde(default)]
    pub skill_tags: Vec<String>,
    /// People or places offered (graduates, programme places, lab slots, teachers).
    pub capacity: u32,
    /// Education level of the graduates, programme or teachers (none for a lab).
    #[serde(default)]
    pub education: Option<EducationLevel>,
    /// First day available.
    pub available_from: NaiveDate,
    /// Last day available (open when absent).
    #[serde(default)]
    pub available_until: Option<NaiveDate>,
    /// Where.
    #[serde(default)]
    pub location: Place,
}

/// A demand with its record ID and owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Demand {
    /// Record ID.
    pub id: String,
    /// The enterprise (party ID).
    pub party: String,
    /// What it asks for.
    pub post: DemandPost,
}

/// Supply with its record ID and owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Supply {
    /// Record ID.
    pub id: String,
    /// The college (party ID).
    pub party: String,
    /// What it offers.
    pub post: SupplyPost,
}

fn check_text(v: &mut Violations, field: &str, text: &str, max: usize, required: bool) {
    if required {
        v.require_text(field, text);
    }
    let n = text.chars().count();
    if n > max {
        v.push(
            "too_long",
            field,
            format!("{field}: {n} characters, at most {max}"),
        );
    }
}

fn check_tags(v: &mut Violations, field: &str, list: &[String], group: TagGroup) {
    if list.len() > MAX_TAGS {
        v.push(
            "too_many",
            field,
            format!("{field}: {} tags, at most {MAX_TAGS}", list.len()),
        );
        return;
    }
    for (i, code) in list.iter().enumerate() {
        if !tags::is_tag(code, group) {
            let what = match group {
                TagGroup::Industry => "an industry",
                TagGroup::Skill => "a skill",
            };
            v.push(
                "unknown_tag",
                format!("{field}[{i}]"),
                format!("{field}[{i}]: '{code}' is not {what} tag (GET …/talent/tags lists them)"),
            );
        } else if list[..i].contains(code) {
            v.push(
                "duplicate",
                format!("{field}[{i}]"),
                format!("{field}[{i}]: '{code}' is listed twice"),
            );
        }
    }
}

fn check_place(v: &mut Violations, p: &Place) {
    if let Some(d) = &p.division_code {
        if d.len() != 6 || !d.bytes().all(|b| b.is_ascii_digit()) {
            v.push(
                "invalid",
                "location.division_code",
                format!("location.division_code: '{d}' is not a six-digit GB/T 2260 code"),
            );
        }
    }
    if let Some(pt) = &p.point {
        pt.check("location.point", v);
    }
    if let Some(a) = &p.address {
        check_text(v, "location.address", a, MAX_TITLE, false);
    }
}

fn check_count(v: &mut Violations, field: &str, n: u32) {
    if n == 0 || n > MAX_COUNT {
        v.push(
            "out_of_range",
            field,
            format!("{field}: 1 to {MAX_COUNT}, not {n}"),
        );
    }
}

fn check_common(v: &mut Violations, title: &str, description: &Option<String>) {
    check_text(v, "title", title, MAX_TITLE, true);
    if let Some(d) = description {
        check_text(v, "description", d, MAX_TEXT, false);
    }
}

impl DemandPost {
    /// Records every problem of the demand.
    pub fn validate_into(&self, v: &mut Violations) {
        check_common(v, &self.title, &self.description);
        check_tags(v, "industry_tags", &self.industry_tags, TagGroup::Industry);
        check_tags(v, "skill_tags", &self.skill_tags, TagGroup::Skill);
        check_count(v, "headcount", self.headcount);
        if let Some(m) = self.min_headcount {
            if m == 0 || m > self.headcount {
                v.push(
                    "out_of_range",
                    "min_headcount",
                    format!(
                        "min_headcount: 1 to the headcount ({}), not {m}",
                        self.headcount
                    ),
                );
            }
        }
        if self.end.is_some_and(|e| e < self.start) {
            v.push("out_of_range", "end", "end: before start");
        }
        if let Some(km) = self.max_km {
            if !km.is_finite() || km <= 0.0 || km > 5000.0 {
                v.push("out_of_range", "max_km", "max_km: above 0, at most 5000");
            }
        }
        check_place(v, &self.location);
    }
}

impl SupplyPost {
    /// Records every problem of the supply.
    pub fn validate_into(&self, v: &mut Violations) {
        check_common(v, &self.title, &self.description);
        check_tags(v, "industry_tags", &self.industry_tags, TagGroup::Industry);
        check_tags(v, "skill_tags", &self.skill_tags, TagGroup::Skill);
        check_count(v, "capacity", self.capacity);
        if self
            .available_until
            .is_some_and(|e| e < self.available_from)
        {
            v.push(
                "out_of_range",
                "available_until",
                "available_until: before available_from",
            );
        }
        check_place(v, &self.location);
    }
}
