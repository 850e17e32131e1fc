//! The city's real content: the gazette extracts embedded from `data/` (see `data/PROVENANCE.md`), parsed
//! into counties, plan targets, baselines and key-project facilities.

use serde::Deserialize;
use wuliu_model::{
    Baseline, County, DivisionCode, Facility, FacilityKind, FacilityStatus, GeoPoint, PlanTarget,
};

use crate::places::{district, jittered_centre};

/// `data/counties.csv`, the ten county-level units (柳政办〔2022〕63号).
pub const COUNTIES_CSV: &str = include_str!("../data/counties.csv");
/// `data/plan_targets_2025.csv`, the 2025 targets of the logistics plan (柳政办〔2022〕59号).
pub const PLAN_TARGETS_CSV: &str = include_str!("../data/plan_targets_2025.csv");
/// `data/baseline_2020.csv`, the 2020 baselines (59号 and 63号 表1).
pub const BASELINES_CSV: &str = include_str!("../data/baseline_2020.csv");
/// `data/key_logistics_projects.csv`, the plan's 53 key logistics projects (59号 附件).
pub const KEY_PROJECTS_CSV: &str = include_str!("../data/key_logistics_projects.csv");

#[derive(Debug, Deserialize)]
struct CountyRow {
    name: String,
    division_type: String,
    gb2260_code: String,
    parent_code: String,
    regional_role: String,
    development_direction_en: String,
    key_towns: String,
}

#[derive(Debug, Deserialize)]
struct TargetRow {
    id: String,
    indicator_zh: String,
    indicator_en: String,
    target_value: String,
    unit: String,
    comparator: String,
    year: String,
    baseline_value: String,
    baseline_year: String,
    source_quote: String,
}

#[derive(Debug, Deserialize)]
struct BaselineRow {
    indicator_zh: String,
    indicator_en: String,
    value: String,
    unit: String,
    year: String,
    source_quote: String,
    source_doc: String,
}

/// One row of the key-project table.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectRow {
    /// Sub-table (district or 柳东新区).
    pub district: String,
    /// 序号 within the sub-table.
    pub seq: u32,
    /// 项目名称.
    pub name: String,
    /// 类型.
    #[serde(rename = "type")]
    pub kind: String,
    /// 建设性质.
    pub build_status: String,
    /// Area in 亩, empty when not given.
    pub land_area_mu: String,
    /// 建设规模.
    pub scale_text: String,
    /// 概况.
    pub summary: String,
    /// Total investment stated in 概况, yuan; empty when none.
    #[serde(default)]
    pub investment_yuan: String,
}

fn rows<T: serde::de::DeserializeOwned>(csv_text: &str, file: &str) -> Vec<T> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|e| panic!("embedded {file}, record {}: {e}", i + 1)))
        .collect()
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The ten county-level units; external ID = division code.
pub fn counties() -> Vec<County> {
    rows::<CountyRow>(COUNTIES_CSV, "counties.csv")
        .into_iter()
        .map(|r| County {
            external_id: Some(r.gb2260_code.clone()),
            division_type: r.division_type,
            division_code: DivisionCode(r.gb2260_code),
            parent_code: DivisionCode(r.parent_code),
            regional_role: non_empty(&r.regional_role),
            development_direction_en: non_empty(&r.development_direction_en),
            key_towns: non_empty(&r.key_towns),
            centre: Some(GeoPoint {
                lat: district(&r.name).lat,
                lon: district(&r.name).lon,
            }),
            name: r.name,
        })
        .collect()
}

/// The 2025 targets; external ID = the `id` column (T01…). `target_text` keeps the target as written; a
/// `range` target (T18, `6-8` %) keeps its comparator and has no single `target_value`.
pub fn plan_targets() -> Vec<PlanTarget> {
    rows::<TargetRow>(PLAN_TARGETS_CSV, "plan_targets_2025.csv")
        .into_iter()
        .map(|r| {
            let target_value = if r.comparator == "range" {
                None
            } else {
                Some(r.target_value.trim().parse().unwrap_or_else(|_| {
                    panic!(
                        "target {}: value '{}' is not a number",
                        r.id, r.target_value
                    )
                }))
            };
            PlanTarget {
                external_id: Some(r.id.clone()),
                indicator_zh: r.indicator_zh,
                indicator_en: r.indicator_en,
                target_value,
                target_text: non_empty(&r.target_value),
                unit: r.unit,
                comparator: r.comparator,
                year: r.year.trim().parse().unwrap_or_else(|_| {
                    panic!("target {}: year '{}' is not a number", r.id, r.year)
                }),
                baseline_value: r.baseline_value.trim().parse().ok(),
                baseline_year: r.baseline_year.trim().parse().ok(),
                source_quote: r.source_quote,
            }
        })
        .collect()
}

