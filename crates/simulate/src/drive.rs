//! Route geometry without a road network, and driving a truck along a route: one fix every 30 s
//! of simulated time, with realistic speeds, short stops and rests.

use chrono::{DateTime, Duration, Timelike, Utc};
use rand::Rng;
use serde::Serialize;
use wuliu_model::GeoPoint;

use crate::geo::{bearing_deg, dist_m, intermediate, offset, Walk};

/// Seconds between two fixes of a moving truck.
pub const FIX_INTERVAL_S: i64 = 30;
/// Longest lateral wander of a great-circle route, metres.
pub const LATERAL_NOISE_M: f64 = 300.0;

/// One simulated GNSS fix (the vehicle is attached when it is reported).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sample {
    /// GNSS time.
    pub time: DateTime<Utc>,
    /// Position.
    pub point: GeoPoint,
    /// Ground speed, km/h.
    pub speed_kmh: f64,
    /// Heading, degrees 0–359.
    pub heading: u16,
    /// Distance driven since despatch, km (the odometer's trip part).
    pub odometer_km: f64,
}

/// A route through `waypoints` along great circles, sampled about every 500 m, with a smooth
/// lateral wander of at most [`LATERAL_NOISE_M`] that vanishes at every waypoint.
pub fn great_circle<R: Rng>(waypoints: &[GeoPoint], rng: &mut R) -> Vec<GeoPoint> {
    let mut out = vec![waypoints[0]];
    for w in waypoints.windows(2) {
        let (a, b) = (w[0], w[1]);
        let d = dist_m(a, b);
        let n = ((d / 500.0).ceil() as usize).max(1);
        let waves: Vec<(f64, f64, f64)> = (0..3)
            .map(|k| {
                let cycles = rng.gen_range(1.0..4.0) * f64::from(k + 1);
                let phase = rng.gen_range(0.0..std::f64::consts::TAU);
                (cycles, phase, rng.gen_range(0.2..0.45))
            })
            .collect();
        let heading = bearing_deg(a, b);
        for i in 1..=n {
            let f = i as f64 / n as f64;
            let p = intermediate(a, b, f);
            let taper = (std::f64::consts::PI * f).sin();
            let wave: f64 = waves
                .iter()
                .map(|(c, ph, amp)| amp * (std::f64::consts::TAU * c * f + ph).sin())
                .sum();
            let lateral = (LATERAL_NOISE_M * taper * wave).clamp(-LATERAL_NOISE_M, LATERAL_NOISE_M);
            out.push(if i == n {
                b
            } else {
                offset(p, heading + 90.0, lateral)
            });
        }
    }
    out
}

/// A via point that makes `a → via → b` about 2.6 times as long as `a → b`: 1.2 × the distance off
/// the midpoint, to the left or right.
pub fn detour_via(a: GeoPoint, b: GeoPoint, left: bool) -> GeoPoint {
    let mid = intermediate(a, b, 0.5);
    let side = if left { -90.0 } else { 90.0 };
    offset(mid, bearing_deg(a, b) + side, 1.2 * dist_m(a, b))
}

/// How to drive one trip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriveParams {
    /// Take a 20–25 minute rest after 3.2–3.6 h of driving (off for fatigue trips).
    pub rests: bool,
    /// Jump `(at_m, jump_m)`: on reaching `at_m` along the route, the fixes skip `jump_m` ahead.
    pub teleport: Option<(f64, f64)>,
    /// Seconds stationary at the consignee after arrival, still reporting (unloading).
    pub dwell_s: i64,
}

/// Beijing hour of a UTC time.
fn beijing_hour(t: DateTime<Utc>) -> u32 {
    (t + Duration::hours(8)).hour()
}

/// Mutable state of a drive.
struct Drive {
    t: DateTime<Utc>,
    s: f64,
    cruise: f64,
    speed: f64,
    stop_until: Option<DateTime<Utc>>,
    spell_start: Option<DateTime<Utc>>,
    rest_after_s: i64,
    teleported: bool,
}

