//! [`Monitor`]: the input with the indexes every rule shares, built once per evaluation.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use wuliu_model::{Driver, Vehicle, VehicleId, Waybill, WaybillId, WaybillStatus};

use crate::config::RuleConfig;
use crate::input::{MonitorInput, PaymentRecord};
use crate::signature::{Quantiser, SignatureIndex};
use crate::track::Track;

/// A trip's claimed interval: despatch to receipt, Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    /// Despatch time.
    pub start: i64,
    /// Goods receipt time.
    pub end: i64,
}

impl Trip {
    /// The trip of a waybill with both times, receipt not before despatch.
    pub fn of(w: &Waybill) -> Option<Trip> {
        let (d, r) = (w.despatch_time?, w.receipt_time?);
        (r >= d).then(|| Trip {
            start: d.timestamp(),
            end: r.timestamp(),
        })
    }
    /// Duration in seconds.
    pub fn duration_s(&self) -> i64 {
        self.end - self.start
    }
}

/// Distinct payees behind one receiving account.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountStats<'a> {
    pub drivers: BTreeSet<&'a str>,
    pub vehicles: BTreeSet<&'a str>,
    pub recipients: BTreeSet<&'a str>,
}

/// Per waybill: where it stands in the indexes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WaybillSlot {
    pub vehicle: Option<u32>,
    pub trip: Option<Trip>,
}

/// The input with shared indexes: vehicle slots with sorted tracks, plate and licence look-ups,
/// payments per waybill, trips per vehicle, payees per account, and the track signatures.
///
/// Build it once with [`Monitor::new`], then call [`Monitor::evaluate`] for the whole input or
/// [`Monitor::evaluate_waybill`] for one waybill on demand.
pub struct Monitor<'a> {
    pub(crate) input: &'a MonitorInput,
    pub(crate) config: &'a RuleConfig,
    pub(crate) slots: Vec<&'a VehicleId>,
    pub(crate) tracks: Vec<Cow<'a, Track>>,
    slot_of: HashMap<&'a VehicleId, u32>,
    vehicle_by_plate: HashMap<&'a str, &'a VehicleId>,
    driver_by_number: HashMap<&'a str, &'a Driver>,
    pub(crate) payments_by_waybill: HashMap<&'a WaybillId, Vec<&'a PaymentRecord>>,
    pub(crate) waybill_pos: HashMap<&'a WaybillId, usize>,
    pub(crate) waybills: Vec<WaybillSlot>,
    pub(crate) trips_by_slot: HashMap<u32, Vec<usize>>,
    pub(crate) accounts: HashMap<&'a str, AccountStats<'a>>,
    pub(crate) signatures: SignatureIndex,
}

