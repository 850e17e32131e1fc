//! The demo's task-division tracker: every task of 69号 (27), every measure of 61号 (35) and every
//! county target of 63号 (23 rows), loaded through the application layer as the city's office
//! would, plus a few progress reports and county values marked 示例 (sample, not real data) so
//! the console shows every status: tasks in progress, one completed, the rest with their
//! quarterly report missing (`stale`). The demo city started tracking [`TRACKING_DAYS_AGO`] days
//! ago (the tracker's `tracking_from`), so the quarters owed are those since then, not every
//! quarter since the documents were issued in 2022.

use anyhow::{anyhow, Context, Result};
use chrono::Days;
use serde_json::json;
use wuliu_app::gov::{tasks, units};
use wuliu_app::{Caller, Role, Service};

/// Sample reports: (task, unit, days before today, status, progress, text). All marked 示例.
const SAMPLE_REPORTS: &[(&str, &str, u64, &str, u8, &str)] = &[
    (
        "69-01",
        "市工业和信息化局",
        50,
        "in_progress",
        30,
        "已将产教融合纳入相关规划编制要求，正在梳理配套政策清单。",
    ),
    (
        "69-02",
        "市教育局",
        20,
        "in_progress",
        55,
        "产教融合园区选址方案已报市政府审议。",
    ),
    (
        "69-02",
        "市工业和信息化局",
        10,
        "in_progress",
        40,
        "配合提供重点产业布局资料。",
    ),
    (
        "69-05",
        "市教育局",
        30,
        "completed",
        100,
        "相关工作已按方案完成，台账已归档。",
    ),
    (
        "61-10",
        "市商务局",
        40,
        "in_progress",
        60,
        "已组织外贸企业申报专项资金，正在汇总材料。",
    ),
    (
        "61-33",
        "市商务局",
        25,
        "in_progress",
        35,
        "配合梳理外资项目到位资金情况。",
    ),
];

/// How many days before today the demo city started tracking (about two quarters).
pub const TRACKING_DAYS_AGO: u64 = 180;

/// Sample county values: (target, value, year-end day). All marked 示例 (not official statistics).
const SAMPLE_VALUES: &[(&str, f64, &str)] = &[
    ("C01", 7.6, "2023-12-31"),
    ("C01", 7.2, "2024-12-31"),
    ("C03", 380.0, "2023-12-31"),
    ("C03", 410.0, "2024-12-31"),
    ("C06", 69.1, "2023-12-31"),
    ("C06", 69.8, "2024-12-31"),
    ("C11", 5.1, "2024-12-31"),
    ("C21", 66.2, "2024-12-31"),
];

/// Seeds the tracker into `region`; returns how many records were written.
pub async fn seed(service: &Service, region: &str) -> Result<usize> {
    let repo = service.repo.as_ref();
    let office = Caller::system(region, "demo");
    let started = wuliu_app::emergency::today() - Days::new(TRACKING_DAYS_AGO);
    tasks::config::start_tracking(repo, &office, started)
        .await
        .map_err(|e| anyhow!("tracker settings: {e}"))?;
    let mut n = 1;
    let all = [
        wuliu_demo::gov_tasks::industry_education_tasks()?,
        wuliu_demo::gov_tasks::incentive_measures()?,
    ];
    for task in all.iter().flatten() {
        let body = serde_json::to_value(task)?;
        tasks::import(repo, &office, body)
            .await
            .map_err(|e| anyhow!("task {:?}: {e}", task.external_id))?;
        n += 1;
    }
    for t in wuliu_demo::gov_tasks::county_targets()? {
        tasks::county::import(repo, &office, serde_json::to_value(&t)?)
            .await
            .map_err(|e| anyhow!("county target {:?}: {e}", t.external_id))?;
        n += 1;
    }
    n += sample_reports(service, region)
        .await
        .context("sample reports")?;
    for (target, value, as_of) in SAMPLE_VALUES {
        let body = json!({ "value": value, "as_of": as_of,
            "source": "示例数据（非官方统计）", "note": "示例" });
        tasks::county::add_value(repo, &office, target, body)
            .await
            .map_err(|e| anyhow!("county value {target}: {e}"))?;
        n += 1;
    }
    Ok(n)
}

async fn sample_reports(service: &Service, region: &str) -> Result<usize> {
    let repo = service.repo.as_ref();
    let today = wuliu_app::emergency::today();
    for (task, unit, ago, status, pct, text) in SAMPLE_REPORTS {
        let unit_id = units::by_name(repo, region, unit)
            .await
            .map_err(|e| anyhow!("{e}"))?
            .with_context(|| format!("unit {unit}"))?
            .id;
        let official = Caller::new(
            Role::Official,
            Some(unit_id),
            region,
            &format!("示例·{unit}"),
        );
        let body = json!({ "as_of": today - Days::new(*ago), "status": status,
            "progress_pct": pct, "text": format!("【示例】{text}") });
        tasks::reports::submit(repo, &official, task, body)
            .await
            .map_err(|e| anyhow!("sample report on {task}: {e}"))?;
    }
    Ok(SAMPLE_REPORTS.len())
}
