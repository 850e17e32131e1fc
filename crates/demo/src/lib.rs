//! Demo data for the Wuliu platform: Liuzhou's real reference content plus seeded, reproducible generated
//! freight. No IO at run time: the gazette extracts are embedded with `include_str!`.
//!
//! # What it holds
//!
//! - **Real content** from the city gazette (柳州市人民政府公报 2024年第10期; provenance in `data/PROVENANCE.md`):
//!   the ten county-level units ([`County`], external ID = division code `450202` … `450226`), the logistics
//!   plan's 22 targets for 2025 ([`PlanTarget`], external ID `T01` …), its 63 baselines ([`Baseline`]) and its
//!   53 key logistics projects as [`Facility`] values (external ID `kp-<district>-<seq>`, e.g. `kp-liunan-03`
//!   for 广西新柳邕农产品批发市场（二期）). A project is placed at its district's approximate centre plus a
//!   deterministic jitter and marked `location_approximate: true`; its kind comes from its name (冷链 → cold
//!   store, 铁路 → rail yard, 码头/口岸 → port, 空港 → air cargo, 市场 → market …) and its status from 建设性质
//!   (在建/新建 → under construction, 预备/储备 → planned). The district centres are approximate, from
//!   general geographic knowledge: see [`places::DISTRICTS`].
//! - **Generated content**, seeded with [`DemoConfig::seed`] (ChaCha8) so that the same configuration always
//!   gives the same data: carriers (柳州XX物流有限公司, with road transport permits) and shippers whose industries
//!   follow the plan (auto parts, steel, machinery, 螺蛳粉 e-commerce, cold-chain produce); vehicles with 桂B
//!   plates (blue, yellow, and new-energy green plates for city distribution); drivers with valid resident ID
//!   numbers; loads along the industries' lanes (auto parts from 柳南/柳东 to the city's car plants, 南宁, 广州,
//!   重庆; steel from 柳北; machinery to 钦州港 for export; 螺蛳粉 parcels to the express hubs; chilled 0–4 °C and
//!   frozen ≤ −18 °C produce from the 新柳邕 market to city stores); waybills that execute some loads with a
//!   compatible vehicle and drivers of one carrier (cold chain only in refrigerated vehicles whose range covers
//!   the cargo's), with statuses spread over the lifecycle; fund-flow records for receipted waybills; and
//!   transport events for dispatched ones.
//!
//! # Time
//!
//! Generated times lie in a three-week window from [`DemoConfig::start`]. The demo's "present" is
//! [`DemoConfig::as_of`] (start + 14 days): receipted and signed waybills happened before it, dispatched ones
//! are on the road at that moment, confirmed and draft ones start after it, and open loads wait for the
//! following week.
//!
//! # Identifiers
//!
//! Every entity carries a stable `external_id` (`demo-carrier-03`, `demo-veh-03-05`, `demo-drv-03-05`,
//! `demo-shipper-02`, `demo-load-0042`, `demo-wb-0007`, `demo-pay-0003`, `demo-wb-0007-e2`, …). Links between
//! entities use the platform IDs that the caller assigns: [`generate`] asks the `id_for` closure for the
//! platform ID of `(table, external_id)`, with tables `parties`, `vehicles`, `drivers`, `loads`, `waybills`,
//! `payments`, `facilities`, `events`, `counties`, `plan_targets`, `baselines`.
//!
//! ```
//! use wuliu_demo::{generate, DemoConfig};
//! use wuliu_model::Validate;
//!
//! let config = DemoConfig::default();
//! let data = generate(&config, &|table, external_id| format!("{table}/{external_id}"));
//! assert_eq!(data.counties.len(), 10);
//! assert_eq!(data.facilities.len(), 53);
//! assert!(data.vehicles.iter().all(|v| v.plate.starts_with("桂B") && v.validate().is_ok()));
//! // Links use the caller's IDs.
//! let w = &data.waybills[0];
//! assert!(w.carrier_id.as_str().starts_with("parties/demo-carrier-"));
//! // Same seed, same data.
//! assert_eq!(data, generate(&config, &|t, e| format!("{t}/{e}")));
//! ```

#![warn(missing_docs)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use wuliu_model::{
    Baseline, County, Driver, Facility, Load, Party, Payment, PlanTarget, TransportEvent, Vehicle,
    Waybill,
};

pub mod emergency;
mod fleet;
mod freight;
pub mod gov_tasks;
pub mod history;
mod idgen;
pub mod places;
mod reference;

/// Days from [`DemoConfig::start`] to the demo's present moment, [`DemoConfig::as_of`].
pub const AS_OF_DAYS: i64 = 14;
/// Days from [`DemoConfig::start`] to the end of the generated period.
pub const HORIZON_DAYS: i64 = 21;

