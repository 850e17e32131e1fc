//! The gateway's ports implemented over the platform: terminal bindings from the application
//! layer's registry, positions into the track store.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use wuliu_app::terminals::{Registered, TerminalRegistration, TerminalRegistry};
use wuliu_model::Position;
use wuliu_store::Repository;

use crate::directory::{Binding, DirectoryError, RegisterOutcome, Registration, TerminalDirectory};
use crate::sink::{Fix, PositionSink, SinkError};

/// Terminal bindings kept in the platform's store.
pub struct StoreDirectory(pub TerminalRegistry);

fn directory_error(e: impl std::fmt::Display) -> DirectoryError {
    DirectoryError(e.to_string())
}

#[async_trait]
impl TerminalDirectory for StoreDirectory {
    async fn register(&self, reg: Registration) -> Result<RegisterOutcome, DirectoryError> {
        let reg = TerminalRegistration {
            phone: reg.phone,
            protocol: reg.protocol,
            manufacturer: reg.manufacturer,
            model: reg.model,
            terminal_id: reg.terminal_id,
            plate_colour: reg.plate_colour,
            plate: reg.plate,
        };
        Ok(
            match self.0.register(&reg).await.map_err(directory_error)? {
                Registered::Bound { auth_code } => RegisterOutcome::Registered { auth_code },
                Registered::VehicleTaken => RegisterOutcome::VehicleTaken,
                Registered::NoSuchVehicle => RegisterOutcome::NoSuchVehicle,
                Registered::TerminalTaken => RegisterOutcome::TerminalTaken,
            },
        )
    }

    async fn authenticate(
        &self,
        phone: &str,
        code: &str,
    ) -> Result<Option<Binding>, DirectoryError> {
        let found = self
            .0
            .authenticate(phone, code)
            .await
            .map_err(directory_error)?;
        Ok(found.map(|b| Binding {
            vehicle_id: b.vehicle_id,
            region: b.region,
            plate: b.plate,
        }))
    }

    async fn unregister(&self, phone: &str) -> Result<(), DirectoryError> {
        self.0.unregister(phone).await.map_err(directory_error)?;
        Ok(())
    }
}

/// Positions straight into the track store: one transaction per region per batch.
pub struct StoreSink(pub Arc<dyn Repository>);

#[async_trait]
impl PositionSink for StoreSink {
    async fn append(&self, fixes: &[Fix]) -> Result<(), SinkError> {
        let mut by_region: BTreeMap<&str, Vec<Position>> = BTreeMap::new();
        for fix in fixes {
            by_region
                .entry(&fix.region)
                .or_default()
                .push(fix.position.clone());
        }
        for (region, positions) in by_region {
            self.0
                .append_positions(region, &positions)
                .await
                .map_err(|e| SinkError {
                    sink: "store",
                    message: e.to_string(),
                })?;
        }
        Ok(())
    }
}
