//! OSM `:conditional` restrictions on a way: `hgv:conditional=no @ (Mo-Fr 07:00-09:00)`,
//! `maxweight:conditional=7.5 @ (07:00-19:00)`.
//!
//! The value is one or more `restriction @ (condition)` parts separated by `;` (the parentheses
//! are optional when the condition holds no `;`). The condition must be an `opening_hours`
//! expression (evaluated in [`super::hours`]); conditions on other things (`weight > 7.5`,
//! `wet`, `destination`) cannot be checked against a departure time and are skipped, counted in
//! [`ConditionalParse::skipped`].

use serde::{Deserialize, Serialize};

use crate::profile::parse_weight_t;

/// What a conditional restriction forbids while its condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConditionalKind {
    /// No trucks at all (`hgv`, `motor_vehicle`, `vehicle` or `access` = a denying value).
    NoAccess,
    /// No vehicle heavier than `tonnes` (`maxweight:conditional`).
    MaxWeight {
        /// The limit in tonnes.
        tonnes: f64,
    },
}

/// One conditional restriction of a way: `kind` applies while `hours` (an `opening_hours`
/// expression such as `Mo-Fr 07:00-09:00`) is open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalRestriction {
    /// The restriction.
    #[serde(flatten)]
    pub kind: ConditionalKind,
    /// When it applies, in `opening_hours` syntax.
    pub hours: String,
}

/// The access keys whose `:conditional` variants concern trucks, most specific first.
pub(crate) const TRUCK_ACCESS_KEYS: [&str; 4] = [
    "hgv:conditional",
    "motor_vehicle:conditional",
    "vehicle:conditional",
    "access:conditional",
];

/// What [`parse`] made of one tag value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConditionalParse {
    /// Restrictions understood.
    pub restrictions: Vec<ConditionalRestriction>,
    /// Parts not understood (not a time condition, or a value that restricts nothing).
    pub skipped: usize,
}

/// Splits `value` into `(restriction, condition)` parts at top-level `;`.
fn parts(value: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth == 0 => {
                if let Some(p) = split_at_sign(&value[start..i]) {
                    out.push(p);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(p) = split_at_sign(&value[start..]) {
        out.push(p);
    }
    out
}

fn split_at_sign(part: &str) -> Option<(&str, &str)> {
    let (restriction, condition) = part.split_once('@')?;
    let condition = condition.trim();
    let condition = condition
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or(condition)
        .trim();
    Some((restriction.trim(), condition))
}

/// Whether `condition` looks like an `opening_hours` expression rather than a condition on the
/// vehicle or the weather (`weight>7.5`, `wet`, `destination`, `delivery`).
fn is_time_condition(condition: &str) -> bool {
    !condition.is_empty()
        && !condition.contains(['<', '>', '='])
        && condition.chars().any(|c| c.is_ascii_digit())
        && super::hours::BanHours::parse(condition).is_ok()
}

/// Parses the value of `key` (one of the truck access keys' `:conditional` or
/// `maxweight:conditional`).
pub fn parse(key: &str, value: &str) -> ConditionalParse {
    let mut out = ConditionalParse::default();
    for (restriction, condition) in parts(value) {
        let kind = if key == "maxweight:conditional" {
            parse_weight_t(restriction).map(|tonnes| ConditionalKind::MaxWeight { tonnes })
        } else if crate::profile::denies(restriction) {
            Some(ConditionalKind::NoAccess)
        } else {
            None
        };
        match kind {
            Some(kind) if is_time_condition(condition) => {
                out.restrictions.push(ConditionalRestriction {
                    kind,
                    hours: condition.to_string(),
                })
            }
            _ => out.skipped += 1,
        }
    }
    if parts(value).is_empty() {
        out.skipped += 1;
    }
    out
}

/// The conditional restrictions of a way for trucks, from its tags.
pub(crate) fn of_way<'a>(tags: impl Fn(&str) -> Option<&'a str>) -> Vec<ConditionalRestriction> {
    let mut out = Vec::new();
    for key in TRUCK_ACCESS_KEYS
        .iter()
        .copied()
        .chain(["maxweight:conditional"])
    {
        if let Some(v) = tags(key) {
            out.extend(parse(key, v).restrictions);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hgv_morning_peak_is_a_no_access_restriction() {
        let p = parse("hgv:conditional", "no @ (Mo-Fr 07:00-09:00)");
        assert_eq!(p.skipped, 0);
        assert_eq!(
            p.restrictions,
            vec![ConditionalRestriction {
                kind: ConditionalKind::NoAccess,
                hours: "Mo-Fr 07:00-09:00".into()
            }]
        );
    }

    #[test]
    fn several_parts_with_semicolons_inside_parentheses() {
        let p = parse(
            "hgv:conditional",
            "no @ (Mo-Fr 07:00-09:00; Sa 08:00-12:00); destination @ (weight > 5)",
        );
        assert_eq!(p.restrictions.len(), 1);
        assert_eq!(p.restrictions[0].hours, "Mo-Fr 07:00-09:00; Sa 08:00-12:00");
        assert_eq!(p.skipped, 1, "a non-time condition is skipped, not misread");
    }

    #[test]
    fn maxweight_conditional_keeps_the_tonnes() {
        let p = parse("maxweight:conditional", "7.5 @ (07:00-19:00)");
        assert_eq!(
            p.restrictions[0].kind,
            ConditionalKind::MaxWeight { tonnes: 7.5 }
        );
        let p = parse("maxweight:conditional", "7.5 @ wet");
        assert!(p.restrictions.is_empty());
        assert_eq!(p.skipped, 1);
    }

    #[test]
    fn allowing_values_and_garbage_restrict_nothing() {
        assert!(parse("hgv:conditional", "yes @ (Mo-Fr 07:00-09:00)")
            .restrictions
            .is_empty());
        assert!(parse("hgv:conditional", "no").restrictions.is_empty());
        assert!(parse("hgv:conditional", "no @ (not hours)")
            .restrictions
            .is_empty());
    }
}
