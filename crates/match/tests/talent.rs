//! The talent matching engine (产教对接, issue 29): each hard rule passes and fails with its reason,
//! explanations name the tags matched and missing, ranking, both directions agree, bounds, and the
//! education bureau's statistics against an independent count.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use wuliu_match::talent::stats::stats;
use wuliu_match::talent::tags::{TagGroup, TAGS};
use wuliu_match::talent::{
    judge, match_talent, Demand, Supply, TalentError, TalentRequest, TalentRule,
};

fn demand(id: &str, patch: Value) -> Demand {
    let mut post = json!({"kind": "job", "title": "数控操作工", "industry_tags": ["automotive"],
        "skill_tags": ["cnc_machining", "industrial_robots"], "headcount": 10,
        "start": "2026-07-01"});
    merge(&mut post, patch);
    serde_json::from_value(json!({"id": id, "party": "pty_e", "post": post})).unwrap()
}

fn supply(id: &str, patch: Value) -> Supply {
    let mut post = json!({"kind": "graduates", "title": "数控技术毕业生",
        "industry_tags": ["automotive"], "skill_tags": ["cnc_machining"], "capacity": 30,
        "education": "higher_vocational", "available_from": "2026-06-20"});
    merge(&mut post, patch);
    serde_json::from_value(json!({"id": id, "party": "pty_c", "post": post})).unwrap()
}

fn merge(into: &mut Value, patch: Value) {
    for (k, v) in patch.as_object().unwrap() {
        into[k] = v.clone();
    }
}

/// The codes of the rules a pair fails.
fn codes(d: &Demand, s: &Supply) -> Vec<String> {
    judge(d, s)
        .excluded_by
        .into_iter()
        .map(|r| r.code)
        .collect()
}

#[test]
fn kind_rule_follows_the_table() {
    let table = [
        ("job", ["graduates", "programme"].as_slice()),
        ("internship", &["graduates", "programme"]),
        ("joint_training", &["programme", "teacher", "lab"]),
        ("rd_problem", &["lab", "teacher"]),
    ];
    for (dk, ok) in table {
        let d = demand("d", json!({"kind": dk}));
        for sk in ["programme", "graduates", "lab", "teacher"] {
            let s = supply("s", json!({"kind": sk}));
            let v = judge(&d, &s);
            let kind_fail: Vec<_> = v
                .excluded_by
                .iter()
                .filter(|r| r.rule == TalentRule::Kind)
                .collect();
            if ok.contains(&sk) {
                assert!(kind_fail.is_empty(), "{dk} should take {sk}: {kind_fail:?}");
            } else {
                assert_eq!(kind_fail.len(), 1, "{dk} must refuse {sk}");
                assert_eq!(kind_fail[0].code, "kind.incompatible");
                assert!(kind_fail[0].message.contains(sk) && kind_fail[0].message.contains(dk));
            }
        }
    }
}

#[test]
fn capacity_rule_counts_the_minimum_per_supplier() {
    let d = demand("d", json!({"headcount": 10, "min_headcount": 8}));
    assert!(codes(&d, &supply("s", json!({"capacity": 8}))).is_empty());
    let r = judge(&d, &supply("s", json!({"capacity": 7}))).excluded_by;
    assert_eq!(r[0].code, "capacity.short");
    assert!(
        r[0].message.contains("at least 8") && r[0].message.contains("offers 7"),
        "{}",
        r[0].message
    );
    // Without a minimum, a smaller supply matches and the score says how much it covers.
    let v = judge(
        &demand("d", json!({"headcount": 10})),
        &supply("s", json!({"capacity": 4})),
    );
    assert!(v.excluded_by.is_empty());
    let h = v
        .breakdown
        .iter()
        .find(|l| format!("{:?}", l.criterion) == "Headcount")
        .unwrap();
    assert_eq!(h.value, 0.4);
    assert!(h.detail.contains("covers 4 of 10"));
}

