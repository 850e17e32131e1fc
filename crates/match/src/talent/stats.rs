//! Statistics for the education bureau (教育局): counts by kind, tag and county; supply against
//! demand per skill tag (the gaps 69号 三（三） asks to forecast: 行业人力资源供需预测与预警); the
//! match rate; and the demands no supply serves, each with its nearest miss.
//!
//! Cost: one rule check per (demand, supply) pair, stopping at the first compatible supply, and a
//! full judgement only for the demands nothing serves; both lists are capped at
//! [`MAX_CANDIDATES`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::input::{Demand, Supply, MAX_CANDIDATES};
use super::rules::{self, TalentPair};
use super::{judge, score, tags, PairVerdict, TalentError};

/// The most unmatched demands listed.
pub const MAX_UNMATCHED: usize = 100;

/// Demand and supply under one tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TagBalance {
    /// The tag's code.
    pub tag: String,
    /// Its Chinese label.
    pub zh: String,
    /// Demands naming it.
    pub demand_posts: usize,
    /// Supplies naming it.
    pub supply_posts: usize,
    /// People wanted by those demands (headcount).
    pub demand_headcount: u64,
    /// People or places offered by those supplies (capacity).
    pub supply_capacity: u64,
    /// Headcount minus capacity: above 0 is a shortage (缺口), below 0 a surplus.
    pub gap: i64,
}

/// Posts in one county-level division.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountyCount {
    /// Demands.
    pub demands: usize,
    /// Supplies.
    pub supplies: usize,
}

/// A demand no supply serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unmatched {
    /// The demand's ID.
    pub demand: String,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: String,
    /// Its skill tags that no supply offers at all.
    pub skills_nobody_offers: Vec<String>,
    /// The best-scoring supply it fails, with the rules (none when there is no supply).
    pub nearest: Option<PairVerdict>,
    /// That supply's title.
    pub nearest_title: Option<String>,
}

/// The statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TalentStats {
    /// Open demands counted.
    pub demands: usize,
    /// Open supplies counted.
    pub supplies: usize,
    /// Demands per kind.
    pub demands_by_kind: BTreeMap<String, usize>,
    /// Supplies per kind.
    pub supplies_by_kind: BTreeMap<String, usize>,
    /// Posts per county-level code (`unknown` when not given).
    pub by_county: BTreeMap<String, CountyCount>,
    /// Per industry tag.
    pub industries: Vec<TagBalance>,
    /// Per skill tag, largest shortage first.
    pub skills: Vec<TagBalance>,
    /// Demands with at least one compatible supply.
    pub matched_demands: usize,
    /// matched_demands / demands (0 when there is none).
    pub match_rate: f64,
    /// Demands no supply serves (at most [`MAX_UNMATCHED`]).
    pub unmatched: Vec<Unmatched>,
}

fn slot<'a>(m: &'a mut BTreeMap<String, TagBalance>, t: &str) -> &'a mut TagBalance {
    m.entry(t.to_string()).or_insert_with(|| TagBalance {
        tag: t.to_string(),
        zh: tags::zh(t).to_string(),
        ..TagBalance::default()
    })
}

fn balance(
    demands: &[Demand],
    supplies: &[Supply],
    pick_d: impl Fn(&Demand) -> &Vec<String>,
    pick_s: impl Fn(&Supply) -> &Vec<String>,
) -> Vec<TagBalance> {
    let mut m: BTreeMap<String, TagBalance> = BTreeMap::new();
    for d in demands {
        for t in pick_d(d) {
            let e = slot(&mut m, t);
            e.demand_posts += 1;
            e.demand_headcount += u64::from(d.post.headcount);
        }
    }
    for s in supplies {
        for t in pick_s(s) {
            let e = slot(&mut m, t);
            e.supply_posts += 1;
            e.supply_capacity += u64::from(s.post.capacity);
        }
    }
    let mut out: Vec<TagBalance> = m.into_values().collect();
    for b in &mut out {
        b.gap = b.demand_headcount as i64 - b.supply_capacity as i64;
    }
    out.sort_by(|a, b| b.gap.cmp(&a.gap).then_with(|| a.tag.cmp(&b.tag)));
    out
}

fn unmatched(d: &Demand, supplies: &[Supply]) -> Unmatched {
    // The best score, ties to the smaller ID; judged in full only for that one.
    let nearest = supplies
        .iter()
        .map(|s| (score::score(d, s), s))
        .max_by(|(a, x), (b, y)| a.total_cmp(b).then_with(|| y.id.cmp(&x.id)))
        .map(|(_, s)| s);
    let nearest_title = nearest.map(|s| s.post.title.clone());
    let nearest = nearest.map(|s| judge(d, s));
    let skills_nobody_offers = d
        .post
        .skill_tags
        .iter()
        .filter(|t| !supplies.iter().any(|s| s.post.skill_tags.contains(t)))
        .cloned()
        .collect();
    Unmatched {
        demand: d.id.clone(),
        title: d.post.title.clone(),
        kind: d.post.kind.name().to_string(),
        skills_nobody_offers,
        nearest,
        nearest_title,
    }
}

/// The statistics of the open `demands` and `supplies` of one region.
pub fn stats(demands: &[Demand], supplies: &[Supply]) -> Result<TalentStats, TalentError> {
    for (field, count) in [("demands", demands.len()), ("supplies", supplies.len())] {
        if count > MAX_CANDIDATES {
            let max = MAX_CANDIDATES;
            return Err(TalentError::TooManyCandidates { field, count, max });
        }
    }
    let mut out = TalentStats {
        demands: demands.len(),
        supplies: supplies.len(),
        ..TalentStats::default()
    };
    let county = |c: &Option<String>| c.clone().unwrap_or_else(|| "unknown".into());
    for d in demands {
        *out.demands_by_kind
            .entry(d.post.kind.name().into())
            .or_default() += 1;
        out.by_county
            .entry(county(&d.post.location.division_code))
            .or_default()
            .demands += 1;
    }
    for s in supplies {
        *out.supplies_by_kind
            .entry(s.post.kind.name().into())
            .or_default() += 1;
        out.by_county
            .entry(county(&s.post.location.division_code))
            .or_default()
            .supplies += 1;
    }
    out.industries = balance(
        demands,
        supplies,
        |d| &d.post.industry_tags,
        |s| &s.post.industry_tags,
    );
    out.skills = balance(
        demands,
        supplies,
        |d| &d.post.skill_tags,
        |s| &s.post.skill_tags,
    );
    for d in demands {
        let served = supplies.iter().any(|s| {
            rules::check(&TalentPair {
                demand: d,
                supply: s,
            })
            .is_empty()
        });
        if served {
            out.matched_demands += 1;
        } else if out.unmatched.len() < MAX_UNMATCHED {
            out.unmatched.push(unmatched(d, supplies));
        }
    }
    if out.demands > 0 {
        out.match_rate =
            ((out.matched_demands as f64 / out.demands as f64) * 1000.0).round() / 1000.0;
    }
    Ok(out)
}
