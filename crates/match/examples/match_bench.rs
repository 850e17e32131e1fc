//! Benchmark program for `bench/match` (run through `bench/match/run.sh`).
//!
//! `match_bench sim <pbf> <loads> <vehicles> <seed,seed,...>`: a seeded working day on a real road network,
//! comparing FIFO dispatch, greedy nearest vehicle, exact assignment and assignment + chaining.
//! `match_bench sim-liuzhou <loads> <vehicles> <seed,seed,...>`: the same day with the parks at their
//! real places in the Liuzhou region (~60 × 50 km) on straight-line costs, flagged as such: the
//! repository holds no Guangxi road network, and this shows the policies at the city's distances.
//! `match_bench scale <loads> <vehicles> <seed>`: one batch of 10 000 × 5 000 on straight-line
//! costs around Liuzhou, and single-load suggestion latency.
//! Progress goes to stderr, Markdown tables to stdout.
//!
//! ## The day generator (seeded, ChaCha8)
//! Seven parks stand in for Liuzhou's freight generators; each is placed on a town of the road
//! extract (the repository holds no Liuzhou network) and has an industry, a share of the day's
//! loads and a preferred destination park (the flow the plan describes: parts to assembly,
//! finished vehicles and steel to the rail/port yard, produce and food into the city market):
//!
//! | park (Liuzhou role) | stand-in town | share | cargo | flows mostly to |
//! |---|---|---|---|---|
//! | 柳东 auto park (SGMW, Dongfeng Liuzhou): auto parts, finished vehicles | Escaldes-Engordany | 30 % | general; 1/3 finished vehicles | rail/port yard |
//! | 阳和 steel & machinery (Liugang, LiuGong) | Andorra la Vella | 20 % | general, heavy | auto park |
//! | 鹿寨 chemical zone | Sant Julià de Lòria | 10 % | dangerous goods (class 3, 8) 60 %, general | steel & machinery |
//! | 柳南 wholesale & cold-chain park | Encamp | 15 % | cold chain (0–4 °C or −18 °C) 60 %, general | food cluster |
//! | 柳城 farm produce (sugar cane, fruit) | La Massana | 10 % | general, cold chain 30 % | wholesale park |
//! | 螺蛳粉 food cluster (柳南) | Ordino | 8 % | general, cold chain 30 % | wholesale park |
//! | rail/port yard (西江 port, 柳州 rail hub) | Pas de la Casa | 7 % | general | auto park |
//!
//! 60 % of a park's loads go to its preferred park, the rest to a park drawn by share. Points are
//! random road nodes within 1.5 km of the town centre. Loads are posted uniformly 06:00–16:00;
//! pickup opens 0.5–2 h after posting and stays open 1–3 h; delivery is due 1.5–4 h after the
//! pickup window closes. Weights: general 1–15 t, cold chain 1–7 t, dangerous goods 5–20 t;
//! volume = weight ÷ 250–400 kg/m³. Price = 150 + 6 CNY per straight-line km × 1.3 + 0.02 CNY/kg.
//! Fleet mix (based at parks by share): box 10 t 38 %, high-sided 18 t 18 %, flatbed 30 t 10 %,
//! reefer 8 t (−20..10 °C) 14 %, tanker 25 t (classes 3, 8; qualified driver) 8 %, van 2 t 7 %,
//! car carrier 15 t 5 %; free from 06:00–08:00 at base, 8 h of driving each.
//!
//! ## The dispatch simulation
//! Loads are revealed at their posting time. FIFO gives each load, as it is posted, to the
//! feasible vehicle that has been free the longest; greedy gives it to the feasible vehicle with
//! the fewest empty km to the pickup. Our three policies batch every 15 minutes: all loads posted
//! and still open go to [`match_batch`] with the vehicles' committed states, with `max_chain` 1
//! (exact assignment), 3 (assignment + chaining, time slices) or 6 with search sequencing; trips
//! for which the vehicle must leave (pickup time less the drive to it) before the next decision plus
//! `COMMIT_H` hours (default 0.5) are committed, the rest are re-planned (`DEPART=0`: judge by the
//! pickup time instead, as before 2026-11-28; at Liuzhou's distances that lost 40–50 loads a day).
//! Day-ahead rows plan the whole day at once with each sequencing, and two lower
//! bounds (flow balance; relaxed successor assignment) are printed for each day. Environment knobs:
//! `RETURN_W` (return_weight, default 0.3), `WAIT` (waiting CNY/h, 20), `PEN` (empty-km penalty, 2),
//! `STEP_H` (hours between decisions, 0.25). All policies use the same rules, costs and road
//! network, and vehicles keep taking loads all day. Empty km = deadheads + each used
//! vehicle's final return to base; margin = Σ price − 3 CNY/km − 60 CNY/h of driving.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_match::{
    check, match_batch, suggest_vehicles, AvailableVehicle, MatchConfig, MatchRequest, OpenLoad,
};
use wuliu_model::ids::DivisionCode;
use wuliu_model::{
    BodyType, CargoClass, Celsius, Certificate, Driver, DrivingLicence, GeoPoint, Kg, Load, LoadId,
    LoadStatus, PartyId, Place, PlateColour, Seconds, StraightLine, TemperatureRange, TimeWindow,
    TravelCosts, Vehicle, VehicleId, VehicleStatus, Yuan, M3,
};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}
fn at(h: f64) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date().and_hms_opt(0, 0, 0).unwrap())
        + Duration::seconds((h * 3600.0) as i64)
}

struct Park {
    town: GeoPoint,
    share: f64,
    to: usize,
    kind: u8, // 0 auto, 1 steel, 2 chem, 3 cold, 4 farm, 5 food, 6 yard
}

fn parks_andorra() -> Vec<Park> {
    let p = |lat, lon| GeoPoint { lat, lon };
    vec![
        Park {
            town: p(42.509, 1.538),
            share: 0.30,
            to: 6,
            kind: 0,
        },
        Park {
            town: p(42.507, 1.521),
            share: 0.20,
            to: 0,
            kind: 1,
        },
        Park {
            town: p(42.463, 1.491),
            share: 0.10,
            to: 1,
            kind: 2,
        },
        Park {
            town: p(42.535, 1.583),
            share: 0.15,
            to: 5,
            kind: 3,
        },
        Park {
            town: p(42.545, 1.515),
            share: 0.10,
            to: 3,
            kind: 4,
        },
        Park {
            town: p(42.556, 1.533),
            share: 0.08,
            to: 3,
            kind: 5,
        },
        Park {
            town: p(42.542, 1.733),
            share: 0.07,
            to: 0,
            kind: 6,
        },
    ]
}

