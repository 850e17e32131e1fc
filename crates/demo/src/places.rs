//! Where things are: approximate centres of Liuzhou's county-level units, out-of-city destinations, street
//! names for generated addresses, and deterministic jitter.
//!
//! The centre coordinates are **approximate**, from general geographic knowledge of the city (the seat of each
//! district or county government, rounded to about a kilometre); they are not surveyed points and must not be
//! used for routing without snapping to a road network.

use rand::seq::SliceRandom;
use rand::Rng;
use wuliu_model::{DivisionCode, GeoPoint};

/// One county-level unit (or, for the key-project table, the 柳东新区 development zone) with its approximate
/// centre.
#[derive(Debug, Clone, Copy)]
pub struct District {
    /// Name as printed in the gazette, e.g. `柳南区`.
    pub name: &'static str,
    /// ASCII slug used in external IDs, e.g. `liunan`.
    pub slug: &'static str,
    /// GB/T 2260 code of the county-level unit the place belongs to.
    pub code: &'static str,
    /// Approximate centre latitude (WGS-84 degrees).
    pub lat: f64,
    /// Approximate centre longitude (WGS-84 degrees).
    pub lon: f64,
    /// Radius of the jitter (degrees) that keeps generated points inside the built-up area.
    pub spread: f64,
    /// Town of the county seat, used in county addresses (empty for urban districts).
    pub seat: &'static str,
    /// Street names used for generated addresses.
    pub streets: &'static [&'static str],
}

impl District {
    /// Whether `point` lies within this district's spread around its centre (where generated points go).
    pub fn contains(&self, point: &GeoPoint) -> bool {
        (point.lat - self.lat).abs() <= self.spread + 1e-9
            && (point.lon - self.lon).abs() <= self.spread + 1e-9
    }
}

