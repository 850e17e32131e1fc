//! Benchmark driver for `bench/road/run.sh` (not a test): in-process timings of wuliu-road.
//!
//! ```text
//! road_bench prepare <in.osm.pbf> <out.wroad>          import + contract + save, prints seconds
//! road_bench points <net.wroad> <n> <seed> <out.json>   random points near roads, [lon, lat]
//! road_bench run <net.wroad> <points.json> <routes> <out.json>
//! road_bench serve <net.wroad> <port> <threads>         minimal HTTP/1.1 harness (see below)
//! ```
//!
//! `serve` answers OSRM-shaped `GET /route/v1/driving/...` and `/table/v1/driving/...` on
//! 127.0.0.1 with keep-alive, through [`wuliu_road::osrm`], so the HTTP-level benchmark can time
//! the engine behind a socket until `wuliu serve` has the road endpoints. It is a benchmark
//! harness (std only, one connection per thread), not the product's server.
//! `run` loads the network, routes `routes` consecutive point pairs one at a time (full route with
//! geometry, no steps, like OSRM's default), and times 100×100 and 1000×1000 tables.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use wuliu_model::GeoPoint;
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, RouteRequest, TableRequest};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("prepare") => {
            let t0 = Instant::now();
            let net = RoadNetwork::import_pbf(&args[2], Profile::Car, |p| {
                eprint!(
                    "\r  import {:?} {:>3}%   ",
                    p.phase,
                    p.bytes_done * 100 / p.bytes_total.max(1)
                );
            })
            .expect("import");
            let t_import = t0.elapsed().as_secs_f64();
            eprintln!();
            let mut phases = serde_json::Map::new();
            let p = PreparedNetwork::prepare_with_progress(net, None, |pr| {
                eprintln!(
                    "  prepare {:?}: {:.2} s (size {})",
                    pr.phase, pr.seconds, pr.size
                );
                phases.insert(format!("{:?}", pr.phase), json!(pr.seconds));
            });
            let t_prep = t0.elapsed().as_secs_f64();
            p.save(&args[3]).expect("save");
            let total = t0.elapsed().as_secs_f64();
            let (n, a, s) = p.sizes();
            eprintln!();
            println!(
                "{}",
                json!({"import_s": t_import, "prepare_s": t_prep - t_import, "total_s": total,
                       "nodes": n, "arcs": a, "shortcuts": s, "phases": phases, "stats": format!("{:?}", p.network().stats())})
            );
        }
        Some("points") => {
            let p = PreparedNetwork::load(&args[2]).expect("load");
            let n: usize = args[3].parse().unwrap();
            let seed: u64 = args[4].parse().unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let net = p.network();
            let mut pts = Vec::with_capacity(n);
            while pts.len() < n {
                let g = net.node_location(rng.gen_range(0..net.node_count()));
                let q = GeoPoint {
                    lat: g.lat + rng.gen_range(-0.0005..0.0005),
                    lon: g.lon + rng.gen_range(-0.0005..0.0005),
                };
                if p.snap(0, q).is_ok() {
                    pts.push([q.lon, q.lat]);
                }
            }
            std::fs::write(
                &args[5],
                serde_json::to_string(&json!({"points": pts})).unwrap(),
            )
            .unwrap();
        }
        Some("run") => {
            let t0 = Instant::now();
            let p = PreparedNetwork::load(&args[2]).expect("load");
            let load_s = t0.elapsed().as_secs_f64();
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&args[3]).unwrap()).unwrap();
            let pts: Vec<GeoPoint> = v["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| GeoPoint {
                    lon: x[0].as_f64().unwrap(),
                    lat: x[1].as_f64().unwrap(),
                })
                .collect();
            let routes: usize = args[4].parse().unwrap();
            let mut lat_ms = Vec::with_capacity(routes);
            let mut results = Vec::with_capacity(routes);
            for i in 0..routes {
                let (a, b) = (pts[(2 * i) % pts.len()], pts[(2 * i + 1) % pts.len()]);
                let req = RouteRequest {
                    points: vec![a, b],
                    steps: false,
                    vehicle: None,
                    departure: None,
                };
                let t = Instant::now();
                let r = p.route(&req).expect("route");
                let geo = r.as_ref().map(|r| r.polyline(5));
                lat_ms.push(t.elapsed().as_secs_f64() * 1e3);
                std::hint::black_box(geo);
                results.push(r.map(|r| [r.duration_s, r.distance_m]));
                if i % 1000 == 0 {
                    eprint!("\r  wuliu routes {i}/{routes}   ");
                }
            }
            eprintln!();
            let mut sorted = lat_ms.clone();
            sorted.sort_by(f64::total_cmp);
            let mut tables = serde_json::Map::new();
            for (n, reps) in [(100usize, 5), (1000, 3)] {
                let sub: Vec<GeoPoint> = pts.iter().copied().take(n).collect();
                let req = TableRequest {
                    sources: sub,
                    targets: None,
                    vehicle: None,
                    departure: None,
                };
                let mut times = Vec::new();
                let mut unreachable = 0;
                for _ in 0..reps {
                    let t = Instant::now();
                    let tab = p.table(&req).expect("table");
                    times.push(t.elapsed().as_secs_f64());
                    unreachable = tab
                        .durations_s
                        .iter()
                        .flatten()
                        .filter(|c| c.is_none())
                        .count();
                }
                eprintln!("  wuliu table {n}x{n}: {:.3} s", median(times.clone()));
                tables.insert(
                    format!("{n}"),
                    json!({"median_s": median(times), "unreachable": unreachable}),
                );
            }
            let out = json!({
                "engine": "wuliu", "load_s": load_s,
                "route_p50_ms": percentile(&sorted, 0.5), "route_p99_ms": percentile(&sorted, 0.99),
                "routes": results, "tables": tables,
            });
            std::fs::write(&args[5], serde_json::to_string(&out).unwrap()).unwrap();
        }
        Some("serve") => {
            let p = std::sync::Arc::new(PreparedNetwork::load(&args[2]).expect("load"));
            let port: u16 = args[3].parse().unwrap();
            let threads: usize = args[4].parse().unwrap();
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let l = listener.try_clone().unwrap();
                    let p = p.clone();
                    std::thread::spawn(move || {
                        while let Ok((stream, _)) = l.accept() {
                            let _ = serve_connection(&p, stream);
                        }
                    })
                })
                .collect();
            for h in handles {
                let _ = h.join();
            }
        }
        _ => {
            eprintln!("usage: road_bench prepare|points|run|serve ...");
            std::process::exit(2);
        }
    }
}

