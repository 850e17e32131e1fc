//! The task-division tables of the gazette, embedded from `data/` (see `data/PROVENANCE.md`) and parsed into
//! [`DivisionTask`] and [`CountyTarget`] values: 61号's 35 incentive measures, 69号's 27 industry–education
//! tasks and 63号's county-economy targets. The text rules (unit lists, deadlines, figures) are those of
//! [`wuliu_model::gov_tasks`]; this module maps CSV rows onto them and names the file, line and field of a
//! bad row ([`RowError`]).
//!
//! ```
//! let tasks = wuliu_demo::gov_tasks::industry_education_tasks().unwrap();
//! assert_eq!(tasks.len(), 27);
//! assert_eq!(tasks[0].lead_units.units[1], "市科技局");
//! ```

use chrono::NaiveDate;
use csv::StringRecord;
use wuliu_model::gov_tasks::{
    split_indicator_unit, CountyTarget, Deadline, DivisionTask, FieldError, GazetteDocument,
    RowError, TargetAttribute, TargetCell, UnitList,
};

/// `data/industry_education_tasks.csv`: 69号 附件2 任务分解表, 27 tasks.
pub const INDUSTRY_EDUCATION_TASKS_CSV: &str = include_str!("../data/industry_education_tasks.csv");
/// `data/incentive_measures.csv`: 61号 附件 分工方案, 35 measures.
pub const INCENTIVE_MEASURES_CSV: &str = include_str!("../data/incentive_measures.csv");
/// `data/county_targets_2025.csv`: 63号 表2, 22 indicators in 23 rows.
pub const COUNTY_TARGETS_CSV: &str = include_str!("../data/county_targets_2025.csv");

fn document(number: &str, title: &str, (y, m, d): (i32, u32, u32)) -> GazetteDocument {
    GazetteDocument {
        number: number.to_string(),
        title: title.to_string(),
        issued: NaiveDate::from_ymd_opt(y, m, d),
    }
}

/// 柳政办〔2022〕61号, 2022-07-10.
pub fn doc_61() -> GazetteDocument {
    document(
        "柳政办〔2022〕61号",
        "柳州市贯彻落实自治区督查激励措施分工方案",
        (2022, 7, 10),
    )
}

/// 柳政办〔2022〕63号, 2022-07-11.
pub fn doc_63() -> GazetteDocument {
    document(
        "柳政办〔2022〕63号",
        "柳州市县域经济发展“十四五”规划",
        (2022, 7, 11),
    )
}

/// 柳政办〔2022〕69号, 2022-07-31.
pub fn doc_69() -> GazetteDocument {
    document(
        "柳政办〔2022〕69号",
        "柳州市国家产教融合试点城市建设工作方案",
        (2022, 7, 31),
    )
}

/// One data row of an extract: its line and its cells by column name.
struct Row<'a> {
    file: &'a str,
    line: u64,
    headers: &'a StringRecord,
    record: StringRecord,
}

impl Row<'_> {
    fn error(&self, field: &str, error: FieldError) -> RowError {
        RowError {
            file: self.file.to_string(),
            line: self.line,
            field: field.to_string(),
            error,
        }
    }

    /// The cell, trimmed; a missing column (or a short row) is an error.
    fn get(&self, field: &str) -> Result<&str, RowError> {
        self.headers
            .iter()
            .position(|h| h == field)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .ok_or_else(|| self.error(field, FieldError::Missing))
    }

    fn required(&self, field: &str) -> Result<&str, RowError> {
        let v = self.get(field)?;
        if v.is_empty() {
            return Err(self.error(field, FieldError::Empty));
        }
        Ok(v)
    }

    fn seq(&self) -> Result<u32, RowError> {
        let v = self.required("seq")?;
        match v.parse::<u32>() {
            Ok(n) if n > 0 && v.chars().all(|c| c.is_ascii_digit()) => Ok(n),
            _ => Err(self.error("seq", FieldError::BadSeq(v.to_string()))),
        }
    }

    fn units(&self, field: &str) -> Result<UnitList, RowError> {
        UnitList::parse(self.required(field)?).map_err(|e| self.error(field, e))
    }

    fn cell(&self, field: &str) -> Result<TargetCell, RowError> {
        TargetCell::parse(self.get(field)?).map_err(|e| self.error(field, e))
    }
}

/// The 1-based line (as an editor shows it) of the record the CSV reader places at byte `byte`. With CRLF
/// line ends the reader's position can point at the previous line's `\n`, so line breaks are skipped first.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads every data row of `text` (named `file` in errors) through `f`, stopping at the first bad row. A
/// short row is refused with its first missing column.
fn parse_rows<T>(
    text: &str,
    file: &str,
    mut f: impl FnMut(&Row) -> Result<T, RowError>,
) -> Result<Vec<T>, RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |line: u64, e: csv::Error| RowError {
        file: file.to_string(),
        line,
        field: "(row)".to_string(),
        error: FieldError::Csv(e.to_string()),
    };
    let headers = reader.headers().map_err(|e| csv_error(1, e))?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(text, p.byte()));
            csv_error(line, e)
        })?;
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        let row = Row {
            file,
            line,
            headers: &headers,
            record,
        };
        if let Some(first_missing) = headers.get(row.record.len()) {
            return Err(row.error(first_missing, FieldError::Missing));
        }
        out.push(f(&row)?);
    }
    Ok(out)
}

