//! Engine subcommands: `load`, `dispatch`, `road`, `ledger`.

pub mod dispatch;
pub mod emergency;
pub mod ledger;
pub mod load;
pub mod matching;
pub mod road;

use anyhow::{bail, Result};

/// Parses a duration such as `5s`, `500ms`, `2m` or a bare number of seconds.
pub fn parse_seconds(text: &str) -> Result<f64> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v * scale),
        _ => bail!("'{text}' is not a duration such as 5s, 500ms or 2m"),
    }
}
