//! Load generator for the JT/T 808 gateway (`wuliu serve --jt808` or `wuliu gateway`).
//!
//! ```text
//! loadgen hold   --addr 127.0.0.1:7611 --connections 100000 --source-count 8 \
//!                [--connect-rate 5000] [--heartbeat-s 30] [--duration-s 60] [--pid PID]
//! loadgen report --addr 127.0.0.1:7611 --terminals 1000 --plates-file plates.txt \
//!                [--rate 10000 | --rate 0 --pipeline 8] [--duration-s 30] [--warmup-s 3]
//! ```
//!
//! Common options: `--sources 127.0.0.1,127.0.0.2` or `--source-count K` (127.0.0.1..=127.0.0.K)
//! spread the connections over several loopback source addresses, because one source address has
//! only ~64k ephemeral ports (and the kernel's default range is ~28k); `--connect-rate` caps new
//! connections per second; `--phone-base` offsets the terminals' phone numbers so that several
//! loadgen processes do not collide; `--threads` sets the Tokio worker threads (default 2).
//!
//! - `hold` opens the connections (unauthenticated: the gateway answers 0x0002 heartbeats before
//!   authentication, and a heartbeat resets its read timeout), then keeps them for `--duration-s`
//!   while each sends a heartbeat every `--heartbeat-s` seconds, the heartbeats of all connections
//!   spread evenly over the period. It counts 0x8001 acks and lost connections.
//! - `report` registers and authenticates `--terminals` terminals with plates from the file (colour
//!   code 2, yellow), then sends 0x0200 location reports either at an aggregate `--rate` per
//!   second, or (`--rate 0`) as fast as acks allow with `--pipeline` reports in flight per
//!   terminal. Each report's latency runs from its send to the 0x8001 ack with its serial. Report
//!   times start at `--start-time` (Unix seconds; default yesterday) and advance 1 s per report per
//!   terminal, so no report duplicates a stored fix.
//!
//! Progress goes to standard error once a second; the last line on standard output is a summary
//! `RESULT key=value …` that `bench/monitoring/run.sh` parses.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::{sleep_until, Instant};
use wuliu_gateway::terminal::{location, Terminal};
use wuliu_jt808::{Message, Version};
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};

/// Heartbeat (0x0002) and location report (0x0200) IDs, as the acks name them.
const HEARTBEAT: u16 = 0x0002;
const LOCATION: u16 = 0x0200;
/// Reports in flight per terminal at most in rate mode; beyond it a due report is skipped and
/// counted (the gateway is not keeping up).
const MAX_IN_FLIGHT: usize = 256;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// `--key value` options after the mode.
struct Opts(HashMap<String, String>);

impl Opts {
    fn parse(args: &[String]) -> Res<Opts> {
        let mut map = HashMap::new();
        let mut it = args.iter();
        while let Some(key) = it.next() {
            let name = key
                .strip_prefix("--")
                .ok_or_else(|| format!("expected --option, got {key}"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_string(), value.clone());
        }
        Ok(Opts(map))
    }

    fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> Res<T> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: cannot parse {v:?}").into()),
        }
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The loopback source addresses to bind before connecting.
    fn sources(&self) -> Res<Vec<Ipv4Addr>> {
        if let Some(list) = self.text("sources") {
            return list
                .split(',')
                .map(|s| {
                    s.trim()
                        .parse()
                        .map_err(|_| format!("bad source {s:?}").into())
                })
                .collect();
        }
        let count: u8 = self.get("source-count", 1)?;
        Ok((1..=count.max(1))
            .map(|k| Ipv4Addr::new(127, 0, 0, k))
            .collect())
    }
}

/// Connects from `source` (an ephemeral port of that address) to `addr`.
async fn connect_from(source: Ipv4Addr, addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::V4(SocketAddrV4::new(source, 0)))?;
    let stream = tokio::time::timeout(Duration::from_secs(15), socket.connect(addr))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))??;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// An 11-digit mobile-style phone number for terminal `i`.
fn phone(base: u64, i: u64) -> String {
    format!("1{:010}", base + i)
}

