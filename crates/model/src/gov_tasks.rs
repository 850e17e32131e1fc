//! Task-division tables of the city government (Liuzhou gazette 2024 No. 10): the measures of
//! 柳政办〔2022〕61号, the tasks of 柳政办〔2022〕69号 and the county-economy targets of 柳政办〔2022〕63号, as
//! typed values for a task-division tracker. No IO: this module holds the types and the pure text rules; the
//! CSV extracts are read by `wuliu-demo`.
//!
//! Every parsed value keeps the text it came from (`UnitList::text`, `DivisionTask::deadline_text`,
//! `CountyTarget::indicator`, `TargetCell` keeps the printed figure), so a reader can always check a decision
//! against the gazette.
//!
//! # Unit lists ([`UnitList::parse`])
//!
//! The tables name government units in `、`-separated lists and, in 69号, print the jurisdiction only on the
//! first unit (`市工业和信息化局、科技局、财政局` = 市工业和信息化局, 市科技局, 市财政局). The rules, in order:
//!
//! 1. **Split** on `、` and on `；`/`;` outside parentheses (`（…）`/`(…)`). `；` occurs once: in 69号 row 14 the
//!    extract joins two misaligned OCR cells with it. Items are trimmed; an empty item (`、、`, a leading or
//!    trailing `、`) is an error, never skipped.
//! 2. **Jurisdiction prefix.** An item is *qualified* when it starts with `市` (but not `市场…`, which is the
//!    bureau name 市场监管局), `自治区`, `柳州`, `广西`, `人民银行`, `国家` or `中国`, or names a development zone
//!    or its committee (contains `新区`, or ends with `管委会`). A qualified item starting with `市` or `自治区`
//!    sets the list's current prefix; an unqualified item gets the current prefix (`科技局` → `市科技局`). An
//!    unqualified item before any prefix is kept as printed (none in the gazette).
//! 3. **Shared suffix `管委会`.** The documents address zone committees as `柳东新区、阳和工业新区（北部生态新区）管委会`
//!    (as in the head of every notice), so a zone item (ending in `新区`) followed, through zone items only, by
//!    an item ending in `管委会` gets `管委会` appended: `柳东新区` → `柳东新区管委会`, `柳州高新区` → `柳州高新区管委会`.
//!    *Ambiguous*: `柳东新区` alone could mean the zone as a whole; the committee is the body that can act on a task.
//! 4. **Alias.** 69号 row 12 prints `自然资规局、规划局`, the city's 自然资源和规划局 split in two (the same table
//!    writes `自然资源和规划局` in rows 3, 14 and 23); the consecutive pair becomes the one unit `市自然资源和规划局`.
//!    No other spelling is normalised: `市住房城乡建设局` (61号 row 17) and `市住房和城乡建设局` (row 19) stay as printed.
//! 5. **Duplicates.** A unit printed twice in one list is kept once, at its first place (61号 row 5
//!    `自治区市场监管局、自治区市场监管局`; 69号 rows 4, 5, 8, 14). Lists are not compared with each other: a unit may
//!    be both lead and cooperating unit (69号 rows 1, 13, 16, 23, 25 print it so).
//!
//! # Deadlines ([`Deadline::parse`])
//!
//! 69号's 解决时限 column prints only `持续推进` and `持续进行` ([`Deadline::Ongoing`]) and one empty cell (row 14,
//! lost in the OCR misalignment: [`Deadline::NotStated`]). 61号 has no deadline column: its measures are
//! [`Deadline::NotStated`]. The parser also reads the forms other task tables use, for tasks entered later:
//! `2022年9月30日`/`2022-09-30` ([`Deadline::Date`]), `2022年9月`/`2022年9月底` ([`Deadline::Month`]),
//! `2025年`/`2025年底`/`2025年末`/`2025年年底`/`2025年内`/`到2025年` ([`Deadline::Year`]); anything else (e.g.
//! `2023年前`, which can mean before 2023 starts or by its end, or `第二季度`) is kept verbatim as
//! [`Deadline::Text`].
//!
//! # County targets ([`CountyTarget`])
//!
//! 63号 表2: the unit is the indicator's **last** parenthesised group when it closes the text
//! (`每千人口执业(助理)医师数(人)` → `每千人口执业(助理)医师数` in `人`). A value cell is a figure with an optional
//! comparator (`≥8`, `<6.8`, `500`), a bracketed cumulative five-year figure (`[2.07]`), a printed dash `—`,
//! `按自治区下达指标`, or empty — see [`TargetCell`]. A figure printed without a comparator keeps `comparator:
//! None` (the table states a level; whether it is a floor is not printed).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A document of the city government as published in the gazette.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GazetteDocument {
    /// Document number as printed, e.g. `柳政办〔2022〕69号`.
    pub number: String,
    /// Title of the plan or scheme the document issues, e.g. `柳州市国家产教融合试点城市建设工作方案`.
    pub title: String,
    /// Date of issue.
    #[serde(default)]
    pub issued: Option<NaiveDate>,
}

