-- Rollups for the prosperity index, the load heat map and parties' own dashboards. Per-unit rollups for the index (`unit_months` in stats.rs), kept like stat_day
-- by every fact change, so a month of the index reads a few hundred rows instead of scanning that
-- month's waybill_facts (a year of index history scanned 14 months of facts three times).
--
-- kind: 'carrier', 'shipper' or 'county'; unit: the party ID or county code.
-- Vehicles with a waybill of a unit on a day (for distinct vehicle-days).
CREATE TABLE stat_unit_vehicle_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    vehicle   TEXT NOT NULL,
    waybills  BIGINT NOT NULL,
    PRIMARY KEY (region, day, kind, unit, vehicle)
);

-- A unit's month per vehicle: one row per distinct vehicle (COUNT(*) = distinct vehicles), its
-- distinct days (SUM = vehicle-days) and the additive sums.
CREATE TABLE stat_unit_vehicle_month (
    region    TEXT NOT NULL,
    month     TEXT NOT NULL,      -- YYYY-MM
    kind      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    vehicle   TEXT NOT NULL,
    days      BIGINT NOT NULL,
    waybills  BIGINT NOT NULL,
    tonnes    DOUBLE PRECISION NOT NULL,
    tonne_km  DOUBLE PRECISION NOT NULL,
    hours     DOUBLE PRECISION NOT NULL,  -- sum of known despatch-to-receipt hours
    delivered BIGINT NOT NULL,            -- waybills whose hours are known
    PRIMARY KEY (region, month, kind, unit, vehicle)
);
CREATE INDEX stat_unit_vehicle_month_month ON stat_unit_vehicle_month (month, kind);

-- Existing facts.
INSERT INTO stat_unit_vehicle_day (region, day, kind, unit, vehicle, waybills)
SELECT region, day, 'carrier', carrier, vehicle, COUNT(*) FROM waybill_facts GROUP BY region, day, carrier, vehicle;
INSERT INTO stat_unit_vehicle_day (region, day, kind, unit, vehicle, waybills)
SELECT region, day, 'shipper', shipper, vehicle, COUNT(*) FROM waybill_facts GROUP BY region, day, shipper, vehicle;
INSERT INTO stat_unit_vehicle_day (region, day, kind, unit, vehicle, waybills)
SELECT region, day, 'county', county, vehicle, COUNT(*) FROM waybill_facts GROUP BY region, day, county, vehicle;

INSERT INTO stat_unit_vehicle_month (region, month, kind, unit, vehicle, days, waybills, tonnes, tonne_km, hours, delivered)
SELECT region, substr(day, 1, 7), 'carrier', carrier, vehicle, COUNT(DISTINCT day), COUNT(*), SUM(tonnes), SUM(tonnes * km),
       SUM(COALESCE(hours, 0.0)), SUM(CASE WHEN hours IS NULL THEN 0 ELSE 1 END)
FROM waybill_facts GROUP BY region, substr(day, 1, 7), carrier, vehicle;
INSERT INTO stat_unit_vehicle_month (region, month, kind, unit, vehicle, days, waybills, tonnes, tonne_km, hours, delivered)
SELECT region, substr(day, 1, 7), 'shipper', shipper, vehicle, COUNT(DISTINCT day), COUNT(*), SUM(tonnes), SUM(tonnes * km),
       SUM(COALESCE(hours, 0.0)), SUM(CASE WHEN hours IS NULL THEN 0 ELSE 1 END)
FROM waybill_facts GROUP BY region, substr(day, 1, 7), shipper, vehicle;
INSERT INTO stat_unit_vehicle_month (region, month, kind, unit, vehicle, days, waybills, tonnes, tonne_km, hours, delivered)
SELECT region, substr(day, 1, 7), 'county', county, vehicle, COUNT(DISTINCT day), COUNT(*), SUM(tonnes), SUM(tonnes * km),
       SUM(COALESCE(hours, 0.0)), SUM(CASE WHEN hours IS NULL THEN 0 ELSE 1 END)
