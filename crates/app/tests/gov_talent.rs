//! The industry–education platform's application layer (issue 29, 69号) on SQLite and, when
//! `WULIU_TEST_DATABASE_URL` is set, PostgreSQL: owners come from the caller (forged owners
//! refused), who may edit and read what, versions under racing edits, bounds, matches both ways
//! over the open posts of the region, and the education bureau's statistics.

mod common;

use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::gov::talent::{matching, posts, Side};
use wuliu_app::{AppError, Caller, Role};
use wuliu_store::{Kind, NewRecord, WriteOp};

/// A party with `role` in `region`; answers its ID.
async fn party(repo: &Repo, region: &str, role: &str, name: &str) -> String {
    let id = unique("pty_t");
    let rec = NewRecord {
        id: id.clone(),
        region: region.to_string(),
        external_id: None,
        owner_party: Some(id.clone()),
        partner_party: None,
        status: None,
        body: json!({"name": name, "roles": [role]}),
    };
    repo.commit(
        vec![WriteOp::Insert {
            kind: Kind::Party,
            rec,
        }],
        vec![],
    )
    .await
    .unwrap();
    id
}

struct World {
    region: String,
    ent: Caller,
    ent2: Caller,
    col: Caller,
    col_party: String,
    ent_party: String,
}

async fn world(repo: &Repo) -> World {
    let region = unique("tal-");
    let ent_party = party(repo, &region, "enterprise", "示例汽车零部件有限公司").await;
    let ent2_party = party(repo, &region, "enterprise", "示例物流有限公司").await;
    let col_party = party(repo, &region, "college", "示例职业技术学院").await;
    World {
        ent: Caller::new(
            Role::Enterprise,
            Some(ent_party.clone()),
            &region,
            "user:ent",
        ),
        ent2: Caller::new(Role::Enterprise, Some(ent2_party), &region, "user:ent2"),
        col: Caller::new(Role::College, Some(col_party.clone()), &region, "user:col"),
        region,
        col_party,
        ent_party,
    }
}

fn demand_body() -> Value {
    json!({"kind": "internship", "title": "数控加工实习生（示例）", "industry_tags": ["automotive"],
        "skill_tags": ["cnc_machining", "industrial_robots"], "headcount": 6,
        "start": "2026-07-01", "location": {"division_code": "450206"}})
}

fn supply_body(skills: Value) -> Value {
    json!({"kind": "graduates", "title": "数控技术专业毕业生（示例）", "industry_tags": ["automotive"],
        "skill_tags": skills, "capacity": 20, "education": "higher_vocational",
        "available_from": "2026-06-20", "location": {"division_code": "450206"}})
}

fn code(e: &AppError) -> u16 {
    match e {
        AppError::BadRequest { .. } => 400,
        AppError::Forbidden { .. } => 403,
        AppError::NotFound(_) => 404,
        AppError::Conflict { .. } => 409,
        AppError::Invalid(_) => 422,
        AppError::TooLarge { .. } => 413,
        other => panic!("unexpected {other:?}"),
    }
}

fn with(mut body: Value, key: &str, v: Value) -> Value {
    body[key] = v;
    body
}