#[test]
fn availability_rule_needs_an_overlap() {
    let d = demand("d", json!({"start": "2026-07-01", "end": "2026-08-31"}));
    assert!(codes(&d, &supply("s", json!({"available_from": "2026-08-31"}))).is_empty());
    let late = judge(&d, &supply("s", json!({"available_from": "2026-09-01"}))).excluded_by;
    assert_eq!(late[0].code, "availability.too_late");
    assert!(late[0].message.contains("2026-09-01") && late[0].message.contains("2026-08-31"));
    let ended = judge(
        &d,
        &supply(
            "s",
            json!({"available_from": "2026-01-01",
        "available_until": "2026-06-30"}),
        ),
    )
    .excluded_by;
    assert_eq!(ended[0].code, "availability.ended");
    assert!(ended[0].message.contains("2026-06-30"));
    // An open-ended demand takes a supply that comes later (timing is scored, not refused).
    let open = demand("d", json!({"start": "2026-07-01"}));
    let v = judge(&open, &supply("s", json!({"available_from": "2026-08-15"})));
    assert!(v.excluded_by.is_empty());
    let t = v
        .breakdown
        .iter()
        .find(|l| l.detail.contains("days after"))
        .unwrap();
    assert!(t.detail.contains("45 days"), "{}", t.detail);
    assert_eq!(t.value, 0.5);
}

#[test]
fn education_rule_compares_levels_and_lets_labs_pass() {
    let d = demand(
        "d",
        json!({"kind": "joint_training", "min_education": "bachelor"}),
    );
    assert!(codes(
        &d,
        &supply("s", json!({"kind": "programme", "education": "master"}))
    )
    .is_empty());
    let below = judge(
        &d,
        &supply(
            "s",
            json!({"kind": "programme", "education": "higher_vocational"}),
        ),
    );
    assert_eq!(below.excluded_by[0].code, "education.below");
    assert!(below.excluded_by[0].message.contains("bachelor"));
    let unstated = judge(
        &d,
        &supply("s", json!({"kind": "teacher", "education": null})),
    );
    assert_eq!(unstated.excluded_by[0].code, "education.unstated");
    assert!(codes(&d, &supply("s", json!({"kind": "lab", "education": null}))).is_empty());
}

#[test]
fn location_rule_applies_only_on_site() {
    let liudong = json!({"division_code": "450206", "point": {"lat": 24.36, "lon": 109.52}});
    let rongan = json!({"division_code": "450224", "point": {"lat": 25.22, "lon": 109.40}});
    let on_site = demand(
        "d",
        json!({"on_site": true, "max_km": 50, "location": liudong}),
    );
    let far = judge(&on_site, &supply("s", json!({"location": rongan})));
    assert_eq!(far.excluded_by[0].code, "location.too_far");
    assert!(
        far.excluded_by[0].message.contains("within 50 km"),
        "{}",
        far.excluded_by[0].message
    );
    let near = json!({"division_code": "450206", "point": {"lat": 24.33, "lon": 109.45}});
    assert!(codes(&on_site, &supply("s", json!({"location": near}))).is_empty());
    // Without points only the same county passes.
    assert!(codes(
        &on_site,
        &supply("s", json!({"location": {"division_code": "450206"}}))
    )
    .is_empty());
    let unknown = judge(
        &on_site,
        &supply("s", json!({"location": {"division_code": "450205"}})),
    );
    assert_eq!(unknown.excluded_by[0].code, "location.unknown");
    // Remote or hybrid work has no reach to check.
    let remote = demand(
        "d",
        json!({"on_site": false, "max_km": 50, "location": liudong}),
    );
    assert!(codes(&remote, &supply("s", json!({"location": rongan}))).is_empty());
}

#[test]
fn every_failed_rule_is_reported_at_once() {
    let d = demand(
        "d",
        json!({"kind": "rd_problem", "headcount": 5, "min_headcount": 5,
        "min_education": "master", "start": "2026-01-01", "end": "2026-02-01"}),
    );
    let s = supply(
        "s",
        json!({"kind": "graduates", "capacity": 2, "available_from": "2026-03-01"}),
    );
    assert_eq!(
        codes(&d, &s),
        [
            "kind.incompatible",
            "capacity.short",
            "availability.too_late",
            "education.below"
        ]
    );
}

