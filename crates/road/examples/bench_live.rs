//! Benchmark driver for `bench/road/run.sh` (not a test): live changes, map matching and
//! isochrones of wuliu-road, timed in-process.
//!
//! ```text
//! bench_live closures <net.wroad> <ways> <seed> <reps> <out.json>   close `ways` random ways
//! bench_live tracks <net.wroad> <per_case> <seed> <out.json>        simulated noisy GPS tracks
//! bench_live match <net.wroad> <tracks.json> <out.json>             match every track
//! bench_live isochrones <net.wroad> <n> <seed> <out.json>           5/10/15-minute isochrones
//! ```
//!
//! `tracks` drives random routes at the route's mean speed, samples every 1, 15 and 60 s and adds
//! 5, 15 and 30 m Gaussian noise (every combination, `per_case` tracks each, at most 100 points
//! a track: OSRM's default `max_locations_map_matching`). Each track carries its truth: the road
//! nodes driven between the first and the last sample, as `[lon, lat]`. The scoring (shared by
//! wuliu and OSRM) is in `bench/road/live.py`.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use wuliu_model::GeoPoint;
use wuliu_road::{
    ChangeEffect, ChangeTarget, IsochroneRequest, MatchRequest, PreparedNetwork, RoadChange,
    RouteRequest,
};

const INTERVALS_S: [i64; 3] = [1, 15, 60];
const NOISE_M: [f64; 3] = [5.0, 15.0, 30.0];
const MAX_TRACK_POINTS: usize = 100;
const MIN_TRACK_POINTS: usize = 8;
const METRES_PER_DEG: f64 = 111_320.0;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn write(path: &str, v: &Value) {
    std::fs::write(path, serde_json::to_string(v).expect("json")).expect("write output");
}

fn load(path: &str) -> PreparedNetwork {
    PreparedNetwork::load(path).expect("load the prepared network")
}

/// A random point on a routable road (a node location, snapped).
fn random_point(p: &PreparedNetwork, rng: &mut ChaCha8Rng) -> GeoPoint {
    let net = p.network();
    loop {
        let g = net.node_location(rng.gen_range(0..net.node_count()));
        if p.snap(0, g).is_ok() {
            return g;
        }
    }
}

fn closures(args: &[String]) {
    let p = load(&args[2]);
    let want: usize = args[3].parse().expect("ways");
    let mut rng = ChaCha8Rng::seed_from_u64(args[4].parse().expect("seed"));
    let reps: usize = args[5].parse().expect("reps");
    let mut ways = Vec::new();
    while ways.len() < want {
        let s = p
            .snap(0, random_point(&p, &mut rng))
            .expect("snapped above");
        let w = p.way_of(&s);
        if !ways.contains(&w) {
            ways.push(w);
        }
    }
    let change = RoadChange {
        id: "bench".into(),
        target: ChangeTarget::Ways(ways.clone()),
        effect: ChangeEffect::Closed,
    };
    let (mut wall, mut inner, mut closed) = (Vec::new(), Vec::new(), 0);
    for i in 0..reps {
        p.set_changes(Vec::new()).expect("clear");
        let t = Instant::now();
        let rep = p.set_changes(vec![change.clone()]).expect("close");
        wall.push(t.elapsed().as_secs_f64());
        inner.push(rep.seconds);
        closed = rep.edges_closed;
        eprint!("\r  wuliu closure {}/{reps}: {:.3} s   ", i + 1, wall[i]);
    }
    eprintln!();
    write(
        &args[6],
        &json!({"way_ids": ways, "times_s": wall.clone(), "median_s": median(wall),
                "recustomise_median_s": median(inner), "edges_closed": closed}),
    );
}

/// Great-circle distance, metres (haversine).
fn dist_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = la2 - la1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

/// The point `d` metres along the line `coords` (cumulative distances `cum`).
fn along(coords: &[[f64; 2]], cum: &[f64], d: f64) -> [f64; 2] {
    let i = cum.partition_point(|&c| c <= d).clamp(1, coords.len() - 1);
    let seg = (cum[i] - cum[i - 1]).max(1e-9);
    let f = ((d - cum[i - 1]) / seg).clamp(0.0, 1.0);
    let (a, b) = (coords[i - 1], coords[i]);
    [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]
}

