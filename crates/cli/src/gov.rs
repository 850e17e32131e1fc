//! `wuliu gov …`: the government desks from the command line, through the same application layer
//! as HTTP (issue 29). `load` puts the gazette's task tables and county targets into a region (the
//! bundled extracts, or the office's own CSV files of the same shape, checked line by line);
//! `appeals-report` prints the appeal desk's weekly Form 2 (or writes its CSV) or monthly report
//! for a date, so a scheduler (cron) can produce them at the cadence's due times;
//! `tasks-summary` prints the tracker's summary per unit or per document.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use wuliu_app::gov::appeals::reports::{self, ReportKind};
use wuliu_app::gov::{tasks, units};
use wuliu_app::{AppError, Caller};
use wuliu_model::gov_tasks::{CountyTarget, DivisionTask};
use wuliu_store::Repository;

/// The government desks' commands.
#[derive(Subcommand)]
pub enum GovCommand {
    /// Load the task-division tables (69号 tasks, 61号 measures) and the 63号 county targets into
    /// the region, with their units; idempotent (rows already loaded are left as they are). A
    /// region without tracker settings gets `tracking_from` = today: reports are owed from now.
    Load {
        /// A 69号-shaped CSV (`seq,task,lead_units,cooperating_units,deadline`) instead of the
        /// bundled extract.
        #[arg(long)]
        tasks_69: Option<PathBuf>,
        /// A 61号-shaped CSV (`seq,measure_text,region_units,city_units,note`) instead of the
        /// bundled extract.
        #[arg(long)]
        measures_61: Option<PathBuf>,
        /// A 63号-shaped CSV of county targets instead of the bundled extract.
        #[arg(long)]
        county_targets_63: Option<PathBuf>,
    },
    /// Print the appeal desk's report for a date as JSON, or write the weekly Form 2 as CSV.
    AppealsReport {
        /// Which report.
        #[arg(long, value_enum, default_value_t = Which::Weekly)]
        kind: Which,
        /// The day (YYYY-MM-DD); today (Liuzhou) when absent.
        #[arg(long)]
        date: Option<String>,
        /// Write the weekly Form 2 (the 13 printed columns) to this CSV file instead.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Print the task tracker's summary per unit or per document on a day, as JSON.
    TasksSummary {
        /// Group by `unit` or `document`.
        #[arg(long, default_value = "unit")]
        by: String,
        /// The day (YYYY-MM-DD); today (Liuzhou) when absent.
        #[arg(long)]
        at: Option<NaiveDate>,
    },
}

/// The appeal desk's two reports.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Which {
    /// The weekly Form 2 (W4, Tuesdays and Fridays).
    Weekly,
    /// The monthly report (M4, by the 24th).
    Monthly,
}