#[test]
fn explanation_names_matched_missing_and_extra_tags() {
    let d = demand(
        "d",
        json!({"skill_tags": ["cnc_machining", "industrial_robots", "quality_testing"]}),
    );
    let s = supply(
        "s",
        json!({"skill_tags": ["quality_testing", "cnc_machining", "iot"]}),
    );
    let v = judge(&d, &s);
    let e = &v.explanation;
    assert_eq!(e.matched_skills, ["cnc_machining", "quality_testing"]);
    assert_eq!(e.missing_skills, ["industrial_robots"]);
    assert_eq!(e.extra_skills, ["iot"]);
    assert_eq!(e.matched_industries, ["automotive"]);
    assert!(
        e.why
            .iter()
            .any(|w| w.contains("数控加工（cnc_machining）")),
        "{:?}",
        e.why
    );
    assert!(
        e.missing
            .iter()
            .any(|w| w.contains("工业机器人/AGV（industrial_robots）")),
        "{:?}",
        e.missing
    );
    let skills = &v.breakdown[0];
    assert_eq!(
        (skills.points, skills.detail.as_str()),
        (30.0, "2 of 3 skill tags offered")
    );
    let sum: f64 = v.breakdown.iter().map(|l| l.points).sum();
    assert!(
        (sum - v.score).abs() < 0.011,
        "score {} is the sum of its lines {sum}",
        v.score
    );
}

