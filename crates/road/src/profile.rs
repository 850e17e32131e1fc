//! Routing profiles (`car`, `truck`): which OSM ways are usable, in which direction and how fast.
//!
//! # Speed table (km/h, before `maxspeed`)
//!
//! | highway          | car | truck |
//! |------------------|----:|------:|
//! | motorway         |  90 |    80 |
//! | motorway_link    |  45 |    40 |
//! | trunk            |  85 |    70 |
//! | trunk_link       |  40 |    35 |
//! | primary          |  65 |    55 |
//! | primary_link     |  30 |    25 |
//! | secondary        |  55 |    45 |
//! | secondary_link   |  25 |    20 |
//! | tertiary         |  40 |    35 |
//! | tertiary_link    |  20 |    18 |
//! | unclassified     |  25 |    20 |
//! | residential      |  25 |    20 |
//! | living_street    |  10 |     8 |
//! | service          |  15 |    12 |
//!
//! The car figures are OSRM's `car.lua` defaults, so durations are comparable with OSRM. Each
//! `highway=traffic_signals` node passed adds 2 s (as in `car.lua`); there are no turn penalties. A valid
//! `maxspeed` tag overrides the table: the speed becomes 80 % of the posted limit (traffic rarely
//! flows at the limit), capped at the truck's own cap of 80 km/h for the truck profile. Other
//! highway values (`track`, `path`, `footway`, `cycleway`, `construction`, ...) are not routable.
//!
//! # Access
//! The most specific tag wins: `motorcar` > `motor_vehicle` > `vehicle` > `access` for cars, and
//! `hgv` > `motor_vehicle` > `vehicle` > `access` for trucks. `no`, `private`, `agricultural`,
//! `forestry`, `emergency`, `psv`, `bus` and `military` deny; anything else allows.
//!
//! # Direction
//! `oneway=yes|1|true` forward only, `oneway=-1|reverse` backward only, `oneway=reversible` not
//! routable, `junction=roundabout|circular` and `highway=motorway` imply forward only.
//!
//! # Truck limits
//! `maxweight` (t), `maxheight`, `maxwidth`, `maxlength` (m; `ft'in"` accepted) are kept on every
//! edge as [`Limits`] and checked against a [`Vehicle`] when a network is prepared: an edge whose
//! limit the vehicle exceeds is removed, so it is unusable rather than slower. `hgv=no` removes the
//! way from the truck profile at import time.
//!
//! # Restrictions by time
//! For trucks, `hgv:conditional`, `motor_vehicle:conditional`, `vehicle:conditional`,
//! `access:conditional` (denying values) and `maxweight:conditional` with an `opening_hours`
//! condition are kept on the way (see [`crate::bans`]) and honoured by routes with a departure
//! time.

use serde::{Deserialize, Serialize};

use crate::bans::conditional::ConditionalRestriction;
use wuliu_model::{Kg, Meters};

/// Which kind of vehicle a network is imported for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// A passenger car.
    Car,
    /// A heavy goods vehicle; legal limits are checked at preparation time.
    Truck,
}

