//! Re-planning over the stored records (issue 28): after a plan is made, a flood closes the way
//! from the south stockpile to the village and a new request arrives. The re-plan keeps the
//! north truck's trip, turns the south truck back, plans the village again from the north and the
//! new request too, never over a closed leg; requests moved along since the plan stay in, final
//! ones are taken out. Only the office may re-plan, and a bad plan in force is named.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::emergency::{
    self, office, receive, region_in, request_body, stockpile, truck, water, with_pass,
};
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{plan, replan, requests};
use wuliu_app::{AppError, Caller, Role};
use wuliu_emergency::geometry::segment_enters;
use wuliu_model::StraightLine;

struct City {
    office: Caller,
    water: String,
    north: String,
    south: String,
    hospital: String,
    village: String,
    /// `[lon, lat]` of the south stockpile, the village and the north stockpile.
    south_at: [f64; 2],
    village_at: [f64; 2],
}

/// Two stockpiles of 100 units of water (5 kg) each, north (24.40) and south (24.20); a triaged
/// hospital request (priority 1, 40 units) by the north, a triaged village request (priority 3,
/// 30 units) by the south; one truck with a pass based at each stockpile.
async fn city(repo: &Repo) -> City {
    let office = office(&region_in("46"));
    let water = water(repo, &office).await;
    let mut piles = Vec::new();
    for (name, lat) in [("北库", 24.40), ("南库", 24.20)] {
        let pile = stockpile(repo, &office, name, [109.40, lat]).await;
        receive(repo, &office, &pile, &water, ("A", 100, "2099-01-01")).await;
        piles.push(pile);
    }
    let hospital = triaged(repo, &office, &water, ("医院", 24.41, 109.41), 40, 1).await;
    let village = triaged(repo, &office, &water, ("村", 24.19, 109.41), 30, 3).await;
    for lat in [24.40, 24.20] {
        let vid = truck(repo, &office, &unique("桂B"), [109.40, lat]).await;
        with_pass(repo, &office, &vid).await;
    }
    City {
        office,
        water,
        north: piles[0].clone(),
        south: piles[1].clone(),
        hospital,
        village,
        south_at: [109.40, 24.20],
        village_at: [109.41, 24.19],
    }
}

/// A request submitted and triaged with `priority`.
async fn triaged(
    repo: &Repo,
    office: &Caller,
    water: &str,
    place: (&str, f64, f64),
    qty: i64,
    priority: i64,
) -> String {
    let body = request_body(water, place, qty, priority);
    emergency::triaged(repo, office, body, priority).await
}

/// The plan in force, as `POST /plan` answers it (straight lines, no closed area).
async fn plan_now(repo: &Repo, c: &City) -> Value {
    let input: plan::PlanInput = serde_json::from_value(json!({"time_limit_s": 10})).unwrap();
    let mut snap = plan::snapshot(repo.as_ref(), &c.office, Utc::now())
        .await
        .unwrap();
    plan::fill_travel(&mut snap.problem, &StraightLine::default(), &[]).unwrap();
    plan::solve(&snap, &input).unwrap()
}

async fn replan_at(
    repo: &Repo,
    caller: &Caller,
    body: Value,
    now: DateTime<Utc>,
) -> Result<Value, AppError> {
    let input = replan::parse_input(body)?;
    let snap = replan::read(repo.as_ref(), caller, &input, now).await?;
    replan::solve(snap, &StraightLine::default())
}

fn plan_at(plan: &Value) -> DateTime<Utc> {
    serde_json::from_value(plan["at"].clone()).unwrap()
}

/// The trip of the plan serving `request`.
fn trip_to<'a>(plan: &'a Value, request: &str) -> &'a Value {
    plan["routes"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["stops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["request"] == request)
        })
        .unwrap_or_else(|| panic!("no trip to {request}: {}", plan["routes"]))
}