#[test]
fn ranking_is_by_score_then_id_and_excluded_come_apart() {
    let d = demand(
        "d",
        json!({"skill_tags": ["cnc_machining", "industrial_robots"]}),
    );
    let supplies = vec![
        supply("s_half", json!({"skill_tags": ["cnc_machining"]})),
        supply(
            "s_full",
            json!({"skill_tags": ["cnc_machining", "industrial_robots"]}),
        ),
        supply(
            "s_none",
            json!({"skill_tags": ["iot"], "industry_tags": ["biopharma"]}),
        ),
        supply("s_half_b", json!({"skill_tags": ["industrial_robots"]})),
        supply(
            "s_lab",
            json!({"kind": "lab", "skill_tags": ["cnc_machining", "industrial_robots"]}),
        ),
    ];
    let req = TalentRequest::Demand {
        demand: d,
        supplies,
        limit: 10,
    };
    let a = match_talent(&req).unwrap();
    let ids: Vec<&str> = a.matches.iter().map(|m| m.supply.as_str()).collect();
    assert_eq!(ids, ["s_full", "s_half", "s_half_b", "s_none"]);
    assert!(a.matches.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!((a.considered, a.compatible), (5, 4));
    assert_eq!(a.excluded.len(), 1);
    assert_eq!(a.excluded[0].supply, "s_lab");
    // The limit cuts the list, not the count.
    let TalentRequest::Demand {
        demand, supplies, ..
    } = req
    else {
        unreachable!()
    };
    let cut = match_talent(&TalentRequest::Demand {
        demand,
        supplies,
        limit: 2,
    })
    .unwrap();
    assert_eq!(cut.matches.len(), 2);
    assert_eq!(cut.compatible, 4);
}

fn random_tags(rng: &mut ChaCha8Rng, group: TagGroup) -> Vec<String> {
    let pool: Vec<&str> = TAGS
        .iter()
        .filter(|t| t.group == group)
        .map(|t| t.code)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for _ in 0..rng.gen_range(0..5) {
        let t = pool[rng.gen_range(0..pool.len())].to_string();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn random_pair(rng: &mut ChaCha8Rng, i: usize) -> (Demand, Supply) {
    let dk = ["job", "internship", "joint_training", "rd_problem"][rng.gen_range(0..4)];
    let sk = ["programme", "graduates", "lab", "teacher"][rng.gen_range(0..4)];
    let county = ["450202", "450206", "450222", "450224"];
    let d = demand(
        &format!("d{i:03}"),
        json!({"kind": dk,
        "skill_tags": random_tags(rng, TagGroup::Skill),
        "industry_tags": random_tags(rng, TagGroup::Industry),
        "headcount": rng.gen_range(1..20), "start": format!("2026-0{}-01", rng.gen_range(1..10)),
        "location": {"division_code": county[rng.gen_range(0..4)]}}),
    );
    let s = supply(
        &format!("s{i:03}"),
        json!({"kind": sk,
        "skill_tags": random_tags(rng, TagGroup::Skill),
        "industry_tags": random_tags(rng, TagGroup::Industry),
        "capacity": rng.gen_range(1..40), "available_from": format!("2026-0{}-15", rng.gen_range(1..10)),
        "location": {"division_code": county[rng.gen_range(0..4)]}}),
    );
    (d, s)
}

#[test]
fn both_directions_agree_on_every_pair() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let pairs: Vec<_> = (0..40).map(|i| random_pair(&mut rng, i)).collect();
    let demands: Vec<Demand> = pairs.iter().map(|p| p.0.clone()).collect();
    let supplies: Vec<Supply> = pairs.iter().map(|p| p.1.clone()).collect();
    let mut seen = 0;
    for d in &demands {
        let by_d = match_talent(&TalentRequest::Demand {
            demand: d.clone(),
            supplies: supplies.clone(),
            limit: 50,
        })
        .unwrap();
        for v in by_d.matches.iter().chain(&by_d.excluded) {
            let s = supplies.iter().find(|s| s.id == v.supply).unwrap();
            let by_s = match_talent(&TalentRequest::Supply {
                supply: s.clone(),
                demands: demands.clone(),
                limit: 50,
            })
            .unwrap();
            let back = by_s
                .matches
                .iter()
                .chain(&by_s.excluded)
                .find(|w| w.demand == d.id);
            if let Some(back) = back {
                assert_eq!(back.score, v.score, "{} / {}", d.id, s.id);
                assert_eq!(back.excluded_by, v.excluded_by);
                seen += 1;
            }
        }
        if seen > 200 {
            break;
        }
    }
    assert!(seen > 50, "only {seen} pairs compared");
}

#[test]
fn the_quick_score_and_check_equal_the_full_judgement() {
    use wuliu_match::talent::rules::{check, passes};
    use wuliu_match::talent::score::score;
    let mut rng = ChaCha8Rng::seed_from_u64(808);
    let pairs: Vec<_> = (0..300).map(|i| random_pair(&mut rng, i)).collect();
    let mut compatible = 0;
    for (d, _) in &pairs {
        for (_, s) in pairs.iter().step_by(7) {
            let v = judge(d, s);
            assert_eq!(score(d, s), v.score, "{} / {}", d.id, s.id);
            let pair = wuliu_match::talent::TalentPair {
                demand: d,
                supply: s,
            };
            assert_eq!(
                passes(&pair),
                check(&pair).is_empty(),
                "{} / {}",
                d.id,
                s.id
            );
            compatible += usize::from(v.excluded_by.is_empty());
        }
    }
    assert!(
        compatible > 100,
        "both outcomes compared ({compatible} compatible)"
    );
}

#[test]
fn bad_posts_are_named_by_field_and_work_is_bounded() {
    let bad = demand(
        "d",
        json!({"skill_tags": ["cnc_machining", "welding_art"],
        "industry_tags": ["cnc_machining"], "headcount": 0, "end": "2026-01-01"}),
    );
    let Err(TalentError::Invalid(v)) = match_talent(&TalentRequest::Demand {
        demand: bad,
        supplies: vec![],
        limit: 5,
    }) else {
        panic!("accepted a bad demand")
    };
    let fields: Vec<&str> = v.0.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "demand.post.industry_tags[0]",
            "demand.post.skill_tags[1]",
            "demand.post.headcount",
            "demand.post.end"
        ]
    );
    let many: Vec<String> = TAGS
        .iter()
        .filter(|t| t.group == TagGroup::Skill)
        .take(13)
        .map(|t| t.code.to_string())
        .collect();
    let s = supply("s", json!({"skill_tags": many}));
    let Err(TalentError::Invalid(v)) = match_talent(&TalentRequest::Demand {
        demand: demand("d", json!({})),
        supplies: vec![supply("ok", json!({})), s],
        limit: 5,
    }) else {
        panic!("accepted 13 tags")
    };
    assert_eq!(v.0[0].field, "supplies[1].post.skill_tags");
    let long = supply("s", json!({"title": "长".repeat(121)}));
    assert!(long.post.title.chars().count() == 121);
    let Err(TalentError::Invalid(v)) = match_talent(&TalentRequest::Supply {
        supply: long,
        demands: vec![],
        limit: 5,
    }) else {
        panic!("accepted a long title")
    };
    assert_eq!(v.0[0].code, "too_long");
    let crowd = vec![supply("s", json!({})); 2001];
    let err = match_talent(&TalentRequest::Demand {
        demand: demand("d", json!({})),
        supplies: crowd,
        limit: 5,
    });
    assert!(
        matches!(err, Err(TalentError::TooManyCandidates { count: 2001, .. })),
        "{err:?}"
    );
}

