//! Resource limits: what bounds the work and the memory of one request, in one place. Transports
//! enforce the body sizes; the application layer and the engine entry points enforce the rest.

/// Largest request body for bulk imports, bytes.
pub const MAX_IMPORT_BODY: usize = 64 * 1024 * 1024;
/// Largest request body for everything else (records, engine problems), bytes.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// Rows in one import.
pub const MAX_IMPORT_ROWS: usize = 200_000;
/// Columns of an import CSV.
pub const MAX_CSV_COLUMNS: usize = 1_000;
/// Highest array index a CSV column may name (`goods[99].description`).
pub const MAX_CSV_INDEX: usize = 99;
/// Characters in one text field of a record.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Characters in an `external_id`.
pub const MAX_EXTERNAL_ID_CHARS: usize = 128;
/// Items in one array of a record.
pub const MAX_ARRAY_ITEMS: usize = 1_000;
/// Largest magnitude of a number in a record (beyond any weight, volume or amount in freight).
pub const MAX_NUMBER: f64 = 1e12;

/// Loads (and, separately, vehicles) in one matching request.
pub const MAX_MATCH_ITEMS: usize = 50_000;
/// Search threads a matching request may ask for (this machine's cores, at most).
pub const MAX_SEARCH_THREADS: usize = 8;
/// Seconds of search a matching request may ask for.
pub const MAX_SEARCH_SECONDS: f64 = 120.0;
/// Items (counting quantities) in one loading request.
pub const MAX_LOAD_ITEMS: u64 = 5_000;
/// Longest inside side of a container or truck body, mm (a 53 ft trailer is 16.1 m; a road train's
/// trailers are loaded one by one).
pub const MAX_CONTAINER_MM: u32 = 20_000;
/// Seconds a loading request may ask for.
pub const MAX_LOAD_SECONDS: f64 = 60.0;
/// Coordinates of one OSRM-style table request (the table has their square).
pub const MAX_TABLE_COORDINATES: usize = 1_000;
/// Coordinates of one route request.
pub const MAX_ROUTE_COORDINATES: usize = 500;
/// Jobs (including shipments' pickups and deliveries) in one dispatch problem.
pub const MAX_DISPATCH_JOBS: usize = 10_000;
/// Vehicles in one dispatch problem.
pub const MAX_DISPATCH_VEHICLES: usize = 1_000;
/// Seconds a dispatch request may ask for.
pub const MAX_DISPATCH_SECONDS: f64 = 300.0;
/// Most breaks per dispatch vehicle (each is placed by replaying the route).
pub const MAX_DISPATCH_BREAKS: usize = 16;
/// Most time windows per job, shipment stop, vehicle break.
pub const MAX_DISPATCH_WINDOWS: usize = 64;
