//! Running a scenario against the platform: creating the fresh records and the waybills with their
//! lifecycle and fund-flow records through the API, and driving one JT/T 808 terminal per vehicle.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use wuliu_gateway::terminal::{location, Terminal};
use wuliu_jt808::{BatchLocation, Message, Version};
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};

use crate::api::Api;
use crate::drive::Sample;
use crate::error::{Error, Result};
use crate::records;
use crate::scenario::{Scenario, Trip};

/// Most positions in one 0x0704 batch that still fit one JT/T 808 frame.
pub const MAX_BATCH: usize = 25;

/// Progress reports; every method has an empty default.
pub trait Progress: Send + Sync {
    /// A trip's waybill was created (and, in replay, closed and paid).
    fn uploaded(&self) {}
    /// A terminal registered and authenticated.
    fn connected(&self) {}
    /// The gateway acknowledged `n` positions.
    fn acked(&self, _n: u64) {}
}

/// Progress that reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// Creates the fresh vehicles and drivers the scenario needs and records their IDs.
pub async fn create_fresh_records(api: &Api, scenario: &mut Scenario) -> Result<usize> {
    let mut n = 0;
    for trip in &mut scenario.trips {
        if trip.vehicle.fresh && trip.vehicle.id.is_none() {
            trip.vehicle.id = Some(api.create("vehicles", &trip.vehicle.record).await?);
            n += 1;
        }
        if trip.driver.fresh && trip.driver.id.is_none() {
            trip.driver.id = Some(api.create("drivers", &trip.driver.record).await?);
            n += 1;
        }
    }
    Ok(n)
}

/// Uploads one trip's waybill and despatches it; when `complete` (a replayed, finished trip) also
/// signs, closes and pays it. Returns the waybill ID.
pub async fn upload_trip(api: &Api, trip: &Trip, complete: bool) -> Result<String> {
    let id = api
        .create("waybills", &records::waybill(trip, complete))
        .await?;
    api.transition("waybills", &id, "dispatched").await?;
    if complete {
        close_trip(api, trip, &id, false).await?;
    }
    Ok(id)
}

/// Signs, closes and pays a despatched trip; `set_receipt` first records its receipt time (live
/// trips are uploaded before they arrive).
pub async fn close_trip(api: &Api, trip: &Trip, id: &str, set_receipt: bool) -> Result<()> {
    if set_receipt {
        let receipt = trip
            .receipt
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        api.patch(
            "waybills",
            id,
            &serde_json::json!({ "receipt_time": receipt }),
        )
        .await?;
    }
    api.transition("waybills", id, "signed").await?;
    api.transition("waybills", id, "receipted").await?;
    api.create("payments", &records::payment(trip, id)).await?;
    Ok(())
}

/// Uploads every trip's waybill, `concurrency` at a time, and records the waybill IDs.
pub async fn upload_all(
    api: &Api,
    scenario: &mut Scenario,
    complete: bool,
    concurrency: usize,
    progress: Arc<dyn Progress>,
) -> Result<()> {
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for trip in &scenario.trips {
        let (api, trip, gate, progress) =
            (api.clone(), trip.clone(), gate.clone(), progress.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.expect("semaphore");
            let id = upload_trip(&api, &trip, complete).await?;
            progress.uploaded();
            Ok::<_, Error>((trip.index, id))
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (i, id) = done.expect("upload task")?;
        scenario.trips[i].waybill_id = Some(id);
    }
    Ok(())
}

/// The terminal phone number of a vehicle (stable, so a rerun re-registers the same terminal).
pub fn phone_for(vehicle_id: &str) -> String {
    format!(
        "01{:010}",
        crate::identity::fnv1a(vehicle_id) % 10_000_000_000
    )
}

/// One vehicle's terminal and everything it reports.
#[derive(Debug, Clone)]
pub struct TerminalJob {
    /// Vehicle ID.
    pub vehicle_id: String,
    /// Plate.
    pub plate: String,
    /// JT/T 808 plate colour code.
    pub colour: u8,
    /// Fixes in time order.
    pub fixes: Vec<Sample>,
}

/// The terminals of a scenario: one per vehicle that reports anything.
pub fn terminal_jobs(scenario: &Scenario) -> Vec<TerminalJob> {
    let mut jobs: BTreeMap<String, TerminalJob> = BTreeMap::new();
    for t in scenario.trips.iter().filter(|t| !t.fixes.is_empty()) {
        let Some(id) = t.vehicle.id.clone() else {
            continue;
        };
        let job = jobs.entry(id.clone()).or_insert_with(|| TerminalJob {
            vehicle_id: id,
            plate: t.vehicle.record.plate.clone(),
            colour: t.vehicle.record.plate_colour.code(),
            fixes: Vec::new(),
        });
        job.fixes.extend_from_slice(&t.fixes);
    }
    let mut out: Vec<TerminalJob> = jobs.into_values().collect();
    for j in &mut out {
        j.fixes.sort_by_key(|f| f.time);
    }
    out
}

/// The position a terminal reports for a sample.
pub fn position(vehicle_id: &str, s: &Sample) -> Position {
    Position {
        vehicle_id: VehicleId(vehicle_id.to_string()),
        time: s.time,
        point: GeoPoint {
            lat: s.point.lat,
            lon: s.point.lon,
        },
        speed_kmh: s.speed_kmh,
        heading: s.heading,
        altitude_m: 90,
        alarm: 0,
        status: 1,
        mileage_km: Some(s.odometer_km),
        fuel_l: None,
        source: PositionSource::Jt808,
    }
}

/// Real-time pacing of a live run: simulated time `sim_start` is wall time `wall_start`, and
/// simulated time runs `speedup` times faster.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Simulated start.
    pub sim_start: DateTime<Utc>,
    /// Wall-clock start.
    pub wall_start: tokio::time::Instant,
    /// Simulated seconds per real second.
    pub speedup: f64,
}