#[test]
fn statistics_match_an_independent_count() {
    let mut rng = ChaCha8Rng::seed_from_u64(69);
    let pairs: Vec<_> = (0..60).map(|i| random_pair(&mut rng, i)).collect();
    let demands: Vec<Demand> = pairs.iter().map(|p| p.0.clone()).collect();
    let supplies: Vec<Supply> = pairs.iter().map(|p| p.1.clone()).collect();
    let st = stats(&demands, &supplies).unwrap();
    assert_eq!((st.demands, st.supplies), (60, 60));
    assert_eq!(st.demands_by_kind.values().sum::<usize>(), 60);
    for b in &st.skills {
        let want: u64 = demands
            .iter()
            .filter(|d| d.post.skill_tags.contains(&b.tag))
            .map(|d| u64::from(d.post.headcount))
            .sum();
        let have: u64 = supplies
            .iter()
            .filter(|s| s.post.skill_tags.contains(&b.tag))
            .map(|s| u64::from(s.post.capacity))
            .sum();
        assert_eq!(
            (b.demand_headcount, b.supply_capacity, b.gap),
            (want, have, want as i64 - have as i64),
            "{}",
            b.tag
        );
    }
    assert!(
        st.skills.windows(2).all(|w| w[0].gap >= w[1].gap),
        "largest shortage first"
    );
    let served = demands
        .iter()
        .filter(|d| supplies.iter().any(|s| judge(d, s).excluded_by.is_empty()))
        .count();
    assert_eq!(st.matched_demands, served);
    assert_eq!(st.unmatched.len(), 60 - served);
    assert!((st.match_rate - served as f64 / 60.0).abs() < 0.001);
    for u in &st.unmatched {
        let n = u.nearest.as_ref().unwrap();
        assert!(
            !n.excluded_by.is_empty(),
            "an unmatched demand's nearest supply fails a rule"
        );
    }
}

#[test]
fn a_demand_nobody_serves_names_the_skills_nobody_offers() {
    let d = demand(
        "d",
        json!({"skill_tags": ["blockchain", "cnc_machining"], "kind": "rd_problem"}),
    );
    let st = stats(&[d], &[supply("s", json!({}))]).unwrap();
    assert_eq!(st.match_rate, 0.0);
    assert_eq!(
        st.unmatched[0].nearest_title.as_deref(),
        Some("数控技术毕业生")
    );
    assert_eq!(st.unmatched[0].skills_nobody_offers, ["blockchain"]);
    assert_eq!(
        st.unmatched[0].nearest.as_ref().unwrap().excluded_by[0].code,
        "kind.incompatible"
    );
}

/// Not a test of speed (tests never assert a time): prints how long the largest allowed request
/// and statistics take, for the report. `cargo test --release -p wuliu-match --test talent -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_the_cost_of_the_largest_requests() {
    let mut rng = ChaCha8Rng::seed_from_u64(2000);
    let pairs: Vec<_> = (0..2000).map(|i| random_pair(&mut rng, i)).collect();
    let demands: Vec<Demand> = pairs.iter().map(|p| p.0.clone()).collect();
    let supplies: Vec<Supply> = pairs.iter().map(|p| p.1.clone()).collect();
    let t = std::time::Instant::now();
    let a = match_talent(&TalentRequest::Demand {
        demand: demands[0].clone(),
        supplies: supplies.clone(),
        limit: 50,
    })
    .unwrap();
    println!(
        "one demand against 2000 supplies: {:?} ({} compatible)",
        t.elapsed(),
        a.compatible
    );
    let t = std::time::Instant::now();
    let st = stats(&demands, &supplies).unwrap();
    println!(
        "statistics of 2000 demands × 2000 supplies: {:?} (match rate {}, {} unmatched listed)",
        t.elapsed(),
        st.match_rate,
        st.unmatched.len()
    );
    // The worst case: nothing compatible, so every pair is checked and 100 nearest misses judged.
    let rd: Vec<Demand> = demands
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.post.kind = wuliu_match::talent::DemandKind::RdProblem;
            d
        })
        .collect();
    let grads: Vec<Supply> = supplies
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.post.kind = wuliu_match::talent::SupplyKind::Graduates;
            s
        })
        .collect();
    let t = std::time::Instant::now();
    let st = stats(&rd, &grads).unwrap();
    println!(
        "statistics, nothing compatible: {:?} (match rate {}, {} unmatched listed)",
        t.elapsed(),
        st.match_rate,
        st.unmatched.len()
    );
}