/// Lower-case ASCII slug: runs of non-alphanumerics become one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The 2020 baselines; external ID = slug of the English indicator plus `-year` (when given), with `-table1`
/// for the second row of the same key (the 63号 表1 copy of 社会消费品零售总额 2020). The ratio `3:1` becomes
/// `3` with unit `比例（:1）`.
pub fn baselines() -> Vec<Baseline> {
    let mut seen = std::collections::BTreeSet::new();
    rows::<BaselineRow>(BASELINES_CSV, "baseline_2020.csv")
        .into_iter()
        .map(|r| {
            let (value, unit) = match r.value.trim().parse::<f64>() {
                Ok(v) => (v, r.unit),
                Err(_) => {
                    let (a, b) = r.value.split_once(':').unwrap_or_else(|| {
                        panic!(
                            "baseline '{}': value '{}' is neither a number nor a ratio",
                            r.indicator_zh, r.value
                        )
                    });
                    let a: f64 = a.trim().parse().expect("ratio numerator is a number");
                    let b: f64 = b.trim().parse().expect("ratio denominator is a number");
                    (a / b, "比例（:1）".to_string())
                }
            };
            let mut key = slug(&r.indicator_en);
            if !r.year.trim().is_empty() {
                key = format!("{key}-{}", r.year.trim());
            }
            if !seen.insert(key.clone()) {
                key = format!("{key}-table1");
                assert!(seen.insert(key.clone()), "baseline key {key} is not unique");
            }
            Baseline {
                external_id: Some(key),
                indicator_zh: r.indicator_zh,
                indicator_en: r.indicator_en,
                value,
                unit,
                year: r.year,
                source_quote: r.source_quote,
                source_doc: r.source_doc,
            }
        })
        .collect()
}

/// The key-project rows as printed.
pub fn project_rows() -> Vec<ProjectRow> {
    rows(KEY_PROJECTS_CSV, "key_logistics_projects.csv")
}

/// External ID of a key project: `kp-<district slug>-<seq, two digits>`, e.g. `kp-liunan-03`.
pub fn project_external_id(district_name: &str, seq: u32) -> String {
    format!("kp-{}-{seq:02}", district(district_name).slug)
}

/// Facility kind from the project's name: 冷链/冷库 → cold store, 机场/航空/空港 → air cargo,
/// 铁路 → rail yard, 港/码头/口岸 → port, 批发市场/交易市场/商贸城 → market, 仓储/储备库 → warehouse,
/// 配送中心 → depot, otherwise a logistics park.
pub fn facility_kind(name: &str) -> FacilityKind {
    let has = |keys: &[&str]| keys.iter().any(|k| name.contains(k));
    if has(&["冷链", "冷库"]) {
        FacilityKind::ColdStore
    } else if has(&["机场", "航空", "空港"]) {
        FacilityKind::AirCargo
    } else if has(&["铁路"]) {
        FacilityKind::RailYard
    } else if has(&["码头", "口岸", "港"]) {
        FacilityKind::Port
    } else if has(&["批发市场", "交易市场", "商贸城", "交易集散"]) {
        FacilityKind::Market
    } else if has(&["仓储", "储备库"]) {
        FacilityKind::Warehouse
    } else if has(&["配送中心"]) {
        FacilityKind::Depot
    } else {
        FacilityKind::LogisticsPark
    }
}

/// Facility status from 建设性质: 在建 and 新建 (a new start in the plan period) → under construction;
/// 已建/建成/运营 → operating; 预备/储备/拟建/规划 (preparatory or reserve projects) and anything else → planned.
pub fn facility_status(build_status: &str) -> FacilityStatus {
    match build_status.trim() {
        "在建" | "新建" => FacilityStatus::UnderConstruction,
        "已建" | "建成" | "运营" => FacilityStatus::Operating,
        _ => FacilityStatus::Planned,
    }
}

/// The 53 key projects as facilities at their district centre plus a deterministic jitter
/// (`location_approximate: true`).
pub fn facilities() -> Vec<Facility> {
    project_rows()
        .into_iter()
        .map(|r| {
            let d = district(&r.district);
            let external_id = project_external_id(&r.district, r.seq);
            let summary: Vec<String> = [
                ("建设性质", &r.build_status),
                ("建设规模", &r.scale_text),
                ("概况", &r.summary),
            ]
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}：{}", v.trim()))
            .collect();
            Facility {
                location: jittered_centre(d, &external_id),
                external_id: Some(external_id),
                kind: facility_kind(&r.name),
                status: facility_status(&r.build_status),
                location_approximate: true,
                division_code: DivisionCode(d.code.to_string()),
                address: Some(format!("柳州市{}", r.district)),
                land_area_mu: r.land_area_mu.trim().parse().ok(),
                operator_id: None,
                plan_category: non_empty(&r.kind),
                summary: (!summary.is_empty()).then(|| summary.join("；")),
                build_status: non_empty(&r.build_status),
                investment_yuan: r.investment_yuan.trim().parse().ok(),
                name: r.name,
            }
        })
        .collect()
}
