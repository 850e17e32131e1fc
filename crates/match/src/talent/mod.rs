//! # Industry–education matching (产教对接, 69号)
//!
//! Enterprises post demands (jobs, internships, joint training, R&D problems) and colleges post
//! supply (programmes, graduates by skill, labs, teachers), both tagged with the platform's
//! "digital talent tags" ([`tags`]; 69号 四（三） 构筑人才成长数字标签). This module matches them
//! both ways with the approach of the vehicle–cargo engine ([`crate::rules`],
//! [`crate::verdicts`]): hard rules, one named rule per file, each answering a [`Reason`] with a
//! stable code and a message with the numbers; scored soft criteria with a breakdown; and an
//! explanation per pair. The tour:
//!
//! 1. **Inputs** ([`input`]): [`DemandPost`] and [`SupplyPost`] as posted (validated with every
//!    problem named by field), wrapped with their record ID and owner as [`Demand`] and
//!    [`Supply`].
//! 2. **Rules** ([`rules`]): `kind` (a job wants graduates, an R&D problem a lab or teachers, …),
//!    `capacity`, `availability`, `education`, `location` (on-site work within reach).
//! 3. **Score** ([`score`]): skills, industry, distance, timing, headcount, weighted to 0–100.
//! 4. **One entry point** [`match_talent`], both ways: a demand's best supplies, or a supply's
//!    best demands. Every pair goes through the same [`judge`], so both directions agree on a
//!    pair's score and reasons.
//! 5. **Statistics** ([`stats`]) for the education bureau: counts by kind, tag and county,
//!    supply against demand per skill tag, the match rate and the demands nothing serves.
//!
//! Work is bounded: at most [`input::MAX_CANDIDATES`] counterparts per request, [`input::MAX_TAGS`]
//! tags per list, [`input::MAX_TEXT`] characters of text, [`input::MAX_LIMIT`] matches listed.
//!
//! ```
//! use wuliu_match::talent::{match_talent, TalentRequest};
//!
//! let req: TalentRequest = serde_json::from_value(serde_json::json!({
//!   "for": "demand", "limit": 5,
//!   "demand": { "id": "tdm_1", "party": "pty_e", "post": {
//!     "kind": "internship", "title": "数控加工实习生", "industry_tags": ["automotive"],
//!     "skill_tags": ["cnc_machining", "industrial_robots"], "headcount": 4, "start": "2026-07-01" }},
//!   "supplies": [
//!     { "id": "tsu_1", "party": "pty_c", "post": { "kind": "graduates", "title": "数控技术毕业生",
//!       "industry_tags": ["automotive"], "skill_tags": ["cnc_machining"], "capacity": 20,
//!       "available_from": "2026-06-20" }},
//!     { "id": "tsu_2", "party": "pty_c", "post": { "kind": "lab", "title": "智能制造实验室",
//!       "skill_tags": ["cnc_machining"], "capacity": 1, "available_from": "2026-01-01" }}]
//! })).unwrap();
//! let answer = match_talent(&req).unwrap();
//! assert_eq!(answer.matches.len(), 1);
//! assert_eq!(answer.matches[0].supply, "tsu_1");
//! assert_eq!(answer.matches[0].explanation.missing_skills, ["industrial_robots"]);
//! assert_eq!(answer.excluded[0].excluded_by[0].code, "kind.incompatible"); // a lab is no intern
//! ```

pub mod input;
pub mod rules;
pub mod score;
pub mod stats;
pub mod tags;

use serde::{Deserialize, Serialize};
use wuliu_model::Violations;

pub use input::{
    Demand, DemandKind, DemandPost, EducationLevel, Place, Supply, SupplyKind, SupplyPost,
};
pub use rules::{Reason, TalentPair, TalentRule};
pub use score::{Criterion, CriterionScore, Explanation};

/// Why a talent matching request could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TalentError {
    /// More counterparts than [`input::MAX_CANDIDATES`].
    #[error("{field}: {count} posts to weigh, at most {max}")]
    TooManyCandidates {
        /// The list (`supplies`, `demands`).
        field: &'static str,
        /// How many were given.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// A post is invalid; every problem is listed with its field.
    #[error("invalid posts: {}", .0.0.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("; "))]
    Invalid(Violations),
}

/// What to match: a demand against supplies, or a supply against demands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum TalentRequest {
    /// A demand's best supplies.
    Demand {
        /// The demand.
        demand: Demand,
        /// The supplies to weigh.
        supplies: Vec<Supply>,
        /// How many matches to list (1 to [`input::MAX_LIMIT`]; more are cut to it).
        limit: usize,
    },
    /// A supply's best demands.
    Supply {
        /// The supply.
        supply: Supply,
        /// The demands to weigh.
        demands: Vec<Demand>,
        /// How many matches to list.
        limit: usize,
    },
}

/// One pair judged: its score, breakdown, explanation and the rules it fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PairVerdict {
    /// The demand's ID.
    pub demand: String,
    /// The supply's ID.
    pub supply: String,
    /// The demand's enterprise.
    pub demand_party: String,
    /// The supply's college.
    pub supply_party: String,
    /// 0 to 100.
    pub score: f64,
    /// The score per criterion.
    pub breakdown: Vec<CriterionScore>,
    /// Why it matches and what is missing.
    pub explanation: Explanation,
    /// The hard rules it fails (empty for a match).
    pub excluded_by: Vec<Reason>,
}