impl<'a> Monitor<'a> {
    /// Builds the indexes over `input`.
    pub fn new(input: &'a MonitorInput, config: &'a RuleConfig) -> Self {
        let mut slots: Vec<&VehicleId> = input.tracks.keys().collect();
        slots.extend(
            input
                .vehicles
                .keys()
                .filter(|v| !input.tracks.contains_key(*v)),
        );
        slots.extend(
            input
                .waybills
                .iter()
                .filter_map(|w| w.waybill.vehicle.vehicle_id.as_ref()),
        );
        slots.sort();
        slots.dedup();
        let slot_of: HashMap<&VehicleId, u32> = slots
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i as u32))
            .collect();
        let tracks: Vec<Cow<Track>> = slots
            .par_iter()
            .map(|v| match input.tracks.get(*v) {
                Some(t) if t.is_well_formed() => Cow::Borrowed(t),
                Some(t) => {
                    let mut t = t.clone();
                    t.normalise();
                    Cow::Owned(t)
                }
                None => Cow::Owned(Track::default()),
            })
            .collect();
        let refs: Vec<&Track> = tracks.iter().map(|t| t.as_ref()).collect();
        let signatures = SignatureIndex::build(&refs, Quantiser::new(config));
        let vehicle_by_plate = input
            .vehicles
            .iter()
            .map(|(id, v)| (v.plate.as_str(), id))
            .collect();
        let mut m = Monitor {
            input,
            config,
            slots,
            tracks,
            slot_of,
            vehicle_by_plate,
            driver_by_number: driver_index(input),
            payments_by_waybill: HashMap::new(),
            waybill_pos: HashMap::new(),
            waybills: Vec::new(),
            trips_by_slot: HashMap::new(),
            accounts: HashMap::new(),
            signatures,
        };
        m.index_waybills();
        m.index_payments();
        m
    }

    fn index_waybills(&mut self) {
        for (i, rec) in self.input.waybills.iter().enumerate() {
            self.waybill_pos.entry(&rec.id).or_insert(i);
            let vehicle = self.vehicle_slot(&rec.waybill);
            let trip = Trip::of(&rec.waybill);
            self.waybills.push(WaybillSlot { vehicle, trip });
            if let (Some(v), Some(_)) = (vehicle, trip) {
                if rec.waybill.status != WaybillStatus::Cancelled {
                    self.trips_by_slot.entry(v).or_default().push(i);
                }
            }
        }
        let waybills = &self.waybills;
        for list in self.trips_by_slot.values_mut() {
            list.sort_by_key(|&i| waybills[i].trip.map(|t| t.start));
        }
    }

    fn index_payments(&mut self) {
        let input = self.input;
        for rec in &input.payments {
            let p = &rec.payment;
            for w in &p.waybills {
                let list = self.payments_by_waybill.entry(&w.waybill_id).or_default();
                if !list.iter().any(|r| std::ptr::eq(*r, rec)) {
                    list.push(rec);
                }
            }
            for line in &p.payments {
                let stats = self.accounts.entry(line.account.as_str()).or_default();
                stats.vehicles.insert(p.plate.as_str());
                stats.recipients.insert(line.recipient.as_str());
                for w in &p.waybills {
                    let Some(&i) = self.waybill_pos.get(&w.waybill_id) else {
                        continue;
                    };
                    let wb = &input.waybills[i].waybill;
                    stats.vehicles.insert(wb.vehicle.plate.as_str());
                    for d in &wb.drivers {
                        stats.drivers.insert(d.licence_number.as_str());
                    }
                }
            }
        }
    }

    /// The vehicle slot of a waybill: its vehicle ID, else the registered vehicle with its plate.
    fn vehicle_slot(&self, w: &Waybill) -> Option<u32> {
        let id = match &w.vehicle.vehicle_id {
            Some(id) => id,
            None => *self.vehicle_by_plate.get(w.vehicle.plate.as_str())?,
        };
        self.slot_of.get(id).copied()
    }

    /// The vehicle ID of a slot.
    pub(crate) fn vehicle_id(&self, slot: u32) -> &'a VehicleId {
        self.slots[slot as usize]
    }

    /// The vehicle record of a slot.
    pub(crate) fn vehicle(&self, slot: u32) -> Option<&'a Vehicle> {
        self.input.vehicles.get(self.vehicle_id(slot))
    }

    /// The driver record for a waybill driver: by ID, else by licence / resident ID number.
    pub(crate) fn driver(&self, d: &wuliu_model::waybill::WaybillDriver) -> Option<&'a Driver> {
        d.driver_id
            .as_ref()
            .and_then(|id| self.input.drivers.get(id))
            .or_else(|| {
                self.driver_by_number
                    .get(d.licence_number.as_str())
                    .copied()
            })
    }

    /// Number of vehicle slots (vehicles with a track, a record or a waybill).
    pub fn vehicle_count(&self) -> usize {
        self.slots.len()
    }
}

fn driver_index(input: &MonitorInput) -> HashMap<&str, &Driver> {
    let mut m = HashMap::new();
    for d in input.drivers.values() {
        m.insert(d.id_number.as_str(), d);
        m.insert(d.licence.number.as_str(), d);
    }
    m
}