/// The same seven parks at their places in the Liuzhou region (centres read off the map to about
/// 1 km; the roles are those of [`parks_andorra`]): 柳东 auto park, 阳和 machinery and steel, 鹿寨
/// chemical zone, 柳南 wholesale and cold chain, 柳城 farm produce, the 螺蛳粉 food cluster in 柳南,
/// and the 官塘 rail hub with the 西江 port. The farthest pair (柳城–鹿寨) is ~60 km apart.
fn parks_liuzhou() -> Vec<Park> {
    let p = |lat, lon| GeoPoint { lat, lon };
    let park = |town, share, to, kind| Park {
        town,
        share,
        to,
        kind,
    };
    vec![
        park(p(24.385, 109.520), 0.30, 6, 0),
        park(p(24.262, 109.478), 0.20, 0, 1),
        park(p(24.470, 109.740), 0.10, 1, 2),
        park(p(24.290, 109.365), 0.15, 5, 3),
        park(p(24.650, 109.240), 0.10, 3, 4),
        park(p(24.240, 109.330), 0.08, 3, 5),
        park(p(24.305, 109.530), 0.07, 0, 6),
    ]
}

fn pick_weighted(rng: &mut ChaCha8Rng, parks: &[Park]) -> usize {
    let mut x = rng.gen_range(0.0..1.0);
    for (i, p) in parks.iter().enumerate() {
        x -= p.share;
        if x <= 0.0 {
            return i;
        }
    }
    parks.len() - 1
}

fn place(p: GeoPoint) -> Place {
    Place {
        point: p,
        address: "park".into(),
        division_code: DivisionCode("450206".into()),
    }
}

fn driver(dg: bool) -> Driver {
    let far = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    Driver {
        external_id: None,
        carrier_id: PartyId::new("pty_c"),
        name: "driver".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800138000".into(),
        licence: DrivingLicence {
            number: "1".into(),
            class: "A2".into(),
            expires: far,
        },
        qualification: Certificate {
            number: "Q".into(),
            expires: far,
        },
        dangerous_goods_qualified: dg,
    }
}

/// Generates the day: loads with posting times (hours), and the fleet.
fn generate(
    rng: &mut ChaCha8Rng,
    parks: &[Park],
    sites: &[Vec<GeoPoint>],
    n_loads: usize,
    n_veh: usize,
) -> (Vec<(f64, OpenLoad)>, Vec<AvailableVehicle>) {
    let mut loads = Vec::new();
    for i in 0..n_loads {
        let o = pick_weighted(rng, parks);
        let mut d = if rng.gen_bool(0.6) {
            parks[o].to
        } else {
            pick_weighted(rng, parks)
        };
        if d == o {
            d = parks[o].to;
        }
        let from = *sites[o].choose(rng).unwrap();
        let to = *sites[d].choose(rng).unwrap();
        let posted = rng.gen_range(6.0..16.0);
        let ps = posted + rng.gen_range(0.5..2.0);
        let pe = ps + rng.gen_range(1.0..3.0);
        let de = pe + rng.gen_range(1.5..4.0);
        let r: f64 = rng.gen_range(0.0..1.0);
        let (cargo, goods, w) = match parks[o].kind {
            2 if r < 0.6 => {
                let class = if rng.gen_bool(0.7) { "3" } else { "8" };
                (
                    CargoClass::DangerousGoods {
                        class: class.into(),
                        un_number: None,
                    },
                    "chemicals",
                    rng.gen_range(5000.0..20000.0),
                )
            }
            3 if r < 0.6 => (
                cold(rng),
                "chilled and frozen food",
                rng.gen_range(1000.0..7000.0),
            ),
            4 | 5 if r < 0.3 => (cold(rng), "fresh produce", rng.gen_range(1000.0..7000.0)),
            0 if r < 0.33 => (
                CargoClass::General,
                "商品车 finished vehicles",
                rng.gen_range(6000.0..14000.0),
            ),
            0 => (
                CargoClass::General,
                "auto parts",
                rng.gen_range(1000.0..9000.0),
            ),
            1 => (
                CargoClass::General,
                "steel and machinery",
                rng.gen_range(5000.0..15000.0),
            ),
            _ => (
                CargoClass::General,
                "general goods",
                rng.gen_range(1000.0..9000.0),
            ),
        };
        let km = from.haversine(&to).0 / 1000.0 * 1.3;
        let price = 150.0 + 6.0 * km + 0.02 * w;
        loads.push((
            posted,
            OpenLoad {
                id: LoadId::new(format!("lod_{i:05}")),
                load: Load {
                    external_id: None,
                    shipper_id: PartyId::new("pty_s"),
                    origin: place(from),
                    destination: place(to),
                    pickup_window: TimeWindow {
                        start: at(ps),
                        end: at(pe),
                    },
                    delivery_window: TimeWindow {
                        start: at(ps),
                        end: at(de),
                    },
                    goods: goods.into(),
                    cargo,
                    weight: Kg(w),
                    volume: M3(w / rng.gen_range(250.0..400.0)),
                    packages: 10,
                    largest_package: None,
                    price_offered: Yuan(price.round()),
                    declined_by: Vec::new(),
                    status: LoadStatus::Open,
                },
            },
        ));
    }
    loads.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mix: [(BodyType, f64, f64); 7] = [
        (BodyType::Box, 10_000.0, 0.38),
        (BodyType::HighSided, 18_000.0, 0.18),
        (BodyType::Flatbed, 30_000.0, 0.10),
        (BodyType::Refrigerated, 8_000.0, 0.14),
        (BodyType::Tanker, 25_000.0, 0.08),
        (BodyType::Van, 2_000.0, 0.07),
        (BodyType::CarCarrier, 15_000.0, 0.05),
    ];
    // Working day of a crew (hours from its start); only our policies read it (return weighting).
    let shift_h: f64 = std::env::var("SHIFT_H")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12.0);
    let mut vehicles = Vec::new();
    for i in 0..n_veh {
        let mut x = rng.gen_range(0.0..1.0);
        let mut k = 0;
        while k + 1 < mix.len() && x > mix[k].2 {
            x -= mix[k].2;
            k += 1;
        }
        let (body, cap, _) = mix[k];
        let base = *sites[pick_weighted(rng, parks)].choose(rng).unwrap();
        let tanker = body == BodyType::Tanker;
        let start = rng.gen_range(6.0..8.0);
        vehicles.push(AvailableVehicle {
            id: VehicleId::new(format!("veh_{i:05}")),
            vehicle: Vehicle {
                external_id: None,
                carrier_id: PartyId::new("pty_c"),
                plate: "桂B12345".into(),
                plate_colour: PlateColour::Yellow,
                body_type: body,
                rated_load: Kg(cap),
                cargo_volume: M3(cap / 200.0),
                inner_dimensions: None,
                refrigeration: (body == BodyType::Refrigerated).then_some(TemperatureRange {
                    min: Celsius(-20.0),
                    max: Celsius(10.0),
                }),
                dangerous_goods_classes: if tanker {
                    vec!["3".into(), "8".into()]
                } else {
                    vec![]
                },
                transport_certificate: Some(Certificate {
                    number: "T".into(),
                    expires: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
                }),
                home_base: Some(base),
                status: VehicleStatus::Available,
            },
            position: base,
            free_from: at(start),
            drivers: vec![driver(tanker)],
            remaining_driving: Seconds(8.0 * 3600.0),
            available_until: Some(at(start + shift_h)),
        });
    }
    (loads, vehicles)
}

