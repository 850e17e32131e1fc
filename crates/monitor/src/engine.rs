//! The entry points: evaluate a whole input, or one waybill on demand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wuliu_model::{PartyId, TravelCosts, VehicleId, WaybillId, WaybillStatus};

use crate::config::RuleConfig;
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::index::Monitor;
use crate::input::MonitorInput;
use crate::rollup::{carrier_days, carrier_summaries, risk_score, CarrierDay, CarrierSummary};
use crate::rules::RULES;
use crate::time::beijing_date;

/// The verdict on one waybill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaybillReport {
    /// Platform waybill ID.
    pub waybill_id: WaybillId,
    /// ShippingNoteNumber.
    pub shipping_note_number: String,
    /// The network-freight operator (platform) party.
    pub carrier_id: PartyId,
    /// The vehicle, when known.
    pub vehicle_id: Option<VehicleId>,
    /// Plate on the waybill.
    pub plate: String,
    /// Beijing date of despatch (of consignment when not despatched): the day it counts for.
    pub day: NaiveDate,
    /// Track completeness rate 0–1, when the waybill has despatch and receipt times.
    pub track_completeness: Option<f64>,
    /// Risk score 0–100, see [`crate::rollup::risk_score`].
    pub risk_score: u8,
    /// Whether any finding is a warning or critical.
    pub abnormal: bool,
    /// The findings, in rule catalogue order.
    pub findings: Vec<Finding>,
}

/// The result of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorReport {
    /// Label of the travel costs used, e.g. `straight-line (…)`.
    pub costs: String,
    /// Whether road distances came from a real road network.
    pub road_network: bool,
    /// Waybills checked (cancelled waybills are skipped).
    pub waybills_checked: usize,
    /// Fixes in the input.
    pub positions: usize,
    /// Findings per rule code, every enabled rule listed.
    pub rule_counts: BTreeMap<String, usize>,
    /// One report per checked waybill, in input order.
    pub waybills: Vec<WaybillReport>,
    /// Roll-up per carrier.
    pub carriers: Vec<CarrierSummary>,
    /// Roll-up per carrier per Beijing day.
    pub carrier_days: Vec<CarrierDay>,
}

/// Evaluates every rule on every waybill of `input` and rolls the results up.
///
/// Builds the shared indexes once ([`Monitor::new`]) and checks waybills in parallel.
pub fn evaluate(
    input: &MonitorInput,
    costs: &dyn TravelCosts,
    config: &RuleConfig,
) -> MonitorReport {
    Monitor::new(input, config).evaluate(costs)
}

/// Evaluates the rules on one waybill of `input`; `None` when it is not there or cancelled.
///
/// Cross-record rules still look at the whole input. To check many waybills one at a time, build a
/// [`Monitor`] once and call [`Monitor::evaluate_waybill`].
pub fn evaluate_waybill(
    input: &MonitorInput,
    id: &WaybillId,
    costs: &dyn TravelCosts,
    config: &RuleConfig,
) -> Option<WaybillReport> {
    Monitor::new(input, config).evaluate_waybill(id, costs)
}

impl<'a> Monitor<'a> {
    /// Evaluates every waybill and rolls up.
    pub fn evaluate(&self, costs: &dyn TravelCosts) -> MonitorReport {
        let n = self.input.waybills.len();
        let waybills: Vec<WaybillReport> = (0..n)
            .into_par_iter()
            .with_min_len(16)
            .filter_map(|i| self.evaluate_index(i, costs))
            .collect();
        let mut rule_counts: BTreeMap<String, usize> = RULES
            .iter()
            .map(|r| r.info().code)
            .filter(|c| self.config.enabled(c))
            .map(|c| (c.to_string(), 0))
            .collect();
        for f in waybills.iter().flat_map(|w| &w.findings) {
            *rule_counts.entry(f.rule.clone()).or_default() += 1;
        }
        MonitorReport {
            costs: costs.label(),
            road_network: costs.is_road_network(),
            waybills_checked: waybills.len(),
            positions: self.input.position_count(),
            rule_counts,
            carriers: carrier_summaries(&waybills),
            carrier_days: carrier_days(&waybills),
            waybills,
        }
    }

    /// Evaluates one waybill by ID; `None` when it is not in the input or cancelled.
    pub fn evaluate_waybill(
        &self,
        id: &WaybillId,
        costs: &dyn TravelCosts,
    ) -> Option<WaybillReport> {
        let &i = self.waybill_pos.get(id)?;
        self.evaluate_index(i, costs)
    }

    /// Evaluates the waybill at position `i` of the input; `None` when out of range or cancelled.
    pub fn evaluate_index(&self, i: usize, costs: &dyn TravelCosts) -> Option<WaybillReport> {
        let rec = self.input.waybills.get(i)?;
        let w = &rec.waybill;
        if w.status == WaybillStatus::Cancelled {
            return None;
        }
        let ctx = WaybillContext::new(self, i, costs);
        let mut findings = Vec::new();
        for rule in RULES.iter().filter(|r| self.config.enabled(r.info().code)) {
            rule.evaluate(&ctx, &mut findings);
        }
        Some(WaybillReport {
            waybill_id: rec.id.clone(),
            shipping_note_number: w.shipping_note_number.clone(),
            carrier_id: w.carrier_id.clone(),
            vehicle_id: ctx.vehicle_id.cloned(),
            plate: w.vehicle.plate.clone(),
            day: beijing_date(w.despatch_time.unwrap_or(w.consignment_time)),
            track_completeness: ctx.completeness().map(|c| c.rate),
            risk_score: risk_score(&findings, &self.config.risk_weights),
            abnormal: findings.iter().any(|f| f.severity.is_abnormal()),
            findings,
        })
    }
}
