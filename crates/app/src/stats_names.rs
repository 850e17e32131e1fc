//! Names of the breakdown keys in both languages: counties (from the region's county records, with
//! English names of Liuzhou's ten county-level units) and cargo classes (the first two digits of the
//! network-freight cargo type code, 货物类型分类代码).

use std::collections::HashMap;

use wuliu_store::{Kind, ListQuery};

use crate::error::AppError;
use crate::Service;

/// English names of Liuzhou's county-level units by GB/T 2260 code.
const COUNTY_EN: &[(&str, &str)] = &[
    ("450202", "Chengzhong District"),
    ("450203", "Yufeng District"),
    ("450204", "Liunan District"),
    ("450205", "Liubei District"),
    ("450206", "Liujiang District"),
    ("450222", "Liucheng County"),
    ("450223", "Luzhai County"),
    ("450224", "Rong'an County"),
    ("450225", "Rongshui Miao Autonomous County"),
    ("450226", "Sanjiang Dong Autonomous County"),
];

/// Cargo classes by the first two digits of the cargo type code.
const INDUSTRIES: &[(&str, &str, &str)] = &[
    ("01", "煤炭及制品", "Coal and products"),
    ("02", "石油天然气及制品", "Oil, gas and products"),
    ("03", "金属矿石", "Metal ores"),
    ("04", "钢铁", "Steel"),
    ("05", "矿建材料", "Mineral building materials"),
    ("06", "水泥", "Cement"),
    ("07", "木材", "Timber"),
    ("08", "非金属矿石", "Non-metallic ores"),
    ("09", "化肥及农药", "Fertilisers and pesticides"),
    ("10", "盐", "Salt"),
    ("11", "粮食", "Grain"),
    ("12", "机械设备电器", "Machinery, equipment, electrical"),
    ("13", "化工原料及制品", "Chemicals"),
    ("14", "有色金属", "Non-ferrous metals"),
    ("15", "轻工医药产品", "Light industry and pharmaceuticals"),
    ("16", "农副产品及冷链", "Farm produce and cold chain"),
    ("17", "商品汽车", "Commercial vehicles"),
];

/// Chinese and English name of a cargo class.
pub fn industry(code: &str) -> (String, String) {
    INDUSTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| (zh.to_string(), en.to_string()))
        .unwrap_or_else(|| ("其他".into(), format!("Other ({code})")))
}

/// County names of a region.
pub struct Names {
    counties: HashMap<String, String>,
}

impl Names {
    /// Reads the region's county records.
    pub async fn load(svc: &Service, region: &str) -> Result<Names, AppError> {
        let q = ListQuery {
            region: Some(region.to_string()),
            limit: 500,
            ..Default::default()
        };
        let counties = svc
            .list_all(Kind::County, q)
            .await?
            .into_iter()
            .filter_map(|r| {
                let code = r.body["division_code"].as_str()?.to_string();
                Some((code, r.body["name"].as_str()?.to_string()))
            })
            .collect();
        Ok(Names { counties })
    }

    /// Chinese and English name of a county code; outside the city the code itself.
    pub fn county(&self, code: &str) -> (String, String) {
        let en = COUNTY_EN.iter().find(|(c, _)| *c == code).map(|(_, n)| *n);
        match (self.counties.get(code), en) {
            (Some(zh), Some(en)) => (zh.clone(), en.to_string()),
            (Some(zh), None) => (zh.clone(), code.to_string()),
            (None, _) => (code.to_string(), code.to_string()),
        }
    }

    /// Every county of the region: `(code, Chinese name)`.
    pub fn all(&self) -> Vec<(String, String)> {
        let mut v: Vec<_> = self
            .counties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        v
    }
}
