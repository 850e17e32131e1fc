//! The hard rules of the talent matching, one named rule per file, as in [`crate::rules`]: each
//! returns a [`Reason`] (stable code, message with the numbers) when a (demand, supply) pair fails.
//! [`check`] runs every rule and returns all failures at once.

pub mod availability;
pub mod capacity;
pub mod education;
pub mod kind;
pub mod location;

use serde::{Deserialize, Serialize};

use super::input::{Demand, Place, Supply};

/// The name of a rule; stable in JSON (`snake_case`).
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
pub enum TalentRule {
    /// The kind of supply is one the kind of demand can use (a job wants graduates, an R&D
    /// problem a lab or teachers, …).
    Kind,
    /// The supply has at least the fewest people the demand takes from one supplier.
    Capacity,
    /// The supply is available during the time the demand needs it.
    Availability,
    /// The supply's education level is at least the demand's minimum.
    Education,
    /// For on-site work, the supply is within the demand's reach.
    Location,
}

/// Why a supply cannot serve a demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reason {
    /// The rule that failed.
    pub rule: TalentRule,
    /// Stable code, e.g. `capacity.short`.
    pub code: String,
    /// Human-readable explanation with the numbers.
    pub message: String,
}

impl Reason {
    /// Builds a reason.
    pub fn new(rule: TalentRule, code: &str, message: impl Into<String>) -> Self {
        Self {
            rule,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// A (demand, supply) pair to check.
#[derive(Debug, Clone, Copy)]
pub struct TalentPair<'a> {
    /// The enterprise's demand.
    pub demand: &'a Demand,
    /// The college's supply.
    pub supply: &'a Supply,
}

/// How near two places are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "by", content = "km")]
pub enum Proximity {
    /// Both points known: straight-line kilometres.
    Km(f64),
    /// No points, same county-level code.
    SameCounty,
    /// No points, same city (first four digits of the code).
    SameCity,
    /// No points, different cities.
    Elsewhere,
    /// Not enough to say.
    Unknown,
}

/// How near `a` and `b` are: by their points when both have one, else by their division codes.
pub fn proximity(a: &Place, b: &Place) -> Proximity {
    if let (Some(p), Some(q)) = (&a.point, &b.point) {
        return Proximity::Km(crate::candidates::straight_km(p, q));
    }
    match (&a.division_code, &b.division_code) {
        (Some(x), Some(y)) if x == y => Proximity::SameCounty,
        (Some(x), Some(y)) if x.get(..4) == y.get(..4) => Proximity::SameCity,
        (Some(_), Some(_)) => Proximity::Elsewhere,
        _ => Proximity::Unknown,
    }
}

type Rule = fn(&TalentPair) -> Result<(), Reason>;

/// The rules, in the order they are checked.
pub const RULES: &[(TalentRule, Rule)] = &[
    (TalentRule::Kind, kind::check),
    (TalentRule::Capacity, capacity::check),
    (TalentRule::Availability, availability::check),
    (TalentRule::Education, education::check),
    (TalentRule::Location, location::check),
];

/// Whether every rule passes (stops at the first failure); the most common failure, the kind,
/// is tested first without building a [`Reason`].
pub fn passes(pair: &TalentPair) -> bool {
    kind::wanted(pair.demand.post.kind).contains(&pair.supply.post.kind)
        && RULES.iter().all(|(_, r)| r(pair).is_ok())
}

/// Every failure of a pair (empty: compatible).
pub fn check(pair: &TalentPair) -> Vec<Reason> {
    RULES.iter().filter_map(|(_, r)| r(pair).err()).collect()
}
