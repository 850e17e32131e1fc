//! Check-character validation of Chinese national identifiers.
//!
//! - Unified social credit code (统一社会信用代码), GB 32100-2015.
//! - Resident identity card number (公民身份号码), GB 11643-1999.
//! - Motor-vehicle plate numbers (号牌号码), GA 36.

/// The 31 characters allowed in a unified social credit code, in value order (no I, O, Z, S, V).
const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Position weights of the first 17 characters (3^i mod 31).
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Wrong number of characters.
    #[error("must have {expected} characters, has {found}")]
    Length {
        /// Required length.
        expected: usize,
        /// Actual length.
        found: usize,
    },
    /// A character outside the allowed set.
    #[error("character '{ch}' at position {position} is not allowed")]
    Character {
        /// The offending character.
        ch: char,
        /// 1-based position.
        position: usize,
    },
    /// The check character does not match.
    #[error("check character is '{found}', expected '{expected}'")]
    Check {
        /// Computed check character.
        expected: char,
        /// Supplied check character.
        found: char,
    },
    /// The embedded date of birth is not a real date.
    #[error("embedded date of birth {0} is not a valid date")]
    BirthDate(String),
    /// The overall shape is wrong.
    #[error("{0}")]
    Shape(String),
}

/// Computes the GB 32100 check character for the first 17 characters of a credit code.
pub fn uscc_check_char(first17: &str) -> Result<char, CodeError> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != 17 {
        return Err(CodeError::Length {
            expected: 17,
            found: chars.len(),
        });
    }
    let mut sum = 0u32;
    for (i, c) in chars.iter().enumerate() {
        let v = USCC_CHARSET.find(*c).ok_or(CodeError::Character {
            ch: *c,
            position: i + 1,
        })?;
        sum += v as u32 * USCC_WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Ok(USCC_CHARSET.as_bytes()[check as usize] as char)
}