fn cold(rng: &mut ChaCha8Rng) -> CargoClass {
    let t = if rng.gen_bool(0.6) {
        (0.0, 4.0)
    } else {
        (-18.0, -15.0)
    };
    CargoClass::ColdChain {
        temperature: TemperatureRange {
            min: Celsius(t.0),
            max: Celsius(t.1),
        },
    }
}

/// One committed trip, for the day's accounting.
struct Done {
    price: f64,
    km: f64,
    empty_km: f64,
    driving_h: f64,
}

#[derive(Default)]
struct DayResult {
    served: usize,
    empty_km: f64,
    loaded_km: f64,
    margin: f64,
    secs: f64,
    vehicles_used: usize,
    return_km: f64,
    check_failures: usize,
    decisions: usize,
}

/// Applies a trip to a vehicle's state.
fn commit(v: &mut AvailableVehicle, l: &OpenLoad, done_at: DateTime<Utc>, driving_h: f64) {
    v.position = l.load.destination.point;
    v.free_from = done_at;
    v.remaining_driving = Seconds(v.remaining_driving.0 - driving_h * 3600.0);
}

fn finish(
    costs: &dyn TravelCosts,
    fleet: &[AvailableVehicle],
    trips: &[Vec<Done>],
    secs: f64,
    cfg: &MatchConfig,
) -> DayResult {
    let mut r = DayResult {
        secs,
        ..Default::default()
    };
    let pairs: Vec<_> = fleet.iter().map(|v| (v.position, v.home())).collect();
    for (i, v) in fleet.iter().enumerate() {
        if trips[i].is_empty() {
            continue;
        }
        let ret = costs.leg(pairs[i].0, pairs[i].1).ok().flatten();
        let (rk, rh) = ret.map_or((0.0, 0.0), |l| {
            (l.distance.0 / 1000.0, l.duration.0 / 3600.0)
        });
        let _ = v;
        r.vehicles_used += 1;
        r.empty_km += rk;
        r.return_km += rk;
        r.margin -= cfg.cost_per_km * rk + cfg.cost_per_hour * rh;
        for t in &trips[i] {
            r.served += 1;
            r.empty_km += t.empty_km;
            r.loaded_km += t.km - t.empty_km;
            r.margin += t.price - cfg.cost_per_km * t.km - cfg.cost_per_hour * t.driving_h;
        }
    }
    r
}

/// FIFO (`nearest = false`) or greedy nearest (`nearest = true`), one load at a time as posted.
fn online(
    costs: &dyn TravelCosts,
    loads: &[(f64, OpenLoad)],
    fleet0: &[AvailableVehicle],
    nearest: bool,
) -> DayResult {
    let mut fleet = fleet0.to_vec();
    let mut trips: Vec<Vec<Done>> = (0..fleet.len()).map(|_| Vec::new()).collect();
    let cfg = MatchConfig {
        candidates_per_load: 0,
        ..MatchConfig::default()
    };
    let t0 = Instant::now();
    for (k, (posted, l)) in loads.iter().enumerate() {
        if k % 200 == 0 {
            eprint!(
                "\r  {} {k}/{}",
                if nearest { "greedy" } else { "fifo" },
                loads.len()
            );
        }
        // A vehicle is offered the load only once it is committed no later than the posting time
        // is irrelevant: commitments are in the future; the suggestion checks every rule.
        let s = suggest_vehicles(l, &fleet, costs, &cfg, usize::MAX).unwrap();
        let pick = if nearest {
            s.iter()
                .min_by(|a, b| a.deadhead_km.total_cmp(&b.deadhead_km))
        } else {
            let ix = |id: &VehicleId| fleet.iter().position(|v| &v.id == id).unwrap();
            s.iter().min_by_key(|x| {
                (
                    fleet[ix(&x.vehicle)].free_from.max(at(*posted)),
                    ix(&x.vehicle),
                )
            })
        };
        if let Some(x) = pick {
            let vi = fleet.iter().position(|v| v.id == x.vehicle).unwrap();
            trips[vi].push(Done {
                price: l.load.price_offered.0,
                km: x.deadhead_km + x.loaded_km,
                empty_km: x.deadhead_km,
                driving_h: x.driving_h,
            });
            commit(&mut fleet[vi], l, x.done_at, x.driving_h);
        }
    }
    eprintln!();
    let secs = t0.elapsed().as_secs_f64();
    finish(costs, &fleet, &trips, secs, &cfg)
}

/// Hours between two decisions of the batched policies.
const STEP_H: f64 = 0.25;