#[tokio::test]
async fn owner_comes_from_the_caller_never_from_the_body() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        // Forging the owner: the body cannot name one.
        for forged in ["owner_party", "party", "status", "posted_by"] {
            let body = with(demand_body(), forged, json!(w.col_party));
            let e = posts::create(r, &w.ent, Side::Demand, body)
                .await
                .unwrap_err();
            assert_eq!(code(&e), 400, "{store}: {forged} accepted");
            assert!(e.to_string().contains(forged), "{store}: {e}");
        }
        let body = with(demand_body(), "on_behalf_of", json!(w.ent2.party_id));
        let e = posts::create(r, &w.ent, Side::Demand, body)
            .await
            .unwrap_err();
        assert_eq!(code(&e), 403, "{store}: on_behalf_of from an enterprise");
        // The wrong roles.
        for c in [
            w.col.clone(),
            Caller::new(
                Role::Shipper,
                Some(w.ent_party.clone()),
                &w.region,
                "user:s",
            ),
            Caller::new(Role::Regulator, None, &w.region, "user:r"),
            Caller::new(Role::Official, Some("gun_x".into()), &w.region, "user:o"),
        ] {
            let e = posts::create(r, &c, Side::Demand, demand_body())
                .await
                .unwrap_err();
            assert_eq!(code(&e), 403, "{store}: {:?} posted a demand", c.role);
        }
        let e = posts::create(r, &w.ent, Side::Supply, supply_body(json!([])))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 403, "{store}: an enterprise posted supply");
        // The real thing: the caller's party owns it.
        let d = posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let rec = repo
            .get(Kind::TalentDemand, d["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rec.owner_party.as_deref(), Some(w.ent_party.as_str()));
        assert_eq!(
            (d["status"].as_str(), d["version"].as_i64()),
            (Some("open"), Some(1))
        );
        // An admin acts on behalf, only of a party with the side's role.
        let admin = Caller::system(&w.region, "user:admin");
        let e = posts::create(r, &admin, Side::Demand, demand_body())
            .await
            .unwrap_err();
        assert_eq!(code(&e), 422, "{store}: admin without on_behalf_of");
        let as_college = with(demand_body(), "on_behalf_of", json!(w.col_party));
        let e = posts::create(r, &admin, Side::Demand, as_college)
            .await
            .unwrap_err();
        assert_eq!(
            code(&e),
            422,
            "{store}: admin posted a demand for a college"
        );
        let s = posts::create(
            r,
            &admin,
            Side::Supply,
            with(
                supply_body(json!(["cnc_machining"])),
                "on_behalf_of",
                json!(w.col_party),
            ),
        )
        .await
        .unwrap();
        let rec = repo
            .get(Kind::TalentSupply, s["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            rec.owner_party.as_deref(),
            Some(w.col_party.as_str()),
            "{store}"
        );
        assert_eq!(rec.region, w.region);
    }
}

#[tokio::test]
async fn only_the_owner_or_an_admin_edits_at_the_version_read() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        let d = posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let id = d["id"].as_str().unwrap();
        let edit = |v: i64, title: &str| {
            with(
                with(demand_body(), "version", json!(v)),
                "title",
                json!(title),
            )
        };
        // Another enterprise does not even see it; the college sees it open but may not change it.
        let e = posts::update(r, &w.ent2, Side::Demand, id, edit(1, "x"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 404, "{store}");
        let e = posts::update(r, &w.col, Side::Demand, id, edit(1, "x"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 403, "{store}");
        let e = posts::update(r, &w.ent, Side::Demand, id, demand_body())
            .await
            .unwrap_err();
        assert_eq!(code(&e), 400, "{store}: an edit without a version");
        let v2 = posts::update(r, &w.ent, Side::Demand, id, edit(1, "数控实习生（改）"))
            .await
            .unwrap();
        assert_eq!(
            (v2["version"].as_i64(), v2["title"].as_str()),
            (Some(2), Some("数控实习生（改）"))
        );
        assert_eq!(v2["history"].as_array().unwrap().len(), 2);
        let e = posts::update(r, &w.ent, Side::Demand, id, edit(1, "stale"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 409, "{store}: a stale version");
        let admin = Caller::system(&w.region, "user:admin");
        let v3 = posts::update(r, &admin, Side::Demand, id, edit(2, "由管理员代改"))
            .await
            .unwrap();
        assert_eq!(v3["version"].as_i64(), Some(3));
        let closed = posts::close(
            r,
            &w.ent,
            Side::Demand,
            id,
            json!({"version": 3, "note": "已招满"}),
        )
        .await
        .unwrap();
        assert_eq!(closed["status"].as_str(), Some("closed"));
        let e = posts::update(r, &w.ent, Side::Demand, id, edit(4, "again"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 409, "{store}: editing a closed post");
        // Closed demands are no longer shown to colleges.
        let e = posts::get(r, &w.col, Side::Demand, id).await.unwrap_err();
        assert_eq!(code(&e), 404, "{store}");
        let audit = repo
            .audit(&wuliu_store::AuditQuery {
                record_id: Some(id.to_string()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "talent.demand.post",
                "talent.demand.edit",
                "talent.demand.edit",
                "talent.demand.close"
            ],
            "{store}"
        );
    }
}

#[tokio::test]
async fn racing_edits_of_one_version_let_exactly_one_through() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let d = posts::create(repo.as_ref(), &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let id = d["id"].as_str().unwrap().to_string();
        let mut tasks = Vec::new();
        for n in 0..8 {
            let (repo, ent, id) = (repo.clone(), w.ent.clone(), id.clone());
            tasks.push(tokio::spawn(async move {
                let body = with(
                    with(demand_body(), "version", json!(1)),
                    "headcount",
                    json!(10 + n),
                );
                posts::update(repo.as_ref(), &ent, Side::Demand, &id, body).await
            }));
        }
        let mut ok = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(v) => ok.push(v),
                Err(e) => assert_eq!(code(&e), 409, "{store}: {e}"),
            }
        }
        assert_eq!(
            ok.len(),
            1,
            "{store}: {} edits of version 1 went through",
            ok.len()
        );
        let now = posts::get(repo.as_ref(), &w.ent, Side::Demand, &id)
            .await
            .unwrap();
        assert_eq!(now["version"].as_i64(), Some(2));
        assert_eq!(
            now["headcount"], ok[0]["headcount"],
            "{store}: the winner's edit is stored"
        );
    }
}

#[tokio::test]
async fn each_role_reads_what_the_table_says() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        let mine = posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let theirs = posts::create(r, &w.ent2, Side::Demand, demand_body())
            .await
            .unwrap();
        let v = theirs["version"].as_i64().unwrap();
        posts::close(
            r,
            &w.ent2,
            Side::Demand,
            theirs["id"].as_str().unwrap(),
            json!({"version": v}),
        )
        .await
        .unwrap();
        let elsewhere = unique("tal-");
        let far_party = party(&repo, &elsewhere, "enterprise", "外地企业").await;
        let far = Caller::new(Role::Enterprise, Some(far_party), &elsewhere, "user:far");
        posts::create(r, &far, Side::Demand, demand_body())
            .await
            .unwrap();
        let ids = |v: Value| -> Vec<String> {
            v["posts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_string())
                .collect()
        };
        let own = ids(posts::list(r, &w.ent, Side::Demand, None).await.unwrap());
        assert_eq!(
            own,
            [mine["id"].as_str().unwrap()],
            "{store}: an enterprise lists its own"
        );
        let college = ids(posts::list(r, &w.col, Side::Demand, None).await.unwrap());
        assert_eq!(
            college,
            [mine["id"].as_str().unwrap()],
            "{store}: a college lists the open demands of its region"
        );
        let official = Caller::new(
            Role::Official,
            Some("gun_edu".into()),
            &w.region,
            "user:edu",
        );
        assert_eq!(
            ids(posts::list(r, &official, Side::Demand, None).await.unwrap()).len(),
            2,
            "{store}"
        );
        let shipper = Caller::new(
            Role::Shipper,
            Some(w.ent_party.clone()),
            &w.region,
            "user:s",
        );
        assert!(ids(posts::list(r, &shipper, Side::Demand, None).await.unwrap()).is_empty());
        let e = posts::list(r, &w.col, Side::Demand, Some("pending"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 400);
    }
}

#[tokio::test]
async fn matches_agree_both_ways_over_the_open_posts_of_the_region() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        let d = posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let did = d["id"].as_str().unwrap();
        let full = posts::create(
            r,
            &w.col,
            Side::Supply,
            supply_body(json!(["cnc_machining", "industrial_robots"])),
        )
        .await
        .unwrap();
        let half = posts::create(
            r,
            &w.col,
            Side::Supply,
            supply_body(json!(["cnc_machining"])),
        )
        .await
        .unwrap();
        let lab = posts::create(
            r,
            &w.col,
            Side::Supply,
            with(supply_body(json!(["cnc_machining"])), "kind", json!("lab")),
        )
        .await
        .unwrap();
        let gone = posts::create(
            r,
            &w.col,
            Side::Supply,
            supply_body(json!(["cnc_machining", "industrial_robots"])),
        )
        .await
        .unwrap();
        posts::close(
            r,
            &w.col,
            Side::Supply,
            gone["id"].as_str().unwrap(),
            json!({"version": 1}),
        )
        .await
        .unwrap();
        let m = matching::matches(r, &w.ent, Side::Demand, did, None)
            .await
            .unwrap();
        let ids: Vec<&str> = m["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["supply"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [full["id"].as_str().unwrap(), half["id"].as_str().unwrap()],
            "{store}: ranked, the closed one left out"
        );
        assert_eq!(
            (m["considered"].as_u64(), m["compatible"].as_u64()),
            (Some(3), Some(2))
        );
        let second = &m["matches"][1];
        assert_eq!(
            second["explanation"]["missing_skills"],
            json!(["industrial_robots"])
        );
        assert_eq!(
            second["counterpart"]["party_name"],
            json!("示例职业技术学院")
        );
        assert_eq!(second["breakdown"].as_array().unwrap().len(), 5);
        assert_eq!(m["excluded"][0]["supply"].as_str(), lab["id"].as_str());
        assert_eq!(
            m["excluded"][0]["excluded_by"][0]["code"],
            json!("kind.incompatible")
        );
        // From the supply's side the pair has the same score.
        let back = matching::matches(
            r,
            &w.col,
            Side::Supply,
            half["id"].as_str().unwrap(),
            Some(5),
        )
        .await
        .unwrap();
        let pair = back["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["demand"] == json!(did))
            .unwrap();
        assert_eq!(pair["score"], second["score"], "{store}");
        // Who may ask.
        let e = matching::matches(r, &w.col, Side::Demand, did, None)
            .await
            .unwrap_err();
        assert_eq!(
            code(&e),
            403,
            "{store}: a college reading a demand's matches"
        );
        let e = matching::matches(r, &w.ent2, Side::Demand, did, None)
            .await
            .unwrap_err();
        assert_eq!(code(&e), 404, "{store}");
        let e = matching::matches(r, &w.ent, Side::Demand, did, Some(51))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 400, "{store}: limit 51");
        let official = Caller::new(
            Role::Official,
            Some("gun_edu".into()),
            &w.region,
            "user:edu",
        );
        assert!(matching::matches(r, &official, Side::Demand, did, None)
            .await
            .is_ok());
    }
}

