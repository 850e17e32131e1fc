//! Matches of one post, both ways, and the education bureau's statistics: the open posts of the
//! region read from the store and handed to the [`wuliu_match::talent`] engine.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wuliu_match::talent::{
    self, input::EducationLevel, rules::kind::wanted, stats, tags, DemandKind, PairVerdict,
    TalentRequest,
};
use wuliu_store::{Kind, Record, Repository};

use super::posts::{demand_of, open_posts, readable, supply_of};
use super::{authorise_overview, reads_region, Side};
use crate::caller::Caller;
use crate::error::AppError;

/// The number of matches listed when the caller names none.
pub const DEFAULT_LIMIT: usize = 10;

fn engine_error(e: talent::TalentError) -> AppError {
    match e {
        talent::TalentError::Invalid(v) => AppError::Internal(format!(
            "stored posts fail validation: {}",
            v.0.iter()
                .map(|x| x.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        other => AppError::too_large("posts", other.to_string()),
    }
}

/// The display name of each party, read once.
async fn party_names(
    repo: &dyn Repository,
    parties: impl Iterator<Item = String>,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut out = BTreeMap::new();
    for p in parties {
        if out.contains_key(&p) {
            continue;
        }
        let name = repo
            .get(Kind::Party, &p)
            .await?
            .and_then(|r| r.body["name"].as_str().map(String::from));
        out.insert(p.clone(), name.unwrap_or(p));
    }
    Ok(out)
}

/// A verdict with its counterpart's title, kind and party name.
fn enriched(
    v: &PairVerdict,
    side: Side,
    others: &BTreeMap<&str, &Record>,
    names: &BTreeMap<String, String>,
) -> Value {
    let (id, party) = match side {
        Side::Demand => (&v.supply, &v.supply_party),
        Side::Supply => (&v.demand, &v.demand_party),
    };
    let rec = others.get(id.as_str());
    let mut out = serde_json::to_value(v).expect("a verdict serialises");
    out["counterpart"] = json!({
        "id": id,
        "title": rec.map(|r| r.body["title"].clone()),
        "kind": rec.map(|r| r.body["kind"].clone()),
        "party": party,
        "party_name": names.get(party),
        "division_code": rec.map(|r| r.body["location"]["division_code"].clone()),
    });
    out
}

/// The best counterparts of post `id` on `side` (a demand's supplies, a supply's demands) among
/// the open posts of its region, with scores, breakdowns, explanations, and the near misses with
/// the rules they fail. For the post's party, admins, regulators and officials.
pub async fn matches(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
    limit: Option<usize>,
) -> Result<Value, AppError> {
    let rec = readable(repo, caller, side, id).await?;
    let own = caller.party_id.is_some() && rec.owner_party == caller.party_id;
    if !own && !reads_region(caller) {
        return Err(AppError::forbidden(
            "id",
            format!("only the posting party, admins, regulators and officials read the matches of {} '{id}'", side.what()),
        ));
    }
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=talent::input::MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad(
            "param.invalid",
            "limit",
            format!("limit: 1 to {}", talent::input::MAX_LIMIT),
        ));
    }
    let (others, truncated) = open_posts(repo, side.other(), &rec.region).await?;
    let req = match side {
        Side::Demand => TalentRequest::Demand {
            demand: demand_of(&rec)?,
            supplies: others.iter().map(supply_of).collect::<Result<_, _>>()?,
            limit,
        },
        Side::Supply => TalentRequest::Supply {
            supply: supply_of(&rec)?,
            demands: others.iter().map(demand_of).collect::<Result<_, _>>()?,
            limit,
        },
    };
    let answer = talent::match_talent(&req).map_err(engine_error)?;
    let by_id: BTreeMap<&str, &Record> = others.iter().map(|r| (r.id.as_str(), r)).collect();
    let listed = answer.matches.iter().chain(&answer.excluded);
    let parties = listed.map(|v| match side {
        Side::Demand => v.supply_party.clone(),
        Side::Supply => v.demand_party.clone(),
    });
    let names = party_names(repo, parties).await?;
    let show = |list: &[PairVerdict]| -> Vec<Value> {
        list.iter()
            .map(|v| enriched(v, side, &by_id, &names))
            .collect()
    };
    Ok(json!({
        "direction": answer.direction,
        "subject": answer.subject,
        "status": rec.status,
        "region": rec.region,
        "considered": answer.considered,
        "compatible": answer.compatible,
        "matches": show(&answer.matches),
        "excluded": show(&answer.excluded),
        "truncated": truncated,
    }))
}

/// The education bureau's statistics over the open posts of `region` (the caller's own unless an
/// admin or regulator names another): counts by kind, tag and county, supply against demand per
/// tag (the gaps), the match rate and the demands nothing serves.
pub async fn statistics(
    repo: &dyn Repository,
    caller: &Caller,
    region: Option<&str>,
) -> Result<Value, AppError> {
    authorise_overview(caller, "the talent statistics")?;
    let region = match region {
        Some(r) if caller.sees_all() => r.to_string(),
        Some(r) if r != caller.region => {
            return Err(AppError::forbidden(
                "region",
                "an official reads the statistics of its own region",
            ))
        }
        _ => caller.region.clone(),
    };
    let (d, dt) = open_posts(repo, Side::Demand, &region).await?;
    let (s, st) = open_posts(repo, Side::Supply, &region).await?;
    let demands = d.iter().map(demand_of).collect::<Result<Vec<_>, _>>()?;
    let supplies = s.iter().map(supply_of).collect::<Result<Vec<_>, _>>()?;
    let out = tokio::task::spawn_blocking(move || stats::stats(&demands, &supplies))
        .await
        .map_err(|e| AppError::Internal(format!("statistics: {e}")))?
        .map_err(engine_error)?;
    let mut v = serde_json::to_value(out).expect("statistics serialise");
    v["region"] = json!(region);
    v["truncated"] = json!(dt || st);
    Ok(v)
}

/// The tag vocabulary, the kinds with the supply each kind of demand can use, and the education
/// levels: what the console's forms offer.
pub fn vocabulary() -> Value {
    let kinds: Vec<Value> = [
        DemandKind::Job,
        DemandKind::Internship,
        DemandKind::JointTraining,
        DemandKind::RdProblem,
    ]
    .iter()
    .map(|k| json!({"demand": k.name(), "supplies": wanted(*k).iter().map(|s| s.name()).collect::<Vec<_>>()}))
    .collect();
    let levels = [
        EducationLevel::SecondaryVocational,
        EducationLevel::HigherVocational,
        EducationLevel::Bachelor,
        EducationLevel::Master,
        EducationLevel::Doctorate,
    ]
    .map(|l| l.name());
    json!({
        "tags": tags::TAGS,
        "kinds": kinds,
        "education_levels": levels,
        "weights": talent::score::WEIGHTS.iter().map(|(c, w)| json!({"criterion": c, "weight": w})).collect::<Vec<_>>(),
        "max_tags": talent::input::MAX_TAGS,
    })
}
