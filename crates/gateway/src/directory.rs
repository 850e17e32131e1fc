//! Terminal registration and authentication: which vehicle a terminal reports for.

use async_trait::async_trait;
use wuliu_model::{PlateColour, VehicleId};

/// What a terminal says about itself when it registers (JT/T 808 0x0100).
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The terminal's phone number (its identity in every header).
    pub phone: String,
    /// Protocol generation the terminal speaks (2013 or 2019).
    pub protocol: u16,
    /// Province and city codes (GB/T 2260 parts).
    pub province: u16,
    /// City or county code.
    pub city: u16,
    /// Manufacturer ID.
    pub manufacturer: String,
    /// Terminal model.
    pub model: String,
    /// Terminal ID from the manufacturer.
    pub terminal_id: String,
    /// Plate colour of the vehicle the terminal is fitted to.
    pub plate_colour: Option<PlateColour>,
    /// Plate (or VIN when the vehicle has no plate yet).
    pub plate: String,
}

/// The outcome of a registration, as JT/T 808 0x8100 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterOutcome {
    /// Registered; the terminal authenticates with this code from now on.
    Registered {
        /// The authentication code to send back.
        auth_code: String,
    },
    /// The vehicle already has another terminal (result 1).
    VehicleTaken,
    /// No vehicle with that plate and colour (result 2).
    NoSuchVehicle,
    /// The terminal is bound to another vehicle (result 3).
    TerminalTaken,
}

/// The vehicle an authenticated terminal reports for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The vehicle record.
    pub vehicle_id: VehicleId,
    /// Its region.
    pub region: String,
    /// Its plate, for logs.
    pub plate: String,
}

/// Why the directory could not answer (the store is down, …): the terminal is told to retry.
#[derive(Debug, Clone, thiserror::Error)]
#[error("terminal directory: {0}")]
pub struct DirectoryError(pub String);

/// The registry of terminals, shared by every gateway (it lives in the platform's store).
#[async_trait]
pub trait TerminalDirectory: Send + Sync + 'static {
    /// Binds a terminal to the vehicle with its plate and colour and issues an authentication code.
    async fn register(&self, reg: Registration) -> Result<RegisterOutcome, DirectoryError>;
    /// The binding of a terminal whose code matches, or `None`.
    async fn authenticate(
        &self,
        phone: &str,
        code: &str,
    ) -> Result<Option<Binding>, DirectoryError>;
    /// Unbinds a terminal (0x0003); its code stops working.
    async fn unregister(&self, phone: &str) -> Result<(), DirectoryError>;
}