/// Everything the demo seeds, as typed entities that each carry an `external_id`. IDs that link entities
/// (`carrier_id`, `shipper_id`, `vehicle_id`, `waybill_id` …) are the platform IDs returned by the `id_for`
/// closure given to [`generate`].
#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    /// Carriers first (`demo-carrier-NN`), then shippers (`demo-shipper-NN`).
    pub parties: Vec<Party>,
    /// Vehicles, `vehicles_per_carrier` per carrier (`demo-veh-CC-NN`).
    pub vehicles: Vec<Vehicle>,
    /// Drivers, one per vehicle and of the same carrier (`demo-drv-CC-NN`).
    pub drivers: Vec<Driver>,
    /// Loads (`demo-load-NNNN`).
    pub loads: Vec<Load>,
    /// Waybills (`demo-wb-NNNN`), each executing one load.
    pub waybills: Vec<Waybill>,
    /// Fund-flow records, one per receipted waybill (`demo-pay-NNNN`).
    pub payments: Vec<Payment>,
    /// The plan's key logistics projects (`kp-<district>-<seq>`).
    pub facilities: Vec<Facility>,
    /// Transport events of dispatched, signed and receipted waybills (`demo-wb-NNNN-eN`).
    pub events: Vec<TransportEvent>,
    /// The ten county-level units (external ID = division code).
    pub counties: Vec<County>,
    /// The plan's 2025 targets (external ID = `T01` …).
    pub plan_targets: Vec<PlanTarget>,
    /// The plan's 2020 baselines (external ID = slug of the English indicator and year).
    pub baselines: Vec<Baseline>,
}

/// How much to generate, from which seed and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Seed of the random generator (ChaCha8); default 2025.
    pub seed: u64,
    /// Number of carriers; default 12 (general, heavy, cold-chain and city-distribution fleets in turn).
    pub carriers: usize,
    /// Number of shippers; default 10 (3 auto parts, 2 steel, 1 machinery, 2 螺蛳粉, 2 cold chain).
    pub shippers: usize,
    /// Vehicles (and drivers) per carrier; default 8.
    pub vehicles_per_carrier: usize,
    /// Number of loads; default 300.
    pub loads: usize,
    /// Number of waybills; default 120. Fewer are made when too few loads have a compatible vehicle (only with
    /// very small fleets).
    pub waybills: usize,
    /// Start of the generated period; default 2026-11-02T00:00:00Z (fixed, for reproducibility).
    pub start: DateTime<Utc>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 2025,
            carriers: 12,
            shippers: 10,
            vehicles_per_carrier: 8,
            loads: 300,
            waybills: 120,
            start: Utc
                .with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
                .single()
                .expect("valid date"),
        }
    }
}

impl DemoConfig {
    /// The demo's present moment: `start` + [`AS_OF_DAYS`] days. Waybill statuses are consistent with it.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.start + TimeDelta::days(AS_OF_DAYS)
    }
}

/// Generates the demo data. `id_for(table, external_id)` returns the platform ID of the entity with that
/// external ID in that table (`"parties"`, `"vehicles"`, `"drivers"`, `"loads"`, `"waybills"`, `"payments"`,
/// `"facilities"`, `"events"`, `"counties"`, `"plan_targets"`, `"baselines"`); it is called for every link.
///
/// Pure and deterministic: the same `config` (and the same `id_for`) always gives equal data. Reference data
/// (counties, targets, baselines, facilities) does not depend on the seed.
///
/// # Panics
///
/// Only if the embedded gazette CSVs are malformed, which the crate's tests rule out.
pub fn generate(config: &DemoConfig, id_for: &dyn Fn(&str, &str) -> String) -> DemoData {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let counties = reference::counties();
    let plan_targets = reference::plan_targets();
    let baselines = reference::baselines();
    let facilities = reference::facilities();

    let sites: BTreeMap<String, places::Site> = facilities
        .iter()
        .map(|f| {
            let ext = f.external_id.clone().expect("facilities have external IDs");
            let site = places::Site {
                name: f.name.clone(),
                address: facility_address(f.address.as_deref().unwrap_or("柳州市"), &f.name),
                division: f.division_code.0.clone(),
                point: f.location,
                facility: Some(ext.clone()),
            };
            (ext, site)
        })
        .collect();
    let market = sites
        .get("kp-liunan-03")
        .expect("the key-project table lists 广西新柳邕农产品批发市场 as 柳南区 3");

    let mut fleet = fleet::generate(
        &mut rng,
        config.carriers,
        config.shippers,
        config.vehicles_per_carrier,
        config.start,
        market,
        &|ext| id_for("parties", ext),
    );
    let freight = freight::generate(
        &mut rng,
        &mut fleet,
        &sites,
        config.loads,
        config.waybills,
        config.start,
        config.as_of(),
        id_for,
    );

    let parties = fleet
        .carriers
        .iter()
        .map(|c| c.party.clone())
        .chain(fleet.shippers.iter().map(|s| s.party.clone()))
        .collect();
    DemoData {
        parties,
        vehicles: fleet.vehicles.into_iter().map(|v| v.vehicle).collect(),
        drivers: fleet.drivers.into_iter().map(|d| d.driver).collect(),
        loads: freight.loads,
        waybills: freight.waybills,
        payments: freight.payments,
        facilities,
        events: freight.events,
        counties,
        plan_targets,
        baselines,
    }
}

/// The address of a site at a key project: the locality plus the project name, without repeating the
/// locality when the name already starts with it (`柳州市柳东新区` + `柳东新区汽车物流中心` → `柳州市柳东新区汽车物流中心`).
fn facility_address(locality: &str, name: &str) -> String {
    let district = locality.trim_start_matches("柳州市");
    if name.starts_with(district) {
        format!("柳州市{name}")
    } else if let Some(rest) = name.strip_prefix("柳州市") {
        format!("{locality}{rest}")
    } else {
        format!("{locality}{name}")
    }
}
