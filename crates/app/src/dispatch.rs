//! Dispatch planning as the platform runs it: a VROOM problem solved now ([`solve_now`]), or
//! submitted as a stored plan that is solved in the background and survives a restart
//! ([`submit`], [`resume_queued`], [`wait_for`]). Every stored plan is written with an audit entry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{DispatchError, SolverConfig};
use wuliu_model::TravelCosts;
use wuliu_store::{Kind, NewRecord, Record, WriteOp};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::service::{new_id, predicted_record, Service};

fn dispatch_error(e: DispatchError) -> AppError {
    match e {
        DispatchError::Invalid(v) => AppError::Invalid(v),
        other => AppError::invalid("dispatch.invalid_problem", "body", other.to_string()),
    }
}

/// Where the travel costs came from, for every answer.
pub fn costs_label(travel: &dyn TravelCosts) -> Value {
    json!({ "source": travel.label(), "road_network": travel.is_road_network() })
}

/// Solves a VROOM input with the platform's travel costs: bounded, solved, checked; the output in
/// VROOM's format and the checker's report.
pub fn solve_now(
    input: &Input,
    config: &SolverConfig,
    travel: &dyn TravelCosts,
) -> Result<(Output, Value), AppError> {
    crate::engines::bound_dispatch(input, config)?;
    let problem = input.to_problem(Some(travel)).map_err(dispatch_error)?;
    let solution = wuliu_dispatch::solve(&problem, config).map_err(dispatch_error)?;
    let report = wuliu_dispatch::check(&problem, &solution);
    let output = Output::from_solution(input, &problem, &solution);
    Ok((
        output,
        serde_json::to_value(report).expect("report serialises"),
    ))
}

/// Stores a plan as `queued` (after checking it can be built) and starts solving it; returns the
/// stored plan.
pub async fn submit(
    svc: &Service,
    travel: Arc<dyn TravelCosts>,
    caller: &Caller,
    input: Input,
    config: SolverConfig,
) -> Result<Record, AppError> {
    if caller.role == Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        });
    }
    crate::engines::bound_dispatch(&input, &config)?;
    // Refuse problems that cannot be built now rather than storing a plan that will fail.
    input
        .to_problem(Some(travel.as_ref()))
        .map_err(dispatch_error)?;
    let rec = NewRecord {
        id: new_id(Kind::DispatchPlan),
        region: caller.region.clone(),
        external_id: None,
        owner_party: caller.party_id.clone(),
        partner_party: None,
        status: Some("queued".into()),
        body: json!({ "status": "queued", "input": input, "config": config, "travel_costs": costs_label(travel.as_ref()) }),
    };
    let op = WriteOp::Insert {
        kind: Kind::DispatchPlan,
        rec,
    };
    let entry = crate::audit::entry(
        caller,
        "create",
        Kind::DispatchPlan,
        None,
        &predicted_record(&op),
    );
    let stored = svc.repo.commit(vec![op], vec![entry]).await?.remove(0);
    start_solving(svc, travel, stored.clone(), input, config);
    Ok(stored)
}

/// Solves a stored, queued plan on the blocking pool and stores the result (`solved` or `failed`).
fn start_solving(
    svc: &Service,
    travel: Arc<dyn TravelCosts>,
    rec: Record,
    input: Input,
    config: SolverConfig,
) {
    let svc = svc.clone();
    tokio::spawn(async move {
        let result =
            tokio::task::spawn_blocking(move || solve_now(&input, &config, travel.as_ref())).await;
        let mut body = rec.body.clone();
        let status = match result {
            Ok(Ok((output, report))) => {
                body["output"] = serde_json::to_value(output).expect("output serialises");
                body["check"] = report;
                "solved"
            }
            Ok(Err(e)) => {
                body["error"] = Value::String(e.to_string());
                "failed"
            }
            Err(e) => {
                body["error"] = Value::String(format!("solver task failed: {e}"));
                "failed"
            }
        };
        if let Err(e) = finish(&svc, &rec, body, status).await {
            tracing::error!(%e, plan = %rec.id, "cannot store dispatch plan result");
        }
    });
}

/// Stores a plan's end state (`solved` or `failed`) over the queued record, with an audit entry.
async fn finish(
    svc: &Service,
    rec: &Record,
    mut body: Value,
    status: &str,
) -> Result<(), AppError> {
    body["status"] = Value::String(status.into());
    let op = WriteOp::Update {
        kind: Kind::DispatchPlan,
        rec: NewRecord {
            id: rec.id.clone(),
            region: rec.region.clone(),
            external_id: rec.external_id.clone(),
            owner_party: rec.owner_party.clone(),
            partner_party: rec.partner_party.clone(),
            status: Some(status.into()),
            body,
        },
        expected_version: rec.version,
    };
    let system = Caller::system(&rec.region, "system:dispatch");
    let mut entry = crate::audit::entry(
        &system,
        "transition",
        Kind::DispatchPlan,
        None,
        &predicted_record(&op),
    );
    entry.diff = json!({ "status": [rec.status, status] });
    svc.repo.commit(vec![op], vec![entry]).await?;
    Ok(())
}

/// Restarts every plan left `queued` by a previous run (e.g. after a crash): an acknowledged
/// submission is solved even if the process died before it finished. A stored plan whose input can
/// no longer be read is marked `failed` with the reason. Returns how many plans were restarted.
pub async fn resume_queued(svc: &Service, travel: Arc<dyn TravelCosts>) -> Result<usize, AppError> {
    let q = wuliu_store::ListQuery {
        filters: vec![wuliu_store::Filter {
            field: wuliu_store::Field::Column("status"),
            op: wuliu_store::Op::Eq,
            value: wuliu_store::Literal::Text("queued".into()),
        }],
        ..Default::default()
    };
    let queued = svc.list_all(Kind::DispatchPlan, q).await?;
    let mut restarted = 0;
    for r in queued {
        let input = serde_json::from_value::<Input>(r.body["input"].clone());
        let config = serde_json::from_value::<SolverConfig>(r.body["config"].clone());
        match (input, config) {
            (Ok(input), Ok(config)) => {
                start_solving(svc, travel.clone(), r, input, config);
                restarted += 1;
            }
            (Err(e), _) | (_, Err(e)) => {
                let mut body = r.body.clone();
                body["error"] = Value::String(format!("stored plan cannot be read: {e}"));
                finish(svc, &r, body, "failed").await?;
            }
        }
    }
    Ok(restarted)
}

/// The plan `id` as the caller may see it, once it is no longer queued or `seconds` have passed.
pub async fn wait_for(
    svc: &Service,
    caller: &Caller,
    id: &str,
    seconds: f64,
) -> Result<Record, AppError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    loop {
        let rec = match svc.repo.get(Kind::DispatchPlan, id).await? {
            Some(r) if caller.can_read(&r, false) => r,
            _ => {
                return Err(AppError::NotFound(format!(
                    "no dispatch plan with id '{id}'"
                )))
            }
        };
        if rec.status.as_deref() != Some("queued") || Instant::now() >= deadline {
            return Ok(rec);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