#[tokio::test]
async fn statistics_show_the_gaps_to_the_bureau() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
        let rd = json!({"kind": "rd_problem", "title": "车联网数据平台攻关（示例）", "industry_tags": ["automotive"],
            "skill_tags": ["connected_vehicles", "big_data"], "headcount": 1, "start": "2026-05-01"});
        posts::create(r, &w.ent2, Side::Demand, rd).await.unwrap();
        posts::create(
            r,
            &w.col,
            Side::Supply,
            supply_body(json!(["cnc_machining"])),
        )
        .await
        .unwrap();
        let official = Caller::new(
            Role::Official,
            Some("gun_edu".into()),
            &w.region,
            "user:edu",
        );
        let s = matching::statistics(r, &official, None).await.unwrap();
        assert_eq!(
            (s["demands"].as_u64(), s["supplies"].as_u64()),
            (Some(2), Some(1)),
            "{store}"
        );
        assert_eq!(s["match_rate"].as_f64(), Some(0.5));
        let skill = |t: &str| {
            s["skills"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["tag"] == json!(t))
                .unwrap()
                .clone()
        };
        assert_eq!(skill("cnc_machining")["gap"].as_i64(), Some(6 - 20));
        assert_eq!(skill("industrial_robots")["gap"].as_i64(), Some(6));
        assert_eq!(
            s["unmatched"][0]["skills_nobody_offers"],
            json!(["connected_vehicles", "big_data"])
        );
        assert_eq!(s["by_county"]["450206"]["supplies"].as_u64(), Some(1));
        for c in [w.ent.clone(), w.col.clone()] {
            let e = matching::statistics(r, &c, None).await.unwrap_err();
            assert_eq!(code(&e), 403, "{store}: {:?} read the statistics", c.role);
        }
        let e = matching::statistics(r, &official, Some("elsewhere"))
            .await
            .unwrap_err();
        assert_eq!(code(&e), 403, "{store}: an official reading another region");
        let regulator = Caller::new(Role::Regulator, None, "450200", "user:reg");
        let s2 = matching::statistics(r, &regulator, Some(&w.region))
            .await
            .unwrap();
        assert_eq!(s2["demands"], s["demands"]);
    }
}