/// Parses 69号-shaped rows (`seq, task, lead_units, cooperating_units, deadline`). `file` names the text in
/// errors; [`industry_education_tasks`] calls it on the embedded extract.
pub fn parse_industry_education_tasks(
    text: &str,
    file: &str,
) -> Result<Vec<DivisionTask>, RowError> {
    let doc = doc_69();
    parse_rows(text, file, |row| {
        let seq = row.seq()?;
        let deadline_text = row.get("deadline")?.to_string();
        Ok(DivisionTask {
            external_id: Some(format!("69-{seq:02}")),
            document: doc.clone(),
            seq,
            text: row.required("task")?.to_string(),
            lead_units: row.units("lead_units")?,
            cooperating_units: row.units("cooperating_units")?,
            deadline: Deadline::parse(&deadline_text),
            deadline_text,
            region_units: None,
            note: None,
        })
    })
}

/// Splits the city list of a 61号 measure into the lead (first unit) and the rest, each with its part of
/// the printed cell as `text`.
fn split_lead(city: UnitList) -> (UnitList, UnitList) {
    let mut units = city.units;
    let rest_units = units.split_off(units.len().min(1));
    let (lead_text, rest_text) = city
        .text
        .split_once('、')
        .map_or((city.text.as_str(), ""), |(a, b)| (a, b));
    (
        UnitList {
            text: lead_text.trim().to_string(),
            units,
        },
        UnitList {
            text: rest_text.trim().to_string(),
            units: rest_units,
        },
    )
}

/// Parses 61号-shaped rows (`seq, measure_text, region_units, city_units, note`): lead unit = first city
/// unit, cooperating units = the other city units, no deadline (see [`DivisionTask`]).
pub fn parse_incentive_measures(text: &str, file: &str) -> Result<Vec<DivisionTask>, RowError> {
    let doc = doc_61();
    parse_rows(text, file, |row| {
        let seq = row.seq()?;
        let (lead_units, cooperating_units) = split_lead(row.units("city_units")?);
        let note = row.get("note")?;
        Ok(DivisionTask {
            external_id: Some(format!("61-{seq:02}")),
            document: doc.clone(),
            seq,
            text: row.required("measure_text")?.to_string(),
            lead_units,
            cooperating_units,
            deadline: Deadline::NotStated,
            deadline_text: String::new(),
            region_units: Some(row.units("region_units")?),
            note: (!note.is_empty()).then(|| note.to_string()),
        })
    })
}

/// Parses 63号 表2-shaped rows (`category, seq, indicator, target_2025, growth_or_cumulative, attribute`).
/// Rows sharing a `seq` get external IDs `C<seq>a`, `C<seq>b`, …; others `C<seq>`.
pub fn parse_county_targets(text: &str, file: &str) -> Result<Vec<CountyTarget>, RowError> {
    let doc = doc_63();
    let mut targets = parse_rows(text, file, |row| {
        let indicator = row.required("indicator")?.to_string();
        let (name, unit) = split_indicator_unit(&indicator);
        let attribute = row.required("attribute")?;
        Ok(CountyTarget {
            external_id: None,
            document: doc.clone(),
            category: row.required("category")?.to_string(),
            seq: row.seq()?,
            name: name.to_string(),
            unit: unit.map(str::to_string),
            target_2025: row.cell("target_2025")?,
            growth_or_cumulative: row.cell("growth_or_cumulative")?,
            attribute: TargetAttribute::parse(attribute).map_err(|e| row.error("attribute", e))?,
            indicator,
        })
    })?;
    let seqs: Vec<u32> = targets.iter().map(|t| t.seq).collect();
    for (i, t) in targets.iter_mut().enumerate() {
        let same = |j: &usize| seqs[*j] == t.seq;
        let total = (0..seqs.len()).filter(same).count();
        let nth = (0..i).filter(same).count();
        t.external_id = Some(if total > 1 {
            format!("C{:02}{}", t.seq, char::from(b'a' + nth as u8))
        } else {
            format!("C{:02}", t.seq)
        });
    }
    Ok(targets)
}

/// 69号's 27 tasks from the embedded extract.
pub fn industry_education_tasks() -> Result<Vec<DivisionTask>, RowError> {
    parse_industry_education_tasks(INDUSTRY_EDUCATION_TASKS_CSV, "industry_education_tasks.csv")
}

/// 61号's 35 measures from the embedded extract.
pub fn incentive_measures() -> Result<Vec<DivisionTask>, RowError> {
    parse_incentive_measures(INCENTIVE_MEASURES_CSV, "incentive_measures.csv")
}

/// 63号 表2's targets from the embedded extract.
pub fn county_targets() -> Result<Vec<CountyTarget>, RowError> {
    parse_county_targets(COUNTY_TARGETS_CSV, "county_targets_2025.csv")
}