impl Profile {
    /// The lower-case profile name (`car` or `truck`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Car => "car",
            Profile::Truck => "truck",
        }
    }

    /// Parses `car`/`driving` or `truck`/`hgv`.
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "car" | "driving" => Some(Profile::Car),
            "truck" | "hgv" => Some(Profile::Truck),
            _ => None,
        }
    }

    /// Table speed in km/h for a `highway` value, `None` when not routable.
    pub fn base_speed_kmh(self, highway: &str) -> Option<f64> {
        let (car, truck) = match highway {
            "motorway" => (90.0, 80.0),
            "motorway_link" => (45.0, 40.0),
            "trunk" => (85.0, 70.0),
            "trunk_link" => (40.0, 35.0),
            "primary" => (65.0, 55.0),
            "primary_link" => (30.0, 25.0),
            "secondary" => (55.0, 45.0),
            "secondary_link" => (25.0, 20.0),
            "tertiary" => (40.0, 35.0),
            "tertiary_link" => (20.0, 18.0),
            "unclassified" => (25.0, 20.0),
            "residential" => (25.0, 20.0),
            "living_street" => (10.0, 8.0),
            "service" => (15.0, 12.0),
            _ => return None,
        };
        Some(match self {
            Profile::Car => car,
            Profile::Truck => truck,
        })
    }

    /// Highest speed the profile ever uses, km/h.
    pub fn max_speed_kmh(self) -> f64 {
        match self {
            Profile::Car => 130.0,
            Profile::Truck => 80.0,
        }
    }

    /// The access tags consulted, most specific first.
    fn access_keys(self) -> [&'static str; 4] {
        match self {
            Profile::Car => ["motorcar", "motor_vehicle", "vehicle", "access"],
            Profile::Truck => ["hgv", "motor_vehicle", "vehicle", "access"],
        }
    }

    /// Evaluates a way's tags; `None` when the way is not usable by this profile.
    pub fn evaluate_way<'a>(self, tags: impl Fn(&str) -> Option<&'a str>) -> Option<WayAttributes> {
        let highway = tags("highway")?;
        let base = self.base_speed_kmh(highway)?;
        if tags("area") == Some("yes") {
            return None;
        }
        for key in self.access_keys() {
            if let Some(v) = tags(key) {
                if denies(v) {
                    return None;
                }
                break;
            }
        }
        let (mut forward, mut backward) = (true, true);
        match tags("oneway") {
            Some("yes" | "1" | "true") => backward = false,
            Some("-1" | "reverse") => forward = false,
            Some("reversible" | "alternating") => return None,
            Some("no" | "0" | "false") => {}
            _ => {
                let roundabout = matches!(tags("junction"), Some("roundabout" | "circular"));
                if roundabout || highway == "motorway" {
                    backward = false;
                }
            }
        }
        let mut speed = base;
        if let Some(posted) = tags("maxspeed").and_then(parse_maxspeed_kmh) {
            speed = posted * 0.8;
        }
        speed = speed.clamp(3.0, self.max_speed_kmh());
        let name = tags("name")
            .or_else(|| tags("ref"))
            .unwrap_or_default()
            .to_string();
        let limits = Limits {
            max_weight_t: tags("maxweight").and_then(parse_weight_t),
            max_height_m: tags("maxheight").and_then(parse_length_m),
            max_width_m: tags("maxwidth").and_then(parse_length_m),
            max_length_m: tags("maxlength").and_then(parse_length_m),
        };
        let conditional = match self {
            Profile::Truck => crate::bans::conditional::of_way(&tags),
            Profile::Car => Vec::new(),
        };
        Some(WayAttributes {
            forward,
            backward,
            speed_kmh: speed,
            name,
            highway: highway.to_string(),
            limits,
            conditional,
        })
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub(crate) fn denies(v: &str) -> bool {
    matches!(
        v,
        "no" | "private" | "agricultural" | "forestry" | "emergency" | "psv" | "bus" | "military"
    )
}

/// What a profile makes of one OSM way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WayAttributes {
    /// Usable in the direction of the way's nodes.
    pub forward: bool,
    /// Usable against the direction of the way's nodes.
    pub backward: bool,
    /// Travel speed in km/h.
    pub speed_kmh: f64,
    /// `name`, else `ref`, else empty.
    pub name: String,
    /// The `highway` value.
    pub highway: String,
    /// Legal limits posted on the way.
    pub limits: Limits,
    /// Restrictions by time of day (truck profile only).
    #[serde(default)]
    pub conditional: Vec<ConditionalRestriction>,
}

/// Legal limits of a road; `None` means no posted limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// `maxweight` in tonnes.
    pub max_weight_t: Option<f64>,
    /// `maxheight` in metres.
    pub max_height_m: Option<f64>,
    /// `maxwidth` in metres.
    pub max_width_m: Option<f64>,
    /// `maxlength` in metres.
    pub max_length_m: Option<f64>,
}

impl Limits {
    /// Whether `vehicle` may legally use a road with these limits.
    pub fn allows(&self, vehicle: &Vehicle) -> bool {
        let ok = |limit: Option<f64>, value: f64| limit.is_none_or(|l| value <= l);
        ok(self.max_weight_t, vehicle.gross_weight.0 / 1000.0)
            && ok(self.max_height_m, vehicle.height.0)
            && ok(self.max_width_m, vehicle.width.0)
            && ok(self.max_length_m, vehicle.length.0)
    }
}

/// The dimensions and weight of the vehicle a network is prepared for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Vehicle {
    /// Gross (laden) weight.
    pub gross_weight: Kg,
    /// Height.
    pub height: Meters,
    /// Width.
    pub width: Meters,
    /// Length.
    pub length: Meters,
}

impl Vehicle {
    /// A passenger car: 2 t, 1.6 × 1.9 × 4.8 m.
    pub fn car() -> Self {
        Self {
            gross_weight: Kg(2_000.0),
            height: Meters(1.6),
            width: Meters(1.9),
            length: Meters(4.8),
        }
    }
    /// A light van: 3.5 t, 2.6 × 2.1 × 6 m.
    pub fn light_van() -> Self {
        Self {
            gross_weight: Kg(3_500.0),
            height: Meters(2.6),
            width: Meters(2.1),
            length: Meters(6.0),
        }
    }
    /// A heavy truck: 40 t, 4 × 2.55 × 16.5 m (EU/China articulated limits).
    pub fn heavy_truck() -> Self {
        Self {
            gross_weight: Kg(40_000.0),
            height: Meters(4.0),
            width: Meters(2.55),
            length: Meters(16.5),
        }
    }
    /// A preset by name: `car`, `van` (light van), `truck` (heavy truck); for CLI flags.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "car" => Some(Self::car()),
            "van" | "light_van" => Some(Self::light_van()),
            "truck" | "heavy_truck" => Some(Self::heavy_truck()),
            _ => None,
        }
    }
    /// Whether every dimension of `self` is at most that of `class`.
    pub fn fits_within(&self, class: &Vehicle) -> bool {
        self.gross_weight.0 <= class.gross_weight.0
            && self.height.0 <= class.height.0
            && self.width.0 <= class.width.0
            && self.length.0 <= class.length.0
    }
}

