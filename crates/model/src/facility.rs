//! Facilities: logistics parks, warehouses, depots, ports, rail yards.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::check_division;
use crate::geo::GeoPoint;
use crate::ids::{DivisionCode, PartyId};
use crate::validation::{Validate, Violations};

/// Kind of facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// Logistics park or hub (物流园区/枢纽).
    LogisticsPark,
    /// Warehouse (仓库).
    Warehouse,
    /// Cold store (冷库).
    ColdStore,
    /// Distribution depot (配送中心).
    Depot,
    /// River port or wharf (港口码头).
    Port,
    /// Rail freight yard (铁路货场).
    RailYard,
    /// Air cargo terminal (航空货站).
    AirCargo,
    /// Wholesale market (批发市场).
    Market,
}

/// Construction / operating state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FacilityStatus {
    /// Planned (规划/拟建).
    Planned,
    /// Under construction (在建).
    UnderConstruction,
    /// In operation (已建/运营).
    Operating,
}

/// A logistics facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: FacilityKind,
    /// State.
    pub status: FacilityStatus,
    /// Location.
    pub location: GeoPoint,
    /// `true` when `location` is an approximation (e.g. the district centre), not a surveyed point.
    #[serde(default)]
    pub location_approximate: bool,
    /// County-level division.
    pub division_code: DivisionCode,
    /// Address or locality description.
    #[serde(default)]
    pub address: Option<String>,
    /// Land area in mu (亩; 1 mu = 666.7 m²).
    #[serde(default)]
    pub land_area_mu: Option<f64>,
    /// Operating party, when registered here.
    #[serde(default)]
    pub operator_id: Option<PartyId>,
    /// Plan classification, e.g. 国家物流枢纽, 生产服务型, 商贸服务型.
    #[serde(default)]
    pub plan_category: Option<String>,
    /// Description.
    #[serde(default)]
    pub summary: Option<String>,
    /// For a key project of the plan: 建设性质 as printed (在建, 新建, 预备, 储备).
    #[serde(default)]
    pub build_status: Option<String>,
    /// For a key project of the plan: total investment stated in the plan, yuan.
    #[serde(default)]
    pub investment_yuan: Option<f64>,
}

impl Validate for Facility {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("name", &self.name);
        self.location.check("location", v);
        check_division(&self.division_code, "division_code", v);
        if let Some(a) = self.land_area_mu {
            v.require_positive("land_area_mu", a, false);
        }
    }
}
