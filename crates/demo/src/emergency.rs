//! Emergency reserves for the demo (issue 28): a relief item catalogue and stockpiles at the seats
//! of Liuzhou's counties and districts, where the Liu and Rong rivers flood.
//!
//! The stockpile **names are illustrative** (modelled on the usual 救灾物资储备库 of each county)
//! and their places are the approximate district centres of [`crate::places::DISTRICTS`], not
//! surveyed depots. One agreement reserve (协议储备) is held by the demo's first carrier. Lots
//! expire at fixed dates relative to `today`, so some are close to expiry and one is expired,
//! which shows FEFO and the refusal of expired stock.
//!
//! ```
//! let piles = wuliu_demo::emergency::stockpiles();
//! assert!(piles.iter().any(|p| p.district == "rongan"));
//! let codes: Vec<&str> = wuliu_demo::emergency::ITEMS.iter().map(|i| i.code).collect();
//! assert!(piles.iter().flat_map(|p| &p.lots).all(|l| codes.contains(&l.item_code)));
//! ```

use crate::places::district_by_slug;

/// A catalogue item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoItem {
    /// Code (external ID).
    pub code: &'static str,
    /// Name.
    pub name: &'static str,
    /// Unit counted.
    pub unit: &'static str,
    /// Kilograms per unit.
    pub unit_weight_kg: f64,
    /// Cubic metres per unit.
    pub unit_volume_m3: f64,
    /// Shelf life in days, if the goods expire.
    pub shelf_life_days: Option<u32>,
    /// Category (`water`, `food`, `medicine`, `shelter`, `flood_control`, `fuel`, `hygiene`).
    pub category: &'static str,
}

/// The demo catalogue.
pub const ITEMS: &[DemoItem] = &[
    DemoItem {
        code: "WATER-5L",
        name: "饮用水（5升桶装）",
        unit: "桶",
        unit_weight_kg: 5.2,
        unit_volume_m3: 0.006,
        shelf_life_days: Some(365),
        category: "water",
    },
    DemoItem {
        code: "NOODLE-BOX",
        name: "方便面（整箱24包）",
        unit: "箱",
        unit_weight_kg: 2.6,
        unit_volume_m3: 0.03,
        shelf_life_days: Some(180),
        category: "food",
    },
    DemoItem {
        code: "RICE-25",
        name: "大米（25公斤袋）",
        unit: "袋",
        unit_weight_kg: 25.0,
        unit_volume_m3: 0.035,
        shelf_life_days: Some(365),
        category: "food",
    },
    DemoItem {
        code: "MED-KIT",
        name: "家庭应急药箱",
        unit: "箱",
        unit_weight_kg: 3.0,
        unit_volume_m3: 0.02,
        shelf_life_days: Some(730),
        category: "medicine",
    },
    DemoItem {
        code: "TENT-12",
        name: "救灾帐篷（12平方米）",
        unit: "顶",
        unit_weight_kg: 25.0,
        unit_volume_m3: 0.12,
        shelf_life_days: None,
        category: "shelter",
    },
    DemoItem {
        code: "QUILT",
        name: "棉被",
        unit: "床",
        unit_weight_kg: 2.5,
        unit_volume_m3: 0.04,
        shelf_life_days: None,
        category: "shelter",
    },
    DemoItem {
        code: "SANDBAG",
        name: "编织袋（防汛沙袋）",
        unit: "条",
        unit_weight_kg: 0.1,
        unit_volume_m3: 0.0005,
        shelf_life_days: None,
        category: "flood_control",
    },
    DemoItem {
        code: "LIFEJACKET",
        name: "救生衣",
        unit: "件",
        unit_weight_kg: 0.8,
        unit_volume_m3: 0.01,
        shelf_life_days: None,
        category: "flood_control",
    },
    DemoItem {
        code: "DIESEL-200",
        name: "柴油（200升桶）",
        unit: "桶",
        unit_weight_kg: 170.0,
        unit_volume_m3: 0.22,
        shelf_life_days: Some(365),
        category: "fuel",
    },
    DemoItem {
        code: "DISINFECT",
        name: "消毒片（含氯，1000片）",
        unit: "瓶",
        unit_weight_kg: 0.6,
        unit_volume_m3: 0.001,
        shelf_life_days: Some(730),
        category: "hygiene",
    },
];