/// The answer to a [`TalentRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TalentAnswer {
    /// `demand` or `supply`: which side asked.
    pub direction: String,
    /// The ID of the post that asked.
    pub subject: String,
    /// How many counterparts were weighed.
    pub considered: usize,
    /// How many pass every rule.
    pub compatible: usize,
    /// The best compatible pairs, highest score first (ties by counterpart ID).
    pub matches: Vec<PairVerdict>,
    /// The best-scoring pairs that fail a rule, with the rules, highest score first (as many as
    /// the limit): the near misses.
    pub excluded: Vec<PairVerdict>,
}

/// Judges one pair: rules, score, explanation. Both directions call this.
pub fn judge(demand: &Demand, supply: &Supply) -> PairVerdict {
    let excluded_by = rules::check(&TalentPair { demand, supply });
    let breakdown = score::breakdown(demand, supply);
    let explanation = score::explain(demand, supply, &breakdown);
    PairVerdict {
        demand: demand.id.clone(),
        supply: supply.id.clone(),
        demand_party: demand.party.clone(),
        supply_party: supply.party.clone(),
        score: score::total(&breakdown),
        breakdown,
        explanation,
        excluded_by,
    }
}

fn prefixed(into: &mut Violations, prefix: &str, v: Violations) {
    for mut x in v.0 {
        x.field = format!("{prefix}.{}", x.field);
        x.message = format!("{prefix}.{}", x.message);
        into.0.push(x);
    }
}

fn validate(req: &TalentRequest) -> Result<(), TalentError> {
    let (field, count) = match req {
        TalentRequest::Demand { supplies, .. } => ("supplies", supplies.len()),
        TalentRequest::Supply { demands, .. } => ("demands", demands.len()),
    };
    if count > input::MAX_CANDIDATES {
        let max = input::MAX_CANDIDATES;
        return Err(TalentError::TooManyCandidates { field, count, max });
    }
    let mut all = Violations::default();
    let mut one = |prefix: String, f: &dyn Fn(&mut Violations)| {
        let mut v = Violations::default();
        f(&mut v);
        prefixed(&mut all, &prefix, v);
    };
    match req {
        TalentRequest::Demand {
            demand, supplies, ..
        } => {
            one("demand.post".into(), &|v| demand.post.validate_into(v));
            for (i, s) in supplies.iter().enumerate() {
                one(format!("supplies[{i}].post"), &|v| s.post.validate_into(v));
            }
        }
        TalentRequest::Supply {
            supply, demands, ..
        } => {
            one("supply.post".into(), &|v| supply.post.validate_into(v));
            for (i, d) in demands.iter().enumerate() {
                one(format!("demands[{i}].post"), &|v| d.post.validate_into(v));
            }
        }
    }
    all.into_result().map_err(TalentError::Invalid)
}

/// One counterpart weighed cheaply: its score, whether it passes every rule, its ID and index.
type Weighed<'a> = (f64, bool, &'a str, usize);

/// The best `limit` of `list`: highest score first, ties by ID.
fn best<'a>(mut list: Vec<Weighed<'a>>, limit: usize) -> Vec<Weighed<'a>> {
    list.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(b.2)));
    list.truncate(limit);
    list
}

/// Matches one post against its counterparts, both ways: for a demand, its best supplies; for a
/// supply, its best demands. Cost: one [`judge`] per counterpart (tag lists are capped, so each is
/// small), then a sort.
pub fn match_talent(req: &TalentRequest) -> Result<TalentAnswer, TalentError> {
    validate(req)?;
    let (direction, subject, limit) = match req {
        TalentRequest::Demand { demand, limit, .. } => ("demand", &demand.id, *limit),
        TalentRequest::Supply { supply, limit, .. } => ("supply", &supply.id, *limit),
    };
    let limit = limit.clamp(1, input::MAX_LIMIT);
    // Every counterpart is scored and checked without building text; only the listed ones are
    // judged in full (breakdown, explanation, reasons).
    let weighed: Vec<Weighed> = match req {
        TalentRequest::Demand {
            demand, supplies, ..
        } => supplies
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pair = TalentPair { demand, supply: s };
                (
                    score::score(demand, s),
                    rules::passes(&pair),
                    s.id.as_str(),
                    i,
                )
            })
            .collect(),
        TalentRequest::Supply {
            supply, demands, ..
        } => demands
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let pair = TalentPair { demand: d, supply };
                (
                    score::score(d, supply),
                    rules::passes(&pair),
                    d.id.as_str(),
                    i,
                )
            })
            .collect(),
    };
    let considered = weighed.len();
    let (ok, not): (Vec<_>, Vec<_>) = weighed.into_iter().partition(|w| w.1);
    let compatible = ok.len();
    let full = |list: Vec<Weighed>| -> Vec<PairVerdict> {
        best(list, limit)
            .into_iter()
            .map(|(.., i)| match req {
                TalentRequest::Demand {
                    demand, supplies, ..
                } => judge(demand, &supplies[i]),
                TalentRequest::Supply {
                    supply, demands, ..
                } => judge(&demands[i], supply),
            })
            .collect()
    };
    Ok(TalentAnswer {
        direction: direction.to_string(),
        subject: subject.clone(),
        considered,
        compatible,
        matches: full(ok),
        excluded: full(not),
    })
}