impl Pace {
    /// The wall-clock instant of simulated time `t`.
    pub fn wall(&self, t: DateTime<Utc>) -> tokio::time::Instant {
        let sim = (t - self.sim_start).num_milliseconds().max(0) as f64 / 1000.0;
        self.wall_start + StdDuration::from_secs_f64(sim / self.speedup.max(1e-6))
    }
}

/// How terminals report.
#[derive(Debug, Clone)]
pub struct DriveOptions {
    /// Gateway address, e.g. `127.0.0.1:7611`.
    pub gateway: String,
    /// Positions per 0x0704 batch in replay (1: one 0x0200 each); at most [`MAX_BATCH`].
    pub batch: usize,
    /// Terminals connected at once in replay.
    pub concurrency: usize,
    /// Live pacing; `None` replays as fast as the gateway acknowledges.
    pub pace: Option<Pace>,
}

/// What the terminals achieved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DriveReport {
    /// Terminals that registered and authenticated.
    pub terminals: usize,
    /// Positions the gateway acknowledged.
    pub positions_acked: u64,
    /// Terminals that failed, with the reason.
    pub failures: Vec<String>,
}

/// Runs every terminal job; a failing terminal is reported, the others go on.
pub async fn drive_all(
    jobs: Vec<TerminalJob>,
    opts: &DriveOptions,
    progress: Arc<dyn Progress>,
) -> DriveReport {
    let limit = if opts.pace.is_some() {
        jobs.len().max(1)
    } else {
        opts.concurrency.max(1)
    };
    let gate = Arc::new(Semaphore::new(limit));
    let mut tasks = JoinSet::new();
    for job in jobs {
        let (opts, gate, progress) = (opts.clone(), gate.clone(), progress.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.expect("semaphore");
            run_terminal(&job, &opts, progress.as_ref()).await
        });
    }
    let mut report = DriveReport::default();
    while let Some(done) = tasks.join_next().await {
        match done.expect("terminal task") {
            Ok(n) => {
                report.terminals += 1;
                report.positions_acked += n;
            }
            Err(e) => report.failures.push(e.to_string()),
        }
    }
    report
}

fn terminal_error(job: &TerminalJob, message: impl std::fmt::Display) -> Error {
    Error::Terminal {
        plate: job.plate.clone(),
        message: message.to_string(),
    }
}

/// Connects, registers and authenticates one vehicle's terminal.
pub async fn connect(job: &TerminalJob, gateway: &str) -> Result<Terminal> {
    let phone = phone_for(&job.vehicle_id);
    let mut t = Terminal::connect(gateway, &phone, Version::V2013)
        .await
        .map_err(|e| terminal_error(job, format!("connect {gateway}: {e}")))?;
    let (result, code) = t
        .register(&job.plate, job.colour)
        .await
        .map_err(|e| terminal_error(job, format!("register: {e}")))?;
    if result != 0 {
        let why = match result {
            1 => "the vehicle already has another terminal",
            2 => "no vehicle with this plate and colour",
            3 => "the terminal is bound to another vehicle",
            _ => "refused",
        };
        return Err(terminal_error(
            job,
            format!("register: result {result} ({why})"),
        ));
    }
    match t.authenticate(&code).await {
        Ok(0) => Ok(t),
        Ok(r) => Err(terminal_error(job, format!("authentication refused ({r})"))),
        Err(e) => Err(terminal_error(job, format!("authenticate: {e}"))),
    }
}

/// Runs one terminal; returns the positions acknowledged.
async fn run_terminal(
    job: &TerminalJob,
    opts: &DriveOptions,
    progress: &dyn Progress,
) -> Result<u64> {
    if let (Some(pace), Some(first)) = (opts.pace, job.fixes.first()) {
        tokio::time::sleep_until(pace.wall(first.time)).await;
    }
    let mut t = connect(job, &opts.gateway).await?;
    progress.connected();
    let mut acked = 0;
    if let Some(pace) = opts.pace {
        for f in &job.fixes {
            tokio::time::sleep_until(pace.wall(f.time)).await;
            acked += send(&mut t, job, std::slice::from_ref(f)).await?;
            progress.acked(1);
        }
    } else {
        for chunk in job.fixes.chunks(opts.batch.clamp(1, MAX_BATCH)) {
            acked += send(&mut t, job, chunk).await?;
            progress.acked(chunk.len() as u64);
        }
    }
    Ok(acked)
}

/// Sends fixes (one 0x0200, or a 0x0704 blind-area batch) until acknowledged; three tries.
async fn send(t: &mut Terminal, job: &TerminalJob, fixes: &[Sample]) -> Result<u64> {
    let message = if fixes.len() == 1 {
        Message::Location(location(&position(&job.vehicle_id, &fixes[0])))
    } else {
        Message::BatchLocation(BatchLocation {
            kind: 1,
            items: fixes
                .iter()
                .map(|f| location(&position(&job.vehicle_id, f)))
                .collect(),
        })
    };
    for attempt in 0..3 {
        match t.ack_result(&message).await {
            Ok(0) => return Ok(fixes.len() as u64),
            Ok(_) if attempt < 2 => tokio::time::sleep(StdDuration::from_millis(200)).await,
            Ok(r) => return Err(terminal_error(job, format!("positions refused ({r})"))),
            Err(e) => return Err(terminal_error(job, format!("report: {e}"))),
        }
    }
    unreachable!("the last attempt returns")
}