/// A lot in a demo stockpile.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLot {
    /// The item's code.
    pub item_code: &'static str,
    /// Lot number.
    pub lot_number: String,
    /// Units.
    pub quantity: i64,
    /// Days from the seeding day to the expiry date (negative: already expired); none when the
    /// item does not expire.
    pub expires_in_days: Option<i64>,
}

/// A demo stockpile.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoStockpile {
    /// Code (external ID), `demo-reserve-<district>`.
    pub code: String,
    /// Name (illustrative).
    pub name: String,
    /// `government` or `agreement`.
    pub kind: &'static str,
    /// External ID of the holding party, for agreement reserves.
    pub holder_external_id: Option<&'static str>,
    /// The agreement's number, for agreement reserves.
    pub agreement_number: Option<&'static str>,
    /// District slug of [`crate::places::DISTRICTS`].
    pub district: &'static str,
    /// Latitude (approximate district centre).
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// GB/T 2260 code of the district.
    pub division_code: &'static str,
    /// Its lots.
    pub lots: Vec<DemoLot>,
}

/// (district slug, name, scale of the stock): the city reserve in 柳北, and one per flood-prone
/// county seat upstream (融安, 融水, 三江 on the 融江/浔江) and downstream (柳江, 柳城, 鹿寨).
const RESERVES: &[(&str, &str, i64)] = &[
    ("liubei", "柳州市市级救灾物资储备库（示例）", 4),
    ("liujiang", "柳江区救灾物资储备库（示例）", 2),
    ("liucheng", "柳城县救灾物资储备库（示例）", 2),
    ("luzhai", "鹿寨县救灾物资储备库（示例）", 2),
    ("rongan", "融安县救灾物资储备库（示例）", 2),
    ("rongshui", "融水苗族自治县救灾物资储备库（示例）", 3),
    ("sanjiang", "三江侗族自治县救灾物资储备库（示例）", 2),
];

/// Lots of one stockpile: each item in two lots (the older expiring sooner), scaled by `scale`;
/// the first water lot of the city reserve is expired.
fn lots(scale: i64, city: bool) -> Vec<DemoLot> {
    let mut out = Vec::new();
    for (n, item) in ITEMS.iter().enumerate() {
        let base = match item.category {
            "water" => 400,
            "food" => 250,
            "flood_control" => 2000,
            "fuel" => 10,
            _ => 120,
        } * scale;
        for (k, (share, days)) in [(2, 40), (3, 300)].into_iter().enumerate() {
            let expired = city && n == 0 && k == 0;
            out.push(DemoLot {
                item_code: item.code,
                lot_number: format!("2026-{:02}-{}", 3 + n, k + 1),
                quantity: base * share / 5,
                expires_in_days: item.shelf_life_days.map(|_| {
                    if expired {
                        -5
                    } else {
                        days + n as i64
                    }
                }),
            });
        }
    }
    out
}

/// The demo stockpiles: the government reserves of [`RESERVES`] plus one agreement reserve held
/// by `demo-carrier-01` in 柳南.
pub fn stockpiles() -> Vec<DemoStockpile> {
    let mut out: Vec<DemoStockpile> = RESERVES
        .iter()
        .map(|&(slug, name, scale)| {
            let d = district_by_slug(slug);
            DemoStockpile {
                code: format!("demo-reserve-{slug}"),
                name: name.to_string(),
                kind: "government",
                holder_external_id: None,
                agreement_number: None,
                district: slug,
                lat: d.lat,
                lon: d.lon,
                division_code: d.code,
                lots: lots(scale, slug == "liubei"),
            }
        })
        .collect();
    let d = district_by_slug("liunan");
    out.push(DemoStockpile {
        code: "demo-reserve-agreement-liunan".into(),
        name: "柳南区协议储备点（示例，企业代储）".into(),
        kind: "agreement",
        holder_external_id: Some("demo-carrier-01"),
        agreement_number: Some("柳应急协储〔2026〕1号（示例）"),
        district: "liunan",
        lat: d.lat,
        lon: d.lon,
        division_code: d.code,
        lots: lots(1, false),
    });
    out
}
