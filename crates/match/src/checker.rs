//! An independent plan checker. It shares no code with the matcher's rules or scheduling: it
//! re-derives every trip from the request with single-leg travel-cost look-ups and checks
//! capacities, body and temperature, dangerous-goods approval, package size, certificates,
//! windows, driving time, reported kilometres and totals. Tests run it on every produced plan.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use wuliu_model::{BodyType, CargoClass, GeoPoint, TravelCosts};

use crate::plan::MatchPlan;
use crate::MatchRequest;

/// One problem found in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckViolation {
    /// Stable code, e.g. `check.capacity`.
    pub code: String,
    /// The load concerned, if any.
    pub load: Option<String>,
    /// The vehicle concerned, if any.
    pub vehicle: Option<String>,
    /// Explanation.
    pub message: String,
}

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CheckReport {
    /// Every problem found (empty: the plan is valid).
    pub violations: Vec<CheckViolation>,
}

impl CheckReport {
    /// Whether the plan passed every check.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

fn bad(
    v: &mut Vec<CheckViolation>,
    code: &str,
    load: Option<&str>,
    vehicle: Option<&str>,
    message: String,
) {
    v.push(CheckViolation {
        code: code.into(),
        load: load.map(str::to_string),
        vehicle: vehicle.map(str::to_string),
        message,
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.05 + 0.005 * b.abs()
}

/// Checks `plan` against `req`, re-computing travel with `costs` (the same provider the plan used).
pub fn check(req: &MatchRequest, plan: &MatchPlan, costs: &dyn TravelCosts) -> CheckReport {
    let mut r = CheckReport::default();
    let loads: HashMap<&str, usize> = req
        .loads
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let vehs: HashMap<&str, usize> = req
        .vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    if plan.road_network != costs.is_road_network() {
        bad(
            &mut r.violations,
            "check.road_flag",
            None,
            None,
            "road_network flag does not match the cost provider".into(),
        );
    }
    let mut served = HashSet::new();
    let mut by_vehicle: BTreeMap<&str, Vec<&crate::plan::Assignment>> = BTreeMap::new();
    for a in &plan.assignments {
        let (l, v) = (a.load.as_str(), a.vehicle.as_str());
        if !loads.contains_key(l) || !vehs.contains_key(v) {
            bad(
                &mut r.violations,
                "check.unknown_id",
                Some(l),
                Some(v),
                "assignment names an unknown load or vehicle".into(),
            );
            continue;
        }
        if !served.insert(l) {
            bad(
                &mut r.violations,
                "check.load_twice",
                Some(l),
                Some(v),
                "load assigned more than once".into(),
            );
        }
        by_vehicle.entry(v).or_default().push(a);
    }
    let (mut empty, mut loaded_km, mut margin) = (0.0, 0.0, 0.0);
    for (vid, mut trips) in by_vehicle {
        trips.sort_by_key(|a| a.sequence);
        let av = &req.vehicles[vehs[vid]];
        let veh = &av.vehicle;
        if trips.len() > req.config.max_chain.max(1) {
            bad(
                &mut r.violations,
                "check.chain_length",
                None,
                Some(vid),
                format!("{} loads, limit {}", trips.len(), req.config.max_chain),
            );
        }
        let mut pos: GeoPoint = av.position;
        let mut t = av.free_from;
        let mut driven = 0.0;
        for (k, a) in trips.iter().enumerate() {
            let lid = a.load.as_str();
            let l = &req.loads[loads[lid]].load;
            let fail = |code: &str, msg: String| CheckViolation {
                code: code.into(),
                load: Some(lid.into()),
                vehicle: Some(vid.into()),
                message: msg,
            };
            let mut errs = Vec::new();
            if a.sequence != k {
                errs.push(fail(
                    "check.sequence",
                    format!("sequence {} at position {k}", a.sequence),
                ));
            }
            if l.weight.0 > veh.rated_load.0 + 1e-9 || l.volume.0 > veh.cargo_volume.0 + 1e-9 {
                errs.push(fail(
                    "check.capacity",
                    "weight or volume above the vehicle's capacity".into(),
                ));
            }
            match &l.cargo {
                CargoClass::ColdChain { temperature } => {
                    let ok = veh.body_type == BodyType::Refrigerated
                        && veh.refrigeration.is_some_and(|u| {
                            u.min.0 <= temperature.min.0 && u.max.0 >= temperature.max.0
                        });
                    if !ok {
                        errs.push(fail(
                            "check.temperature",
                            "cold-chain load without a covering refrigerated body".into(),
                        ));
                    }
                }
                CargoClass::DangerousGoods { class, .. } => {
                    let main = class.split('.').next().unwrap_or_default();
                    let approved = veh
                        .dangerous_goods_classes
                        .iter()
                        .any(|c| c == class || c == main);
                    if !approved || !av.drivers.iter().any(|d| d.dangerous_goods_qualified) {
                        errs.push(fail(
                            "check.dangerous_goods",
                            format!("class {class} without approval or qualified driver"),
                        ));
                    }
                }
                CargoClass::General => {
                    if matches!(veh.body_type, BodyType::Tanker | BodyType::Dump) {
                        errs.push(fail(
                            "check.body",
                            "general cargo in a tanker or dump body".into(),
                        ));
                    }
                }
            }
            if let (Some(p), Some(i)) = (&l.largest_package, &veh.inner_dimensions) {
                let mut pd = [p.length.0, p.width.0];
                let mut id = [i.length.0, i.width.0];
                pd.sort_by(f64::total_cmp);
                id.sort_by(f64::total_cmp);
                if pd[0] > id[0] || pd[1] > id[1] || p.height.0 > i.height.0 {
                    errs.push(fail(
                        "check.dimensions",
                        "largest package does not fit".into(),
                    ));
                }
            }
            let cert_ok = match &veh.transport_certificate {
                Some(c) => c.expires >= req.date,
                None => veh.rated_load.0 <= 4500.0,
            };
            let driver_ok = av
                .drivers
                .iter()
                .any(|d| d.licence.expires >= req.date && d.qualification.expires >= req.date);
            if !cert_ok || !driver_ok {
                errs.push(fail(
                    "check.certificates",
                    "vehicle certificate or driver papers not valid on the trip date".into(),
                ));
            }
            let dh = costs.leg(pos, l.origin.point).ok().flatten();
            let ld = costs
                .leg(l.origin.point, l.destination.point)
                .ok()
                .flatten();
            let (Some(dh), Some(ld)) = (dh, ld) else {
                errs.push(fail("check.no_route", "no road route for the trip".into()));
                r.violations.extend(errs);
                break;
            };
            let arrive = t + chrono::Duration::milliseconds((dh.duration.0 * 1000.0) as i64);
            let start = arrive.max(l.pickup_window.start);
            if arrive > l.pickup_window.end + chrono::Duration::seconds(1) {
                errs.push(fail(
                    "check.pickup_window",
                    format!("arrives {arrive}, window ends {}", l.pickup_window.end),
                ));
            }
            let at_dest = start
                + chrono::Duration::milliseconds(
                    ((req.config.loading_s + ld.duration.0) * 1000.0) as i64,
                );
            if at_dest > l.delivery_window.end + chrono::Duration::seconds(1) {
                errs.push(fail(
                    "check.delivery_window",
                    format!("arrives {at_dest}, window ends {}", l.delivery_window.end),
                ));
            }
            if (a.pickup_at - start).num_seconds().abs() > 2
                || (a.delivery_at - at_dest).num_seconds().abs() > 2
            {
                errs.push(fail(
                    "check.times",
                    "reported pickup or delivery time differs from the recomputed one".into(),
                ));
            }
            driven += dh.duration.0 + ld.duration.0;
            if driven > av.remaining_driving.0 + 1.0 {
                errs.push(fail(
                    "check.driving_time",
                    format!(
                        "{:.0} min driving, {:.0} min allowed",
                        driven / 60.0,
                        av.remaining_driving.0 / 60.0
                    ),
                ));
            }
            if !close(a.deadhead_km, dh.distance.0 / 1000.0)
                || !close(a.loaded_km, ld.distance.0 / 1000.0)
            {
                errs.push(fail(
                    "check.km",
                    "reported deadhead or loaded km differ from the travel costs".into(),
                ));
            }
            let last = k + 1 == trips.len();
            if last {
                if let Ok(Some(ret)) = costs.leg(l.destination.point, av.home()) {
                    if !close(a.return_km, ret.distance.0 / 1000.0) {
                        errs.push(fail(
                            "check.km",
                            "reported return km differs from the travel costs".into(),
                        ));
                    }
                }
            } else if a.return_km != 0.0 {
                errs.push(fail(
                    "check.km",
                    "return km on a load that is followed by another".into(),
                ));
            }
            empty += a.deadhead_km + a.return_km;
            loaded_km += a.loaded_km;
            margin += a.margin;
            r.violations.extend(errs);
            pos = l.destination.point;
            t = at_dest.max(l.delivery_window.start)
                + chrono::Duration::milliseconds((req.config.unloading_s * 1000.0) as i64);
        }
    }
    let tot = &plan.totals;
    if tot.served != served.len()
        || !close(tot.empty_km, empty)
        || !close(tot.loaded_km, loaded_km)
        || (tot.margin - margin).abs() > 0.01 * margin.abs().max(1.0)
    {
        r.violations.push(CheckViolation {
            code: "check.totals".into(),
            load: None,
            vehicle: None,
            message: "totals do not add up".into(),
        });
    }
    let mut unmatched = HashSet::new();
    for u in &plan.unmatched {
        if served.contains(u.load.as_str()) || !unmatched.insert(u.load.as_str()) {
            r.violations.push(CheckViolation {
                code: "check.unmatched".into(),
                load: Some(u.load.as_str().into()),
                vehicle: None,
                message: "served load listed as unmatched, or listed twice".into(),
            });
        }
    }
    for l in &req.loads {
        if !served.contains(l.id.as_str()) && !unmatched.contains(l.id.as_str()) {
            r.violations.push(CheckViolation {
                code: "check.unmatched_missing".into(),
                load: Some(l.id.as_str().into()),
                vehicle: None,
                message: "unserved load missing from the unmatched list".into(),
            });
        }
    }
    r
}
