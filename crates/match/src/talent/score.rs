//! The scored soft criteria of a pair and its explanation. The score is a function of the pair
//! alone (not of which side asked), so a demand's list and a supply's list give a pair the same
//! score.
//!
//! | criterion | weight | value (0 to 1) |
//! |---|---|---|
//! | `skills` | 0.45 | share of the demand's skill tags the supply offers (1 when it asks none) |
//! | `industry` | 0.20 | 1 when they share an industry tag, 0 when not, 0.5 when either has none |
//! | `distance` | 0.15 | 1 − km/100 by points; else same county 1, same city 0.7, elsewhere 0.3, unknown 0.5 |
//! | `timing` | 0.10 | 1 when available by the start, less 1/90 per day late |
//! | `headcount` | 0.10 | share of the headcount the supply covers |
//!
//! Points are `weight × value × 100`, rounded to hundredths; the score is their sum (0 to 100).

use serde::{Deserialize, Serialize};

use super::input::{Demand, Supply};
use super::rules::{proximity, Proximity};
use super::tags;

/// A soft criterion; stable in JSON.
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
pub enum Criterion {
    /// Skill-tag overlap.
    Skills,
    /// Industry match.
    Industry,
    /// Distance or county.
    Distance,
    /// Available in time.
    Timing,
    /// Share of the headcount covered.
    Headcount,
}

/// The weights, in the order criteria are listed.
pub const WEIGHTS: [(Criterion, f64); 5] = [
    (Criterion::Skills, 0.45),
    (Criterion::Industry, 0.20),
    (Criterion::Distance, 0.15),
    (Criterion::Timing, 0.10),
    (Criterion::Headcount, 0.10),
];

/// One line of a score's breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CriterionScore {
    /// The criterion.
    pub criterion: Criterion,
    /// Its weight.
    pub weight: f64,
    /// Its value, 0 to 1.
    pub value: f64,
    /// Points it adds (weight × value × 100).
    pub points: f64,
    /// How the value came about, with the numbers.
    pub detail: String,
}

/// Why a pair matches and what it lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Explanation {
    /// Skill tags the demand asks and the supply offers.
    pub matched_skills: Vec<String>,
    /// Skill tags the demand asks and the supply lacks.
    pub missing_skills: Vec<String>,
    /// Skill tags the supply offers beyond the demand's.
    pub extra_skills: Vec<String>,
    /// Industry tags both name.
    pub matched_industries: Vec<String>,
    /// Sentences: why it matches.
    pub why: Vec<String>,
    /// Sentences: what is missing.
    pub missing: Vec<String>,
}

fn split(wanted: &[String], offered: &[String]) -> (Vec<String>, Vec<String>) {
    wanted.iter().cloned().partition(|t| offered.contains(t))
}

fn labels(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| format!("{}（{c}）", tags::zh(c)))
        .collect::<Vec<_>>()
        .join("、")
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn line(criterion: Criterion, value: f64, detail: String) -> CriterionScore {
    let weight = WEIGHTS
        .iter()
        .find(|(c, _)| *c == criterion)
        .map_or(0.0, |(_, w)| *w);
    let value = value.clamp(0.0, 1.0);
    CriterionScore {
        criterion,
        weight,
        value: round2(value),
        points: round2(weight * value * 100.0),
        detail,
    }
}

fn overlap(a: &[String], b: &[String]) -> usize {
    a.iter().filter(|t| b.contains(t)).count()
}

fn skills_value(d: &Demand, s: &Supply) -> f64 {
    let wanted = &d.post.skill_tags;
    match wanted.len() {
        0 => 1.0,
        n => overlap(wanted, &s.post.skill_tags) as f64 / n as f64,
    }
}

fn industry_value(d: &Demand, s: &Supply) -> f64 {
    let (a, b) = (&d.post.industry_tags, &s.post.industry_tags);
    match (a.is_empty() || b.is_empty(), overlap(a, b)) {
        (true, _) => 0.5,
        (false, 0) => 0.0,
        _ => 1.0,
    }
}

fn distance_value(p: Proximity) -> f64 {
    match p {
        Proximity::Km(km) => 1.0 - km / 100.0,
        Proximity::SameCounty => 1.0,
        Proximity::SameCity => 0.7,
        Proximity::Elsewhere => 0.3,
        Proximity::Unknown => 0.5,
    }
}

fn days_late(d: &Demand, s: &Supply) -> i64 {
    (s.post.available_from - d.post.start).num_days()
}

fn timing_value(d: &Demand, s: &Supply) -> f64 {
    match days_late(d, s) {
        late if late <= 0 => 1.0,
        late => 1.0 - late as f64 / 90.0,
    }
}