fn query_map(q: &str) -> serde_json::Map<String, serde_json::Value> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            let v = v.replace("%3B", ";").replace("%2C", ",");
            let val = match v.as_str() {
                "true" => json!(true),
                "false" if k == "steps" => json!(false),
                _ => json!(v),
            };
            (k.to_string(), val)
        })
        .collect()
}

fn serve_connection(p: &PreparedNetwork, stream: std::net::TcpStream) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Read, Write};
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 {
                return Ok(());
            }
            if h == "\r\n" || h == "\n" {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let q = serde_json::Value::Object(query_map(query));
        let (status, json) = if let Some(coords) = path.strip_prefix("/route/v1/driving/") {
            let opts: wuliu_road::osrm::RouteOptions =
                serde_json::from_value(q).unwrap_or_default();
            let r = wuliu_road::osrm::route(p, coords, &opts);
            (r.http_status(), serde_json::to_vec(&r).unwrap())
        } else if let Some(coords) = path.strip_prefix("/table/v1/driving/") {
            let opts: wuliu_road::osrm::TableOptions =
                serde_json::from_value(q).unwrap_or_default();
            let r = wuliu_road::osrm::table(p, coords, &opts);
            (r.http_status(), serde_json::to_vec(&r).unwrap())
        } else {
            (404, b"{\"code\":\"NotFound\"}".to_vec())
        };
        write!(
            out,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
            json.len()
        )?;
        out.write_all(&json)?;
    }
}
