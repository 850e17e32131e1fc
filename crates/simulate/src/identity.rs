//! Made-up but valid identities for the records the simulator creates: plates, names, resident ID
//! numbers, phones, bank accounts; and fresh vehicle and driver records built from them.

use chrono::{Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use wuliu_model::codes::resident_id_check_char;
use wuliu_model::{Certificate, Driver, DrivingLicence, PartyId, Vehicle, VehicleStatus};

const SURNAMES: &[&str] = &[
    "韦", "覃", "蓝", "莫", "黄", "梁", "陆", "廖", "李", "陈", "刘", "周",
];
const GIVEN: &[&str] = &[
    "建", "国", "明", "志", "海", "军", "伟", "强", "平", "文", "华", "永", "德", "勇",
];
/// Letters allowed on plates (no I or O).
const PLATE_LETTERS: &[u8] = b"ABCEGHJKLMNPQRSTUVWXY";
/// Bank codes used for payees.
pub const BANK_CODES: &[&str] = &["ICBC", "CCB", "ABC", "BOC", "BCOM", "GXRCU", "LZCCB"];

/// FNV-1a hash, a stable source of derived numbers.
pub fn fnv1a(s: &str) -> u64 {
    wuliu_demo::places::fnv1a(s)
}

/// A Chinese personal name of two or three characters.
pub fn person_name<R: Rng>(rng: &mut R) -> String {
    let surname = SURNAMES.choose(rng).expect("surnames");
    let n = if rng.gen_bool(0.3) { 1 } else { 2 };
    let given: String = (0..n).map(|_| *GIVEN.choose(rng).expect("given")).collect();
    format!("{surname}{given}")
}

/// An ordinary Liuzhou plate `桂B` + a letter + four digits, not in `taken`.
pub fn plate<R: Rng>(rng: &mut R, taken: &dyn Fn(&str) -> bool) -> String {
    loop {
        let letter = char::from(*PLATE_LETTERS.choose(rng).expect("letters"));
        let p = format!("桂B{letter}{:04}", rng.gen_range(0..10_000));
        if !taken(&p) {
            return p;
        }
    }
}

/// A resident ID number of someone born in Liuzhou between 1970 and 1995, with its check character.
pub fn resident_id<R: Rng>(rng: &mut R) -> String {
    let birth = NaiveDate::from_ymd_opt(1970, 1, 1).expect("date")
        + Days::new(rng.gen_range(0..(25 * 365)));
    let first17 = format!(
        "450202{}{:03}",
        birth.format("%Y%m%d"),
        rng.gen_range(2..999)
    );
    let check = resident_id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// An 11-digit mobile number.
pub fn mobile<R: Rng>(rng: &mut R) -> String {
    format!("139{:08}", rng.gen_range(0..100_000_000u32))
}

/// The bank account (19 digits) and bank code derived from `key` (the same key, the same account).
pub fn account_of(key: &str) -> (String, String) {
    let h = fnv1a(key);
    let account = format!("6217{:015}", h % 1_000_000_000_000_000);
    let bank = BANK_CODES[(h >> 50) as usize % BANK_CODES.len()];
    (account, bank.to_string())
}

/// A fresh copy of `template` with a new plate and external ID; its transport certificate expires
/// on `expires`.
pub fn fresh_vehicle<R: Rng>(
    rng: &mut R,
    template: &Vehicle,
    external_id: &str,
    plate: String,
    expires: NaiveDate,
) -> Vehicle {
    Vehicle {
        external_id: Some(external_id.to_string()),
        plate,
        transport_certificate: Some(Certificate {
            number: format!("4502{:08}", rng.gen_range(0..100_000_000u32)),
            expires,
        }),
        status: VehicleStatus::Available,
        ..template.clone()
    }
}

/// A fresh driver of `carrier` whose qualification expires on `qualification_expires`.
pub fn fresh_driver<R: Rng>(
    rng: &mut R,
    carrier: &PartyId,
    external_id: &str,
    qualification_expires: NaiveDate,
    licence_expires: NaiveDate,
) -> Driver {
    let id_number = resident_id(rng);
    Driver {
        external_id: Some(external_id.to_string()),
        carrier_id: carrier.clone(),
        name: person_name(rng),
        id_number: id_number.clone(),
        phone: mobile(rng),
        licence: DrivingLicence {
            number: id_number,
            class: "A2".to_string(),
            expires: licence_expires,
        },
        qualification: Certificate {
            number: format!("4502{:014}", rng.gen_range(0..100_000_000_000_000u64)),
            expires: qualification_expires,
        },
        dangerous_goods_qualified: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use wuliu_model::codes::{validate_phone, validate_plate, validate_resident_id};

    #[test]
    fn made_up_identities_are_valid() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..200 {
            validate_plate(&plate(&mut rng, &|_| false)).unwrap();
            validate_resident_id(&resident_id(&mut rng)).unwrap();
            validate_phone(&mobile(&mut rng)).unwrap();
        }
        assert_eq!(account_of("drv_1"), account_of("drv_1"));
        assert_eq!(account_of("drv_1").0.len(), 19);
    }
}