/// A list of government units as printed, and the individual units it names (see the module docs for the
/// splitting and expansion rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnitList {
    /// The cell as printed, e.g. `市工业和信息化局、科技局、财政局`.
    pub text: String,
    /// The units, expanded and in printed order, e.g. `市工业和信息化局`, `市科技局`, `市财政局`. The first
    /// is the lead where the document says so (61号: 排在第一的为牵头单位).
    pub units: Vec<String>,
}

/// Why a cell of a gazette table cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FieldError {
    /// The cell is empty but must not be.
    #[error("is empty")]
    Empty,
    /// A unit list has an empty item (doubled, leading or trailing separator).
    #[error("unit list '{0}' has an empty item")]
    EmptyUnit(String),
    /// Not a positive whole number.
    #[error("'{0}' is not a positive whole number")]
    BadSeq(String),
    /// Not a figure, dash, `按自治区下达指标` or empty.
    #[error("'{0}' is not a figure (e.g. 500, ≥8, [2.07]), '—' or 按自治区下达指标")]
    BadFigure(String),
    /// Not 预期性 or 约束性.
    #[error("'{0}' is not 预期性 or 约束性")]
    BadAttribute(String),
    /// The column is missing from the row.
    #[error("is missing")]
    Missing,
    /// The CSV reader refused the row.
    #[error("CSV: {0}")]
    Csv(String),
}

/// A bad row of a gazette extract: which file, which line, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}, line {line}, field `{field}`: {error}")]
pub struct RowError {
    /// File name of the extract, e.g. `industry_education_tasks.csv`.
    pub file: String,
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// Column name, e.g. `seq`; `(row)` when the CSV reader refuses the whole row.
    pub field: String,
    /// What is wrong with it.
    pub error: FieldError,
}

const QUALIFIERS: [&str; 7] = ["市", "自治区", "柳州", "广西", "人民银行", "国家", "中国"];
const ALIASES: [(&[&str], &str); 1] = [(&["自然资规局", "规划局"], "自然资源和规划局")];

fn is_zone(unit: &str) -> bool {
    unit.contains("新区") || unit.ends_with("管委会")
}

fn is_qualified(unit: &str) -> bool {
    if unit.starts_with("市场") {
        return false;
    }
    QUALIFIERS.iter().any(|q| unit.starts_with(q)) || is_zone(unit)
}

/// Splits on `、`, `；`, `;` outside parentheses; trimmed items, empty ones included.
fn split_items(text: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0usize);
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && matches!(c, '、' | '；' | ';') {
            items.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
    }
    items.push(current.trim().to_string());
    items
}

/// Merges the consecutive printed pairs of [`ALIASES`] into their unit.
fn apply_aliases(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let hit = ALIASES.iter().find(|(parts, _)| {
            items.len() - i >= parts.len() && parts.iter().zip(&items[i..]).all(|(p, it)| p == it)
        });
        match hit {
            Some((parts, unit)) => {
                out.push(unit.to_string());
                i += parts.len();
            }
            None => {
                out.push(items[i].clone());
                i += 1;
            }
        }
    }
    out
}

