//! Input validation: runs every check and reports every problem at once.

use std::collections::HashSet;

use crate::error::{Error, Invalid};
use crate::model::*;

/// Checks `problem` against the documented rules and bounds; returns every problem found.
///
/// # Errors
/// [`Error::Invalid`] listing each problem with its path (`requests[3].lines[1].item: unknown item 'x'`).
pub fn validate(problem: &Problem) -> Result<(), Error> {
    let mut out = Vec::new();
    bounds(problem, &mut out);
    let items = ids(problem.items.iter().map(|i| &i.id), "items", &mut out);
    let stocks = ids(
        problem.stockpiles.iter().map(|s| &s.id),
        "stockpiles",
        &mut out,
    );
    ids(problem.requests.iter().map(|r| &r.id), "requests", &mut out);
    ids(problem.vehicles.iter().map(|v| &v.id), "vehicles", &mut out);
    for (k, it) in problem.items.iter().enumerate() {
        positive(
            &format!("items[{k}].unit_weight_kg"),
            it.unit_weight_kg,
            &mut out,
        );
        positive(
            &format!("items[{k}].unit_volume_m3"),
            it.unit_volume_m3,
            &mut out,
        );
    }
    for (k, s) in problem.stockpiles.iter().enumerate() {
        coords(&format!("stockpiles[{k}]"), s.lon, s.lat, &mut out);
        for (l, lot) in s.lots.iter().enumerate() {
            let path = format!("stockpiles[{k}].lots[{l}]");
            known_item(&items, &lot.item, &format!("{path}.item"), &mut out);
            quantity(&format!("{path}.quantity"), lot.quantity, &mut out);
        }
    }
    for (k, r) in problem.requests.iter().enumerate() {
        request(k, r, &items, &mut out);
    }
    for (k, v) in problem.vehicles.iter().enumerate() {
        if !stocks.contains(v.stockpile.as_str()) {
            let (path, id) = (format!("vehicles[{k}].stockpile"), v.stockpile.clone());
            out.push(Invalid::UnknownStockpile { path, id });
        }
        positive(
            &format!("vehicles[{k}].capacity_kg"),
            v.capacity_kg,
            &mut out,
        );
        positive(
            &format!("vehicles[{k}].capacity_m3"),
            v.capacity_m3,
            &mut out,
        );
    }
    travel(problem, &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(out))
    }
}

fn bounds(p: &Problem, out: &mut Vec<Invalid>) {
    let lists = [
        ("items", p.items.len(), MAX_ITEMS),
        ("stockpiles", p.stockpiles.len(), MAX_STOCKPILES),
        ("requests", p.requests.len(), MAX_REQUESTS),
        ("vehicles", p.vehicles.len(), MAX_VEHICLES),
    ];
    for (path, count, max) in lists {
        if count > max {
            out.push(Invalid::TooMany {
                path: path.into(),
                count,
                max,
            });
        }
    }
    for (k, s) in p.stockpiles.iter().enumerate() {
        if s.lots.len() > MAX_LOTS_PER_STOCKPILE {
            let (path, count) = (format!("stockpiles[{k}].lots"), s.lots.len());
            out.push(Invalid::TooMany {
                path,
                count,
                max: MAX_LOTS_PER_STOCKPILE,
            });
        }
    }
    for (k, r) in p.requests.iter().enumerate() {
        if r.lines.len() > MAX_ITEMS {
            let (path, count) = (format!("requests[{k}].lines"), r.lines.len());
            out.push(Invalid::TooMany {
                path,
                count,
                max: MAX_ITEMS,
            });
        }
    }
}

fn request(k: usize, r: &Request, items: &HashSet<&str>, out: &mut Vec<Invalid>) {
    coords(&format!("requests[{k}]"), r.lon, r.lat, out);
    if !(1..=4).contains(&r.priority) {
        let path = format!("requests[{k}].priority");
        out.push(Invalid::Priority {
            path,
            value: r.priority,
        });
    }
    let mut seen = HashSet::new();
    for (l, line) in r.lines.iter().enumerate() {
        let path = format!("requests[{k}].lines[{l}]");
        known_item(items, &line.item, &format!("{path}.item"), out);
        if !seen.insert(line.item.as_str()) {
            let id = line.item.clone();
            out.push(Invalid::Duplicate {
                path: format!("{path}.item"),
                id,
            });
        }
        quantity(&format!("{path}.quantity"), line.quantity, out);
    }
}

fn travel(p: &Problem, out: &mut Vec<Invalid>) {
    let t = &p.travel;
    shape(
        "travel.from_stockpile",
        t.from_stockpile.len(),
        p.stockpiles.len(),
        out,
    );
    for (s, row) in t.from_stockpile.iter().enumerate() {
        let path = format!("travel.from_stockpile[{s}]");
        shape(&path, row.len(), p.requests.len(), out);
    }
    if t.between_requests.is_empty() {
        return;
    }
    shape(
        "travel.between_requests",
        t.between_requests.len(),
        p.requests.len(),
        out,
    );
    for (a, row) in t.between_requests.iter().enumerate() {
        let path = format!("travel.between_requests[{a}]");
        shape(&path, row.len(), p.requests.len(), out);
    }
}

