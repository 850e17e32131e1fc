//! The loading problem: a container or truck body, the items to load and the constraints to honour.
//!
//! Lengths are whole millimetres (`u32`); a container's `x` axis runs along its length from the front
//! wall (`x = 0`) to the rear, `y` across its width from the left wall, `z` up from the floor.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_model::Kg;

/// Where the loading door is; items are unloaded through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Door {
    /// The door is the rear wall (`x = length`), as on an ISO container or a box truck.
    #[default]
    Rear,
    /// The door is the right-hand side (`y = width`), as on a curtain-sider.
    Side,
}

/// An axle of a truck body, used to check axle loads from the load's centre of gravity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Axles {
    /// Distance of the front axle from the front wall, in mm (may be negative: ahead of the body).
    pub front_x: i64,
    /// Distance of the rear axle (group) from the front wall, in mm; must differ from `front_x`.
    pub rear_x: i64,
    /// Largest cargo load the front axle may carry.
    pub front_max: Kg,
    /// Largest cargo load the rear axle (group) may carry.
    pub rear_max: Kg,
}

/// A container or truck body: its inner dimensions, door, payload and optional axles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Container {
    /// Identifier echoed in plans, e.g. `40HC-1` or a licence plate.
    pub id: String,
    /// Inner length (front wall to door), mm.
    pub length: u32,
    /// Inner width, mm.
    pub width: u32,
    /// Inner height, mm.
    pub height: u32,
    /// Largest payload; `None` means unlimited.
    #[serde(default)]
    pub max_payload: Option<Kg>,
    /// Which side the door is on.
    #[serde(default)]
    pub door: Door,
    /// Axle positions and limits for axle-load checks; `None` skips them.
    #[serde(default)]
    pub axles: Option<Axles>,
}

impl Container {
    /// Inner volume in mm³.
    pub fn volume(&self) -> u64 {
        u64::from(self.length) * u64::from(self.width) * u64::from(self.height)
    }
}

/// Which of an item's own dimensions may stand vertical ("this side up" allows only `height`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowedOrientations {
    /// The item's length may be vertical.
    pub length_vertical: bool,
    /// The item's width may be vertical.
    pub width_vertical: bool,
    /// The item's height may be vertical (the item stands as labelled).
    pub height_vertical: bool,
}

impl Default for AllowedOrientations {
    /// All six orientations are allowed.
    fn default() -> Self {
        Self::ANY
    }
}

impl AllowedOrientations {
    /// Every orientation.
    pub const ANY: Self = Self {
        length_vertical: true,
        width_vertical: true,
        height_vertical: true,
    };
    /// "This side up": only the item's height may be vertical (it may still turn about the vertical).
    pub const THIS_SIDE_UP: Self = Self {
        length_vertical: false,
        width_vertical: false,
        height_vertical: true,
    };

    /// Whether the item's dimension `axis` (0 length, 1 width, 2 height) may stand vertical.
    pub fn allows_vertical(&self, axis: usize) -> bool {
        match axis {
            0 => self.length_vertical,
            1 => self.width_vertical,
            _ => self.height_vertical,
        }
    }
}

/// How an item is turned: which of its own dimensions lies along the container's x, y and z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Orientation {
    /// Length along x, width along y, height up (as labelled).
    #[serde(rename = "LWH")]
    Lwh,
    /// Width along x, length along y, height up (turned on the floor).
    #[serde(rename = "WLH")]
    Wlh,
    /// Length along x, height along y, width up.
    #[serde(rename = "LHW")]
    Lhw,
    /// Height along x, length along y, width up.
    #[serde(rename = "HLW")]
    Hlw,
    /// Width along x, height along y, length up.
    #[serde(rename = "WHL")]
    Whl,
    /// Height along x, width along y, length up.
    #[serde(rename = "HWL")]
    Hwl,
}

impl Orientation {
    /// All six orientations.
    pub const ALL: [Orientation; 6] = [
        Orientation::Lwh,
        Orientation::Wlh,
        Orientation::Lhw,
        Orientation::Hlw,
        Orientation::Whl,
        Orientation::Hwl,
    ];

    /// For each container axis (x, y, z), the item's own axis (0 length, 1 width, 2 height) along it.
    pub fn axes(self) -> [usize; 3] {
        match self {
            Orientation::Lwh => [0, 1, 2],
            Orientation::Wlh => [1, 0, 2],
            Orientation::Lhw => [0, 2, 1],
            Orientation::Hlw => [2, 0, 1],
            Orientation::Whl => [1, 2, 0],
            Orientation::Hwl => [2, 1, 0],
        }
    }

    /// The extents along x, y, z of an item with own dimensions `dims` (length, width, height).
    pub fn apply(self, dims: [u32; 3]) -> [u32; 3] {
        let a = self.axes();
        [dims[a[0]], dims[a[1]], dims[a[2]]]
    }

    /// The item's own axis that stands vertical.
    pub fn vertical_axis(self) -> usize {
        self.axes()[2]
    }

    /// How a worker should turn the item, in words: which side is up and which runs along the
    /// container (front wall to door).
    pub fn describe(self) -> &'static str {
        match self {
            Orientation::Lwh => "upright as labelled, length along the container",
            Orientation::Wlh => "upright as labelled, width along the container",
            Orientation::Lhw => "on its side (width up), length along the container",
            Orientation::Hlw => "on its side (width up), height along the container",
            Orientation::Whl => "on its end (length up), width along the container",
            Orientation::Hwl => "on its end (length up), height along the container",
        }
    }
}