FROM waybill_facts GROUP BY region, substr(day, 1, 7), county, vehicle;

-- Waybills by day and loading point rounded to 0.01° (cell = ROUND(degrees × 100)), for the load
-- heat map (`origin_heat`), instead of scanning 30 days of waybill_facts.
CREATE TABLE stat_origin_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    lat_cell  BIGINT NOT NULL,
    lon_cell  BIGINT NOT NULL,
    waybills  BIGINT NOT NULL,
    PRIMARY KEY (region, day, lat_cell, lon_cell)
);
INSERT INTO stat_origin_day (region, day, lat_cell, lon_cell, waybills)
SELECT region, day, CAST(ROUND(origin_lat * 100) AS BIGINT), CAST(ROUND(origin_lon * 100) AS BIGINT), COUNT(*)
FROM waybill_facts WHERE origin_lat IS NOT NULL AND origin_lon IS NOT NULL
GROUP BY region, day, CAST(ROUND(origin_lat * 100) AS BIGINT), CAST(ROUND(origin_lon * 100) AS BIGINT);

-- A party's own numbers (a shipper or carrier sees the dashboard over its waybills): the daily
-- rollup again per party, one row per party in either role (once when a party both ships and
-- carries a waybill), instead of scanning the party's waybill_facts (a busy carrier has hundreds of
-- thousands a year).
CREATE TABLE stat_party_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    party     TEXT NOT NULL,
    county    TEXT NOT NULL,
    industry  TEXT NOT NULL,
    waybills  BIGINT NOT NULL,
    tonnes    DOUBLE PRECISION NOT NULL,
    tonne_km  DOUBLE PRECISION NOT NULL,
    amount    DOUBLE PRECISION NOT NULL,
    cold      BIGINT NOT NULL,
    on_time   BIGINT NOT NULL,
    timed     BIGINT NOT NULL,
    hours     DOUBLE PRECISION NOT NULL,
    delivered BIGINT NOT NULL,
    PRIMARY KEY (region, party, day, county, industry)
);
CREATE TABLE stat_party_vehicle_day (
    region    TEXT NOT NULL,
    day       TEXT NOT NULL,
    party     TEXT NOT NULL,
    vehicle   TEXT NOT NULL,
    waybills  BIGINT NOT NULL,
    PRIMARY KEY (region, party, day, vehicle)
);
CREATE INDEX stat_party_day_party ON stat_party_day (party, day);
CREATE INDEX stat_party_vehicle_day_party ON stat_party_vehicle_day (party, day);

INSERT INTO stat_party_day (region, day, party, county, industry, waybills, tonnes, tonne_km, amount, cold, on_time, timed, hours, delivered)
SELECT region, day, party, county, industry, COUNT(*), SUM(tonnes), SUM(tonnes * km), SUM(amount), SUM(cold),
       SUM(CASE WHEN on_time = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN on_time IS NULL THEN 0 ELSE 1 END),
       SUM(COALESCE(hours, 0.0)), SUM(CASE WHEN hours IS NULL THEN 0 ELSE 1 END)
FROM (SELECT region, day, shipper AS party, county, industry, tonnes, km, amount, cold, on_time, hours FROM waybill_facts
      UNION ALL
      SELECT region, day, carrier AS party, county, industry, tonnes, km, amount, cold, on_time, hours FROM waybill_facts
      WHERE carrier <> shipper) p
GROUP BY region, day, party, county, industry;
INSERT INTO stat_party_vehicle_day (region, day, party, vehicle, waybills)
SELECT region, day, party, vehicle, COUNT(*)
FROM (SELECT region, day, shipper AS party, vehicle FROM waybill_facts
      UNION ALL
      SELECT region, day, carrier AS party, vehicle FROM waybill_facts WHERE carrier <> shipper) p
GROUP BY region, day, party, vehicle;