fn shape(path: &str, found: usize, expected: usize, out: &mut Vec<Invalid>) {
    if found != expected {
        out.push(Invalid::Shape {
            path: path.into(),
            found,
            expected,
        });
    }
}

fn ids<'a>(
    list: impl Iterator<Item = &'a String>,
    name: &str,
    out: &mut Vec<Invalid>,
) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    for (k, id) in list.enumerate() {
        let path = format!("{name}[{k}].id");
        if id.is_empty() {
            out.push(Invalid::EmptyId { path });
        } else if !seen.insert(id.as_str()) {
            out.push(Invalid::Duplicate {
                path,
                id: id.clone(),
            });
        }
    }
    seen
}

fn known_item(items: &HashSet<&str>, id: &str, path: &str, out: &mut Vec<Invalid>) {
    if !items.contains(id) {
        out.push(Invalid::UnknownItem {
            path: path.into(),
            id: id.into(),
        });
    }
}

fn positive(path: &str, value: f64, out: &mut Vec<Invalid>) {
    if !(value.is_finite() && value > 0.0) {
        out.push(Invalid::NotPositive {
            path: path.into(),
            value,
        });
    }
}

fn quantity(path: &str, value: u64, out: &mut Vec<Invalid>) {
    if value == 0 || value > MAX_QUANTITY {
        out.push(Invalid::Quantity {
            path: path.into(),
            value,
            max: MAX_QUANTITY,
        });
    }
}

fn coords(path: &str, lon: f64, lat: f64, out: &mut Vec<Invalid>) {
    let ok = lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0;
    if !ok {
        out.push(Invalid::Coordinates {
            path: path.into(),
            lon,
            lat,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Problem {
        let json = r#"{
          "items": [{"id":"water","name":"瓶装水","unit":"箱","unit_weight_kg":12,"unit_volume_m3":0.02}],
          "stockpiles": [{"id":"S1","name":"市储备库","lon":109.4,"lat":24.3,
                          "holder":{"kind":"government"},
                          "lots":[{"item":"water","quantity":10,"expires_day":30}]}],
          "requests": [{"id":"R1","name":"安置点","lon":109.5,"lat":24.4,"priority":1,
                        "deadline_s":7200,"lines":[{"item":"water","quantity":5}]}],
          "vehicles": [{"id":"V1","stockpile":"S1","capacity_kg":5000,"capacity_m3":20,
                        "green_pass":true}],
          "travel": {"from_stockpile": [[{"seconds":1800,"metres":20000}]]}
        }"#;
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_valid_problem_passes_and_defaults_apply() {
        let p = tiny();
        validate(&p).unwrap();
        assert_eq!(p.handling_s, 1800);
        assert_eq!(p.horizon_s, None);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut p = tiny();
        p.requests[0].lines.push(RequestLine {
            item: "x".into(),
            quantity: 0,
        });
        p.requests[0].priority = 7;
        p.vehicles[0].stockpile = "nowhere".into();
        p.items[0].unit_weight_kg = f64::NAN;
        p.travel.from_stockpile[0].clear();
        let Err(Error::Invalid(list)) = validate(&p) else {
            panic!("accepted")
        };
        let text: Vec<String> = list.iter().map(|e| e.to_string()).collect();
        assert!(text.contains(&"requests[0].lines[1].item: unknown item 'x'".to_string()));
        assert!(text
            .iter()
            .any(|t| t.starts_with("requests[0].lines[1].quantity: quantity 0")));
        assert!(text.contains(&"requests[0].priority: priority 7 is outside 1..=4".to_string()));
        assert!(text.contains(&"vehicles[0].stockpile: unknown stockpile 'nowhere'".to_string()));
        assert!(text
            .iter()
            .any(|t| t.starts_with("items[0].unit_weight_kg")));
        assert!(text.contains(&"travel.from_stockpile[0]: 0 entries, expected 1".to_string()));
        assert_eq!(list.len(), 6, "{text:?}");
    }

    #[test]
    fn duplicates_and_bounds_are_refused() {
        let mut p = tiny();
        p.items.push(p.items[0].clone());
        let line = p.requests[0].lines[0].clone();
        p.requests[0].lines.push(line);
        let Err(Error::Invalid(list)) = validate(&p) else {
            panic!("accepted")
        };
        assert!(list.contains(&Invalid::Duplicate {
            path: "items[1].id".into(),
            id: "water".into()
        }));
        assert!(list.iter().any(|e| e
            .to_string()
            .starts_with("requests[0].lines[1].item: duplicate")));
        let mut p = tiny();
        let r = p.requests[0].clone();
        p.requests = (0..=MAX_REQUESTS)
            .map(|k| Request {
                id: format!("R{k}"),
                ..r.clone()
            })
            .collect();
        p.travel.from_stockpile[0] = vec![None; p.requests.len()];
        let Err(Error::Invalid(list)) = validate(&p) else {
            panic!("accepted")
        };
        let max = MAX_REQUESTS;
        assert_eq!(
            list,
            vec![Invalid::TooMany {
                path: "requests".into(),
                count: max + 1,
                max
            }]
        );
    }
}
