//! The six components of the index: keys, names, measures, weights and which way is better.

use serde::{Deserialize, Serialize};

/// A component of the prosperity index; JSON `business_volume`, `new_orders`, ….
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKey {
    /// 业务总量: tonne-kilometres carried.
    BusinessVolume,
    /// 新订单: loads posted.
    NewOrders,
    /// 从业车辆 (活跃承运人): vehicles active.
    ActiveCarriers,
    /// 车辆利用率: loaded days per vehicle.
    VehicleUtilisation,
    /// 仓储吞吐: tonnes through storage facilities.
    WarehouseThroughput,
    /// 配送时间: mean hours from despatch to receipt; lower is better.
    DeliveryTime,
}

/// Whether a unit's value is a quantity (a unit that appears or disappears changes it) or a
/// rate (a unit seen in one month only cannot be compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A quantity: a new unit counts as up, a vanished unit as down.
    Volume,
    /// A rate or an average: units seen in one month only are skipped.
    Rate,
}

/// The definition of one component.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComponentDef {
    /// The key.
    pub key: ComponentKey,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// What each unit reports, in English.
    pub measure_en: &'static str,
    /// Weight in the composite; the six weights sum to 1.
    pub weight: f64,
    /// `true` when a lower value is the better one (delivery time): "up" then means it fell.
    pub lower_is_better: bool,
    /// Quantity or rate.
    pub measure: Measure,
}

/// The components in the order the console lists them, with their weights:
/// business volume 0.25, new orders 0.20, active carriers 0.15, vehicle utilisation 0.15,
/// warehouse throughput 0.15, delivery time 0.10.
pub const COMPONENTS: [ComponentDef; 6] = [
    def(
        ComponentKey::BusinessVolume,
        "业务总量",
        "Business volume",
        "tonne-km",
        0.25,
        Measure::Volume,
    ),
    def(
        ComponentKey::NewOrders,
        "新订单",
        "New orders",
        "loads posted",
        0.20,
        Measure::Volume,
    ),
    def(
        ComponentKey::ActiveCarriers,
        "从业车辆",
        "Active vehicles",
        "vehicles active",
        0.15,
        Measure::Volume,
    ),
    def(
        ComponentKey::VehicleUtilisation,
        "车辆利用率",
        "Vehicle utilisation",
        "loaded days per vehicle",
        0.15,
        Measure::Rate,
    ),
    def(
        ComponentKey::WarehouseThroughput,
        "仓储吞吐",
        "Warehouse throughput",
        "tonnes through facilities",
        0.15,
        Measure::Volume,
    ),
    ComponentDef {
        lower_is_better: true,
        ..def(
            ComponentKey::DeliveryTime,
            "配送时间",
            "Delivery time",
            "mean hours from despatch to receipt",
            0.10,
            Measure::Rate,
        )
    },
];

const fn def(
    key: ComponentKey,
    name_zh: &'static str,
    name_en: &'static str,
    measure_en: &'static str,
    weight: f64,
    measure: Measure,
) -> ComponentDef {
    ComponentDef {
        key,
        name_zh,
        name_en,
        measure_en,
        weight,
        lower_is_better: false,
        measure,
    }
}

impl ComponentKey {
    /// The component's definition.
    pub fn def(self) -> &'static ComponentDef {
        COMPONENTS
            .iter()
            .find(|d| d.key == self)
            .expect("every key has a definition")
    }
}
