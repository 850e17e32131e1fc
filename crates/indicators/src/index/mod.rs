//! A logistics prosperity index (物流业景气指数) in the diffusion form of China's LPI.
//!
//! For each component ([`COMPONENTS`]) every reporting unit reports this month's and last
//! month's value; [`classify`] marks it up, same or down with a relative tolerance
//! ([`IndexConfig::tolerance`], default 1 %); the component value is
//! 100 × (up + ½ same) / n ([`Counts::value`]), 50 and flagged `no_data` when n = 0. The composite
//! is the weighted mean over the components with data. [`METHOD_ZH`] and [`METHOD_EN`] state the
//! method for readers.
//!
//! ```
//! use wuliu_indicators::index::{compute, ComponentInput, ComponentKey, IndexConfig, UnitChange};
//!
//! let unit = |u: &str, p, c| UnitChange { unit: u.into(), previous: Some(p), current: Some(c) };
//! let inputs = vec![ComponentInput {
//!     key: ComponentKey::BusinessVolume,
//!     units: vec![unit("c1", 100.0, 120.0), unit("c2", 100.0, 100.5), unit("c3", 100.0, 80.0)],
//! }];
//! let index = compute(&inputs, &IndexConfig::default()).unwrap();
//! let volume = &index.components[0];
//! assert_eq!((volume.up, volume.same, volume.down), (1, 1, 1));
//! assert_eq!(volume.value, 50.0);
//! assert_eq!(index.composite, 50.0); // the only component with data
//! ```

mod component;
mod diffusion;
mod method;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use component::{ComponentDef, ComponentKey, Measure, COMPONENTS};
pub use diffusion::{classify, Counts, Movement};
pub use method::{METHOD_EN, METHOD_ZH};

/// One reporting unit's value last month and this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitChange {
    /// The unit, e.g. a carrier's ID.
    pub unit: String,
    /// Last month's value; `None` when the unit did not report.
    pub previous: Option<f64>,
    /// This month's value; `None` when the unit did not report.
    pub current: Option<f64>,
}

/// The units of one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentInput {
    /// The component.
    pub key: ComponentKey,
    /// Its reporting units, each at most once.
    pub units: Vec<UnitChange>,
}

/// Settings of the index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexConfig {
    /// Relative change below which a unit counts as unchanged; default 0.01 (1 %).
    pub tolerance: f64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig { tolerance: 0.01 }
    }
}

/// One component's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentValue {
    /// The component.
    pub key: ComponentKey,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// 100 × (up + ½ same) / units; 50 when `no_data`.
    pub value: f64,
    /// Its weight in the composite.
    pub weight: f64,
    /// Units up.
    pub up: u32,
    /// Units unchanged.
    pub same: u32,
    /// Units down.
    pub down: u32,
    /// Units compared (up + same + down).
    pub units: u32,
    /// Units reported but not comparable (a rate component's unit seen in one month only).
    pub skipped: u32,
    /// No unit could be compared; `value` is the neutral 50.
    pub no_data: bool,
}

/// The index for one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexValue {
    /// Weighted mean of the components with data (weights rescaled); 50 when none has data.
    pub composite: f64,
    /// All six components, in the order of [`COMPONENTS`].
    pub components: Vec<ComponentValue>,
}

impl IndexValue {
    /// Whether any component had data.
    pub fn has_data(&self) -> bool {
        self.components.iter().any(|c| !c.no_data)
    }
}

/// Nonsense input to [`compute`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// A component appears twice in the input.
    #[error("component {0:?} is given twice")]
    DuplicateComponent(ComponentKey),
    /// A unit appears twice in one component.
    #[error("unit {unit:?} appears twice in component {key:?}")]
    DuplicateUnit {
        /// The component.
        key: ComponentKey,
        /// The unit.
        unit: String,
    },
    /// A value is NaN or infinite.
    #[error("unit {unit:?} of component {key:?} has a value that is not finite")]
    NotFinite {
        /// The component.
        key: ComponentKey,
        /// The unit.
        unit: String,
    },
    /// The tolerance is negative or not finite.
    #[error("tolerance {0} must be a finite number >= 0")]
    InvalidTolerance(f64),
}

/// Computes the index. Components missing from `inputs` are reported with `no_data`.
///
/// # Errors
/// [`IndexError`] for a duplicate component or unit, a non-finite value or a bad tolerance.
pub fn compute(inputs: &[ComponentInput], config: &IndexConfig) -> Result<IndexValue, IndexError> {
    let tol = config.tolerance;
    if !(tol.is_finite() && tol >= 0.0) {
        return Err(IndexError::InvalidTolerance(tol));
    }
    let mut seen = BTreeSet::new();
    if let Some(dup) = inputs.iter().find(|i| !seen.insert(i.key)) {
        return Err(IndexError::DuplicateComponent(dup.key));
    }
    let components = COMPONENTS
        .iter()
        .map(|def| {
            let units = inputs
                .iter()
                .find(|i| i.key == def.key)
                .map_or(&[][..], |i| &i.units);
            component_value(def, units, tol)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IndexValue {
        composite: composite(&components),
        components,
    })
}

/// Counts one component's units and computes its value.
fn component_value(
    def: &ComponentDef,
    units: &[UnitChange],
    tolerance: f64,
) -> Result<ComponentValue, IndexError> {
    let mut names = BTreeSet::new();
    let mut counts = Counts::default();
    for u in units {
        let err = |make: fn(ComponentKey, String) -> IndexError| make(def.key, u.unit.clone());
        if !names.insert(u.unit.as_str()) {
            return Err(err(|key, unit| IndexError::DuplicateUnit { key, unit }));
        }
        if [u.previous, u.current]
            .iter()
            .flatten()
            .any(|v| !v.is_finite())
        {
            return Err(err(|key, unit| IndexError::NotFinite { key, unit }));
        }
        counts.add(classify(def, u.previous, u.current, tolerance));
    }
    let value = counts.value();
    Ok(ComponentValue {
        key: def.key,
        name_zh: def.name_zh.to_string(),
        name_en: def.name_en.to_string(),
        value: value.unwrap_or(50.0),
        weight: def.weight,
        up: counts.up,
        same: counts.same,
        down: counts.down,
        units: counts.units(),
        skipped: counts.skipped,
        no_data: value.is_none(),
    })
}

/// The weighted mean of the components with data, weights rescaled to sum to 1; 50 when none has
/// data.
pub fn composite(components: &[ComponentValue]) -> f64 {
    let with_data = || components.iter().filter(|c| !c.no_data);
    let weight: f64 = with_data().map(|c| c.weight).sum();
    if weight <= 0.0 {
        return 50.0;
    }
    with_data().map(|c| c.weight * c.value).sum::<f64>() / weight
}