/// Our policy: a batch every [`STEP_H`] hours over the loads posted and still open.
fn batched(
    costs: &dyn TravelCosts,
    loads: &[(f64, OpenLoad)],
    fleet0: &[AvailableVehicle],
    max_chain: usize,
    sequencing: wuliu_match::Sequencing,
    commit_h: f64,
    outlook: &[wuliu_match::outlook::SiteOutlook],
) -> DayResult {
    let mut fleet = fleet0.to_vec();
    let mut trips: Vec<Vec<Done>> = (0..fleet.len()).map(|_| Vec::new()).collect();
    let env = |k: &str, d: f64| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let cfg = MatchConfig {
        max_chain,
        explain_nearest: 0,
        return_weight: env("RETURN_W", 0.3),
        waiting_cost_per_hour: env("WAIT", 20.0),
        empty_km_penalty: env("PEN", 2.0),
        slice_h: env("SLICE", 0.0),
        return_ramp_h: env("RAMP", 3.0),
        sequencing,
        // Iterations, not seconds, bound the search so runs repeat exactly (the time limit only
        // guards against a slow machine): about 0.3 s per decision here.
        search_time_s: 30.0,
        search_iterations: Some(env("SEARCH_ITERS", 4000.0) as u64),
        search_threads: 1,
        outlook: outlook.to_vec(),
        ..MatchConfig::default()
    };
    let urgent_h = env("URGENT_H", 0.0);
    let by_departure = env("DEPART", 1.0) > 0.0;
    let mut open: Vec<OpenLoad> = Vec::new();
    let mut next = 0;
    let step_h = env("STEP_H", STEP_H);
    let mut t = 6.0 + step_h;
    let mut secs = 0.0;
    let mut failures = 0;
    let mut decisions = 0;
    while next < loads.len() || (!open.is_empty() && t < 30.0) {
        while next < loads.len() && loads[next].0 < t {
            open.push(loads[next].1.clone());
            next += 1;
        }
        open.retain(|l| l.load.pickup_window.end > at(t));
        eprint!("\r  chain={max_chain} t={t:.2}h open={}   ", open.len());
        if !open.is_empty() {
            // Vehicles cannot start before the decision time.
            let vehicles: Vec<_> = fleet
                .iter()
                .map(|v| AvailableVehicle {
                    free_from: v.free_from.max(at(t)),
                    ..v.clone()
                })
                .collect();
            let req = MatchRequest {
                loads: open.clone(),
                vehicles,
                date: date(),
                config: cfg.clone(),
            };
            let t0 = Instant::now();
            let plan = match_batch(&req, costs).unwrap();
            secs += t0.elapsed().as_secs_f64();
            decisions += 1;
            if !check(&req, &plan, costs).is_ok() {
                failures += 1;
            }
            let mut served = std::collections::HashSet::new();
            // Commit only what starts soon: a chain's prefix whose pickups begin before the next
            // decision plus `commit_h`; the rest stays open and is re-planned with newer loads.
            let horizon = at(t + step_h + commit_h);
            let mut stopped = std::collections::HashSet::new();
            // A trip also commits when its load's pickup window closes soon (`URGENT_H`), so
            // deferring never loses a load whose last chance is this decision.
            let urgent = at(t + step_h + urgent_h);
            for a in &plan.assignments {
                let l = open.iter().find(|l| l.id == a.load).unwrap();
                if stopped.contains(&a.vehicle) {
                    continue;
                }
                let due = l.load.pickup_window.end <= urgent;
                let vi = fleet.iter().position(|v| v.id == a.vehicle).unwrap();
                // When the vehicle must leave for the pickup: the pickup time less the drive there.
                let start = if by_departure {
                    let drive = costs
                        .leg(fleet[vi].position, l.load.origin.point)
                        .ok()
                        .flatten()
                        .map_or(0.0, |g| g.duration.0);
                    a.pickup_at - Duration::seconds(drive as i64)
                } else {
                    a.pickup_at
                };
                if start > horizon && !due {
                    stopped.insert(a.vehicle.clone());
                    continue;
                }
                trips[vi].push(Done {
                    price: l.load.price_offered.0,
                    km: a.deadhead_km + a.loaded_km,
                    empty_km: a.deadhead_km,
                    driving_h: a.driving_h,
                });
                commit(&mut fleet[vi], l, a.done_at, a.driving_h);
                served.insert(a.load.clone());
            }
            open.retain(|l| !served.contains(&l.id));
        }
        t += step_h;
    }
    eprintln!();
    let mut r = finish(costs, &fleet, &trips, secs, &cfg);
    r.check_failures = failures;
    r.decisions = decisions;
    r
}

/// Draws each park's sites with the day's rng.
type SiteDraw<'a> = Box<dyn Fn(&[Park], &mut ChaCha8Rng) -> Vec<Vec<GeoPoint>> + 'a>;

/// Where a simulated day takes place: the parks, the travel costs, and how the rng draws the sites.
struct Region<'a> {
    parks: Vec<Park>,
    costs: &'a dyn TravelCosts,
    /// Sites of each park, drawn with the day's rng before the loads (the order is part of the seed).
    sites: SiteDraw<'a>,
    /// Sites lie within this many km of their park's centre (used by the flow bound).
    site_radius_km: f64,
    /// One line saying what the costs are, printed above each day.
    describe: String,
}

fn sim(pbf: &str, n_loads: usize, n_veh: usize, seeds: &[u64]) {
    let t0 = Instant::now();
    eprintln!("== importing {pbf} (truck profile) and preparing");
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Truck, |_| {})
        .expect("import");
    let road = wuliu_road::PreparedNetwork::prepare(net, None);
    eprintln!("   {:.1} s", t0.elapsed().as_secs_f64());
    let region = Region {
        parks: parks_andorra(),
        costs: &road,
        sites: Box::new(|parks: &[Park], rng: &mut ChaCha8Rng| road_sites(&road, parks, rng)),
        site_radius_km: 1.5,
        describe: format!(
            "Road network: `{}` ({}; real OSM, but a small extract: Andorra, ~470 km², not Liuzhou), {} road nodes.",
            road.label(),
            pbf.rsplit('/').next().unwrap_or(pbf),
            road.network().node_count()
        ),
    };
    sim_days(&region, n_loads, n_veh, seeds);
}

