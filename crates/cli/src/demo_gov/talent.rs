//! The demo's industry–education platform (产教对接, 69号): an illustrative enterprise
//! (`pty_demo_enterprise_01`, the party of the `demo-enterprise` account) and an illustrative
//! vocational college (`pty_demo_college_01`, `demo-college`), and a dozen demands and supplies,
//! all marked 示例, tagged so that matches, near misses and gaps show: a data-engineering job the
//! college cannot serve (bachelor's level, skills nobody offers), a cold-chain internship served
//! only in part, and programmes and labs that fit the joint training and the R&D problem.
//!
//! Posts go through [`wuliu_app::gov::talent::posts::create`] as the parties' own accounts would.

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};
use wuliu_app::gov::talent::{posts, Side};
use wuliu_app::{spec, Caller, Role, Service};
use wuliu_model::codes::uscc_check_char;
use wuliu_store::Kind;

/// The demo enterprise's party ID (bound to the `demo-enterprise` account).
pub const ENTERPRISE: &str = "pty_demo_enterprise_01";
/// The demo college's party ID (bound to the `demo-college` account).
pub const COLLEGE: &str = "pty_demo_college_01";

/// GB 11714 check character of an 8-character organisation code body.
fn org_check(body: &str) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(36).expect("alphanumeric") * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).expect("a digit"),
    }
}

/// A unified social credit code: registration authority and type (`91` a company, `12` a public
/// institution such as a college), the division, the organisation code with its check, and the
/// GB 32100 check character.
fn credit_code(kind: &str, division: &str, org: &str) -> String {
    let first17 = format!("{kind}{division}{org}{}", org_check(org));
    let c = uscc_check_char(&first17).expect("the code uses the GB 32100 charset");
    format!("{first17}{c}")
}