/// A line of the shipment list: `quantity` identical items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    /// Identifier, unique within the request (e.g. an SKU or order line).
    pub id: String,
    /// Own length, mm.
    pub length: u32,
    /// Own width, mm.
    pub width: u32,
    /// Own height, mm (the vertical side when upright).
    pub height: u32,
    /// Weight of one item; zero when unknown.
    #[serde(default)]
    pub weight: Kg,
    /// Number of identical items (default 1).
    #[serde(default = "one")]
    pub quantity: u32,
    /// Allowed orientations (default: any).
    #[serde(default)]
    pub orientations: AllowedOrientations,
    /// Fragility: the largest weight that may rest on one item (`None`: no limit).
    #[serde(default)]
    pub max_load_on_top: Option<Kg>,
    /// Whether anything may be placed on top of this item (default true).
    #[serde(default = "yes")]
    pub stackable: bool,
    /// Delivery stop (1 = unloaded first). Items for later stops must not block earlier ones.
    #[serde(default = "one")]
    pub stop: u32,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

impl ItemSpec {
    /// A stackable, freely rotatable item of quantity 1, stop 1, zero weight.
    pub fn new(id: impl Into<String>, length: u32, width: u32, height: u32) -> Self {
        Self {
            id: id.into(),
            length,
            width,
            height,
            weight: Kg(0.0),
            quantity: 1,
            orientations: AllowedOrientations::ANY,
            max_load_on_top: None,
            stackable: true,
            stop: 1,
        }
    }

    /// Own dimensions as `[length, width, height]`.
    pub fn dims(&self) -> [u32; 3] {
        [self.length, self.width, self.height]
    }

    /// Volume of one item, mm³.
    pub fn volume(&self) -> u64 {
        u64::from(self.length) * u64::from(self.width) * u64::from(self.height)
    }

    /// Whether `o` is allowed for this item when orientation rules are enabled.
    pub fn allows(&self, o: Orientation) -> bool {
        self.orientations.allows_vertical(o.vertical_axis())
    }

    /// Whether the solver keeps other items off this item: not stackable, or a load limit set (then
    /// only a column of its own kind, within the limit, stands on it).
    pub fn caps_stack(&self) -> bool {
        !self.stackable || self.max_load_on_top.is_some()
    }
}

/// Centre-of-gravity envelope, as shares (0–1) of the container's inner dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CogEnvelope {
    /// Allowed range of the centre of gravity along the length, e.g. `[0.35, 0.65]`.
    pub x: [f64; 2],
    /// Allowed range across the width, e.g. `[0.4, 0.6]`.
    pub y: [f64; 2],
    /// Highest allowed centre of gravity, as a share of the inner height, e.g. `0.5`.
    pub z_max: f64,
}

impl Default for CogEnvelope {
    /// Middle 30 % lengthwise, middle 20 % across, lower half in height.
    fn default() -> Self {
        Self {
            x: [0.35, 0.65],
            y: [0.4, 0.6],
            z_max: 0.5,
        }
    }
}

/// Which constraints are enforced. Containment and non-overlap are always enforced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Honour each item's allowed orientations (default true).
    #[serde(default = "yes")]
    pub orientations: bool,
    /// Keep the total weight within the container's payload (default true).
    #[serde(default = "yes")]
    pub weight_limit: bool,
    /// Smallest share (0–1] of an item's base that must rest on the floor or on other items;
    /// `None` lets items float (the classic benchmark setting). Default `Some(1.0)`: full support.
    #[serde(default = "full_support")]
    pub support: Option<f64>,
    /// Honour fragility limits and non-stackable items (default true).
    #[serde(default = "yes")]
    pub load_bearing: bool,
    /// Items for later stops must not stand between an earlier stop's items and the door (default true).
    #[serde(default = "yes")]
    pub multi_drop: bool,
    /// Centre-of-gravity envelope; `None` skips the check (default).
    #[serde(default)]
    pub centre_of_gravity: Option<CogEnvelope>,
    /// Check axle loads when the container has axles (default true).
    #[serde(default = "yes")]
    pub axle_loads: bool,
}

fn full_support() -> Option<f64> {
    Some(1.0)
}

impl Default for Constraints {
    fn default() -> Self {
        Self {
            orientations: true,
            weight_limit: true,
            support: Some(1.0),
            load_bearing: true,
            multi_drop: true,
            centre_of_gravity: None,
            axle_loads: true,
        }
    }
}

impl Constraints {
    /// Only geometry (containment, non-overlap, orientations): the classic Bischoff–Ratcliff setting.
    pub fn geometry_only() -> Self {
        Self {
            orientations: true,
            weight_limit: false,
            support: None,
            load_bearing: false,
            multi_drop: false,
            centre_of_gravity: None,
            axle_loads: false,
        }
    }
}

/// One loading problem: load as much item volume as possible into one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadRequest {
    /// The container or truck body.
    pub container: Container,
    /// The shipment list.
    pub items: Vec<ItemSpec>,
    /// Constraints to enforce (default: [`Constraints::default`]).
    #[serde(default)]
    pub constraints: Constraints,
}

impl LoadRequest {
    /// Total volume of all items, mm³.
    pub fn total_item_volume(&self) -> u64 {
        self.items
            .iter()
            .map(|i| i.volume() * u64::from(i.quantity))
            .sum()
    }
}