/// The ten county-level units of Liuzhou plus 柳东新区 (filed under 鱼峰区, where most of the zone lies).
///
/// Approximate centres: the urban districts 城中/鱼峰/柳南/柳北 lie within 24.28–24.38 N, 109.38–109.44 E around
/// the city centre (≈ 24.33 N 109.42 E); 柳江区 is centred on 拉堡 (≈ 24.26 N 109.33 E); the counties on their
/// seats: 柳城县 大埔镇 ≈ 24.65 N 109.24 E, 鹿寨县 鹿寨镇 ≈ 24.47 N 109.75 E, 融安县 长安镇 ≈ 25.22 N 109.40 E,
/// 融水苗族自治县 融水镇 ≈ 25.07 N 109.25 E, 三江侗族自治县 古宜镇 ≈ 25.78 N 109.61 E; 柳东新区 (官塘/雒容 side of the
/// river) ≈ 24.40 N 109.50 E.
pub const DISTRICTS: &[District] = &[
    District {
        name: "城中区",
        slug: "chengzhong",
        code: "450202",
        lat: 24.316,
        lon: 109.412,
        spread: 0.008,
        seat: "",
        streets: &["五一路", "中山中路", "文昌路", "龙城路", "公园路", "三中路"],
    },
    District {
        name: "鱼峰区",
        slug: "yufeng",
        code: "450203",
        lat: 24.300,
        lon: 109.438,
        spread: 0.012,
        seat: "",
        streets: &[
            "箭盘路",
            "荣军路",
            "柳石路",
            "驾鹤路",
            "屏山大道",
            "东环大道",
            "鱼峰路",
        ],
    },
    District {
        name: "柳南区",
        slug: "liunan",
        code: "450204",
        lat: 24.290,
        lon: 109.382,
        spread: 0.012,
        seat: "",
        streets: &[
            "航银路",
            "航生路",
            "柳邕路",
            "西环路",
            "河西路",
            "潭中西路",
            "飞鹅路",
            "南环路",
        ],
    },
    District {
        name: "柳北区",
        slug: "liubei",
        code: "450205",
        lat: 24.372,
        lon: 109.405,
        spread: 0.012,
        seat: "",
        streets: &[
            "北雀路",
            "跃进路",
            "胜利路",
            "白沙路",
            "雅儒路",
            "柳长路",
            "柳太路",
        ],
    },
    District {
        name: "柳江区",
        slug: "liujiang",
        code: "450206",
        lat: 24.256,
        lon: 109.334,
        spread: 0.015,
        seat: "拉堡镇",
        streets: &["柳堡路", "兴柳路", "新兴路", "瑞龙路", "工业大道"],
    },
    District {
        name: "柳城县",
        slug: "liucheng",
        code: "450222",
        lat: 24.650,
        lon: 109.240,
        spread: 0.012,
        seat: "大埔镇",
        streets: &["迎宾路", "城北路", "和平路", "滨江路", "工业大道"],
    },
    District {
        name: "鹿寨县",
        slug: "luzhai",
        code: "450223",
        lat: 24.472,
        lon: 109.750,
        spread: 0.012,
        seat: "鹿寨镇",
        streets: &["迎宾路", "城北路", "和平路", "滨江路", "工业大道"],
    },
    District {
        name: "融安县",
        slug: "rongan",
        code: "450224",
        lat: 25.220,
        lon: 109.400,
        spread: 0.010,
        seat: "长安镇",
        streets: &["迎宾路", "城北路", "和平路", "滨江路"],
    },
    District {
        name: "融水苗族自治县",
        slug: "rongshui",
        code: "450225",
        lat: 25.068,
        lon: 109.252,
        spread: 0.010,
        seat: "融水镇",
        streets: &["迎宾路", "城北路", "民族路", "滨江路"],
    },
    District {
        name: "三江侗族自治县",
        slug: "sanjiang",
        code: "450226",
        lat: 25.783,
        lon: 109.607,
        spread: 0.008,
        seat: "古宜镇",
        streets: &["侗乡大道", "城北路", "民族路", "滨江路"],
    },
    District {
        name: "柳东新区",
        slug: "liudong",
        code: "450203",
        lat: 24.398,
        lon: 109.500,
        spread: 0.015,
        seat: "",
        streets: &["新柳大道", "官塘大道", "车园横一路", "车园纵一路", "文笔路"],
    },
];

/// The district with this gazette name; panics for a name not in [`DISTRICTS`] (the embedded data is fixed
/// and a test covers every name it uses).
pub fn district(name: &str) -> &'static District {
    DISTRICTS
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("embedded data names an unknown district '{name}'"))
}

/// The district with this ASCII slug.
pub fn district_by_slug(slug: &str) -> &'static District {
    DISTRICTS
        .iter()
        .find(|d| d.slug == slug)
        .unwrap_or_else(|| panic!("unknown district slug '{slug}'"))
}

/// A city outside Liuzhou that freight goes to, with its real approximate centre.
#[derive(Debug, Clone, Copy)]
pub struct City {
    /// Name, e.g. `南宁市`.
    pub name: &'static str,
    /// GB/T 2260 code of the city.
    pub code: &'static str,
    /// Latitude (approximate city centre or the named freight area).
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Address used for the consignee's place.
    pub area: &'static str,
}