fn secs(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// A small square over the middle of the south stockpile → village leg: the flood.
fn flood(c: &City) -> Vec<[f64; 2]> {
    let mid = |k: usize| (c.south_at[k] + c.village_at[k]) / 2.0;
    let h = 0.003;
    let (lon, lat) = (mid(0), mid(1));
    vec![
        [lon - h, lat - h],
        [lon + h, lat - h],
        [lon + h, lat + h],
        [lon - h, lat + h],
    ]
}

/// Where each id of the city lies, `[lon, lat]`.
fn places(c: &City, extra: &[(&str, [f64; 2])]) -> Vec<(String, [f64; 2])> {
    let mut out = vec![
        (c.north.clone(), [109.40, 24.40]),
        (c.south.clone(), c.south_at),
        (c.hospital.clone(), [109.41, 24.41]),
        (c.village.clone(), c.village_at),
    ];
    out.extend(extra.iter().map(|(k, p)| (k.to_string(), *p)));
    out
}

/// Every leg a trip drives (depot → stops → depot; stop to stop directly, or via the depot when
/// the direct leg is closed), asserting none enters `ring`.
fn assert_open(trip: &Value, at: &[(String, [f64; 2])], ring: &[[f64; 2]], db: &str) {
    let p = |k: &Value| {
        let k = k.as_str().unwrap();
        at.iter().find(|(id, _)| id == k).unwrap().1
    };
    let depot = p(&trip["stockpile"]);
    let open = |a: [f64; 2], b: [f64; 2]| !segment_enters(ring, a, b);
    let stops: Vec<[f64; 2]> = trip["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| p(&s["request"]))
        .collect();
    let Some((first, last)) = stops.first().zip(stops.last()) else {
        return;
    };
    assert!(open(depot, *first) && open(*last, depot), "{db}: {trip}");
    for w in stops.windows(2) {
        let via_depot = open(depot, w[0]) && open(depot, w[1]);
        assert!(open(w[0], w[1]) || via_depot, "{db}: {trip}");
    }
}

fn change<'a>(answer: &'a Value, request: &str) -> Option<&'a Value> {
    answer["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["request"] == request)
}

#[tokio::test]
async fn a_flood_and_a_new_request_change_only_what_they_must() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = plan_now(&repo, &c).await;
        let (to_village, to_hospital) = (trip_to(&plan, &c.village), trip_to(&plan, &c.hospital));
        assert_eq!(to_village["stockpile"], json!(c.south), "{db}: {plan}");
        assert_eq!(to_hospital["stockpile"], json!(c.north), "{db}: {plan}");
        // Now, halfway to the village: the south truck is on the road when the flood comes.
        let (depart, arrive) = (
            secs(&to_village["depart_s"]),
            secs(&to_village["stops"][0]["arrival_s"]),
        );
        let elapsed = (depart + arrive) / 2.0;
        assert!(elapsed.floor() > depart, "{db}: {to_village}");
        let now = plan_at(&plan) + Duration::milliseconds((elapsed * 1000.0) as i64);
        // Since the plan: the hospital's goods are on their way, and a shelter asks for 20 units.
        for to in ["allocated", "in_transit"] {
            requests::transition(repo.as_ref(), &c.office, &c.hospital, json!({"to": to}))
                .await
                .unwrap();
        }
        let shelter_at = [109.40, 24.42];
        let shelter = triaged(&repo, &c.office, &c.water, ("安置点", 24.42, 109.40), 20, 2).await;
        let ring = flood(&c);
        let body = json!({"in_force": plan, "closed_areas": [ring], "time_limit_s": 10});
        let answer = replan_at(&repo, &c.office, body, now).await.unwrap();

        assert_eq!(answer["elapsed_s"], json!(elapsed as u64), "{db}");
        assert_eq!(
            answer["counts"]["requests"], 3,
            "{db}: {}",
            answer["counts"]
        );
        assert_eq!(answer["counts"]["new_requests"], 1, "{db}");
        let trips = answer["trips"].as_array().unwrap();
        assert_eq!(
            trips.len(),
            plan["routes"]["routes"].as_array().unwrap().len(),
            "{db}"
        );
        let fate = |vehicle: &Value| trips.iter().find(|t| &t["vehicle"] == vehicle).unwrap();
        // The south truck turns back before the flood, with the village's load, and is not stranded.
        let cut = fate(&to_village["vehicle"]);
        assert_eq!(cut["fate"], "on_road_cut", "{db}: {cut}");
        assert_eq!(cut["delivered"], 0, "{db}: {cut}");
        assert_eq!(cut["dropped"], json!([c.village]), "{db}: {cut}");
        assert_eq!(cut["stranded"], false, "{db}: {cut}");
        assert_eq!(
            cut["reason"],
            json!({"kind": "leg_closed", "from": c.south, "to": c.village}),
            "{db}"
        );
        // The north truck's trip to the hospital is kept as it was.
        let kept = fate(&to_hospital["vehicle"]);
        assert!(
            ["on_road_kept", "pending_kept", "done"].contains(&kept["fate"].as_str().unwrap()),
            "{db}: {kept}"
        );
        assert_eq!(kept["reason"], Value::Null, "{db}: {kept}");
        assert!(
            change(&answer, &c.hospital).is_none(),
            "{db}: {}",
            answer["changes"]
        );
        // The village's delivery changed because its trip was cut; the shelter is new.
        let village = change(&answer, &c.village).expect("the village changed");
        let why = village["why"].as_array().unwrap();
        assert!(
            why.iter().any(|w| w["kind"] == "trip_changed"
                && w["vehicle"] == to_village["vehicle"]
                && w["reason"]["kind"] == "leg_closed"),
            "{db}: {village}"
        );
        let new = change(&answer, &shelter).expect("the shelter is in the changes");
        assert_eq!(new["why"], json!([{"kind": "new_request"}]), "{db}: {new}");
        assert!(secs(&new["after_kg"]) > 0.0, "{db}: {new}");
        // The village is served again, from the north now; no trip drives into the flood.
        assert!(secs(&village["after_kg"]) > 0.0, "{db}: {village}");
        let at = places(&c, &[(shelter.as_str(), shelter_at)]);
        for trip in answer["routes"]["routes"].as_array().unwrap() {
            assert_open(trip, &at, &ring, db);
        }
        for trip in answer["kept"].as_array().unwrap() {
            assert_open(trip, &at, &ring, db);
        }
        let flows = answer["allocation"]["flows"].as_array().unwrap();
        assert!(
            flows
                .iter()
                .all(|f| f["stockpile"] != json!(c.south) || f["request"] != json!(c.village)),
            "{db}: {flows:?}"
        );
    }
}