/// Runs a `gov` command against `repo` as the platform (an admin of `region`).
pub async fn run(repo: Arc<dyn Repository>, region: &str, command: GovCommand) -> Result<()> {
    let office = Caller::system(region, "cli");
    let repo = repo.as_ref();
    match command {
        GovCommand::Load {
            tasks_69,
            measures_61,
            county_targets_63,
        } => {
            let tables = Tables::read(
                tasks_69.as_deref(),
                measures_61.as_deref(),
                county_targets_63.as_deref(),
            )?;
            let n = load(repo, &office, &tables).await?;
            eprintln!(
                "wuliu: {} tasks and {} county targets in region {region} ({n} units named)",
                tables.tasks.len(),
                tables.targets.len()
            );
            let today = wuliu_app::emergency::today();
            if tasks::config::start_tracking(repo, &office, today)
                .await
                .map_err(app_err)?
            {
                eprintln!("wuliu: tracking starts today ({today}): periodic reports are owed from the quarter holding it (PUT /api/v1/gov/tasks/config to change)");
            }
            Ok(())
        }
        GovCommand::AppealsReport { kind, date, csv } => {
            appeals_report(repo, &office, kind, date, csv).await
        }
        GovCommand::TasksSummary { by, at } => {
            let v = tasks::read::summary(repo, &office, &by, at)
                .await
                .map_err(app_err)?;
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
    }
}

/// The tables to load, parsed (every bad line refused before anything is written).
pub struct Tables {
    /// 69号 tasks, then 61号 measures.
    pub tasks: Vec<DivisionTask>,
    /// 63号 county targets.
    pub targets: Vec<CountyTarget>,
}

impl Tables {
    /// The bundled extracts, or the given files in their place.
    pub fn read(
        tasks_69: Option<&Path>,
        measures_61: Option<&Path>,
        county_63: Option<&Path>,
    ) -> Result<Tables> {
        use wuliu_demo::gov_tasks as g;
        let mut tasks = match tasks_69 {
            Some(p) => g::parse_industry_education_tasks(&text(p)?, &p.display().to_string())?,
            None => g::industry_education_tasks()?,
        };
        tasks.extend(match measures_61 {
            Some(p) => g::parse_incentive_measures(&text(p)?, &p.display().to_string())?,
            None => g::incentive_measures()?,
        });
        let targets = match county_63 {
            Some(p) => g::parse_county_targets(&text(p)?, &p.display().to_string())?,
            None => g::county_targets()?,
        };
        Ok(Tables { tasks, targets })
    }

    /// Every unit the tasks name (lead, cooperating and regional), sorted, once each.
    pub fn unit_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for task in &self.tasks {
            let lists = [Some(&task.lead_units), Some(&task.cooperating_units)];
            for list in lists
                .into_iter()
                .chain([task.region_units.as_ref()])
                .flatten()
            {
                names.extend(list.units.iter().cloned());
            }
        }
        names.sort();
        names.dedup();
        names
    }
}

fn text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Loads `tables` (units, tasks, county targets) through the application layer, with progress;
/// answers how many units the tasks name.
pub async fn load(repo: &dyn Repository, office: &Caller, tables: &Tables) -> Result<usize> {
    let names = tables.unit_names();
    let total = names.len() + tables.tasks.len() + tables.targets.len();
    let bar = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("loading gazette tables {bar:40} {pos}/{len} {msg}")
            .expect("template"),
    );
    bar.set_message("units");
    for name in &names {
        units::ensure(repo, office, name)
            .await
            .map_err(|e| anyhow!("unit {name}: {}", app_err(e)))?;
        bar.inc(1);
    }
    bar.set_message("tasks");
    for task in &tables.tasks {
        tasks::import(repo, office, serde_json::to_value(task)?)
            .await
            .map_err(|e| anyhow!("task {:?}: {}", task.external_id, app_err(e)))?;
        bar.inc(1);
    }
    bar.set_message("county targets");
    for t in &tables.targets {
        tasks::county::import(repo, office, serde_json::to_value(t)?)
            .await
            .map_err(|e| anyhow!("county target {:?}: {}", t.external_id, app_err(e)))?;
        bar.inc(1);
    }
    bar.finish_with_message("done");
    Ok(names.len())
}

async fn appeals_report(
    repo: &dyn Repository,
    office: &Caller,
    kind: Which,
    date: Option<String>,
    csv: Option<PathBuf>,
) -> Result<()> {
    if let Some(path) = csv {
        if kind != Which::Weekly {
            return Err(anyhow!(
                "--csv writes the weekly Form 2; leave out --kind monthly"
            ));
        }
        let (name, text) = reports::form2_csv(repo, office, date.as_deref())
            .await
            .map_err(app_err)?;
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wuliu: wrote {name} to {}", path.display());
        return Ok(());
    }
    let kind = match kind {
        Which::Weekly => ReportKind::Weekly,
        Which::Monthly => ReportKind::Monthly,
    };
    let v = reports::report(repo, office, kind, date.as_deref())
        .await
        .map_err(app_err)?;
    println!("{}", serde_json::to_string_pretty(&v)?);
    Ok(())
}

fn app_err(e: AppError) -> anyhow::Error {
    anyhow!("{e}")
}