impl UnitList {
    /// Splits and expands a printed unit list (rules in the module docs). An empty text gives an empty list.
    ///
    /// ```
    /// use wuliu_model::gov_tasks::UnitList;
    /// let l = UnitList::parse("市教育局、发展改革委、柳东新区、阳和工业新区（北部生态新区）管委会").unwrap();
    /// assert_eq!(l.units, ["市教育局", "市发展改革委", "柳东新区管委会", "阳和工业新区（北部生态新区）管委会"]);
    /// ```
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self {
                text: String::new(),
                units: Vec::new(),
            });
        }
        let items = split_items(text);
        if items.iter().any(String::is_empty) {
            return Err(FieldError::EmptyUnit(text.to_string()));
        }
        let items = apply_aliases(items);
        let mut prefix: Option<&str> = None;
        let mut units: Vec<String> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let mut unit = if is_qualified(item) {
                if let Some(p) = ["自治区", "市"].into_iter().find(|p| item.starts_with(p)) {
                    prefix = Some(p);
                }
                item.clone()
            } else {
                format!("{}{item}", prefix.unwrap_or(""))
            };
            if unit.ends_with("新区") && committee_follows(&items[i + 1..]) {
                unit.push_str("管委会");
            }
            if !units.contains(&unit) {
                units.push(unit);
            }
        }
        Ok(Self {
            text: text.to_string(),
            units,
        })
    }

    /// The first unit: the lead unit where the document ranks its lists.
    pub fn lead(&self) -> Option<&str> {
        self.units.first().map(String::as_str)
    }
}

/// Whether the items after a zone continue, through zone names only, to one ending in `管委会`.
fn committee_follows(rest: &[String]) -> bool {
    for item in rest {
        if item.ends_with("管委会") {
            return true;
        }
        if !item.ends_with("新区") {
            return false;
        }
    }
    false
}

/// When a task is due (解决时限). See the module docs for the forms read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    /// A day: `2022年9月30日`, `2022-09-30`.
    Date {
        /// The day.
        date: NaiveDate,
    },
    /// By the end of a month: `2022年9月`, `2022年9月底`.
    Month {
        /// Year.
        year: i32,
        /// Month, 1–12.
        month: u32,
    },
    /// By the end of a year: `2025年`, `2025年底`, `2025年末`, `2025年年底`, `2025年内`, `到2025年`.
    Year {
        /// Year.
        year: i32,
    },
    /// Continuing work without an end date: `持续推进`, `持续进行`, `长期坚持`, `常态化推进`.
    Ongoing,
    /// The source gives no deadline (an empty cell, or a table without a deadline column).
    NotStated,
    /// Text the parser does not read, kept verbatim (e.g. `2023年前`, `第二季度`).
    Text {
        /// The text as printed.
        text: String,
    },
}

impl Deadline {
    /// Reads a printed deadline; never fails (unread text becomes [`Deadline::Text`]).
    ///
    /// ```
    /// use wuliu_model::gov_tasks::Deadline;
    /// assert_eq!(Deadline::parse("持续推进"), Deadline::Ongoing);
    /// assert_eq!(Deadline::parse("2025年底"), Deadline::Year { year: 2025 });
    /// assert_eq!(Deadline::parse("2023年前"), Deadline::Text { text: "2023年前".into() });
    /// ```
    pub fn parse(text: &str) -> Self {
        let t = text.trim();
        if t.is_empty() {
            return Self::NotStated;
        }
        if ["持续", "长期", "常态化"].iter().any(|p| t.starts_with(p)) {
            return Self::Ongoing;
        }
        if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Self::Date { date };
        }
        parse_chinese_date(t).unwrap_or_else(|| Self::Text {
            text: t.to_string(),
        })
    }

    /// The last day the deadline allows: the date, the month's or the year's last day; `None` for ongoing,
    /// unstated and unread deadlines.
    pub fn due_date(&self) -> Option<NaiveDate> {
        match self {
            Self::Date { date } => Some(*date),
            Self::Month { year, month } => {
                let (y, m) = if *month == 12 {
                    (year + 1, 1)
                } else {
                    (*year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
            }
            Self::Year { year } => NaiveDate::from_ymd_opt(*year, 12, 31),
            Self::Ongoing | Self::NotStated | Self::Text { .. } => None,
        }
    }

    /// The variant's name: `date`, `month`, `year`, `ongoing`, `not_stated` or `text`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Date { .. } => "date",
            Self::Month { .. } => "month",
            Self::Year { .. } => "year",
            Self::Ongoing => "ongoing",
            Self::NotStated => "not_stated",
            Self::Text { .. } => "text",
        }
    }
}