/// Drives along `route` from `start`: fixes every [`FIX_INTERVAL_S`] seconds from despatch until
/// `dwell_s` after arrival. Trucks cruise at 60–90 km/h (at most 78 at night, 30–45 within 4 km
/// of either end), stop for a few minutes now and then, and rest as `params` says.
pub fn drive<R: Rng>(
    route: &Walk,
    start: DateTime<Utc>,
    params: &DriveParams,
    rng: &mut R,
) -> Vec<Sample> {
    let length = route.length_m();
    let mut d = Drive {
        t: start,
        s: 0.0,
        cruise: rng.gen_range(65.0..85.0),
        speed: 0.0,
        stop_until: None,
        spell_start: None,
        rest_after_s: rng.gen_range(11_520..12_960),
        teleported: false,
    };
    let mut out = Vec::new();
    loop {
        out.push(sample(route, &d, rng));
        if d.s >= length {
            break;
        }
        step(&mut d, length, params, rng);
        d.t += Duration::seconds(FIX_INTERVAL_S);
    }
    let arrived = d.t;
    while d.t < arrived + Duration::seconds(params.dwell_s) {
        d.t += Duration::seconds(FIX_INTERVAL_S);
        d.speed = 0.0;
        out.push(sample(route, &d, rng));
    }
    out
}

fn sample<R: Rng>(route: &Walk, d: &Drive, rng: &mut R) -> Sample {
    let (p, heading) = route.at(d.s);
    let jitter = offset(p, rng.gen_range(0.0..360.0), rng.gen_range(0.0..4.0));
    Sample {
        time: d.t,
        point: GeoPoint {
            lat: (jitter.lat * 1e6).round() / 1e6,
            lon: (jitter.lon * 1e6).round() / 1e6,
        },
        speed_kmh: (d.speed * 10.0).round() / 10.0,
        heading: (heading.round() as u16) % 360,
        odometer_km: (d.s / 100.0).round() / 10.0,
    }
}

/// One interval of driving: stopped, resting, or moving at the current speed.
fn step<R: Rng>(d: &mut Drive, length: f64, params: &DriveParams, rng: &mut R) {
    if d.stop_until.is_some_and(|u| d.t < u) {
        d.speed = 0.0;
        return;
    }
    d.stop_until = None;
    let remaining = length - d.s;
    let spell = d.spell_start.map_or(0, |s| (d.t - s).num_seconds());
    if params.rests && spell >= d.rest_after_s && remaining > 15_000.0 {
        d.stop_until = Some(d.t + Duration::seconds(rng.gen_range(1_230..1_500)));
        d.spell_start = None;
        d.speed = 0.0;
        return;
    }
    let urban = d.s < 4_000.0 || remaining < 4_000.0;
    if !urban && rng.gen_bool(1.0 / 150.0) {
        d.stop_until = Some(d.t + Duration::seconds(rng.gen_range(60..300)));
        d.speed = 0.0;
        return;
    }
    d.cruise = (d.cruise + rng.gen_range(-3.0..3.0)).clamp(60.0, 90.0);
    let mut v = if urban {
        rng.gen_range(30.0..45.0)
    } else {
        d.cruise
    };
    let hour = beijing_hour(d.t);
    if !(6..22).contains(&hour) {
        v = v.min(78.0);
    }
    d.speed = v;
    d.spell_start.get_or_insert(d.t);
    d.s = (d.s + v / 3.6 * FIX_INTERVAL_S as f64).min(length);
    if let Some((at, jump)) = params.teleport {
        if !d.teleported && d.s >= at {
            d.teleported = true;
            d.s = (d.s + jump).min(length);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn liuzhou() -> GeoPoint {
        GeoPoint {
            lat: 24.33,
            lon: 109.42,
        }
    }

    #[test]
    fn great_circle_routes_wander_a_little_and_keep_their_ends() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let b = offset(liuzhou(), 200.0, 150_000.0);
        let path = great_circle(&[liuzhou(), b], &mut rng);
        assert_eq!(path[0], liuzhou());
        assert_eq!(*path.last().unwrap(), b);
        let len = crate::geo::path_length_m(&path);
        assert!(len > 150_000.0 && len < 153_000.0, "{len}");
    }

    #[test]
    fn a_detour_via_point_makes_the_way_much_longer() {
        let b = offset(liuzhou(), 200.0, 150_000.0);
        let via = detour_via(liuzhou(), b, true);
        let ratio = (dist_m(liuzhou(), via) + dist_m(via, b)) / dist_m(liuzhou(), b);
        assert!(ratio > 2.5 && ratio < 2.7, "{ratio}");
    }
}