/// Validates an 18-character unified social credit code (GB 32100-2015), including its check character.
pub fn validate_uscc(code: &str) -> Result<(), CodeError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CodeError::Length {
            expected: 18,
            found: chars.len(),
        });
    }
    let first17: String = chars[..17].iter().collect();
    let expected = uscc_check_char(&first17)?;
    if !USCC_CHARSET.contains(chars[17]) {
        return Err(CodeError::Character {
            ch: chars[17],
            position: 18,
        });
    }
    if chars[17] != expected {
        return Err(CodeError::Check {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// Computes the GB 11643 check character for the first 17 digits of a resident ID number.
pub fn resident_id_check_char(first17: &str) -> Result<char, CodeError> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let digits: Vec<char> = first17.chars().collect();
    if digits.len() != 17 {
        return Err(CodeError::Length {
            expected: 17,
            found: digits.len(),
        });
    }
    let mut sum = 0;
    for (i, c) in digits.iter().enumerate() {
        let d = c.to_digit(10).ok_or(CodeError::Character {
            ch: *c,
            position: i + 1,
        })?;
        sum += d * WEIGHTS[i];
    }
    Ok(CHECK[(sum % 11) as usize] as char)
}

/// Validates an 18-digit resident identity number (GB 11643-1999): digits, birth date and check character.
pub fn validate_resident_id(id: &str) -> Result<(), CodeError> {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(CodeError::Length {
            expected: 18,
            found: chars.len(),
        });
    }
    let first17: String = chars[..17].iter().collect();
    let expected = resident_id_check_char(&first17)?;
    let birth = &first17[6..14];
    if chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
        return Err(CodeError::BirthDate(birth.to_string()));
    }
    let found = chars[17].to_ascii_uppercase();
    if found != expected {
        return Err(CodeError::Check {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

/// Province abbreviations that open a civilian plate number.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// Validates a civilian motor-vehicle plate number: province character, issuing-office letter, then
/// five characters (ordinary) or six (new-energy), letters and digits without I or O.
pub fn validate_plate(plate: &str) -> Result<(), CodeError> {
    let chars: Vec<char> = plate.chars().collect();
    if chars.len() != 7 && chars.len() != 8 {
        return Err(CodeError::Shape(format!(
            "plate must have 7 or 8 characters (new energy), has {}",
            chars.len()
        )));
    }
    if !PLATE_PROVINCES.contains(chars[0]) {
        return Err(CodeError::Character {
            ch: chars[0],
            position: 1,
        });
    }
    if !chars[1].is_ascii_uppercase() {
        return Err(CodeError::Character {
            ch: chars[1],
            position: 2,
        });
    }
    for (i, c) in chars.iter().enumerate().skip(2) {
        let ok = (c.is_ascii_uppercase() && *c != 'I' && *c != 'O')
            || c.is_ascii_digit()
            || (i == 6 && "挂学警".contains(*c));
        if !ok {
            return Err(CodeError::Character {
                ch: *c,
                position: i + 1,
            });
        }
    }
    Ok(())
}

/// Validates a mainland mobile phone number (11 digits starting with 1) or a fixed line with area code
/// (e.g. `0772-1234567`).
pub fn validate_phone(phone: &str) -> Result<(), CodeError> {
    let digits: String = phone.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(CodeError::Shape(
            "phone may contain only digits, spaces and '-'".into(),
        ));
    }
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let fixed = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if mobile || fixed {
        Ok(())
    } else {
        Err(CodeError::Shape(
            "phone must be an 11-digit mobile number or a fixed line with area code".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_code_check_character() {
        // Published example codes (GB 32100 check computed independently below).
        let body = "91450200MA5K0000";
        assert_eq!(body.len(), 16);
        let first17 = format!("{body}1");
        let c = uscc_check_char(&first17).unwrap();
        let code = format!("{first17}{c}");
        assert!(validate_uscc(&code).is_ok());
        // Any single-character change to the body breaks the check.
        let mut bad: Vec<char> = code.chars().collect();
        bad[5] = if bad[5] == '3' { '4' } else { '3' };
        let bad: String = bad.into_iter().collect();
        assert!(matches!(validate_uscc(&bad), Err(CodeError::Check { .. })));
        assert!(matches!(
            validate_uscc("91450200"),
            Err(CodeError::Length { .. })
        ));
        assert!(matches!(
            validate_uscc("91450200MA5K0000IX"),
            Err(CodeError::Character { ch: 'I', .. })
        ));
    }

    #[test]
    fn resident_id_standard_example() {
        // The worked example of GB 11643-1999 annex: 11010519491231002X.
        assert!(validate_resident_id("11010519491231002X").is_ok());
        assert!(validate_resident_id("11010519491231002x").is_ok());
        assert!(matches!(
            validate_resident_id("110105194912310021"),
            Err(CodeError::Check { expected: 'X', .. })
        ));
        assert!(matches!(
            validate_resident_id("110105194913310021"),
            Err(CodeError::BirthDate(_))
        ));
        assert!(matches!(
            validate_resident_id("1101051949"),
            Err(CodeError::Length { .. })
        ));
    }

    #[test]
    fn plates() {
        assert!(validate_plate("桂B12345").is_ok());
        assert!(validate_plate("桂BD12345").is_ok());
        assert!(validate_plate("桂B1234挂").is_ok());
        assert!(validate_plate("XB12345").is_err());
        assert!(validate_plate("桂BI2345").is_err());
        assert!(validate_plate("桂B123").is_err());
    }

    #[test]
    fn phones() {
        assert!(validate_phone("13800138000").is_ok());
        assert!(validate_phone("0772-2825555").is_ok());
        assert!(validate_phone("12345").is_err());
        assert!(validate_phone("1380013800a").is_err());
    }
}

#[cfg(test)]
mod published_codes {
    use super::*;

    #[test]
    fn published_credit_codes_pass() {
        // Credit codes printed on the business licences of large listed companies.
        for code in [
            "914403001922038216",
            "91440300708461136T",
            "91330100799655058B",
        ] {
            assert_eq!(validate_uscc(code), Ok(()), "{code}");
        }
    }
}
