//! Identifier normalisation: EPC URNs and GS1 Digital Link URIs name the same things in two
//! syntaxes. Both are reduced to keys such as `sgtin:09521234543213:1001`,
//! `lgtin:09521234543213:LOT7` or `sscc:095212340000000016`, so a query by either form finds
//! events captured in the other.
//!
//! A serialised Digital Link that also carries a lot (`/01/…/10/LOT/21/SERIAL`) yields both its
//! `sgtin` and its `lgtin` key, so a lot query finds its serialised items too.

/// GS1 modulo-10 check digit over `digits` (the data digits, without the check digit).
pub fn gs1_check_digit(digits: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in digits.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        let d = (c - b'0') as u32;
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentError(pub String);

/// Lookup keys for `raw` (at least one). Unknown URI schemes are kept verbatim as their own key.
///
/// Returns an error for EPC URNs and Digital Link URIs that are malformed (wrong digit counts,
/// bad check digits), because those would silently never match anything.
pub fn identifier_keys(raw: &str) -> Result<Vec<String>, IdentError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(IdentError("identifier is empty".into()));
    }
    if let Some(rest) = raw.strip_prefix("urn:epc:id:sgtin:") {
        let (gtin, serial) = epc_gtin_and_tail(rest, "sgtin")?;
        return Ok(vec![format!("sgtin:{gtin}:{}", percent_decode(serial))]);
    }
    if let Some(rest) = raw.strip_prefix("urn:epc:class:lgtin:") {
        let (gtin, lot) = epc_gtin_and_tail(rest, "lgtin")?;
        return Ok(vec![format!("lgtin:{gtin}:{}", percent_decode(lot))]);
    }
    if let Some(rest) = raw.strip_prefix("urn:epc:idpat:sgtin:") {
        let (gtin, tail) = epc_gtin_and_tail(rest, "sgtin pattern")?;
        if tail == "*" {
            return Ok(vec![format!("gtin:{gtin}")]);
        }
        return Err(IdentError(format!("unsupported sgtin pattern {raw}")));
    }
    if let Some(rest) = raw.strip_prefix("urn:epc:id:sscc:") {
        let parts: Vec<&str> = rest.split('.').collect();
        if parts.len() != 2 || parts.iter().any(|p| p.is_empty() || !all_digits(p)) {
            return Err(IdentError(format!(
                "SSCC EPC must be urn:epc:id:sscc:CompanyPrefix.SerialReference with digits, got {raw}"
            )));
        }
        let (cp, sr) = (parts[0], parts[1]);
        if cp.len() + sr.len() != 17 {
            return Err(IdentError(format!(
                "SSCC company prefix and serial reference must have 17 digits together, got {}",
                cp.len() + sr.len()
            )));
        }
        let body = format!("{}{}{}", &sr[..1], cp, &sr[1..]);
        let check = gs1_check_digit(&body).expect("digits");
        return Ok(vec![format!("sscc:{body}{check}")]);
    }
    if raw.starts_with("http://") || raw.starts_with("https://") {
        if let Some(keys) = digital_link_keys(raw)? {
            return Ok(keys);
        }
        return Ok(vec![raw.to_string()]);
    }
    if !raw.contains(':') {
        return Err(IdentError(format!(
            "identifier {raw:?} is not a URI (expected an EPC URN such as urn:epc:id:sgtin:… or a GS1 Digital Link)"
        )));
    }
    Ok(vec![raw.to_string()])
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_digit())
}

/// Splits `CompanyPrefix.IndicatorItemRef.Tail` into a GTIN-14 and the tail.
fn epc_gtin_and_tail<'a>(rest: &'a str, what: &str) -> Result<(String, &'a str), IdentError> {
    let mut it = rest.splitn(3, '.');
    let (cp, ir, tail) = match (it.next(), it.next(), it.next()) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => {
            return Err(IdentError(format!(
                "{what} EPC must be CompanyPrefix.IndicatorItemReference.Value, got {rest:?}"
            )))
        }
    };
    if cp.is_empty() || ir.is_empty() || !all_digits(cp) || !all_digits(ir) {
        return Err(IdentError(format!(
            "{what} company prefix and item reference must be digits, got {cp:?}.{ir:?}"
        )));
    }
    if cp.len() + ir.len() != 13 {
        return Err(IdentError(format!(
            "{what} company prefix and item reference must have 13 digits together, got {}",
            cp.len() + ir.len()
        )));
    }
    if tail.is_empty() {
        return Err(IdentError(format!("{what} EPC has an empty serial or lot")));
    }
    let body = format!("{}{}{}", &ir[..1], cp, &ir[1..]);
    let check = gs1_check_digit(&body).expect("digits");
    Ok((format!("{body}{check}"), tail))
}