#[tokio::test]
async fn a_request_cancelled_since_the_plan_is_taken_out() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = plan_now(&repo, &c).await;
        requests::transition(
            repo.as_ref(),
            &c.office,
            &c.village,
            json!({"to": "cancelled"}),
        )
        .await
        .unwrap();
        let now = plan_at(&plan) + Duration::seconds(1);
        let body = json!({"in_force": plan, "keep_pending": false});
        let answer = replan_at(&repo, &c.office, body, now).await.unwrap();
        let left = answer["left_out"].as_array().unwrap();
        assert!(
            left.iter()
                .any(|l| l["request"] == json!(c.village)
                    && l["reason"] == "cancelled since the plan"),
            "{db}: {left:?}"
        );
        let to_village = |trips: &Value| {
            trips.as_array().unwrap().iter().any(|t| {
                t["stops"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["request"] == json!(c.village))
            })
        };
        assert!(
            !to_village(&answer["routes"]["routes"]),
            "{db}: {}",
            answer["routes"]
        );
        assert!(!to_village(&answer["kept"]), "{db}: {}", answer["kept"]);
    }
}

#[tokio::test]
async fn only_the_office_may_replan_and_a_bad_plan_in_force_is_named() {
    let (_, repo, _dir) = stores().await.remove(0);
    let c = city(&repo).await;
    let plan = plan_now(&repo, &c).await;
    let at = plan_at(&plan);
    let later = at + Duration::minutes(5);
    for role in [Role::Shipper, Role::Carrier] {
        let other = Caller::new(role, Some("pty_x".into()), &c.office.region, "user:x");
        let e = replan_at(&repo, &other, json!({"in_force": plan}), later)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{role:?}: {e:?}");
    }
    let field = |e: &AppError| match e {
        AppError::BadRequest { field, .. } | AppError::TooLarge { field, .. } => field.clone(),
        other => panic!("not a 400 or 413: {other:?}"),
    };
    // A plan from the future, or from more than a week ago.
    for now in [at - Duration::minutes(1), at + Duration::days(8)] {
        let e = replan_at(&repo, &c.office, json!({"in_force": plan}), now)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::BadRequest { .. }), "{e:?}");
        assert_eq!(field(&e), "in_force.at", "{e}");
    }
    // A trip of a vehicle that does not exist.
    let mut forged = plan.clone();
    forged["routes"]["routes"][0]["vehicle"] = json!("veh_nobody");
    let e = replan_at(&repo, &c.office, json!({"in_force": forged}), later)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::BadRequest { .. }), "{e:?}");
    assert_eq!(field(&e), "in_force.routes.routes[0]", "{e}");
    assert!(e.to_string().contains("veh_nobody"), "{e}");
    // A field of the wrong shape, a solver limit too long, too many trips.
    let e = replan_at(
        &repo,
        &c.office,
        json!({"in_force": {"at": "yesterday"}}),
        later,
    )
    .await
    .unwrap_err();
    assert_eq!(field(&e), "in_force.at", "{e}");
    let body = json!({"in_force": plan, "time_limit_s": 31});
    let e = replan_at(&repo, &c.office, body, later).await.unwrap_err();
    assert!(matches!(e, AppError::TooLarge { .. }), "{e:?}");
    assert_eq!(field(&e), "time_limit_s", "{e}");
    let mut many = plan.clone();
    let trip = many["routes"]["routes"][0].clone();
    many["routes"]["routes"] = Value::Array(vec![trip; 20_001]);
    let e = replan_at(&repo, &c.office, json!({"in_force": many}), later)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::TooLarge { .. }), "{e:?}");
    assert_eq!(field(&e), "in_force.routes.routes", "{e}");
}