fn parties() -> [(&'static str, Value); 2] {
    [
        (
            ENTERPRISE,
            json!({"external_id": "demo_enterprise_01",
                "name": "柳州示例汽车零部件物流有限公司（示例）", "roles": ["enterprise", "shipper"],
                "credit_code": credit_code("91", "450203", "MA5LK001"),
                "contact_name": "示例人事部", "phone": "0772-3100001",
                "address": "柳州市鱼峰区柳东新区（示例地址）", "division_code": "450203"}),
        ),
        (
            COLLEGE,
            json!({"external_id": "demo_college_01",
                "name": "柳州示例职业技术学院（示例）", "roles": ["college"],
                "credit_code": credit_code("12", "450200", "49850001"),
                "contact_name": "示例招生就业处", "phone": "0772-3100002",
                "address": "柳州市柳北区（示例地址）", "division_code": "450205"}),
        ),
    ]
}

/// Creates the two parties with their fixed IDs unless they are there; answers how many it wrote.
async fn seed_parties(service: &Service, region: &str) -> Result<usize> {
    let spec = spec::by_kind(Kind::Party);
    let mut recs = Vec::new();
    for (id, body) in parties() {
        if service.repo.get(Kind::Party, id).await?.is_some() {
            continue;
        }
        let rec = service
            .prepare(spec, body, id.to_string(), region)
            .await
            .map_err(|e| anyhow!("demo party {id} is invalid: {e}"))?;
        recs.push(rec);
    }
    let n = recs.len();
    if n > 0 {
        service.repo.upsert_batch(Kind::Party, recs, None).await?;
    }
    Ok(n)
}

const ENT_AT: (f64, f64, &str) = (24.372, 109.521, "450203");
const COL_AT: (f64, f64, &str) = (24.392, 109.405, "450205");

fn place(at: (f64, f64, &str)) -> Value {
    json!({"division_code": at.2, "point": {"lat": at.0, "lon": at.1}})
}

/// The enterprise's demands (示例).
fn demands() -> Vec<Value> {
    let at = place(ENT_AT);
    vec![
        json!({"kind": "job", "title": "智能仓储运维员（示例）", "industry_tags": ["logistics", "automotive"],
            "skill_tags": ["smart_warehousing", "logistics_systems", "industrial_robots"], "headcount": 10,
            "start": "2026-07-01", "on_site": true, "max_km": 50, "location": at,
            "description": "示例：零部件立体库与AGV的日常运维。"}),
        json!({"kind": "internship", "title": "数控加工实习生（示例）", "industry_tags": ["automotive"],
            "skill_tags": ["cnc_machining", "quality_testing"], "headcount": 15, "start": "2026-03-01",
            "end": "2026-08-31", "on_site": true, "max_km": 50, "location": at}),
        json!({"kind": "joint_training", "title": "新能源汽车电池订单班（示例）",
            "industry_tags": ["new_energy", "automotive"], "skill_tags": ["ev_battery", "quality_testing"],
            "headcount": 30, "min_headcount": 20, "min_education": "higher_vocational",
            "start": "2026-09-01", "location": at}),
        json!({"kind": "rd_problem", "title": "零部件入厂物流JIT排程优化（示例）",
            "industry_tags": ["automotive", "logistics"], "skill_tags": ["jit_line_side", "big_data", "ai"],
            "headcount": 1, "start": "2026-04-01", "location": at,
            "description": "示例：按主机厂生产节拍排定零部件入厂批次，减少线边库存。"}),
        json!({"kind": "job", "title": "车联网数据工程师（示例）", "industry_tags": ["digital_economy", "automotive"],
            "skill_tags": ["connected_vehicles", "big_data", "5g"], "headcount": 5,
            "min_education": "bachelor", "start": "2026-07-01", "location": at}),
        json!({"kind": "internship", "title": "冷链物流实习生（示例）", "industry_tags": ["logistics"],
            "skill_tags": ["cold_chain", "multimodal", "supply_chain"], "headcount": 6,
            "start": "2026-07-10", "end": "2026-09-30", "location": at}),
    ]
}

/// The college's supply (示例).
fn supplies() -> Vec<Value> {
    let at = place(COL_AT);
    vec![
        json!({"kind": "graduates", "title": "物流管理专业2026届毕业生（示例）", "industry_tags": ["logistics"],
            "skill_tags": ["smart_warehousing", "logistics_systems", "supply_chain"], "capacity": 40,
            "education": "higher_vocational", "available_from": "2026-06-20", "location": at}),
        json!({"kind": "graduates", "title": "数控技术专业2026届毕业生（示例）",
            "industry_tags": ["automotive", "construction_machinery"],
            "skill_tags": ["cnc_machining", "quality_testing"], "capacity": 35,
            "education": "higher_vocational", "available_from": "2026-06-20", "location": at}),
        json!({"kind": "programme", "title": "新能源汽车技术专业（可办订单班，示例）",
            "industry_tags": ["new_energy", "automotive"], "skill_tags": ["ev_battery", "smart_manufacturing"],
            "capacity": 45, "education": "higher_vocational", "available_from": "2026-09-01", "location": at}),
        json!({"kind": "lab", "title": "智能制造实训基地（示例）", "industry_tags": ["automotive", "high_end_equipment"],
            "skill_tags": ["industrial_robots", "smart_manufacturing", "cnc_machining"], "capacity": 2,
            "available_from": "2026-01-01", "location": at}),
        json!({"kind": "teacher", "title": "物流工程“双师型”教学团队（示例）", "industry_tags": ["logistics", "automotive"],
            "skill_tags": ["jit_line_side", "supply_chain", "big_data"], "capacity": 4,
            "education": "master", "available_from": "2026-01-01", "location": at}),
        json!({"kind": "programme", "title": "工业机器人技术专业（示例）", "industry_tags": ["high_end_equipment"],
            "skill_tags": ["industrial_robots", "industrial_internet"], "capacity": 30,
            "education": "higher_vocational", "available_from": "2026-09-01", "location": at}),
    ]
}

/// Seeds the talent desk into `region`; returns how many records were written.
pub async fn seed(service: &Service, region: &str) -> Result<usize> {
    let mut n = seed_parties(service, region).await?;
    let repo = service.repo.as_ref();
    let ent = Caller::new(Role::Enterprise, Some(ENTERPRISE.into()), region, "demo");
    let col = Caller::new(Role::College, Some(COLLEGE.into()), region, "demo");
    let have = posts::list(repo, &ent, Side::Demand, None).await?;
    if !have["posts"].as_array().is_some_and(|p| p.is_empty()) {
        return Ok(n);
    }
    for (caller, side, bodies) in [
        (&ent, Side::Demand, demands()),
        (&col, Side::Supply, supplies()),
    ] {
        for body in bodies {
            let title = body["title"].as_str().unwrap_or_default().to_string();
            posts::create(repo, caller, side, body)
                .await
                .with_context(|| format!("demo {} '{title}'", side.what()))?;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_credit_codes_are_valid() {
        for (_, p) in parties() {
            let code = p["credit_code"].as_str().unwrap();
            assert!(wuliu_model::codes::validate_uscc(code).is_ok(), "{code}");
        }
        // GB 11714's worked example.
        assert_eq!(org_check("D2143569"), 'X');
    }
}