#[tokio::test]
async fn bad_posts_are_refused_whole_naming_the_field() {
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        let tags: Vec<&str> = wuliu_match::talent::tags::TAGS
            .iter()
            .filter(|t| t.group == wuliu_match::talent::tags::TagGroup::Skill)
            .take(13)
            .map(|t| t.code)
            .collect();
        let cases = [
            (with(demand_body(), "skill_tags", json!(tags)), "skill_tags"),
            (
                with(
                    demand_body(),
                    "skill_tags",
                    json!(["cnc_machining", "焊接"]),
                ),
                "skill_tags[1]",
            ),
            (
                with(demand_body(), "title", json!("长".repeat(121))),
                "title",
            ),
            (
                with(demand_body(), "description", json!("长".repeat(2001))),
                "description",
            ),
            (with(demand_body(), "headcount", json!(0)), "headcount"),
            (with(demand_body(), "end", json!("2026-01-01")), "end"),
            (
                with(demand_body(), "location", json!({"division_code": "4502"})),
                "location.division_code",
            ),
        ];
        for (body, field) in cases {
            let e = posts::create(r, &w.ent, Side::Demand, body)
                .await
                .unwrap_err();
            let AppError::Invalid(v) = &e else {
                panic!("{store}: {field}: {e:?}")
            };
            assert_eq!(v.0[0].field, field, "{store}");
        }
        let e = posts::create(
            r,
            &w.ent,
            Side::Demand,
            with(demand_body(), "headcount", json!("six")),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest { field, .. } if field == "headcount"),
            "{store}: {e:?}"
        );
        let listed = posts::list(r, &w.ent, Side::Demand, None).await.unwrap();
        assert!(
            listed["posts"].as_array().unwrap().is_empty(),
            "{store}: nothing half-written"
        );
    }
}

#[tokio::test]
async fn one_party_may_keep_only_so_many_posts_open() {
    use wuliu_app::gov::talent::posts::MAX_OPEN_PER_PARTY;
    for (store, repo, _dir) in stores().await {
        let w = world(&repo).await;
        let r = repo.as_ref();
        let mut last = Value::Null;
        for _ in 0..MAX_OPEN_PER_PARTY {
            last = posts::create(r, &w.ent, Side::Demand, demand_body())
                .await
                .unwrap();
        }
        let e = posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap_err();
        assert_eq!(
            code(&e),
            409,
            "{store}: post {} accepted",
            MAX_OPEN_PER_PARTY + 1
        );
        // Another party is not held back, and closing one makes room.
        posts::create(r, &w.ent2, Side::Demand, demand_body())
            .await
            .unwrap();
        let id = last["id"].as_str().unwrap();
        posts::close(r, &w.ent, Side::Demand, id, json!({"version": 1}))
            .await
            .unwrap();
        posts::create(r, &w.ent, Side::Demand, demand_body())
            .await
            .unwrap();
    }
}
