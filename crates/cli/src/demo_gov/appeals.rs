//! The demo's appeal desk (65号): seven sample appeals, every one marked 示例 (sample enterprises,
//! not real ones; the first carries the document's own printed example issue), entered through
//! the application layer as the desk would and moved through the workflow so the console shows
//! every kind of state: received, collected, escalated to the regional task force, forwarded to
//! 中国贸促会, assigned to a competent unit, and closed after the result was fed back. Their
//! receipt dates (1 to 20 days back, never more than 4 days apart) put at least one in the last
//! closed weekly window whatever the weekday, so today's weekly Form 2 and the overdue flags have
//! content.

use anyhow::{anyhow, Result};
use chrono::{Duration, Utc};
use serde_json::{json, Value};
use wuliu_app::gov::{appeals, units};
use wuliu_app::{Caller, Role, Service};

/// The printed example of F9 具体问题诉求 (附件1).
const PRINTED_EXAMPLE: &str = "上海浦东机场长航线货运航班数量太少，北美和欧洲产品无法运输至上海。公司部分产品库存只能支撑至6月中旬，如果货运瓶颈不解决，公司将面临进口产品供应中断风险。";

/// A sample: (enterprise, industry, country, reporting unit, channel, days ago, issue, steps).
type Sample = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static [&'static str],
);

const SAMPLES: &[Sample] = &[
    (
        "示例外资企业甲有限公司（示例）",
        "医疗健康",
        "美国",
        "市投资促进局",
        "member_unit",
        16,
        PRINTED_EXAMPLE,
        &["collect", "classify:regional:customs_logistics", "escalate"],
    ),
    (
        "示例外资企业乙有限公司（示例）",
        "汽车",
        "德国",
        "市商务局",
        "hotline",
        9,
        "示例：企业新建厂房的施工许可办理进度较慢，希望协调加快审批。",
        &["collect", "classify:city:approval", "assign"],
    ),
    (
        "示例外资企业丙有限公司（示例）",
        "机电装备",
        "日本",
        "市商务局",
        "visit",
        20,
        "示例：企业反映技术工人招聘困难，希望对接本地职业院校开展订单式培养。",
        &[
            "collect",
            "classify:city:labour",
            "assign",
            "outcome",
            "feedback",
            "close",
        ],
    ),
    (
        "示例外资企业丁有限公司（示例）",
        "电子信息",
        "新加坡",
        "市贸促会",
        "questionnaire",
        12,
        "示例：企业关键进口设备的关税减免政策需国家层面明确。",
        &[
            "collect",
            "classify:national:market_access",
            "escalate",
            "forward",
        ],
    ),
    (
        "示例外资企业戊有限公司（示例）",
        "食品",
        "泰国",
        "柳州海关",
        "email",
        5,
        "示例：企业希望了解出口东盟原产地证书办理的便利化措施。",
        &["collect"],
    ),
    (
        "示例外资企业庚有限公司（示例）",
        "金融",
        "英国",
        "市发展改革委",
        "phone_interview",
        3,
        "示例：企业希望了解跨境人民币结算和外债登记的便利化政策。",
        &["collect", "classify:city:finance"],
    ),
    (
        "示例外资企业己有限公司（示例）",
        "批发零售",
        "中国香港",
        "市投资促进局",
        "website",
        1,
        "示例：企业咨询外资企业增资扩股的办理流程。",
        &[],
    ),
];

fn form(s: &Sample) -> Value {
    json!({
        "reporting_unit": s.3, "reporting_date": wuliu_app::emergency::today().to_string(),
        "reporting_contact_name": "示例联系人", "reporting_contact": "0772-0000000",
        "enterprise_name": s.0, "industry": s.1, "location_province": "广西",
        "parent_country": s.2, "registered_capital_10k_usd": 1000,
        "enterprise_contact_name": "示例姓名", "enterprise_contact": "0772-0000000",
        "enterprise_profile": "（示例）XX公司拥有XXXX等业务板块，XXXX年进入中国，在柳州设立生产基地。",
        "issue": s.6, "suggestions": "（示例）其他方面建议"
    })
}

/// The body of step `step` (`action` or `classify:level:category`).
fn step_body(step: &str, competent: &str) -> (String, Value) {
    let mut parts = step.split(':');
    let action = parts.next().unwrap_or_default().to_string();
    let body = match action.as_str() {
        "classify" => json!({"level": parts.next(), "category": parts.next()}),
        "assign" => json!({"unit_id": competent, "note": "（示例）请主管部门办理"}),
        "escalate" => json!({"note": "（示例）随周二/周五汇总表报广西服务外资企业工作专班"}),
        "forward" => json!({"note": "（示例）重大问题转报中国贸促会"}),
        "outcome" => {
            json!({"resolution": "resolved", "summary": "（示例）已对接职业院校开展订单式培养"})
        }
        "feedback" => {
            json!({"kind": "result", "text": "（示例）已电话告知企业办理结果", "via": "电话"})
        }
        _ => json!({}),
    };
    (action, body)
}

/// Seeds the appeals desk into `region`; returns how many appeals were written.
pub async fn seed(service: &Service, region: &str) -> Result<usize> {
    let repo = service.repo.as_ref();
    let lead = Caller::new(Role::Regulator, None, region, "demo:专班领导");
    let competent = units::ensure(repo, &Caller::system(region, "demo"), "市交通运输局")
        .await
        .map_err(|e| anyhow!("demo competent unit: {e}"))?;
    let now = Utc::now();
    for s in SAMPLES {
        let received = now - Duration::days(s.5) - Duration::hours(2);
        let body = json!({"form": form(s), "source": s.4, "received_at": received.to_rfc3339()});
        let v = appeals::submit(repo, &lead, body)
            .await
            .map_err(|e| anyhow!("demo appeal {}: {e}", s.0))?;
        let id = v["id"].as_str().unwrap_or_default().to_string();
        for step in s.7 {
            let (action, body) = step_body(step, &competent);
            appeals::act(repo, &lead, &id, &action, body)
                .await
                .map_err(|e| anyhow!("demo appeal {} {action}: {e}", s.0))?;
        }
    }
    approve_old_weeks(repo, &lead).await?;
    Ok(SAMPLES.len())
}

/// 专班领导 approved the weekly Form 2 of the windows closed a week and more ago, so their appeals
/// read summarised; the last windows are left for the console to approve (their appeals are
/// flagged `not_summarised` once their W4 passed).
async fn approve_old_weeks(repo: &dyn wuliu_store::Repository, lead: &Caller) -> Result<()> {
    let today = wuliu_app::emergency::today();
    for days in [8, 11, 15, 18, 22] {
        let date = today - Duration::days(days);
        let body = json!({"date": date, "note": "（示例）审定"});
        match appeals::approve(repo, lead, appeals::ReportKind::Weekly, body).await {
            Ok(_) | Err(wuliu_app::AppError::Conflict { .. }) => {}
            Err(e) => return Err(anyhow!("demo weekly approval {date}: {e}")),
        }
    }
    Ok(())
}