/// A standard normal sample (Box–Muller).
fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// One simulated track for sampling `interval` and noise `sigma`, or `None` when the random
/// route is too short for enough samples.
fn track(p: &PreparedNetwork, rng: &mut ChaCha8Rng, interval: i64, sigma: f64) -> Option<Value> {
    let (a, b) = (random_point(p, rng), random_point(p, rng));
    let req: RouteRequest = serde_json::from_value(json!({"points": [a, b]})).expect("request");
    let r = p.route(&req).ok()??;
    let c = &r.coordinates;
    let mut cum = vec![0.0];
    for w in c.windows(2) {
        cum.push(cum.last().unwrap() + dist_m(w[0], w[1]));
    }
    let speed = r.distance_m / r.duration_s.max(1.0);
    let n = ((r.duration_s / interval as f64) as usize + 1).min(MAX_TRACK_POINTS);
    if n < MIN_TRACK_POINTS {
        return None;
    }
    let t0 = 1_700_000_000i64;
    let (mut pts, mut times) = (Vec::new(), Vec::new());
    for k in 0..n {
        let q = along(c, &cum, speed * (k as i64 * interval) as f64);
        let dy = gauss(rng) * sigma / METRES_PER_DEG;
        let dx = gauss(rng) * sigma / (METRES_PER_DEG * q[1].to_radians().cos());
        pts.push([q[0] + dx, q[1] + dy]);
        times.push(t0 + k as i64 * interval);
    }
    let end = speed * ((n - 1) as i64 * interval) as f64;
    let truth: Vec<[f64; 2]> = (1..c.len() - 1)
        .filter(|&i| cum[i] > 0.5 && cum[i] < end)
        .map(|i| c[i])
        .collect();
    Some(
        json!({"interval_s": interval, "noise_m": sigma, "points": pts, "times": times,
                "truth": truth, "distance_m": end}),
    )
}

fn tracks(args: &[String]) {
    let p = load(&args[2]);
    let per_case: usize = args[3].parse().expect("per_case");
    let mut rng = ChaCha8Rng::seed_from_u64(args[4].parse().expect("seed"));
    let mut out = Vec::new();
    for interval in INTERVALS_S {
        for sigma in NOISE_M {
            let (mut made, mut tries) = (0, 0);
            while made < per_case && tries < 200 * per_case {
                tries += 1;
                if let Some(t) = track(&p, &mut rng, interval, sigma) {
                    out.push(t);
                    made += 1;
                }
            }
            eprint!("\r  tracks: {interval} s / {sigma} m: {made}   ");
        }
    }
    eprintln!();
    write(&args[5], &json!({"tracks": out}));
}

fn match_one(p: &PreparedNetwork, t: &Value) -> (f64, Vec<Vec<[f64; 2]>>) {
    let pair = |x: &Value| GeoPoint {
        lon: x[0].as_f64().expect("lon"),
        lat: x[1].as_f64().expect("lat"),
    };
    let points: Vec<GeoPoint> = t["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(pair)
        .collect();
    let times: Vec<i64> = t["times"]
        .as_array()
        .expect("times")
        .iter()
        .map(|x| x.as_i64().expect("time"))
        .collect();
    let sigma = t["noise_m"].as_f64().expect("noise_m");
    let n = points.len();
    let req = MatchRequest {
        timestamps: Some(times),
        radiuses: Some(vec![Some(sigma); n]),
        split_gaps: false,
        ..MatchRequest::new(points)
    };
    let clock = Instant::now();
    let res = p.match_trace(&req);
    let secs = clock.elapsed().as_secs_f64();
    let lines = match res {
        Ok(m) => m
            .matchings
            .into_iter()
            .map(|m| m.route.coordinates)
            .collect(),
        Err(_) => Vec::new(),
    };
    (secs, lines)
}

fn matching(args: &[String]) {
    let p = load(&args[2]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&args[3]).expect("tracks"))
        .expect("tracks json");
    let all = v["tracks"].as_array().expect("tracks");
    let mut out = Vec::with_capacity(all.len());
    for (i, t) in all.iter().enumerate() {
        let (secs, lines) = match_one(&p, t);
        out.push(json!({"seconds": secs, "matchings": lines}));
        if i % 20 == 0 {
            eprint!("\r  wuliu match {i}/{}   ", all.len());
        }
    }
    eprintln!();
    write(&args[4], &json!({"results": out}));
}

fn isochrones(args: &[String]) {
    let p = load(&args[2]);
    let n: usize = args[3].parse().expect("n");
    let mut rng = ChaCha8Rng::seed_from_u64(args[4].parse().expect("seed"));
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let centre = random_point(&p, &mut rng);
        let req: IsochroneRequest = serde_json::from_value(
            json!({"point": centre, "contours_minutes": [5.0, 10.0, 15.0], "denoise": 0.0}),
        )
        .expect("request");
        let t = Instant::now();
        let iso = p.isochrone(&req).expect("isochrone");
        let secs = t.elapsed().as_secs_f64();
        let contours: Vec<Value> = iso
            .contours
            .iter()
            .map(|c| json!({"minutes": c.minutes, "polygons": c.polygons}))
            .collect();
        out.push(
            json!({"centre": [centre.lon, centre.lat], "seconds": secs, "contours": contours}),
        );
        eprint!("\r  wuliu isochrone {}/{n}   ", i + 1);
    }
    eprintln!();
    write(&args[5], &json!({"isochrones": out}));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("closures") => closures(&args),
        Some("tracks") => tracks(&args),
        Some("match") => matching(&args),
        Some("isochrones") => isochrones(&args),
        _ => {
            eprintln!("usage: bench_live closures|tracks|match|isochrones ...");
            std::process::exit(2);
        }
    }
}
