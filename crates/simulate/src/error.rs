//! The library's error type.

/// What can go wrong while simulating.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The platform's API could not be reached or answered with a transport error.
    #[error("API request {what}: {source}")]
    Http {
        /// The request, e.g. `POST /api/v1/waybills`.
        what: String,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The API refused a request.
    #[error("API refused {what}: HTTP {status}: {body}")]
    Refused {
        /// The request.
        what: String,
        /// HTTP status.
        status: u16,
        /// The answer body (the API's error object).
        body: String,
    },
    /// An answer could not be read as the expected record.
    #[error("unexpected answer to {what}: {message}")]
    Answer {
        /// The request.
        what: String,
        /// What was wrong.
        message: String,
    },
    /// The fleet cannot carry the scenario (no carrier, shipper, vehicle or driver to use).
    #[error("fleet: {0}")]
    Fleet(String),
    /// A terminal could not talk to the gateway.
    #[error("terminal {plate}: {message}")]
    Terminal {
        /// The vehicle's plate.
        plate: String,
        /// What failed.
        message: String,
    },
    /// Reading or writing a local file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
