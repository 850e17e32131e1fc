//! Typed errors: every input problem names the field and index where it was found.

use thiserror::Error;

/// One problem found in the input; `path` names the field, e.g. `requests[3].lines[1].item`.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Invalid {
    /// An item id that is not in the catalogue.
    #[error("{path}: unknown item '{id}'")]
    UnknownItem {
        /// Where.
        path: String,
        /// The id given.
        id: String,
    },
    /// A request id that does not exist.
    #[error("{path}: unknown request '{id}'")]
    UnknownRequest {
        /// Where.
        path: String,
        /// The id given.
        id: String,
    },
    /// A stockpile id that does not exist.
    #[error("{path}: unknown stockpile '{id}'")]
    UnknownStockpile {
        /// Where.
        path: String,
        /// The id given.
        id: String,
    },
    /// An id used twice in the same list (or an item twice in one request).
    #[error("{path}: duplicate id '{id}'")]
    Duplicate {
        /// Where.
        path: String,
        /// The repeated id.
        id: String,
    },
    /// An empty id.
    #[error("{path}: empty id")]
    EmptyId {
        /// Where.
        path: String,
    },
    /// A weight, volume or capacity that is not a finite number above zero.
    #[error("{path}: {value} is not a finite number above zero")]
    NotPositive {
        /// Where.
        path: String,
        /// The value given.
        value: f64,
    },
    /// A quantity of zero or above [`crate::MAX_QUANTITY`].
    #[error("{path}: quantity {value} is outside 1..={max}")]
    Quantity {
        /// Where.
        path: String,
        /// The value given.
        value: u64,
        /// The bound.
        max: u64,
    },
    /// A priority outside 1..=4.
    #[error("{path}: priority {value} is outside 1..=4")]
    Priority {
        /// Where.
        path: String,
        /// The value given.
        value: u8,
    },
    /// Coordinates out of range or not finite.
    #[error("{path}: ({lon}, {lat}) is not a valid longitude/latitude")]
    Coordinates {
        /// Where.
        path: String,
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
    /// A list longer than the documented bound.
    #[error("{path}: {count} entries, at most {max} allowed")]
    TooMany {
        /// Where.
        path: String,
        /// Entries given.
        count: usize,
        /// The bound.
        max: usize,
    },
    /// A travel-table row or column count that does not match the problem.
    #[error("{path}: {found} entries, expected {expected}")]
    Shape {
        /// Where.
        path: String,
        /// Entries given.
        found: usize,
        /// Entries expected.
        expected: usize,
    },
    /// An allocation given to a later step that does not fit the problem.
    #[error("{path}: {reason}")]
    Allocation {
        /// Where.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why an engine call failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is invalid; every problem found is listed.
    #[error("invalid problem ({} errors): {}", .0.len(), join(.0))]
    Invalid(Vec<Invalid>),
    /// The solver failed (it reported an error status, or no solution at all).
    #[error("solver failed: {0}")]
    Solver(String),
    /// An option value is out of range.
    #[error("option {name}: {reason}")]
    Option {
        /// Option name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn join(list: &[Invalid]) -> String {
    let shown: Vec<String> = list.iter().take(10).map(|e| e.to_string()).collect();
    let more = list.len().saturating_sub(10);
    if more > 0 {
        format!("{}; and {more} more", shown.join("; "))
    } else {
        shown.join("; ")
    }
}