/// Resident set size of a process in MiB, from `/proc/PID/status`.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// User plus system CPU seconds a process has used, from `/proc/PID/stat` (fields 14 and 15,
/// counted after the parenthesised command name, which may contain spaces), at the usual 100
/// clock ticks per second.
fn cpu_s(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU use of the gateway (when its PID is known) and of this process over a window, as a
/// percentage of one core.
struct CpuWindow {
    at: Instant,
    gateway: Option<f64>,
    own: Option<f64>,
}

impl CpuWindow {
    fn start(pid: Option<u32>) -> CpuWindow {
        CpuWindow {
            at: Instant::now(),
            gateway: pid.and_then(cpu_s),
            own: cpu_s(std::process::id()),
        }
    }

    /// `gateway_cpu_pct=… loadgen_cpu_pct=…` since the start.
    fn text(&self, pid: Option<u32>) -> String {
        let secs = self.at.elapsed().as_secs_f64();
        let pct = |before: Option<f64>, now: Option<f64>| match (before, now) {
            (Some(b), Some(n)) => format!("{:.0}", (n - b) / secs * 100.0),
            _ => "-".into(),
        };
        format!(
            "gateway_cpu_pct={} loadgen_cpu_pct={}",
            pct(self.gateway, pid.and_then(cpu_s)),
            pct(self.own, cpu_s(std::process::id()))
        )
    }
}

/// Paces connection attempts: at most `per_s` per second, in 10 ms slices.
struct Pacer {
    per_slice: u64,
    slice_start: Instant,
    used: u64,
}

impl Pacer {
    fn new(per_s: u64) -> Pacer {
        Pacer {
            per_slice: (per_s / 100).max(1),
            slice_start: Instant::now(),
            used: 0,
        }
    }

    async fn wait(&mut self) {
        if self.used >= self.per_slice {
            let next = self.slice_start + Duration::from_millis(10);
            sleep_until(next).await;
            self.slice_start = Instant::now().max(next);
            self.used = 0;
        }
        self.used += 1;
    }
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first() else {
        eprintln!(
            "usage: loadgen hold|report --addr HOST:PORT [options] (see the source's header)"
        );
        std::process::exit(2);
    };
    let opts = Opts::parse(&args[1..])?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(opts.get("threads", 2)?)
        .enable_all()
        .build()?;
    match mode.as_str() {
        "hold" => runtime.block_on(hold(opts)),
        "report" => runtime.block_on(report(opts)),
        other => Err(format!("unknown mode {other:?}: hold or report").into()),
    }?;
    // Exiting closes every socket at once; there is no need to wind the tasks down one by one.
    std::process::exit(0)
}

// ---------------------------------------------------------------------------------------------
// hold

#[derive(Default)]
struct HoldStats {
    connected: AtomicU64,
    connect_failed: AtomicU64,
    open: AtomicU64,
    lost: AtomicU64,
    heartbeats: AtomicU64,
    acks: AtomicU64,
}

async fn hold(opts: Opts) -> Res<()> {
    let addr: SocketAddr = opts.get("addr", "127.0.0.1:7611".parse()?)?;
    let n: u64 = opts.get("connections", 10_000)?;
    let sources = opts.sources()?;
    let rate: u64 = opts.get("connect-rate", 5_000)?;
    let period = Duration::from_secs_f64(opts.get("heartbeat-s", 30.0)?);
    let duration = Duration::from_secs_f64(opts.get("duration-s", 60.0)?);
    let phone_base: u64 = opts.get("phone-base", 0)?;
    let pid: Option<u32> = opts.text("pid").map(str::parse).transpose()?;
    let stats = Arc::new(HoldStats::default());
    eprintln!(
        "hold: {n} connections to {addr} from {} source address(es), {rate}/s, heartbeat every {:?}",
        sources.len(),
        period
    );

    // Heartbeats are placed on one grid shared by all connections: connection i beats at
    // t0 + (i/n + k)·period, so the gateway sees an even n/period heartbeats per second whatever
    // the order in which connections came up.
    let t0 = Instant::now();
    let started = Instant::now();
    let connector = {
        let stats = stats.clone();
        tokio::spawn(async move {
            let mut pacer = Pacer::new(rate);
            for i in 0..n {
                pacer.wait().await;
                let source = sources[(i as usize) % sources.len()];
                let stats = stats.clone();
                let offset = period.mul_f64(i as f64 / n as f64);
                let phone = phone(phone_base, i);
                tokio::spawn(async move {
                    match connect_from(source, addr).await {
                        Ok(stream) => {
                            Count::inc(&stats.connected);
                            Count::inc(&stats.open);
                            heartbeat_loop(stream, &phone, t0 + offset, period, &stats).await;
                            stats.open.fetch_sub(1, Ordering::Relaxed);
                            Count::inc(&stats.lost);
                        }
                        Err(e) => {
                            if stats.connect_failed.fetch_add(1, Ordering::Relaxed) < 5 {
                                eprintln!("hold: connect from {source} failed: {e}");
                            }
                        }
                    }
                });
            }
        })
    };

    // Connect phase: until every attempt has succeeded or failed.
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    loop {
        tick.tick().await;
        let (c, f) = (
            stats.connected.load(Ordering::Relaxed),
            stats.connect_failed.load(Ordering::Relaxed),
        );
        eprintln!(
            "hold: connecting t={:.0}s connected={c} failed={f} open={} acks={}{}",
            started.elapsed().as_secs_f64(),
            stats.open.load(Ordering::Relaxed),
            stats.acks.load(Ordering::Relaxed),
            rss_text(pid)
        );
        if connector.is_finished() && c + f >= n {
            break;
        }
    }
    let connect_s = started.elapsed().as_secs_f64();

    // Hold phase.
    let hold_start = Instant::now();
    let cpu = CpuWindow::start(pid);
    let acks_before = stats.acks.load(Ordering::Relaxed);
    let lost_before = stats.lost.load(Ordering::Relaxed);
    let mut last = acks_before;
    let mut min_open = u64::MAX;
    while hold_start.elapsed() < duration {
        tick.tick().await;
        let acks = stats.acks.load(Ordering::Relaxed);
        let open = stats.open.load(Ordering::Relaxed);
        min_open = min_open.min(open);
        eprintln!(
            "hold: holding t={:.0}s open={open} acks/s={} lost={}{}",
            hold_start.elapsed().as_secs_f64(),
            acks - last,
            stats.lost.load(Ordering::Relaxed) - lost_before,
            rss_text(pid)
        );
        last = acks;
    }
    let held_s = hold_start.elapsed().as_secs_f64();
    let acks = stats.acks.load(Ordering::Relaxed) - acks_before;
    let open = stats.open.load(Ordering::Relaxed);
    let rss = pid
        .and_then(rss_mib)
        .map_or("-".into(), |m| format!("{m:.0}"));
    let own = rss_mib(std::process::id()).map_or("-".into(), |m| format!("{m:.0}"));
    println!(
        "RESULT mode=hold target={n} connected={} connect_failed={} connect_s={connect_s:.1} \
         held={open} min_held={} lost={} hold_s={held_s:.1} heartbeats={} acks={acks} \
         acks_per_s={:.0} expected_per_s={:.0} gateway_rss_mib={rss} loadgen_rss_mib={own} {}",
        stats.connected.load(Ordering::Relaxed),
        stats.connect_failed.load(Ordering::Relaxed),
        min_open.min(open),
        stats.lost.load(Ordering::Relaxed),
        stats.heartbeats.load(Ordering::Relaxed),
        acks as f64 / held_s,
        open as f64 / period.as_secs_f64(),
        cpu.text(pid),
    );
    Ok(())
}

fn rss_text(pid: Option<u32>) -> String {
    pid.and_then(rss_mib)
        .map_or(String::new(), |m| format!(" gateway_rss={m:.0}MiB"))
}

/// Relaxed counter increments.
struct Count;

impl Count {
    fn inc(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// Heartbeats on the grid from `first` every `period`, counting acks, until the connection fails.
async fn heartbeat_loop(
    stream: TcpStream,
    phone: &str,
    first: Instant,
    period: Duration,
    stats: &HoldStats,
) {
    let mut t = Terminal::over(stream, phone, Version::V2013);
    let mut next = first;
    let now = Instant::now();
    while next < now {
        next += period;
    }
    loop {
        // `receive` only awaits a socket read, so dropping it when the timer wins loses nothing.
        tokio::select! {
            _ = sleep_until(next) => {
                if t.send(&Message::Heartbeat).await.is_err() {
                    return;
                }
                Count::inc(&stats.heartbeats);
                next += period;
            }
            packet = t.receive() => {
                let Ok(packet) = packet else { return };
                if let Ok(Message::PlatformAck(a)) = packet.message() {
                    if a.reply_id == HEARTBEAT && a.result == 0 {
                        Count::inc(&stats.acks);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// report

#[derive(Default)]
struct ReportStats {
    ready: AtomicU64,
    setup_failed: AtomicU64,
    sent: AtomicU64,
    acked: AtomicU64,
    errors: AtomicU64,
    skipped: AtomicU64,
    lost: AtomicU64,
}

/// What one terminal measured.
#[derive(Default)]
struct Measured {
    /// Ack latencies in microseconds, of reports sent inside the measured window.
    latencies_us: Vec<u32>,
    /// Successful acks inside the measured window.
    acked: u64,
}

/// Run-wide timing handed to every terminal once all are set up.
#[derive(Clone, Copy)]
struct Window {
    /// Sends begin.
    start: Instant,
    /// Latencies and acks count from here (after the warm-up).
    measure: Instant,
    /// No report is sent after this; the acks of those in flight are still awaited.
    end: Instant,
}

struct ReportPlan {
    addr: SocketAddr,
    terminals: u64,
    /// Aggregate reports per second; 0 = as fast as acks allow.
    rate: f64,
    pipeline: usize,
    start_time: i64,
}

async fn report(opts: Opts) -> Res<()> {
    let plan = Arc::new(ReportPlan {
        addr: opts.get("addr", "127.0.0.1:7611".parse()?)?,
        terminals: opts.get("terminals", 1_000)?,
        rate: opts.get("rate", 10_000.0)?,
        pipeline: opts.get::<usize>("pipeline", 8)?.max(1),
        start_time: opts.get("start-time", Utc::now().timestamp() - 86_400)?,
    });
    let duration = Duration::from_secs_f64(opts.get("duration-s", 30.0)?);
    let warmup = Duration::from_secs_f64(opts.get("warmup-s", 3.0)?);
    let sources = opts.sources()?;
    let phone_base: u64 = opts.get("phone-base", 0)?;
    let connect_rate: u64 = opts.get("connect-rate", 2_000)?;
    let pid: Option<u32> = opts.text("pid").map(str::parse).transpose()?;
    let plates_file = opts
        .text("plates-file")
        .ok_or("report needs --plates-file (one plate a line)")?;
    let plates: Vec<String> = std::fs::read_to_string(plates_file)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if (plates.len() as u64) < plan.terminals {
        return Err(format!(
            "{plates_file} has {} plates for {} terminals",
            plates.len(),
            plan.terminals
        )
        .into());
    }
    let stats = Arc::new(ReportStats::default());
    let mode = if plan.rate > 0.0 {
        format!("{} reports/s", plan.rate)
    } else {
        format!(
            "as fast as acks allow, {} in flight per terminal",
            plan.pipeline
        )
    };
    eprintln!(
        "report: {} terminals to {}, {mode}, {:?} (+{:?} warm-up)",
        plan.terminals, plan.addr, duration, warmup
    );

    // Registrations are database writes: a bounded number at once keeps them from timing out.
    let setup_slots = Arc::new(Semaphore::new(64));
    let (go_tx, go_rx) = watch::channel(None::<Window>);
    let mut tasks = Vec::with_capacity(plan.terminals as usize);
    let setup_start = Instant::now();
    let mut pacer = Pacer::new(connect_rate);
    for i in 0..plan.terminals {
        pacer.wait().await;
        let source = sources[(i as usize) % sources.len()];
        let (plan, stats, slots, mut go) = (
            plan.clone(),
            stats.clone(),
            setup_slots.clone(),
            go_rx.clone(),
        );
        let plate = plates[i as usize].clone();
        let phone = phone(phone_base, i);
        tasks.push(tokio::spawn(async move {
            let setup = {
                let _slot = slots.acquire().await.expect("never closed");
                set_up(source, &plan, &phone, &plate).await
            };
            let mut t = match setup {
                Ok(t) => t,
                Err(e) => {
                    if stats.setup_failed.fetch_add(1, Ordering::Relaxed) < 5 {
                        eprintln!("report: terminal {phone} ({plate}) not set up: {e}");
                    }
                    return Measured::default();
                }
            };
            Count::inc(&stats.ready);
            let window = loop {
                if let Some(w) = *go.borrow_and_update() {
                    break w;
                }
                if go.changed().await.is_err() {
                    return Measured::default();
                }
            };
            let run = drive(&mut t, i, &plan, window, &stats).await;
            run.unwrap_or_else(|m| {
                Count::inc(&stats.lost);
                m
            })
        }));
    }
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    loop {
        let (r, f) = (
            stats.ready.load(Ordering::Relaxed),
            stats.setup_failed.load(Ordering::Relaxed),
        );
        if r + f >= plan.terminals {
            break;
        }
        tick.tick().await;
        eprintln!(
            "report: setting up t={:.0}s registered+authenticated={r} failed={f}",
            setup_start.elapsed().as_secs_f64()
        );
    }
    let ready = stats.ready.load(Ordering::Relaxed);
    let setup_s = setup_start.elapsed().as_secs_f64();
    eprintln!("report: {ready} terminals ready in {setup_s:.1}s; sending");
    if ready == 0 {
        return Err("no terminal could register and authenticate".into());
    }

    let start = Instant::now() + Duration::from_millis(50);
    let window = Window {
        start,
        measure: start + warmup,
        end: start + warmup + duration,
    };
    go_tx.send_replace(Some(window));
    tick.reset();
    let mut last = 0;
    let mut cpu = None;
    while Instant::now() < window.end {
        tick.tick().await;
        if cpu.is_none() && Instant::now() >= window.measure {
            cpu = Some(CpuWindow::start(pid));
        }
        let acked = stats.acked.load(Ordering::Relaxed);
        let sent = stats.sent.load(Ordering::Relaxed);
        eprintln!(
            "report: t={:.0}s{} acked/s={} in_flight={} errors={} skipped={} lost={}{}",
            start.elapsed().as_secs_f64(),
            if Instant::now() < window.measure {
                " (warm-up)"
            } else {
                ""
            },
            acked - last,
            sent.saturating_sub(acked + stats.errors.load(Ordering::Relaxed)),
            stats.errors.load(Ordering::Relaxed),
            stats.skipped.load(Ordering::Relaxed),
            stats.lost.load(Ordering::Relaxed),
            rss_text(pid)
        );
        last = acked;
    }
    let cpu = cpu.map_or("gateway_cpu_pct=- loadgen_cpu_pct=-".into(), |c| {
        c.text(pid)
    });
    let mut lat = Vec::new();
    let mut acked_in_window = 0u64;
    for task in tasks {
        let m = task.await?;
        acked_in_window += m.acked;
        lat.extend(m.latencies_us);
    }
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let idx = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        f64::from(lat[idx]) / 1000.0
    };
    let secs = duration.as_secs_f64();
    println!(
        "RESULT mode=report terminals={} ready={ready} setup_failed={} setup_s={setup_s:.1} \
         target_rate={} pipeline={} duration_s={secs:.0} acked={acked_in_window} \
         acked_per_s={:.0} p50_ms={:.2} p90_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={} \
         skipped={} lost={} sent_total={} {cpu}",
        plan.terminals,
        stats.setup_failed.load(Ordering::Relaxed),
        plan.rate,
        plan.pipeline,
        acked_in_window as f64 / secs,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        lat.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0),
        stats.errors.load(Ordering::Relaxed),
        stats.skipped.load(Ordering::Relaxed),
        stats.lost.load(Ordering::Relaxed),
        stats.sent.load(Ordering::Relaxed),
    );
    Ok(())
}

/// Connects, registers with `plate` (yellow) and authenticates.
async fn set_up(source: Ipv4Addr, plan: &ReportPlan, phone: &str, plate: &str) -> Res<Terminal> {
    let stream = connect_from(source, plan.addr).await?;
    let mut t = Terminal::over(stream, phone, Version::V2013);
    let (result, code) = t.register(plate, 2).await?;
    if result != 0 {
        return Err(format!("register result {result}").into());
    }
    let auth = t.authenticate(&code).await?;
    if auth != 0 {
        return Err(format!("authentication result {auth}").into());
    }
    Ok(t)
}

/// Terminal `i`'s `k`-th position: somewhere around Liuzhou, one second after the previous one.
fn position(plan: &ReportPlan, i: u64, k: u64) -> Position {
    let secs = plan.start_time + k as i64;
    let wobble = ((i * 7919 + k * 104_729) % 10_000) as f64 / 1e6;
    Position {
        // The gateway binds the fix to the terminal's vehicle; this ID is not sent.
        vehicle_id: VehicleId::new("veh_loadgen"),
        time: Utc.timestamp_opt(secs, 0).single().expect("valid time"),
        point: GeoPoint {
            lat: 24.2 + (i % 100) as f64 * 0.003 + wobble,
            lon: 109.3 + (i / 100 % 100) as f64 * 0.003 + wobble,
        },
        speed_kmh: (k % 90) as f64,
        heading: ((i + k) % 360) as u16,
        altitude_m: 90,
        alarm: 0,
        status: 1,
        mileage_km: Some(1000.0 + k as f64 * 0.01),
        fuel_l: None,
        source: PositionSource::Jt808,
    }
}

/// Sends reports for the window and collects their ack latencies. On a connection failure returns
/// what was measured so far as the error.
async fn drive(
    t: &mut Terminal,
    i: u64,
    plan: &ReportPlan,
    w: Window,
    stats: &ReportStats,
) -> Result<Measured, Measured> {
    let mut m = Measured::default();
    // (serial, send instant) of the reports awaiting their ack, oldest first: a connection's acks
    // come back in the order its reports were sent, so matching walks from the front.
    let mut in_flight: VecDeque<(u16, Instant)> = VecDeque::new();
    let mut k = 0u64;
    // Rate mode: terminal i sends every `interval`, offset so the terminals' sends interleave.
    let interval = if plan.rate > 0.0 {
        Duration::from_secs_f64(plan.terminals as f64 / plan.rate)
    } else {
        Duration::ZERO
    };
    let mut next = w.start + interval.mul_f64(i as f64 / plan.terminals as f64);
    if plan.rate <= 0.0 {
        sleep_until(w.start).await;
        for _ in 0..plan.pipeline {
            send_report(t, plan, i, &mut k, &mut in_flight, stats).await;
        }
    }
    loop {
        let now = Instant::now();
        let sending = now < w.end;
        if !sending && in_flight.is_empty() {
            return Ok(m);
        }
        // After the end, the acks of reports in flight get 10 s to arrive.
        let deadline = if !sending {
            w.end + Duration::from_secs(10)
        } else if plan.rate > 0.0 {
            next
        } else {
            w.end // pipeline mode sends on acks only
        };
        tokio::select! {
            _ = sleep_until(deadline) => {
                if !sending {
                    return Ok(m);
                }
                if plan.rate <= 0.0 {
                    continue;
                }
                if in_flight.len() < MAX_IN_FLIGHT {
                    if !send_report(t, plan, i, &mut k, &mut in_flight, stats).await {
                        return Err(m);
                    }
                } else {
                    Count::inc(&stats.skipped);
                }
                next += interval;
            }
            packet = t.receive() => {
                let Ok(packet) = packet else { return Err(m) };
                let Ok(Message::PlatformAck(a)) = packet.message() else { continue };
                if a.reply_id != LOCATION {
                    continue;
                }
                let at = Instant::now();
                while let Some((serial, sent)) = in_flight.pop_front() {
                    if serial != a.reply_serial {
                        continue; // no ack for it will come (the gateway answers in order)
                    }
                    if a.result != 0 {
                        Count::inc(&stats.errors);
                    } else {
                        Count::inc(&stats.acked);
                        if sent >= w.measure && sent < w.end {
                            m.acked += 1;
                            let us = (at - sent).as_micros().min(u128::from(u32::MAX));
                            m.latencies_us.push(us as u32);
                        }
                    }
                    break;
                }
                if plan.rate <= 0.0 && sending && in_flight.len() < plan.pipeline
                    && !send_report(t, plan, i, &mut k, &mut in_flight, stats).await
                {
                    return Err(m);
                }
            }
        }
    }
}

/// Sends terminal `i`'s next report; false when the connection failed.
async fn send_report(
    t: &mut Terminal,
    plan: &ReportPlan,
    i: u64,
    k: &mut u64,
    in_flight: &mut VecDeque<(u16, Instant)>,
    stats: &ReportStats,
) -> bool {
    let body = location(&position(plan, i, *k));
    *k += 1;
    match t.send(&Message::Location(body)).await {
        Ok(serial) => {
            in_flight.push_back((serial, Instant::now()));
            Count::inc(&stats.sent);
            true
        }
        Err(_) => false,
    }
}
