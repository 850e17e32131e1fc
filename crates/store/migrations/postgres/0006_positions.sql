-- Vehicle tracks: one row per GNSS fix, keyed by (vehicle_id, time_ms), and the last known position
-- of each vehicle.
--
-- `time_ms` is the fix's GNSS time in milliseconds since the Unix epoch (UTC); sub-millisecond parts
-- are truncated on write. `alarm` and `status` are the JT/T 808 flag words (u32). `region` is the
-- tenant that reported the fix.
--
-- `positions` is partitioned by UTC day on `time_ms`: the store creates `positions_YYYYMMDD`
-- (FOR VALUES FROM (midnight) TO (next midnight), in epoch ms) before it first writes to a day, and
-- retention drops whole partitions. `positions_default` only catches rows whose day partition is
-- missing (it should stay empty). `vehicle_id` sorts bytewise (COLLATE "C"), as on SQLite, so keyset
-- paging by (vehicle_id, time_ms) returns the same order on both backends.

CREATE TABLE positions (
    vehicle_id  TEXT COLLATE "C" NOT NULL,
    time_ms     BIGINT NOT NULL,
    region      TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    speed_kmh   DOUBLE PRECISION NOT NULL,
    heading     INTEGER NOT NULL,
    altitude_m  INTEGER NOT NULL,
    alarm       BIGINT NOT NULL,
    status      BIGINT NOT NULL,
    mileage_km  DOUBLE PRECISION,
    fuel_l      DOUBLE PRECISION,
    source      TEXT NOT NULL,
    PRIMARY KEY (vehicle_id, time_ms)
) PARTITION BY RANGE (time_ms);
-- Time-range reads (box queries); each partition gets its own copy.
CREATE INDEX positions_time ON positions (time_ms);
CREATE TABLE positions_default PARTITION OF positions DEFAULT;

-- The newest fix of each vehicle; only ever moves forward in time. Retention leaves it alone.
CREATE TABLE positions_latest (
    vehicle_id  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    time_ms     BIGINT NOT NULL,
    region      TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    speed_kmh   DOUBLE PRECISION NOT NULL,
    heading     INTEGER NOT NULL,
    altitude_m  INTEGER NOT NULL,
    alarm       BIGINT NOT NULL,
    status      BIGINT NOT NULL,
    mileage_km  DOUBLE PRECISION,
    fuel_l      DOUBLE PRECISION,
    source      TEXT NOT NULL
);
CREATE INDEX positions_latest_region ON positions_latest (region, vehicle_id);