/// `[到]YYYY年[M月[D日|底]|底|末|年底|内]`.
fn parse_chinese_date(t: &str) -> Option<Deadline> {
    let t = t.strip_prefix('到').unwrap_or(t);
    let (year, rest) = t.split_once('年')?;
    let year: i32 = digits(year)?;
    if matches!(rest, "" | "底" | "末" | "年底" | "内") {
        return Some(Deadline::Year { year });
    }
    let (month, rest) = rest.split_once('月')?;
    let month: u32 = digits(month)?;
    NaiveDate::from_ymd_opt(year, month, 1)?;
    if matches!(rest, "" | "底") {
        return Some(Deadline::Month { year, month });
    }
    let day: u32 = digits(rest.strip_suffix('日')?)?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(Deadline::Date { date })
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A task or measure of a task-division table, with the units responsible and its deadline.
///
/// For 69号 (任务分解表) the fields are the table's columns. For 61号 (分工方案) the table has 自治区责任单位 and
/// 柳州市责任单位, each "排在第一的为牵头单位": `lead_units` is the first city unit, `cooperating_units` the
/// remaining city units (each `text` is that part of the printed cell), `region_units` the regional list,
/// `deadline` is [`Deadline::NotStated`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DivisionTask {
    /// Natural key: `<document seq>-<row seq, two digits>`, e.g. `69-01`, `61-35`.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The document that assigns the task.
    pub document: GazetteDocument,
    /// 序号 in the table.
    pub seq: u32,
    /// 任务事项 / 措施内容 as printed.
    pub text: String,
    /// 牵头单位.
    pub lead_units: UnitList,
    /// 配合单位.
    pub cooperating_units: UnitList,
    /// 解决时限, parsed.
    pub deadline: Deadline,
    /// 解决时限 as printed (empty when the table has none).
    pub deadline_text: String,
    /// 自治区责任单位 (61号 only).
    #[serde(default)]
    pub region_units: Option<UnitList>,
    /// 备注, when not empty.
    #[serde(default)]
    pub note: Option<String>,
}

/// 指标属性 of a five-year-plan indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetAttribute {
    /// 预期性: indicative.
    Indicative,
    /// 约束性: binding.
    Binding,
}

impl TargetAttribute {
    /// Reads `预期性` or `约束性`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim() {
            "预期性" => Ok(Self::Indicative),
            "约束性" => Ok(Self::Binding),
            other => Err(FieldError::BadAttribute(other.to_string())),
        }
    }
}

/// A comparator printed before a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Comparator {
    /// `≥` or `>=`.
    #[serde(rename = ">=")]
    Ge,
    /// `>`.
    #[serde(rename = ">")]
    Gt,
    /// `≤` or `<=`.
    #[serde(rename = "<=")]
    Le,
    /// `<`.
    #[serde(rename = "<")]
    Lt,
}

