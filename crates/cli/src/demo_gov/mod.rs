//! The demo's government desks (issue 29), written through the application layer as the units
//! would: the directory of units, the gazette's tasks and county targets (61号, 69号, 63号),
//! sample foreign-enterprise appeals (65号), and the industry–education platform's demands and
//! supply (69号).

use anyhow::{Context, Result};
use wuliu_app::gov::units;
use wuliu_app::{Caller, Service};

mod appeals;
mod talent;
mod tasks;

/// The units of the appeal desk's task force (65号 组织架构; its member units by inference), and the
/// bodies appeals are escalated to.
pub const TASK_FORCE_UNITS: [&str; 7] = [
    "市贸促会",
    "市发展改革委",
    "市商务局",
    "市投资促进局",
    "柳州海关",
    "广西服务外资企业工作专班",
    "中国贸促会",
];

/// The unit the demo's `official` account acts for (the appeal desk's collection group, and a
/// unit with tasks in 61号 and 69号).
pub const DEMO_OFFICIAL_UNIT: &str = "市商务局";

/// Seeds every desk into `region`; returns how many records were written.
pub async fn seed(service: &Service, region: &str) -> Result<usize> {
    let units = seed_units(service, region)
        .await
        .context("demo government units")?;
    let tasks = tasks::seed(service, region)
        .await
        .context("demo task tracker")?;
    let appeals = appeals::seed(service, region)
        .await
        .context("demo appeal desk")?;
    let talent = talent::seed(service, region)
        .await
        .context("demo industry–education platform")?;
    Ok(units + tasks + appeals + talent)
}

/// Every unit the gazette's task tables name (lead, cooperating and regional), and the task
/// force's; returns how many there are.
async fn seed_units(service: &Service, region: &str) -> Result<usize> {
    let office = Caller::system(region, "demo");
    let tables = crate::gov::Tables::read(None, None, None)?;
    let mut names = tables.unit_names();
    names.extend(TASK_FORCE_UNITS.iter().map(|s| s.to_string()));
    names.sort();
    names.dedup();
    for name in &names {
        units::ensure(service.repo.as_ref(), &office, name)
            .await
            .map_err(|e| anyhow::anyhow!("unit {name}: {e}"))?;
    }
    Ok(names.len())
}
