//! The platform's records the simulator plans with: carriers, shippers, vehicles and drivers, as
//! read through the API.

use chrono::NaiveDate;
use serde_json::Value;
use wuliu_model::vehicle::CERTIFICATE_THRESHOLD;
use wuliu_model::{Driver, Party, PartyRole, Vehicle, VehicleStatus};

/// A stored record: its platform ID and region, and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    /// Platform ID, e.g. `veh_…`.
    pub id: String,
    /// Region the record belongs to.
    pub region: String,
    /// The record.
    pub body: T,
}

impl<T: serde::de::DeserializeOwned> Stored<T> {
    /// Reads an API record (`id`, `region`, `version`, timestamps, then the body's fields).
    pub fn from_api(mut record: Value) -> Result<Self, String> {
        let obj = record.as_object_mut().ok_or("record is not an object")?;
        let id = obj
            .remove("id")
            .and_then(|v| v.as_str().map(String::from))
            .ok_or("record has no id")?;
        let region = obj
            .remove("region")
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        for meta in ["version", "created_at", "updated_at"] {
            obj.remove(meta);
        }
        let body = serde_json::from_value(record).map_err(|e| format!("record {id}: {e}"))?;
        Ok(Stored { id, region, body })
    }
}

/// Everything the scenario draws on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fleet {
    /// Parties (carriers, shippers, …).
    pub parties: Vec<Stored<Party>>,
    /// Vehicles.
    pub vehicles: Vec<Stored<Vehicle>>,
    /// Drivers.
    pub drivers: Vec<Stored<Driver>>,
}

impl Fleet {
    /// Parties with the carrier role and a transport permit valid on `day`.
    pub fn carriers(&self, day: NaiveDate) -> Vec<&Stored<Party>> {
        self.parties
            .iter()
            .filter(|p| p.body.roles.contains(&PartyRole::Carrier))
            .filter(|p| {
                p.body
                    .transport_permit
                    .as_ref()
                    .is_some_and(|c| c.valid_on(day))
            })
            .collect()
    }

    /// Parties with the shipper role.
    pub fn shippers(&self) -> Vec<&Stored<Party>> {
        self.parties
            .iter()
            .filter(|p| p.body.roles.contains(&PartyRole::Shipper))
            .collect()
    }

    /// The party with this ID.
    pub fn party(&self, id: &str) -> Option<&Stored<Party>> {
        self.parties.iter().find(|p| p.id == id)
    }

    /// Vehicles fit for a clean trip on `day`: in service, of a usable carrier, with a transport
    /// certificate valid that day (or light enough to need none), and with a usable driver.
    pub fn usable_vehicles(&self, day: NaiveDate) -> Vec<&Stored<Vehicle>> {
        let carriers = self.carriers(day);
        self.vehicles
            .iter()
            .filter(|v| {
                matches!(
                    v.body.status,
                    VehicleStatus::Available | VehicleStatus::Busy
                )
            })
            .filter(|v| vehicle_documents_valid(&v.body, day))
            .filter(|v| carriers.iter().any(|c| c.id == v.body.carrier_id.0))
            .filter(|v| !self.usable_drivers(&v.body.carrier_id.0, day).is_empty())
            .collect()
    }

    /// Drivers of `carrier_id` whose licence and qualification are valid on `day`.
    pub fn usable_drivers(&self, carrier_id: &str, day: NaiveDate) -> Vec<&Stored<Driver>> {
        self.drivers
            .iter()
            .filter(|d| d.body.carrier_id.0 == carrier_id)
            .filter(|d| driver_documents_valid(&d.body, day))
            .collect()
    }
}

/// Whether the vehicle's transport certificate is valid on `day` (or not needed).
pub fn vehicle_documents_valid(v: &Vehicle, day: NaiveDate) -> bool {
    match &v.transport_certificate {
        Some(c) => c.valid_on(day),
        None => v.rated_load.0 <= CERTIFICATE_THRESHOLD.0,
    }
}

/// Whether the driver's licence and qualification are valid on `day`.
pub fn driver_documents_valid(d: &Driver, day: NaiveDate) -> bool {
    day <= d.licence.expires && d.qualification.valid_on(day)
}