/// One value cell of 63号 表2 (2025年 or 年均增长或累计增速).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetCell {
    /// A number: `500`, `≥8`, `<6.8`, or a bracketed cumulative five-year change `[2.07]`.
    Figure {
        /// Printed comparator; `None` when the number stands alone.
        comparator: Option<Comparator>,
        /// The number.
        value: f64,
        /// `true` for a bracketed `[x]`: cumulative change over 2021–2025, not a yearly rate.
        cumulative: bool,
        /// The cell as printed.
        text: String,
    },
    /// A printed dash `—`: the table sets nothing in this column.
    Dash,
    /// `按自治区下达指标`: the value is the one the autonomous region assigns.
    AssignedByRegion,
    /// Empty cell: the source says nothing (63号 row 18; the growth column beside `按自治区下达指标`).
    Blank,
}

impl TargetCell {
    /// Reads a value cell.
    ///
    /// ```
    /// use wuliu_model::gov_tasks::{Comparator, TargetCell};
    /// let TargetCell::Figure { comparator, value, cumulative, .. } = TargetCell::parse("≥6.5").unwrap() else {
    ///     panic!()
    /// };
    /// assert_eq!((comparator, value, cumulative), (Some(Comparator::Ge), 6.5, false));
    /// assert_eq!(TargetCell::parse("—").unwrap(), TargetCell::Dash);
    /// ```
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        match t {
            "" => return Ok(Self::Blank),
            "—" | "-" | "－" | "——" => return Ok(Self::Dash),
            "按自治区下达指标" => return Ok(Self::AssignedByRegion),
            _ => {}
        }
        let bad = || FieldError::BadFigure(t.to_string());
        let (inner, cumulative) = match t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(inner) => (inner.trim(), true),
            None => (t, false),
        };
        let (comparator, number) = split_comparator(inner);
        let value: f64 = number.trim().parse().map_err(|_| bad())?;
        if !value.is_finite() {
            return Err(bad());
        }
        Ok(Self::Figure {
            comparator,
            value,
            cumulative,
            text: t.to_string(),
        })
    }
}

fn split_comparator(s: &str) -> (Option<Comparator>, &str) {
    const SIGNS: [(&str, Comparator); 8] = [
        ("≥", Comparator::Ge),
        (">=", Comparator::Ge),
        ("≤", Comparator::Le),
        ("<=", Comparator::Le),
        (">", Comparator::Gt),
        ("＞", Comparator::Gt),
        ("<", Comparator::Lt),
        ("＜", Comparator::Lt),
    ];
    SIGNS
        .iter()
        .find_map(|(sign, c)| s.strip_prefix(sign).map(|rest| (Some(*c), rest)))
        .unwrap_or((None, s))
}

/// Splits `name(unit)` at the last parenthesised group that closes the text; `(text, None)` without one.
///
/// ```
/// use wuliu_model::gov_tasks::split_indicator_unit;
/// assert_eq!(split_indicator_unit("每千人口执业(助理)医师数(人)"), ("每千人口执业(助理)医师数", Some("人")));
/// assert_eq!(split_indicator_unit("森林覆盖率"), ("森林覆盖率", None));
/// ```
pub fn split_indicator_unit(indicator: &str) -> (&str, Option<&str>) {
    let t = indicator.trim();
    let Some(close) = t.chars().last().filter(|c| matches!(c, ')' | '）')) else {
        return (t, None);
    };
    let mut depth = 0usize;
    for (i, c) in t.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let name = t[..i].trim_end();
                    let unit = t[i + c.len_utf8()..t.len() - close.len_utf8()].trim();
                    return if name.is_empty() || unit.is_empty() {
                        (t, None)
                    } else {
                        (name, Some(unit))
                    };
                }
            }
            _ => {}
        }
    }
    (t, None)
}