/// The same day simulation over the Liuzhou region itself (parks at their real places, see
/// [`parks_liuzhou`]) on straight-line costs: the repository holds no Guangxi road network, so this
/// run shows how the policies compare at the city's real distances, flagged as not a road network.
fn sim_liuzhou(n_loads: usize, n_veh: usize, seeds: &[u64]) {
    let costs = StraightLine {
        detour_factor: 1.3,
        speed_kmh: 50.0,
    };
    let radius_km = 3.0;
    let region = Region {
        parks: parks_liuzhou(),
        costs: &costs,
        sites: Box::new(move |parks: &[Park], rng: &mut ChaCha8Rng| {
            parks
                .iter()
                .map(|p| {
                    (0..60)
                        .map(|_| loop {
                            let dy = rng.gen_range(-radius_km..radius_km);
                            let dx = rng.gen_range(-radius_km..radius_km);
                            if dx * dx + dy * dy <= radius_km * radius_km {
                                break GeoPoint {
                                    lat: p.town.lat + dy / 110.574,
                                    lon: p.town.lon + dx / (111.320 * p.town.lat.to_radians().cos()),
                                };
                            }
                        })
                        .collect()
                })
                .collect()
        }),
        site_radius_km: radius_km,
        describe: format!(
            "Costs: `{}` (straight line × 1.3 at 50 km/h; **not a road network**: the repository holds no Guangxi extract), over the Liuzhou region: parks at their real places, ~60 × 50 km.",
            costs.label()
        ),
    };
    sim_days(&region, n_loads, n_veh, seeds);
}

