-- Plan supervision records (same shape as the entity tables): indicator values the regulator enters
-- with their source, and progress reports on the key projects.
CREATE TABLE indicator_values (
    region        TEXT NOT NULL,
    id            TEXT NOT NULL,
    external_id   TEXT,
    owner_party   TEXT,
    partner_party TEXT,
    status        TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX indicator_values_external ON indicator_values (region, external_id);
CREATE INDEX indicator_values_created ON indicator_values (created_at, id);

CREATE TABLE project_reports (
    region        TEXT NOT NULL,
    id            TEXT NOT NULL,
    external_id   TEXT,
    owner_party   TEXT,
    partner_party TEXT,
    status        TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX project_reports_external ON project_reports (region, external_id);
CREATE INDEX project_reports_created ON project_reports (created_at, id);

-- Indicator facts: one narrow row per counted waybill (confirmed or later), kept by the store in the
-- same transaction as the waybill, so the aggregates below never drift from the records.
CREATE TABLE waybill_facts (
    id        TEXT NOT NULL,
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,      -- Beijing calendar day of despatch (or consignment)
    county    TEXT NOT NULL,      -- GB/T 2260 code of the place of loading
    industry  TEXT NOT NULL,      -- first two digits of the heaviest goods line's cargo type code
    shipper   TEXT NOT NULL,
    carrier   TEXT NOT NULL,
    vehicle   TEXT NOT NULL,      -- platform vehicle ID, else the plate
    tonnes    REAL NOT NULL,
    km        REAL NOT NULL,
    amount    REAL NOT NULL,
    cold      BIGINT NOT NULL,    -- 1 for cold-chain goods
    on_time   BIGINT,             -- 1 / 0 when a deadline and a receipt time are known
    hours     REAL,               -- despatch to receipt
    origin_lat REAL,
    origin_lon REAL,
    PRIMARY KEY (region, id)
);
CREATE INDEX waybill_facts_day ON waybill_facts (region, day);
CREATE INDEX waybill_facts_shipper ON waybill_facts (shipper, day);
CREATE INDEX waybill_facts_carrier ON waybill_facts (carrier, day);

-- Daily rollup by county and industry, adjusted by every fact change (add new, subtract old).
CREATE TABLE stat_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    county    TEXT NOT NULL,
    industry  TEXT NOT NULL,
    waybills  BIGINT NOT NULL,
    tonnes    REAL NOT NULL,
    tonne_km  REAL NOT NULL,
    amount    REAL NOT NULL,
    cold      BIGINT NOT NULL,
    on_time   BIGINT NOT NULL,
    timed     BIGINT NOT NULL,
    hours     REAL NOT NULL,
    delivered BIGINT NOT NULL,
    PRIMARY KEY (region, day, county, industry)
);
CREATE INDEX stat_day_day ON stat_day (day);

-- Vehicles with a waybill on a day (distinct counts of active vehicles).
CREATE TABLE stat_vehicle_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    vehicle   TEXT NOT NULL,
    waybills  BIGINT NOT NULL,
    PRIMARY KEY (region, day, vehicle)
);
CREATE INDEX stat_vehicle_day_day ON stat_vehicle_day (day);
