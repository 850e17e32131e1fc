//! Risk warnings (风险预警) on the indicators: the rules of [`wuliu_indicators::warnings`] run over
//! the rollups, each finding stored as an alert (rule `indicator.*`, `county.*`, `plan.*`) with its
//! evidence, once per rule, subject and day, and moved along open → acknowledged → resolved like the
//! monitoring alerts.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wuliu_indicators::warnings::{self, Thresholds, Warning};
use wuliu_model::{Alert, AlertStatus};
use wuliu_store::{Field, FieldType, Filter, Kind, ListQuery, Literal, Op, StatGroup, WriteOp};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::stats::{self, Interval, Metric, SeriesFilter};
use crate::{audit, Service};

/// Rule prefixes of indicator warnings (the rest of the alerts come from monitoring).
pub const PREFIXES: &[&str] = &["indicator.", "county.", "plan."];

fn warning_id(w: &Warning) -> String {
    let digest = Sha256::digest(format!("{}\u{0}{}\u{0}{}", w.rule, w.subject, w.day).as_bytes());
    format!("alr_{}", &hex::encode(digest)[..24])
}

fn require_regulator(caller: &Caller) -> Result<(), AppError> {
    match caller.role {
        Role::Admin | Role::Regulator => Ok(()),
        _ => Err(AppError::forbidden(
            "role",
            "risk warnings are the regulator's",
        )),
    }
}

/// Daily waybills of the 35 days ending `day`, one county: `(last 7, 28 before)`.
async fn county_days(
    svc: &Service,
    caller: &Caller,
    county: &str,
    day: NaiveDate,
) -> Result<(Vec<f64>, Vec<f64>), AppError> {
    let filter = SeriesFilter {
        county: Some(county.to_string()),
        industry: None,
    };
    let range = (day - Duration::days(34), day);
    let s = stats::series(svc, caller, Metric::Waybills, Interval::Day, range, filter).await?;
    let v: Vec<f64> = s.into_iter().map(|(_, x)| x.unwrap_or(0.0)).collect();
    Ok((v[28..].to_vec(), v[..28].to_vec()))
}

/// Runs every indicator rule for `day` (normally yesterday, the last complete day).
pub async fn evaluate(
    svc: &Service,
    caller: &Caller,
    day: NaiveDate,
) -> Result<Vec<Warning>, AppError> {
    require_regulator(caller)?;
    let th = Thresholds::default();
    let mut out = Vec::new();
    let names = crate::stats_names::Names::load(svc, &caller.region).await?;
    for (code, name) in names.all() {
        let (recent, previous) = county_days(svc, caller, &code, day).await?;
        out.extend(warnings::county_collapse(
            &code, &name, day, &recent, &previous, &th,
        ));
    }
    out.extend(outside_forecast(svc, caller, day).await?);
    out.extend(plan_targets(svc, caller, day).await?);
    out.extend(alert_rate(svc, caller, day, &th).await?);
    Ok(out)
}

