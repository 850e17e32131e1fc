//! Number formatting shared by the bilingual messages.

/// Formats a number for a message: integers without decimals, others with at most two.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if (x - x.round()).abs() < 1e-9 {
        return format!("{:.0}", x.round());
    }
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Formats a fraction as a percentage with at most one decimal, e.g. `0.345` → `34.5%`.
pub(crate) fn pct(x: f64) -> String {
    let s = format!("{:.1}", x * 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_integers_and_decimals() {
        assert_eq!(num(7603.0), "7603");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(pct(0.345), "34.5%");
        assert_eq!(pct(0.5), "50%");
    }
}
