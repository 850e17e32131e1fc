//! Typed errors of the road engine.

use std::path::PathBuf;

/// Everything that can go wrong while importing, preparing, saving, loading or querying a network.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RoadError {
    /// The PBF file could not be opened.
    #[error("cannot open {path}: {source}")]
    Open {
        /// The file that was opened.
        path: PathBuf,
        /// The underlying error.
        source: osmpbf::Error,
    },
    /// A PBF block (blob) is corrupt or cannot be decoded.
    #[error("corrupt PBF block #{block} at byte offset {offset:?}: {source}")]
    CorruptBlock {
        /// Position of the block in the file, counting from 0.
        block: usize,
        /// Byte offset of the block, when known.
        offset: Option<u64>,
        /// The decoder's message.
        source: osmpbf::Error,
    },
    /// A way in the file is inconsistent in a way that cannot be skipped.
    #[error("way {way_id}: {reason}")]
    BadWay {
        /// OSM id of the way.
        way_id: i64,
        /// What is wrong with it.
        reason: String,
    },
    /// The extract contains no usable road for the profile.
    #[error("the extract contains no road usable by the {profile} profile")]
    NoRoads {
        /// The profile name.
        profile: String,
    },
    /// Reading or writing a prepared file failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A prepared file has the wrong magic number, version or is truncated.
    #[error("{path} is not a valid prepared network: {reason}")]
    BadPreparedFile {
        /// The file involved.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A coordinate is not a valid WGS-84 point.
    #[error("point {index} ({lat}, {lon}) is not a valid WGS-84 coordinate")]
    InvalidPoint {
        /// Position of the point in the request.
        index: usize,
        /// Latitude given.
        lat: f64,
        /// Longitude given.
        lon: f64,
    },
    /// No usable road within the snapping radius.
    #[error("point {index} is farther than {radius_m} m from any usable road")]
    NoRoadNearby {
        /// Position of the point in the request.
        index: usize,
        /// The radius that was searched.
        radius_m: f64,
    },
    /// The request is malformed (too few points, bad option, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The requesting vehicle exceeds the limits of the vehicle class the network was prepared for.
    #[error("vehicle exceeds the class this network was prepared for: {0}")]
    VehicleExceedsPreparedClass(String),
    /// The request has more items than the engine accepts in one request.
    #[error("too many {what}: {count} given, at most {limit} per request")]
    TooBig {
        /// What was counted (e.g. `points`).
        what: &'static str,
        /// How many were given.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = RoadError> = std::result::Result<T, E>;
