//! Generators of realistic, valid national identifiers and numbers: credit codes, resident ID numbers,
//! plates, phones, names, bank accounts.

use chrono::NaiveDate;
use rand::seq::SliceRandom;
use rand::Rng;
use wuliu_model::codes::{resident_id_check_char, uscc_check_char};

/// Characters allowed in the body of a unified social credit code (GB 32100; no I, O, Z, S, V).
const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Letters allowed on plates (no I or O).
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Check character of a 9-character organisation code (GB 11714): weights 3,7,9,10,5,8,4,2, mod 11.
fn org_code_check(first8: &[u8]) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first8
        .iter()
        .zip(W)
        .map(|(c, w)| {
            let v = if c.is_ascii_digit() {
                u32::from(c - b'0')
            } else {
                u32::from(c - b'A') + 10
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).expect("digit"),
    }
}

/// A unified social credit code for a company (registration authority 9 = market regulation, type 1 =
/// enterprise) registered in `division`: `91` + division + organisation code (`MA5…` as issued in Guangxi since
/// 2015, with its GB 11714 check character) + GB 32100 check character.
pub fn credit_code<R: Rng>(rng: &mut R, division: &str) -> String {
    let mut org: Vec<u8> = b"MA5".to_vec();
    for _ in 0..5 {
        org.push(*USCC_CHARSET.choose(rng).expect("charset"));
    }
    let check = org_code_check(&org);
    let first17 = format!(
        "91{division}{}{check}",
        String::from_utf8(org).expect("ascii")
    );
    let c =
        uscc_check_char(&first17).expect("generated credit code body uses the GB 32100 charset");
    format!("{first17}{c}")
}

/// Places of birth used for drivers' resident ID numbers: Liuzhou's units (incl. the pre-2016 柳江县 450221),
/// neighbouring cities and a few other provinces.
const BIRTH_AREAS: &[&str] = &[
    "450202", "450203", "450204", "450205", "450206", "450221", "450222", "450223", "450224",
    "450225", "450226", "450102", "450103", "450321", "451302", "451321", "452702", "450881",
    "522601", "430421",
];

/// A resident ID number with a real area code, a birth date between 1968 and 2000, and a valid check
/// character; `male` sets the parity of the 17th digit.
pub fn resident_id<R: Rng>(rng: &mut R, male: bool) -> String {
    let area = BIRTH_AREAS.choose(rng).expect("areas");
    let birth = NaiveDate::from_ymd_opt(1968, 1, 1).expect("date")
        + chrono::Days::new(rng.gen_range(0..(33 * 365)));
    // Sequence 002–999: odd for men, even for women.
    let order = rng.gen_range(1..500u32) * 2 + u32::from(male);
    let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), order);
    let c = resident_id_check_char(&first17).expect("17 digits");
    format!("{first17}{c}")
}

/// Plate kinds by colour and energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlateKind {
    /// Ordinary plate (blue or yellow): 桂B + five characters, e.g. 桂B12345, 桂BA2345.
    Ordinary,
    /// Small new-energy plate (gradient green): 桂B + D/F + five characters, e.g. 桂BD12345.
    SmallNewEnergy,
}

/// A Liuzhou plate number (桂B…).
pub fn plate<R: Rng>(rng: &mut R, kind: PlateKind) -> String {
    let digit = |rng: &mut R| char::from(b'0' + rng.gen_range(0..10u8));
    let letter = |rng: &mut R| char::from(*PLATE_LETTERS.choose(rng).expect("letters"));
    let mut s = String::from("桂B");
    match kind {
        PlateKind::Ordinary => {
            // Mostly all digits; otherwise one letter in front.
            if rng.gen_bool(0.6) {
                (0..5).for_each(|_| s.push(digit(rng)));
            } else {
                s.push(letter(rng));
                (0..4).for_each(|_| s.push(digit(rng)));
            }
        }
        PlateKind::SmallNewEnergy => {
            s.push(if rng.gen_bool(0.85) { 'D' } else { 'F' });
            if rng.gen_bool(0.3) {
                s.push(letter(rng));
            } else {
                s.push(digit(rng));
            }
            (0..4).for_each(|_| s.push(digit(rng)));
        }
    }
    s
}

