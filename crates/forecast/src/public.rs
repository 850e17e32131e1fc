//! Real public series bundled with the crate (see `data/PROVENANCE.md`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Interval, Series};

/// A real, published series shipped with the engine, for demonstrations and benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicSeries {
    /// Stable identifier, used as `series=public:<id>`.
    pub id: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese unit.
    pub unit_zh: &'static str,
    /// English unit.
    pub unit_en: &'static str,
    /// Spacing of the values.
    pub interval: Interval,
    /// Who published it and where this copy comes from.
    pub source: &'static str,
    /// Where to find it.
    pub url: &'static str,
    /// The values.
    pub series: Series,
}

const AIRLINE_CSV: &str = include_str!("../data/airline_passengers.csv");

/// Every bundled public series. Parsing the embedded files costs microseconds.
pub fn public_series() -> Vec<PublicSeries> {
    vec![PublicSeries {
        id: "airline_passengers",
        name_zh: "国际航线旅客人数（Box–Jenkins 航空公司数据，1949–1960）",
        name_en: "International airline passengers (Box–Jenkins airline data, 1949–1960)",
        unit_zh: "千人次",
        unit_en: "thousand passengers",
        interval: Interval::Month,
        source: "Box, Jenkins & Reinsel, Time Series Analysis: Forecasting and Control (1976), Series G; \
                 copied from the sktime 1.2.0 package (BSD-3-Clause)",
        url: "https://github.com/sktime/sktime/blob/main/sktime/datasets/data/Airline/Airline.csv",
        series: parse_monthly_csv(AIRLINE_CSV),
    }]
}

/// Parses `YYYY-MM,value` lines after a header line. The bundled files are
/// checked by the tests, so a malformed line is a build defect and panics.
fn parse_monthly_csv(text: &str) -> Series {
    let mut rows = text.lines().skip(1).filter(|l| !l.trim().is_empty());
    let parse = |line: &str| -> (NaiveDate, f64) {
        let (month, value) = line.split_once(',').expect("bundled CSV has two columns");
        let date = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
            .expect("bundled CSV months are YYYY-MM");
        (
            date,
            value
                .trim()
                .parse()
                .expect("bundled CSV values are numbers"),
        )
    };
    let (start, first) = parse(rows.next().expect("bundled CSV has data"));
    let mut values = vec![first];
    values.extend(rows.map(|l| parse(l).1));
    Series {
        interval: Interval::Month,
        start,
        values,
    }
}