/// Monitoring alerts per 100 waybills on `day` against the 28 days before it.
async fn alert_rate(
    svc: &Service,
    caller: &Caller,
    day: NaiveDate,
    th: &Thresholds,
) -> Result<Vec<Warning>, AppError> {
    let from = day - Duration::days(28);
    let text = |d: NaiveDate| Literal::Text(d.format("%Y-%m-%d").to_string());
    let field = || Field::Json(vec!["day"], FieldType::Text);
    let q = ListQuery {
        region: Some(caller.region.clone()),
        filters: vec![
            Filter {
                field: field(),
                op: Op::Gte,
                value: text(from),
            },
            Filter {
                field: field(),
                op: Op::Lte,
                value: text(day),
            },
        ],
        ..Default::default()
    };
    let mut alerts: std::collections::HashMap<String, u64> = Default::default();
    for r in svc.list_all(Kind::Alert, q).await? {
        let rule = r.body["rule"].as_str().unwrap_or("");
        if !PREFIXES.iter().any(|p| rule.starts_with(p)) {
            *alerts
                .entry(r.body["day"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    let range = (from, day);
    let waybills = stats::series(
        svc,
        caller,
        Metric::Waybills,
        Interval::Day,
        range,
        SeriesFilter::default(),
    )
    .await?;
    let count = |k: &str| alerts.get(k).copied().unwrap_or(0);
    let history: Vec<f64> = waybills[..waybills.len() - 1]
        .iter()
        .filter_map(|(k, w)| w.filter(|w| *w > 0.0).map(|w| 100.0 * count(k) as f64 / w))
        .collect();
    let (key, today) = waybills.last().expect("the range holds the day");
    let today = today.unwrap_or(0.0) as u64;
    let baseline = warnings::RateBaseline::from_history(&history);
    Ok(warnings::alert_rate(day, count(key), today, baseline, th))
}

/// A warning for each plan target at risk or off track on `day` (from the assessments of
/// [`crate::plan::targets`]), judged on values entered with a source.
async fn plan_targets(
    svc: &Service,
    caller: &Caller,
    day: NaiveDate,
) -> Result<Vec<Warning>, AppError> {
    use wuliu_indicators::plan::{Observation, Status, TargetAssessment};
    let list = crate::plan::targets(svc, caller, day).await?;
    let mut out = Vec::new();
    for t in list.targets {
        // A value measured on the platform covers only the platform's own freight, not the
        // city's statistic the target is set on: it is shown, but not warned about.
        if t.current.as_ref().is_none_or(|c| c.source == "platform") {
            continue;
        }
        let Ok(status) = serde_json::from_value::<Status>(json!(t.status)) else {
            continue;
        };
        let a = TargetAssessment {
            current: t.current.as_ref().map(|c| Observation {
                as_of: c.as_of,
                value: c.value,
            }),
            expected_now: t.expected_now,
            progress: t.progress,
            status,
            projected_at_target_year: t.projected_at_target_year,
            reason_zh: t.reason_zh,
            reason_en: t.reason_en,
        };
        out.extend(warnings::target_status(
            &t.id,
            &t.indicator_zh,
            &t.indicator_en,
            day,
            &a,
        ));
    }
    Ok(out)
}

/// The day's waybills against the forecast made from the days before it.
async fn outside_forecast(
    svc: &Service,
    caller: &Caller,
    day: NaiveDate,
) -> Result<Vec<Warning>, AppError> {
    let Ok(series) =
        crate::forecasts::platform_series(svc, caller, Metric::Waybills, Interval::Day, day).await
    else {
        return Ok(Vec::new());
    };
    let Ok(f) = wuliu_forecast::forecast(&series, 1) else {
        return Ok(Vec::new());
    };
    let q = stats::Scope::of(caller).query(day, day, StatGroup::Total);
    let actual = svc
        .repo
        .stats(&q)
        .await?
        .first()
        .map(|r| r.waybills as f64)
        .unwrap_or(0.0);
    let p = &f.points[0];
    let iv = warnings::Interval {
        lo80: p.lo80,
        hi80: p.hi80,
        lo95: p.lo95,
        hi95: p.hi95,
    };
    Ok(warnings::outside_interval("waybills", day, actual, &iv))
}

/// Stores the warnings not stored before as open alerts; returns how many were new.
pub async fn raise(svc: &Service, caller: &Caller, found: &[Warning]) -> Result<usize, AppError> {
    let now = Utc::now();
    let mut ops = Vec::new();
    for w in found {
        let id = warning_id(w);
        if svc.repo.get(Kind::Alert, &id).await?.is_some() {
            continue;
        }
        let mut evidence = w.evidence.clone();
        evidence["message_en"] = json!(w.message_en);
        evidence["subject"] = json!(w.subject);
        let alert = Alert {
            rule: w.rule.clone(),
            severity: serde_json::to_value(w.severity)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_else(|| "warning".into()),
            message: w.message_zh.clone(),
            waybill_id: None,
            carrier_id: None,
            vehicle_id: None,
            plate: None,
            day: w.day,
            detected_at: now,
            evidence,
            status: AlertStatus::Open,
            note: None,
        };
        ops.push(WriteOp::Insert {
            kind: Kind::Alert,
            rec: crate::monitoring::alert_record(&id, &caller.region, &alert),
        });
    }
    let raised = ops.len();
    if raised > 0 {
        let entries = ops
            .iter()
            .map(|op| {
                audit::entry(
                    caller,
                    "raise",
                    Kind::Alert,
                    None,
                    &crate::service::predicted_record(op),
                )
            })
            .collect();
        match svc.repo.commit(ops, entries).await {
            Ok(_) | Err(wuliu_store::StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(raised)
}

/// Evaluates and raises for `day`; returns `{day, found, raised}`.
pub async fn run(svc: &Service, caller: &Caller, day: NaiveDate) -> Result<Value, AppError> {
    let found = evaluate(svc, caller, day).await?;
    let raised = raise(svc, caller, &found).await?;
    Ok(json!({"day": day, "found": found.len(), "raised": raised, "warnings": found}))
}

/// The indicator warnings, newest first, optionally of one status.
pub async fn list(svc: &Service, caller: &Caller, status: Option<&str>) -> Result<Value, AppError> {
    require_regulator(caller)?;
    let mut out: Vec<Value> = Vec::new();
    for prefix in PREFIXES {
        let rule = || Field::Json(vec!["rule"], FieldType::Text);
        let text = |s: String| Literal::Text(s);
        let mut filters = vec![
            Filter {
                field: rule(),
                op: Op::Gte,
                value: text(prefix.to_string()),
            },
            Filter {
                field: rule(),
                op: Op::Lte,
                value: text(format!("{prefix}~")),
            },
        ];
        if let Some(s) = status {
            filters.push(Filter {
                field: Field::Column("status"),
                op: Op::Eq,
                value: text(s.to_string()),
            });
        }
        let q = ListQuery {
            region: Some(caller.region.clone()),
            filters,
            limit: 500,
            ..Default::default()
        };
        let page = svc.repo.list(Kind::Alert, &q).await?;
        out.extend(page.records.into_iter().map(|r| {
            let mut b = r.body;
            b["id"] = json!(r.id);
            b["version"] = json!(r.version);
            b
        }));
    }
    out.sort_by(|a, b| b["detected_at"].as_str().cmp(&a["detected_at"].as_str()));
    Ok(json!({"warnings": out}))
}