/// Keys for a GS1 Digital Link URI, `None` when the path carries no GS1 primary key.
fn digital_link_keys(uri: &str) -> Result<Option<Vec<String>>, IdentError> {
    let after_scheme = uri.split_once("://").map_or(uri, |(_, r)| r);
    let path = after_scheme.split_once('/').map_or("", |(_, p)| p);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // The primary key may follow a custom path prefix, so look for the first AI we know.
    let Some(start) = segs.iter().position(|s| *s == "01" || *s == "00") else {
        return Ok(None);
    };
    let segs = &segs[start..];
    if segs.len() < 2 || segs.len() % 2 != 0 {
        return Err(IdentError(format!(
            "GS1 Digital Link path must be pairs of application identifier and value: {uri}"
        )));
    }
    let mut gtin = None;
    let mut lot = None;
    let mut serial = None;
    let mut sscc = None;
    for pair in segs.chunks(2) {
        let value = percent_decode(pair[1]);
        match pair[0] {
            "01" => {
                let v = if value.len() < 14 && all_digits(&value) {
                    format!("{value:0>14}")
                } else {
                    value.clone()
                };
                check_key(&v, 14, "GTIN", uri)?;
                gtin = Some(v);
            }
            "00" => {
                check_key(&value, 18, "SSCC", uri)?;
                sscc = Some(value);
            }
            "10" => lot = Some(value),
            "21" => serial = Some(value),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    if let Some(s) = sscc {
        keys.push(format!("sscc:{s}"));
    }
    if let Some(g) = &gtin {
        if let Some(s) = &serial {
            keys.push(format!("sgtin:{g}:{s}"));
        }
        if let Some(l) = &lot {
            keys.push(format!("lgtin:{g}:{l}"));
        }
        if serial.is_none() && lot.is_none() {
            keys.push(format!("gtin:{g}"));
        }
    }
    Ok(Some(keys))
}

fn check_key(value: &str, len: usize, what: &str, uri: &str) -> Result<(), IdentError> {
    if value.len() != len || !all_digits(value) {
        return Err(IdentError(format!(
            "{what} in {uri} must have {len} digits, got {value:?}"
        )));
    }
    let expected = gs1_check_digit(&value[..len - 1]).expect("digits");
    let got = value.as_bytes()[len - 1] - b'0';
    if expected != got {
        return Err(IdentError(format!(
            "{what} {value} in {uri} has check digit {got}, expected {expected}"
        )));
    }
    Ok(())
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_matches_gs1_examples() {
        // GTIN-14 09521234543213 (GS1 Digital Link standard example): check digit 3.
        assert_eq!(gs1_check_digit("0952123454321"), Some(3));
        // SSCC 106141412345678908 (GS1 General Specifications example): check digit 8.
        assert_eq!(gs1_check_digit("10614141234567890"), Some(8));
    }

    #[test]
    fn epc_urn_and_digital_link_meet() {
        let urn = identifier_keys("urn:epc:id:sgtin:9521234.054321.1001").unwrap();
        let dl = identifier_keys("https://id.gs1.org/01/09521234543213/21/1001").unwrap();
        assert_eq!(urn, vec!["sgtin:09521234543213:1001".to_string()]);
        assert_eq!(urn, dl);
        let lot = identifier_keys("urn:epc:class:lgtin:9521234.054321.LOT%2F7").unwrap();
        let dl_lot = identifier_keys("https://example.com/01/09521234543213/10/LOT%2F7").unwrap();
        assert_eq!(lot, dl_lot);
        assert_eq!(lot[0], "lgtin:09521234543213:LOT/7");
        let sscc = identifier_keys("urn:epc:id:sscc:0614141.1234567890").unwrap();
        assert_eq!(
            sscc,
            identifier_keys("https://id.gs1.org/00/106141412345678908").unwrap()
        );
    }

    #[test]
    fn serial_with_lot_gives_both_keys() {
        let k = identifier_keys("https://id.gs1.org/01/09521234543213/10/L1/21/7").unwrap();
        assert_eq!(k, vec!["sgtin:09521234543213:7", "lgtin:09521234543213:L1"]);
    }

    #[test]
    fn malformed_identifiers_are_rejected() {
        assert!(identifier_keys("urn:epc:id:sgtin:952123.054321.1").is_err()); // 12 digits
        assert!(identifier_keys("https://id.gs1.org/01/09521234543214/21/1").is_err()); // check digit
        assert!(identifier_keys("no-scheme").is_err());
        assert!(identifier_keys("").is_err());
        assert_eq!(
            identifier_keys("urn:example:pallet:7").unwrap(),
            vec!["urn:example:pallet:7"]
        );
    }
}