/// A main indicator of 63号 表2 “十四五”时期柳州县域经济发展主要指标, with its 2025 target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CountyTarget {
    /// Natural key: `C<seq, two digits>`, with `a`, `b` for the two rows of No. 19 (`C19a`, `C19b`).
    #[serde(default)]
    pub external_id: Option<String>,
    /// The document (63号).
    pub document: GazetteDocument,
    /// 类别, e.g. 经济发展.
    pub category: String,
    /// 序号 (No. 19 has two rows).
    pub seq: u32,
    /// 指标 as printed, with its unit, e.g. `地区生产总值增长(%)`.
    pub indicator: String,
    /// The indicator without its unit, e.g. `地区生产总值增长`.
    pub name: String,
    /// The unit from the indicator's last parenthesis, e.g. `%`, `亿元`, `μg/m³`.
    #[serde(default)]
    pub unit: Option<String>,
    /// 2025年 column.
    pub target_2025: TargetCell,
    /// 年均增长或累计增速 column.
    pub growth_or_cumulative: TargetCell,
    /// 指标属性.
    pub attribute: TargetAttribute,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_lists_expand_prefix_and_suffix() {
        let l = UnitList::parse("市工业和信息化局、科技局、财政局").unwrap();
        assert_eq!(l.units, ["市工业和信息化局", "市科技局", "市财政局"]);
        let l = UnitList::parse("自治区科技厅、财政厅").unwrap();
        assert_eq!(l.units, ["自治区科技厅", "自治区财政厅"]);
        let l = UnitList::parse("市工业和信息化局、市场监管局").unwrap();
        assert_eq!(l.units[1], "市市场监管局");
        let l =
            UnitList::parse("市国资委、柳州高新区、阳和工业新区（北部生态新区）管委会").unwrap();
        assert_eq!(l.units[1], "柳州高新区管委会");
        let l = UnitList::parse("市教育局、自然资规局、规划局、国资委").unwrap();
        assert_eq!(l.units, ["市教育局", "市自然资源和规划局", "市国资委"]);
        assert_eq!(
            UnitList::parse("市教育局、、科技局"),
            Err(FieldError::EmptyUnit("市教育局、、科技局".into()))
        );
        assert!(UnitList::parse("、市教育局").is_err());
        assert!(UnitList::parse("").unwrap().units.is_empty());
    }

    #[test]
    fn deadlines() {
        let d = |s| Deadline::parse(s);
        assert_eq!(
            d("2022年9月30日").due_date(),
            NaiveDate::from_ymd_opt(2022, 9, 30)
        );
        assert_eq!(d("2022-09-30"), d("2022年9月30日"));
        assert_eq!(
            d("2024年2月底"),
            Deadline::Month {
                year: 2024,
                month: 2
            }
        );
        assert_eq!(
            d("2024年2月").due_date(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(
            d("2024年12月").due_date(),
            NaiveDate::from_ymd_opt(2024, 12, 31)
        );
        assert_eq!(d("到2025年"), Deadline::Year { year: 2025 });
        assert_eq!(d("持续进行"), Deadline::Ongoing);
        assert_eq!(d(" "), Deadline::NotStated);
        assert_eq!(d("2022年13月").kind(), "text");
        assert_eq!(d("2022年2月30日").kind(), "text");
        assert_eq!(d("第二季度").kind(), "text");
    }

    #[test]
    fn target_cells() {
        let TargetCell::Figure {
            comparator,
            value,
            cumulative,
            ..
        } = TargetCell::parse("[0.25]").unwrap()
        else {
            panic!("figure expected")
        };
        assert_eq!((comparator, value, cumulative), (None, 0.25, true));
        assert_eq!(TargetCell::parse("").unwrap(), TargetCell::Blank);
        assert_eq!(
            TargetCell::parse("按自治区下达指标").unwrap(),
            TargetCell::AssignedByRegion
        );
        assert_eq!(
            TargetCell::parse("约8"),
            Err(FieldError::BadFigure("约8".into()))
        );
        assert!(TargetCell::parse("[≥]").is_err());
        assert_eq!(
            split_indicator_unit("空气质量：PM2.5年平均浓度(μg/m³)"),
            ("空气质量：PM2.5年平均浓度", Some("μg/m³"))
        );
        assert_eq!(split_indicator_unit("(%)"), ("(%)", None));
    }
}