fn headcount_value(d: &Demand, s: &Supply) -> f64 {
    let want = d.post.headcount;
    s.post.capacity.min(want) as f64 / want.max(1) as f64
}

fn skills(d: &Demand, s: &Supply) -> CriterionScore {
    let wanted = &d.post.skill_tags;
    let detail = match wanted.len() {
        0 => "the demand asks no skill tag".to_string(),
        n => format!(
            "{} of {n} skill tags offered",
            overlap(wanted, &s.post.skill_tags)
        ),
    };
    line(Criterion::Skills, skills_value(d, s), detail)
}

fn industry(d: &Demand, s: &Supply) -> CriterionScore {
    let value = industry_value(d, s);
    let (a, b) = (&d.post.industry_tags, &s.post.industry_tags);
    let detail = if a.is_empty() || b.is_empty() {
        "one side names no industry".to_string()
    } else if value == 0.0 {
        "no industry in common".to_string()
    } else {
        format!("same industry: {}", split(a, b).0.join(", "))
    };
    line(Criterion::Industry, value, detail)
}

fn distance(d: &Demand, s: &Supply) -> CriterionScore {
    let p = proximity(&d.post.location, &s.post.location);
    let detail = match p {
        Proximity::Km(km) => format!("{km:.1} km apart"),
        Proximity::SameCounty => "same county".to_string(),
        Proximity::SameCity => "same city, another county".to_string(),
        Proximity::Elsewhere => "another city".to_string(),
        Proximity::Unknown => "place not given".to_string(),
    };
    line(Criterion::Distance, distance_value(p), detail)
}

fn timing(d: &Demand, s: &Supply) -> CriterionScore {
    let detail = match days_late(d, s) {
        late if late <= 0 => format!("available by {}", d.post.start),
        late => format!("available {late} days after the start {}", d.post.start),
    };
    line(Criterion::Timing, timing_value(d, s), detail)
}

fn headcount(d: &Demand, s: &Supply) -> CriterionScore {
    let (want, cap) = (d.post.headcount, s.post.capacity);
    let detail = format!("covers {} of {want} wanted (offers {cap})", cap.min(want));
    line(Criterion::Headcount, headcount_value(d, s), detail)
}

/// The score of a pair without its breakdown (no text built): the same number as
/// [`total`] of [`breakdown`], for ranking many pairs before explaining the few listed.
pub fn score(d: &Demand, s: &Supply) -> f64 {
    let p = proximity(&d.post.location, &s.post.location);
    let values = [
        skills_value(d, s),
        industry_value(d, s),
        distance_value(p),
        timing_value(d, s),
        headcount_value(d, s),
    ];
    let points = WEIGHTS
        .iter()
        .zip(values)
        .map(|((_, w), v)| round2(w * v.clamp(0.0, 1.0) * 100.0));
    round2(points.sum())
}

/// The breakdown of a pair's score, one line per criterion in the order of [`WEIGHTS`].
pub fn breakdown(d: &Demand, s: &Supply) -> Vec<CriterionScore> {
    vec![
        skills(d, s),
        industry(d, s),
        distance(d, s),
        timing(d, s),
        headcount(d, s),
    ]
}

/// The score of a breakdown (0 to 100).
pub fn total(lines: &[CriterionScore]) -> f64 {
    round2(lines.iter().map(|l| l.points).sum())
}

/// Why the pair matches and what it lacks, naming the tags.
pub fn explain(d: &Demand, s: &Supply, lines: &[CriterionScore]) -> Explanation {
    let (matched_skills, missing_skills) = split(&d.post.skill_tags, &s.post.skill_tags);
    let extra_skills: Vec<String> = s
        .post
        .skill_tags
        .iter()
        .filter(|t| !d.post.skill_tags.contains(t))
        .cloned()
        .collect();
    let (matched_industries, _) = split(&d.post.industry_tags, &s.post.industry_tags);
    let mut why = Vec::new();
    let mut missing = Vec::new();
    if !matched_skills.is_empty() {
        why.push(format!("offers the skills {}", labels(&matched_skills)));
    }
    if !missing_skills.is_empty() {
        missing.push(format!("lacks the skills {}", labels(&missing_skills)));
    }
    if !matched_industries.is_empty() {
        why.push(format!(
            "serves the industry {}",
            labels(&matched_industries)
        ));
    }
    for l in lines.iter().filter(|l| l.criterion != Criterion::Skills) {
        let target = if l.value >= 0.99 {
            &mut why
        } else {
            &mut missing
        };
        if l.criterion != Criterion::Industry || l.value < 0.99 {
            target.push(format!("{:?}: {}", l.criterion, l.detail).to_lowercase());
        }
    }
    Explanation {
        matched_skills,
        missing_skills,
        extra_skills,
        matched_industries,
        why,
        missing,
    }
}