/// Parses `maxspeed` into km/h: `50`, `30 mph`, `none` (→ `None`), `walk`, and country zones
/// such as `FR:urban`, `DE:rural`, `RU:motorway`, `CN:urban`.
pub fn parse_maxspeed_kmh(v: &str) -> Option<f64> {
    let v = v.trim();
    if let Some((_, zone)) = v.split_once(':') {
        return match zone {
            "urban" | "zone30" => Some(if zone == "zone30" { 30.0 } else { 50.0 }),
            "rural" => Some(90.0),
            "trunk" => Some(110.0),
            "motorway" => Some(120.0),
            "living_street" | "walk" => Some(10.0),
            _ => None,
        };
    }
    if v == "walk" {
        return Some(5.0);
    }
    if let Some(num) = v.strip_suffix("mph") {
        return num.trim().parse::<f64>().ok().map(|x| x * 1.609_344);
    }
    let num = v.strip_suffix("km/h").unwrap_or(v).trim();
    num.parse::<f64>().ok().filter(|x| *x > 0.0)
}

/// Parses a weight limit in tonnes: `7.5`, `7.5 t`, `3500 kg`, `10 st` (short tons).
pub fn parse_weight_t(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, factor) = if let Some(n) = v.strip_suffix("kg") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("st") {
        (n, 0.907_185)
    } else if let Some(n) = v.strip_suffix("lbs") {
        (n, 0.000_453_592)
    } else if let Some(n) = v.strip_suffix('t') {
        (n, 1.0)
    } else {
        (v, 1.0)
    };
    num.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0)
        .map(|x| x * factor)
}

/// Parses a length limit in metres: `3.5`, `3.5 m`, `350 cm`, `12'6"`, `12 ft`.
pub fn parse_length_m(v: &str) -> Option<f64> {
    let v = v.trim();
    if let Some((ft, rest)) = v.split_once('\'') {
        let feet: f64 = ft.trim().parse().ok()?;
        let inches: f64 = rest
            .trim()
            .trim_end_matches('"')
            .trim()
            .parse()
            .unwrap_or(0.0);
        return Some(feet * 0.3048 + inches * 0.0254);
    }
    let (num, factor) = if let Some(n) = v.strip_suffix("cm") {
        (n, 0.01)
    } else if let Some(n) = v.strip_suffix("ft") {
        (n, 0.3048)
    } else if let Some(n) = v.strip_suffix('m') {
        (n, 1.0)
    } else {
        (v, 1.0)
    };
    num.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0)
        .map(|x| x * factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn eval(profile: Profile, tags: &[(&str, &str)]) -> Option<WayAttributes> {
        let map: HashMap<&str, &str> = tags.iter().copied().collect();
        profile.evaluate_way(|k| map.get(k).copied())
    }

    #[test]
    fn parses_limits() {
        assert_eq!(parse_weight_t("7.5"), Some(7.5));
        assert_eq!(parse_weight_t("3500 kg"), Some(3.5));
        assert_eq!(parse_length_m("350 cm"), Some(3.5));
        assert!((parse_length_m("12'6\"").unwrap() - 3.81).abs() < 1e-9);
        assert_eq!(parse_maxspeed_kmh("FR:urban"), Some(50.0));
        assert!((parse_maxspeed_kmh("30 mph").unwrap() - 48.28).abs() < 0.01);
        assert_eq!(parse_maxspeed_kmh("none"), None);
        assert_eq!(parse_weight_t("heavy"), None);
    }

    #[test]
    fn oneway_access_and_speed() {
        let w = eval(Profile::Car, &[("highway", "primary"), ("oneway", "-1")]).unwrap();
        assert!(!w.forward && w.backward);
        assert_eq!(w.speed_kmh, 65.0);
        let w = eval(Profile::Car, &[("highway", "primary"), ("maxspeed", "50")]).unwrap();
        assert_eq!(w.speed_kmh, 40.0);
        assert!(eval(Profile::Car, &[("highway", "footway")]).is_none());
        assert!(eval(
            Profile::Car,
            &[("highway", "service"), ("access", "private")]
        )
        .is_none());
        let hgv_no = [("highway", "tertiary"), ("hgv", "no")];
        assert!(eval(Profile::Truck, &hgv_no).is_none());
        assert!(eval(Profile::Car, &hgv_no).is_some());
        let ra = eval(
            Profile::Truck,
            &[("highway", "primary"), ("junction", "roundabout")],
        );
        assert!(ra.unwrap().forward);
    }

    #[test]
    fn limits_check_vehicle() {
        let l = Limits {
            max_weight_t: Some(7.5),
            ..Limits::default()
        };
        assert!(l.allows(&Vehicle::light_van()));
        assert_eq!(Vehicle::preset("van"), Some(Vehicle::light_van()));
        assert!(Vehicle::preset("bike").is_none());
        assert!(Vehicle::light_van().fits_within(&Vehicle::heavy_truck()));
        assert!(!Vehicle::heavy_truck().fits_within(&Vehicle::light_van()));
        assert!(!l.allows(&Vehicle::heavy_truck()));
    }
}
