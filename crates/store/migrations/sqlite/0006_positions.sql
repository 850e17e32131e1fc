-- Vehicle tracks: one row per GNSS fix, keyed by (vehicle_id, time_ms), and the last known position
-- of each vehicle.
--
-- `time_ms` is the fix's GNSS time in milliseconds since the Unix epoch (UTC); sub-millisecond parts
-- are truncated on write. `alarm` and `status` are the JT/T 808 flag words (u32). `region` is the
-- tenant that reported the fix.
--
-- `positions` is an ordinary rowid table: rows arrive roughly in time order and are appended at its
-- end, so a group commit of fixes from many vehicles dirties few table pages; only the primary-key
-- index (vehicle_id, time_ms), which serves tracks and duplicate checks, is written all over. (A
-- WITHOUT ROWID table clustered by vehicle measured 3-4 times slower to append on a grown file.)

CREATE TABLE positions (
    vehicle_id  TEXT NOT NULL,
    time_ms     BIGINT NOT NULL,
    region      TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    speed_kmh   REAL NOT NULL,
    heading     INTEGER NOT NULL,
    altitude_m  INTEGER NOT NULL,
    alarm       BIGINT NOT NULL,
    status      BIGINT NOT NULL,
    mileage_km  REAL,
    fuel_l      REAL,
    source      TEXT NOT NULL,
    PRIMARY KEY (vehicle_id, time_ms)
);
-- Time-range reads (box queries, retention), already in (time, vehicle) order.
CREATE INDEX positions_time ON positions (time_ms, vehicle_id);

-- The newest fix of each vehicle; only ever moves forward in time. Retention leaves it alone.
CREATE TABLE positions_latest (
    vehicle_id  TEXT NOT NULL PRIMARY KEY,
    time_ms     BIGINT NOT NULL,
    region      TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    speed_kmh   REAL NOT NULL,
    heading     INTEGER NOT NULL,
    altitude_m  INTEGER NOT NULL,
    alarm       BIGINT NOT NULL,
    status      BIGINT NOT NULL,
    mileage_km  REAL,
    fuel_l      REAL,
    source      TEXT NOT NULL
);
CREATE INDEX positions_latest_region ON positions_latest (region, vehicle_id);