const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "193", "198", "199",
];

/// An 11-digit mainland mobile number.
pub fn mobile<R: Rng>(rng: &mut R) -> String {
    let prefix = MOBILE_PREFIXES.choose(rng).expect("prefixes");
    format!("{prefix}{:08}", rng.gen_range(0..100_000_000u32))
}

/// A Liuzhou fixed line (area code 0772), e.g. `0772-3125678`.
pub fn landline<R: Rng>(rng: &mut R) -> String {
    let first = [2u32, 3, 5, 8].choose(rng).copied().expect("digits");
    format!("0772-{first}{:06}", rng.gen_range(0..1_000_000u32))
}

/// Common surnames, weighted towards Guangxi (韦, 覃, 蓝, 莫 …).
const SURNAMES: &[&str] = &[
    "韦", "覃", "黄", "莫", "梁", "蓝", "廖", "陆", "李", "陈", "刘", "杨", "罗", "周", "吴", "潘",
    "蒙", "谭", "卢", "龙", "何", "唐", "秦", "农", "张", "王",
];
const GIVEN_MALE: &[&str] = &[
    "建", "国", "华", "明", "军", "伟", "强", "勇", "志", "海", "平", "东", "林", "斌", "杰", "涛",
    "超", "鹏", "波", "辉", "峰", "俊", "文", "春", "金", "永", "德", "荣", "忠", "顺", "庆", "宁",
    "桂", "江", "柳",
];
const GIVEN_FEMALE: &[&str] = &[
    "丽", "芳", "燕", "玲", "秀", "红", "梅", "霞", "英", "兰", "琴", "桂", "春",
];

/// A Chinese personal name of two or three characters.
pub fn person_name<R: Rng>(rng: &mut R, male: bool) -> String {
    let pool = if male { GIVEN_MALE } else { GIVEN_FEMALE };
    let surname = SURNAMES.choose(rng).expect("surnames");
    let first = pool.choose(rng).expect("given");
    if rng.gen_bool(0.25) {
        format!("{surname}{first}")
    } else {
        let second = pool.choose(rng).expect("given");
        format!("{surname}{first}{second}")
    }
}

/// Banks with the codes used in the demo fund-flow records.
pub const BANKS: &[(&str, &str)] = &[
    ("ICBC", "中国工商银行"),
    ("CCB", "中国建设银行"),
    ("ABC", "中国农业银行"),
    ("BOC", "中国银行"),
    ("BCOM", "交通银行"),
    ("GXRCU", "广西农村信用社"),
    ("LZCCB", "柳州银行"),
];

/// A bank account number (19 digits).
pub fn bank_account<R: Rng>(rng: &mut R) -> String {
    format!(
        "62{:08}{:09}",
        rng.gen_range(0..100_000_000u32),
        rng.gen_range(0..1_000_000_000u32)
    )
}

/// A string of `n` random digits.
pub fn digits<R: Rng>(rng: &mut R, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use wuliu_model::codes::{validate_plate, validate_resident_id, validate_uscc};

    #[test]
    fn organisation_code_check_matches_a_published_example() {
        // GB 11714 worked example: D2143569 → check digit X.
        assert_eq!(org_code_check(b"D2143569"), 'X');
    }

    #[test]
    fn generated_identifiers_are_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for i in 0..2000 {
            let code = credit_code(&mut rng, "450204");
            assert!(validate_uscc(&code).is_ok(), "{code}");
            assert!(code.starts_with("91450204MA5"));
            let male = i % 3 != 0;
            let id = resident_id(&mut rng, male);
            assert!(validate_resident_id(&id).is_ok(), "{id}");
            let sex_digit = id.as_bytes()[16] - b'0';
            assert_eq!(sex_digit % 2 == 1, male, "{id}");
            for kind in [PlateKind::Ordinary, PlateKind::SmallNewEnergy] {
                let p = plate(&mut rng, kind);
                assert!(validate_plate(&p).is_ok(), "{p}");
                assert!(p.starts_with("桂B"));
            }
            assert!(wuliu_model::codes::validate_phone(&mobile(&mut rng)).is_ok());
            assert!(wuliu_model::codes::validate_phone(&landline(&mut rng)).is_ok());
        }
    }
}