/// 南宁市 (Nanning), the regional capital.
pub const NANNING: City = City {
    name: "南宁市",
    code: "450100",
    lat: 22.817,
    lon: 108.366,
    area: "南宁市江南区",
};
/// 广州市 (Guangzhou); auto parts go to the 花都 car cluster.
pub const GUANGZHOU: City = City {
    name: "广州市",
    code: "440100",
    lat: 23.129,
    lon: 113.264,
    area: "广州市花都区",
};
/// 重庆市 (Chongqing), urban districts (500100).
pub const CHONGQING: City = City {
    name: "重庆市",
    code: "500100",
    lat: 29.563,
    lon: 106.551,
    area: "重庆市渝北区",
};
/// 桂林市 (Guilin).
pub const GUILIN: City = City {
    name: "桂林市",
    code: "450300",
    lat: 25.274,
    lon: 110.290,
    area: "桂林市临桂区",
};
/// 来宾市 (Laibin).
pub const LAIBIN: City = City {
    name: "来宾市",
    code: "451300",
    lat: 23.750,
    lon: 109.221,
    area: "来宾市兴宾区",
};
/// 贵阳市 (Guiyang).
pub const GUIYANG: City = City {
    name: "贵阳市",
    code: "520100",
    lat: 26.647,
    lon: 106.630,
    area: "贵阳市白云区",
};
/// 钦州市, the 钦州港 port area (Beibu Gulf), for export cargo.
pub const QINZHOU_PORT: City = City {
    name: "钦州市",
    code: "450700",
    lat: 21.720,
    lon: 108.610,
    area: "钦州市钦州港区",
};
/// 深圳市 (Shenzhen).
pub const SHENZHEN: City = City {
    name: "深圳市",
    code: "440300",
    lat: 22.543,
    lon: 114.058,
    area: "深圳市龙岗区",
};

/// A concrete place: name of the site, address, division code, point and (for key projects) the facility's
/// external ID.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Site or consignee name.
    pub name: String,
    /// Street address.
    pub address: String,
    /// GB/T 2260 code of the county-level unit or city.
    pub division: String,
    /// Coordinate.
    pub point: GeoPoint,
    /// External ID of the facility at this site, if it is one.
    pub facility: Option<String>,
}

impl Site {
    /// Whether the site lies in Liuzhou (division 4502xx).
    pub fn in_liuzhou(&self) -> bool {
        self.division.starts_with("4502")
    }

    /// Whether the site lies in one of Liuzhou's five counties (rural distribution).
    pub fn in_liuzhou_county(&self) -> bool {
        self.in_liuzhou() && self.division.as_str() >= "450221"
    }

    /// The division as the model's type.
    pub fn division_code(&self) -> DivisionCode {
        DivisionCode(self.division.clone())
    }
}

/// Rounds a coordinate to six decimals (about 0.1 m), so serialised values stay short.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A point in `d` drawn uniformly within its spread (a square of ± `spread` degrees).
pub fn point_in<R: Rng>(rng: &mut R, d: &District) -> GeoPoint {
    let lat = d.lat + rng.gen_range(-d.spread..=d.spread);
    let lon = d.lon + rng.gen_range(-d.spread..=d.spread);
    GeoPoint {
        lat: round6(lat),
        lon: round6(lon),
    }
}

/// A point near a city centre (± 0.03°), for out-of-city consignees.
pub fn point_near_city<R: Rng>(rng: &mut R, c: &City) -> GeoPoint {
    GeoPoint {
        lat: round6(c.lat + rng.gen_range(-0.03..=0.03)),
        lon: round6(c.lon + rng.gen_range(-0.03..=0.03)),
    }
}

/// A generated street address in `d`, e.g. `柳州市柳南区航银路18号` or `柳州市柳城县大埔镇迎宾路6号`.
pub fn address_in<R: Rng>(rng: &mut R, d: &District) -> String {
    let street = d.streets.choose(rng).expect("every district has streets");
    let number = rng.gen_range(1..=360);
    format!("柳州市{}{}{street}{number}号", d.name, d.seat)
}

/// FNV-1a hash of a string: a stable, seed-independent source of jitter for reference data.
pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A point near the centre of `d`, offset by a deterministic jitter derived from `key` (the same key always
/// gives the same point, whatever the seed).
pub fn jittered_centre(d: &District, key: &str) -> GeoPoint {
    let h = fnv1a(key);
    let u = |bits: u64| (bits & 0xffff) as f64 / 65535.0 * 2.0 - 1.0; // −1 … 1
    let lat = d.lat + u(h) * d.spread;
    let lon = d.lon + u(h >> 16) * d.spread;
    GeoPoint {
        lat: round6(lat),
        lon: round6(lon),
    }
}