/// Candidate sites on a road network: road nodes within 1.5 km of each park's town that the
/// network can route to and from.
fn road_sites(
    road: &wuliu_road::PreparedNetwork,
    parks: &[Park],
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<GeoPoint>> {
    let netw = road.network();
    parks
        .iter()
        .map(|p| {
            let mut v: Vec<GeoPoint> = (0..netw.node_count())
                .map(|n| netw.node_location(n))
                .filter(|g| g.haversine(&p.town).0 < 1500.0)
                .collect();
            v.shuffle(rng);
            v.truncate(60);
            // Keep sites the truck network can reach to and from the town centre node.
            let c = v[0];
            let m1 = road.matrix(&[c], &v).ok();
            let m2 = road.matrix(&v, &[c]).ok();
            v.iter()
                .enumerate()
                .filter(|(i, _)| {
                    m1.as_ref().is_some_and(|m| m.get(0, *i).is_some())
                        && m2.as_ref().is_some_and(|m| m.get(*i, 0).is_some())
                })
                .map(|(_, g)| *g)
                .collect()
        })
        .collect()
}

fn sim_days(region: &Region, n_loads: usize, n_veh: usize, seeds: &[u64]) {
    let mut rows: Vec<[f64; 17]> = Vec::new();
    for &seed in seeds {
        println!("### Day with seed {seed}\n");
        rows.push(sim_day(region, n_loads, n_veh, seed));
        println!();
    }
    let med = |k: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| r[k]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("### Medians over {} days (seeds {seeds:?})\n", seeds.len());
    println!("| ratio | median |");
    println!("|---|---|");
    println!(
        "| empty km, assignment + chaining ÷ greedy | {:.3} |",
        med(0)
    );
    println!("| empty km, exact assignment ÷ greedy | {:.3} |", med(1));
    println!("| empty km, FIFO ÷ greedy | {:.3} |", med(2));
    println!(
        "| loads served, assignment + chaining ÷ greedy | {:.3} |",
        med(3)
    );
    println!("| margin, assignment + chaining ÷ greedy | {:.3} |", med(4));
    println!(
        "| empty km per served load, assignment + chaining ÷ greedy | {:.3} |",
        med(5)
    );
    println!("| suggestion p99 on this day's costs, ms | {:.2} |", med(6));
    println!(
        "| batch matching time per 15-min decision (assignment + chaining), ms | {:.1} |",
        med(7)
    );
    println!(
        "| empty km, assignment + search chaining ÷ greedy | {:.3} |",
        med(8)
    );
    println!(
        "| loads served, assignment + search chaining ÷ greedy | {:.3} |",
        med(9)
    );
    println!(
        "| margin, assignment + search chaining ÷ greedy | {:.3} |",
        med(10)
    );
    println!(
        "| batch matching time per 15-min decision (assignment + search chaining), ms | {:.1} |",
        med(11)
    );
    println!(
        "| empty km, day-ahead search (all loads known) ÷ greedy | {:.3} |",
        med(12)
    );
    println!(
        "| loads served, day-ahead search ÷ greedy | {:.3} |",
        med(13)
    );
    println!(
        "| empty km, search chaining + outlook ÷ greedy | {:.3} |",
        med(14)
    );
    println!(
        "| loads served, search chaining + outlook ÷ greedy | {:.3} |",
        med(15)
    );
    println!(
        "| margin, search chaining + outlook ÷ greedy | {:.3} |",
        med(16)
    );
}

fn sim_day(region: &Region, n_loads: usize, n_veh: usize, seed: u64) -> [f64; 17] {
    let parks = &region.parks;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sites = (region.sites)(parks, &mut rng);
    let (loads, fleet) = generate(&mut rng, parks, &sites, n_loads, n_veh);
    println!("{}", region.describe);
    println!(
        "Day: {n_loads} loads, {n_veh} vehicles, seed {seed}; sites per park: {:?}.\n",
        sites.iter().map(Vec::len).collect::<Vec<_>>()
    );
    let costs = region.costs;
    let commit_h: f64 = std::env::var("COMMIT_H")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.5);
    eprintln!("== FIFO");
    let fifo = online(costs, &loads, &fleet, false);
    eprintln!("== greedy nearest");
    let greedy = online(costs, &loads, &fleet, true);
    eprintln!("== exact assignment (15-min batches)");
    let rolling = |max_chain: usize, sequencing: wuliu_match::Sequencing| {
        batched(costs, &loads, &fleet, max_chain, sequencing, commit_h, &[])
    };
    let exact = rolling(1, wuliu_match::Sequencing::TimeSlices);
    eprintln!("== assignment + chaining (15-min batches)");
    let chain = rolling(3, wuliu_match::Sequencing::TimeSlices);
    eprintln!("== assignment + search chaining (15-min batches)");
    let search = rolling(6, wuliu_match::Sequencing::Search);
    // The outlook is learned from earlier days of the same city (other seeds), never from today.
    let history_days: u64 = std::env::var("HISTORY_DAYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let site_km: f64 = std::env::var("OUTLOOK_KM")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let mut past: Vec<(GeoPoint, GeoPoint)> = Vec::new();
    for d in 1..=history_days {
        let mut hr = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(d));
        let (hl, _) = generate(&mut hr, parks, &sites, n_loads, n_veh);
        past.extend(
            hl.iter()
                .map(|(_, l)| (l.load.origin.point, l.load.destination.point)),
        );
    }
    let outlook = wuliu_match::outlook::learn_outlook(&past, costs, site_km).unwrap();
    eprintln!(
        "== assignment + search chaining + outlook ({} sites from {history_days} past days; {})",
        outlook.len(),
        outlook
            .iter()
            .filter(|o| o.empty_km > 0.0)
            .map(|o| format!("{:.1}", o.empty_km))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let search_outlook = batched(
        costs,
        &loads,
        &fleet,
        6,
        wuliu_match::Sequencing::Search,
        commit_h,
        &outlook,
    );
    eprintln!("== day-ahead plan: all loads known at 06:00, assignment + chaining");
    let ahead_with = |sequencing: wuliu_match::Sequencing| {
        let cfg = MatchConfig {
            max_chain: 12,
            sequencing,
            // About 10 s here; iterations make the plan repeatable.
            search_time_s: 600.0,
            search_iterations: Some(
                std::env::var("AHEAD_ITERS")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(30_000),
            ),
            slice_h: std::env::var("AHEAD_SLICE")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(1.0),
            explain_nearest: 0,
            ..MatchConfig::default()
        };
        let req = MatchRequest {
            loads: loads.iter().map(|(_, l)| l.clone()).collect(),
            vehicles: fleet.clone(),
            date: date(),
            config: cfg.clone(),
        };
        let t0 = Instant::now();
        let plan = match_batch(&req, costs).unwrap();
        let secs = t0.elapsed().as_secs_f64();
        let failures = usize::from(!check(&req, &plan, costs).is_ok());
        let mut f2 = fleet.clone();
        let mut trips: Vec<Vec<Done>> = (0..f2.len()).map(|_| Vec::new()).collect();
        for a in &plan.assignments {
            let vi = f2.iter().position(|v| v.id == a.vehicle).unwrap();
            let l = &req.loads.iter().find(|l| l.id == a.load).unwrap().clone();
            trips[vi].push(Done {
                price: l.load.price_offered.0,
                km: a.deadhead_km + a.loaded_km,
                empty_km: a.deadhead_km,
                driving_h: a.driving_h,
            });
            commit(&mut f2[vi], l, a.done_at, a.driving_h);
        }
        let mut r = finish(costs, &f2, &trips, secs, &cfg);
        r.check_failures = failures;
        r
    };
    let ahead = ahead_with(wuliu_match::Sequencing::TimeSlices);
    eprintln!("== day-ahead plan with successor sequencing");
    let ahead_succ = ahead_with(wuliu_match::Sequencing::Successors);
    eprintln!("== day-ahead plan with search sequencing (30 000 iterations)");
    let ahead_search = ahead_with(wuliu_match::Sequencing::Search);
    let (lb_served, lb_empty) = relaxed_lower_bound(costs, &loads, &fleet, &MatchConfig::default());
    let lb_flow = imbalance_lower_bound(parks, &loads, region.site_radius_km);
    println!(
        "Flow lower bound (time ignored; parks balanced by empty trips, straight-line km between site areas): at least {lb_flow:.0} empty km to serve all {n_loads} loads ({:+.1} % vs greedy).\n",
        100.0 * (lb_flow / greedy.empty_km - 1.0)
    );
    println!(
        "Offline lower bound (relaxed: all loads known, compatibility checked pairwise, pickups at window start, no driving limit, return to the nearest base): {lb_served} loads with at least {lb_empty:.0} empty km ({:+.1} % vs greedy).\n",
        100.0 * (lb_empty / greedy.empty_km - 1.0)
    );
    println!("| policy | loads served | empty km | of which returns to base | loaded km | empty-km share | empty km vs greedy | margin CNY | vehicles used | matching time s | checker failures |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, r) in [
        ("FIFO", &fifo),
        ("greedy nearest", &greedy),
        ("exact assignment", &exact),
        ("assignment + chaining", &chain),
        ("assignment + search chaining", &search),
        ("search chaining + outlook from past days", &search_outlook),
        ("day-ahead assignment + chaining", &ahead),
        ("day-ahead, successor sequencing", &ahead_succ),
        ("day-ahead, search sequencing", &ahead_search),
    ] {
        println!(
            "| {name} | {} / {n_loads} | {:.0} | {:.0} | {:.0} | {:.1} % | {:+.1} % | {:.0} | {} | {:.2} | {} |",
            r.served,
            r.empty_km,
            r.return_km,
            r.loaded_km,
            100.0 * r.empty_km / (r.empty_km + r.loaded_km).max(1e-9),
            100.0 * (r.empty_km / greedy.empty_km - 1.0),
            r.margin,
            r.vehicles_used,
            r.secs,
            if name.starts_with("FIFO") || name.starts_with("greedy") { "n/a".to_string() } else { r.check_failures.to_string() }
        );
    }
    let per = |r: &DayResult| r.empty_km / r.served.max(1) as f64;
    println!("\nEmpty km per served load: FIFO {:.2}, greedy {:.2}, exact {:.2}, chaining {:.2} (chaining / greedy = {:.2}).",
        per(&fifo), per(&greedy), per(&exact), per(&chain), per(&chain) / per(&greedy));
    // Single-load suggestion latency on this day's costs.
    let cfg = MatchConfig::default();
    let mut lat: Vec<f64> = loads
        .iter()
        .take(300)
        .map(|(_, l)| {
            let t = Instant::now();
            let s = suggest_vehicles(l, &fleet, costs, &cfg, 5).unwrap();
            std::hint::black_box(s);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    println!(
        "\nSingle-load suggestions on this day's costs ({} vehicles, top 5, 300 loads): median {:.2} ms, p99 {:.2} ms, max {:.2} ms.",
        fleet.len(), lat[lat.len() / 2], lat[lat.len() * 99 / 100], lat[lat.len() - 1]
    );
    [
        chain.empty_km / greedy.empty_km,
        exact.empty_km / greedy.empty_km,
        fifo.empty_km / greedy.empty_km,
        chain.served as f64 / greedy.served as f64,
        chain.margin / greedy.margin,
        per(&chain) / per(&greedy),
        lat[lat.len() * 99 / 100],
        1000.0 * chain.secs / chain.decisions.max(1) as f64,
        search.empty_km / greedy.empty_km,
        search.served as f64 / greedy.served as f64,
        search.margin / greedy.margin,
        1000.0 * search.secs / search.decisions.max(1) as f64,
        ahead_search.empty_km / greedy.empty_km,
        ahead_search.served as f64 / greedy.served as f64,
        search_outlook.empty_km / greedy.empty_km,
        search_outlook.served as f64 / greedy.served as f64,
        search_outlook.margin / greedy.margin,
    ]
}

fn scale(n_loads: usize, n_veh: usize, seed: u64, reps: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Liuzhou region: parks around the city centre, ~100 × 90 km (city + 柳江, 柳城, 鹿寨).
    let lz = GeoPoint {
        lat: 24.326,
        lon: 109.411,
    };
    let parks: Vec<Park> = [
        (0.0, 0.0, 0.3, 1),
        (12.0, 6.0, 0.2, 0),
        (-25.0, -20.0, 0.1, 2),
        (35.0, 15.0, 0.15, 3),
        (-10.0, 30.0, 0.1, 4),
        (5.0, -12.0, 0.08, 5),
        (20.0, -35.0, 0.07, 6),
    ]
    .iter()
    .map(|&(dx, dy, share, to)| Park {
        town: GeoPoint {
            lat: lz.lat + dy / 110.574,
            lon: lz.lon + dx / 101.4,
        },
        share,
        to,
        kind: to as u8,
    })
    .collect();
    let sites: Vec<Vec<GeoPoint>> = parks
        .iter()
        .map(|p| {
            (0..400)
                .map(|_| GeoPoint {
                    lat: p.town.lat + rng.gen_range(-0.05..0.05),
                    lon: p.town.lon + rng.gen_range(-0.05..0.05),
                })
                .collect()
        })
        .collect();
    let (loads, fleet) = generate(&mut rng, &parks, &sites, n_loads, n_veh);
    let costs = StraightLine {
        detour_factor: 1.3,
        speed_kmh: 50.0,
    };
    let req = MatchRequest {
        loads: loads.iter().map(|(_, l)| l.clone()).collect(),
        vehicles: fleet.clone(),
        date: date(),
        config: MatchConfig::default(),
    };
    println!("Scale batch: {n_loads} loads × {n_veh} vehicles, straight-line costs (`{}`), Liuzhou-sized region (~100 × 90 km), seed {seed}.\n", costs.label());
    println!("| configuration | loads served | empty-km share | median time s | min s | max s |");
    println!("|---|---|---|---|---|---|");
    for (name, chain) in [
        ("exact assignment (max_chain 1)", 1),
        ("assignment + chaining (max_chain 3)", 3),
    ] {
        let mut times = Vec::new();
        let mut plan = None;
        for k in 0..reps {
            eprint!("\r  {name}: run {}/{reps}  ", k + 1);
            let mut r = req.clone();
            r.config.max_chain = chain;
            let t = Instant::now();
            plan = Some(match_batch(&r, &costs).unwrap());
            times.push(t.elapsed().as_secs_f64());
        }
        eprintln!();
        times.sort_by(f64::total_cmp);
        let p = plan.unwrap();
        println!(
            "| {name} | {} / {n_loads} | {:.1} % | {:.2} | {:.2} | {:.2} |",
            p.totals.served,
            100.0 * p.totals.empty_share,
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
        if chain == 3 {
            println!("\nChaining bound (max_chain 3): objective {:.0}, upper bound {:.0}, gap ≤ {:.1} %.", p.bound.achieved, p.bound.upper_bound, p.bound.gap_pct);
            let mut r = req.clone();
            r.config.max_chain = chain;
            let t = Instant::now();
            let rep = check(&r, &p, &costs);
            println!(
                "Checker on this plan: {} violations ({:.2} s).\n",
                rep.violations.len(),
                t.elapsed().as_secs_f64()
            );
        }
    }
    let cfg = MatchConfig::default();
    let mut lat: Vec<f64> = req
        .loads
        .iter()
        .take(1000)
        .map(|l| {
            let t = Instant::now();
            std::hint::black_box(suggest_vehicles(l, &fleet, &costs, &cfg, 10).unwrap());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    println!("Single-load suggestions, straight line, {n_veh} vehicles, top 10, 1000 loads: median {:.2} ms, p99 {:.2} ms, max {:.2} ms.",
        lat[lat.len() / 2], lat[lat.len() * 99 / 100], lat[lat.len() - 1]);
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let num = |i: usize, d: usize| a.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    match a.get(1).map(String::as_str) {
        Some("sim") => {
            let seeds: Vec<u64> = a.get(5).map_or(vec![42], |s| s.split(',').filter_map(|x| x.parse().ok()).collect());
            sim(&a[2], num(3, 600), num(4, 120), &seeds)
        }
        Some("sim-liuzhou") => {
            let seeds: Vec<u64> = a.get(4).map_or(vec![42], |s| s.split(',').filter_map(|x| x.parse().ok()).collect());
            sim_liuzhou(num(2, 600), num(3, 120), &seeds)
        }
        Some("scale") => scale(num(2, 10_000), num(3, 5_000), num(4, 42) as u64, num(5, 3)),
        _ => eprintln!("usage: match_bench sim <pbf> [loads] [vehicles] [seed,seed,..] | sim-liuzhou [loads] [vehicles] [seed,seed,..] | scale [loads] [vehicles] [seed] [reps]"),
    }
}

/// A lower bound on the empty km of ANY plan that serves `served` loads of the day (offline, all
/// loads known): the successor assignment of the vehicle scheduling problem with every vehicle
/// compatible with every load, pickups at their window's earliest start (optimistic), no driving
/// limit, and each chain returning to the nearest base of any vehicle. Returns (loads covered,
/// empty km). Exact for that relaxation (a min-cost assignment), so every feasible plan serving as
/// many loads runs at least these empty km.
#[allow(clippy::needless_range_loop)] // i, j index several parallel tables
fn relaxed_lower_bound(
    costs: &dyn TravelCosts,
    loads: &[(f64, OpenLoad)],
    fleet: &[AvailableVehicle],
    cfg: &MatchConfig,
) -> (usize, f64) {
    use wuliu_match::assignment::{max_weight_matching, Edge};
    let l: Vec<&wuliu_model::Load> = loads.iter().map(|(_, o)| &o.load).collect();
    let (nl, nv) = (l.len(), fleet.len());
    let origins: Vec<GeoPoint> = l.iter().map(|x| x.origin.point).collect();
    let dests: Vec<GeoPoint> = l.iter().map(|x| x.destination.point).collect();
    let bases: Vec<GeoPoint> = fleet.iter().map(|v| v.home()).collect();
    let starts: Vec<GeoPoint> = fleet.iter().map(|v| v.position).collect();
    let link = costs.matrix(&dests, &origins).unwrap();
    let from_start = costs.matrix(&starts, &origins).unwrap();
    let home = costs.matrix(&dests, &bases).unwrap();
    let secs = |t: DateTime<Utc>| t.timestamp() as f64;
    let done: Vec<f64> = (0..nl)
        .map(|i| {
            let loaded = costs.leg(origins[i], dests[i]).unwrap().unwrap();
            secs(l[i].pickup_window.start) + cfg.loading_s + loaded.duration.0 + cfg.unloading_s
        })
        .collect();
    let (big, serve) = (10_000.0, 1_000.0);
    let ok = |j: usize, v: usize| {
        wuliu_match::rules::static_ok(&wuliu_match::rules::Pair {
            load: l[j],
            vehicle: &fleet[v],
            date: date(),
        })
    };
    let compat: Vec<Vec<bool>> = (0..nl)
        .map(|j| (0..nv).map(|v| ok(j, v)).collect())
        .collect();
    let shares = |i: usize, j: usize| (0..nv).any(|v| compat[i][v] && compat[j][v]);
    let mut edges = Vec::new();
    // Rows 0..nv: vehicle starts; rows nv..nv+nl: loads (as predecessors). Columns 0..nl: loads
    // (as successors); column nl + r: row r ends its chain.
    for (v, vehicle) in fleet.iter().enumerate() {
        for j in 0..nl {
            if !compat[j][v] {
                continue;
            }
            if let Some(g) = from_start.get(v, j) {
                if secs(vehicle.free_from) + g.duration.0 <= secs(l[j].pickup_window.end) {
                    edges.push(Edge {
                        row: v,
                        col: j,
                        weight: big + serve - g.distance.0 / 1000.0,
                    });
                }
            }
        }
        edges.push(Edge {
            row: v,
            col: nl + v,
            weight: big,
        });
    }
    for i in 0..nl {
        for j in 0..nl {
            if i == j {
                continue;
            }
            if !shares(i, j) {
                continue;
            }
            if let Some(g) = link.get(i, j) {
                if done[i] + g.duration.0 <= secs(l[j].pickup_window.end) {
                    edges.push(Edge {
                        row: nv + i,
                        col: j,
                        weight: big + serve - g.distance.0 / 1000.0,
                    });
                }
            }
        }
        let ret = (0..nv)
            .filter_map(|b| home.get(i, b))
            .map(|g| g.distance.0 / 1000.0)
            .fold(f64::INFINITY, f64::min);
        edges.push(Edge {
            row: nv + i,
            col: nl + nv + i,
            weight: big - ret.min(big / 2.0),
        });
    }
    let m = max_weight_matching(nv + nl, nl + nv + nl, &edges);
    let w: std::collections::HashMap<(usize, usize), f64> =
        edges.iter().map(|e| ((e.row, e.col), e.weight)).collect();
    let (mut covered, mut empty) = (0, 0.0);
    let (mut used, mut ret_km, mut start_km) = (0, 0.0, 0.0);
    for (r, c) in m.iter().enumerate() {
        let c = c.expect("every row can end its chain");
        let wt = w[&(r, c)];
        if c < nl {
            covered += 1;
            empty += big + serve - wt;
            if r < nv {
                used += 1;
                start_km += big + serve - wt;
            }
        } else {
            empty += big - wt;
            ret_km += big - wt;
        }
    }
    eprintln!("LB: vehicles used {used}, first-deadhead km {start_km:.0}, return km {ret_km:.0}");
    (covered, empty)
}

/// A second lower bound, from flow conservation alone (time ignored): every vehicle leaves its base
/// and comes back to it, so at each park the loads arriving minus the loads leaving must be
/// balanced by empty trips out of (or into) the park. The cheapest way to balance all parks is a
/// transportation problem between surplus and deficit parks, priced at the straight-line distance
/// between the parks' site areas (town distance − twice the site radius: sites lie within it of their town, and
/// roads are never shorter than straight lines). Every plan serving all loads drives at least
/// these empty km.
fn imbalance_lower_bound(parks: &[Park], loads: &[(f64, OpenLoad)], site_radius_km: f64) -> f64 {
    use wuliu_match::assignment::{max_weight_matching, Edge};
    let park_of = |p: &GeoPoint| {
        (0..parks.len())
            .min_by(|&a, &b| {
                parks[a]
                    .town
                    .haversine(p)
                    .0
                    .total_cmp(&parks[b].town.haversine(p).0)
            })
            .unwrap()
    };
    let mut balance = vec![0i64; parks.len()];
    for (_, l) in loads {
        balance[park_of(&l.load.destination.point)] += 1;
        balance[park_of(&l.load.origin.point)] -= 1;
    }
    // One row per surplus unit, one column per deficit unit.
    let rows: Vec<usize> = (0..parks.len())
        .flat_map(|p| std::iter::repeat_n(p, balance[p].max(0) as usize))
        .collect();
    let cols: Vec<usize> = (0..parks.len())
        .flat_map(|p| std::iter::repeat_n(p, (-balance[p]).max(0) as usize))
        .collect();
    let km = |a: usize, b: usize| {
        (parks[a].town.haversine(&parks[b].town).0 / 1000.0 - 2.0 * site_radius_km).max(0.0)
    };
    let big = 1000.0;
    let mut edges = Vec::new();
    for (r, &a) in rows.iter().enumerate() {
        for (c, &b) in cols.iter().enumerate() {
            edges.push(Edge {
                row: r,
                col: c,
                weight: big - km(a, b),
            });
        }
    }
    let m = max_weight_matching(rows.len(), cols.len(), &edges);
    m.iter()
        .enumerate()
        .filter_map(|(r, c)| c.map(|c| km(rows[r], cols[c])))
        .sum()
}
