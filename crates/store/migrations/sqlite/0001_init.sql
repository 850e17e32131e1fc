-- Wuliu schema v1 (sqlite). Every table carries `region` (GB/T 2260 code), the tenant/distribution key.
-- Entity fields live in `body` (JSON); the columns beside it are the keys that access control,
-- idempotent import and listing use. The JSON shape of `body` is the documented API schema (/openapi.json).

CREATE TABLE parties (
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
CREATE UNIQUE INDEX parties_external ON parties (region, external_id);
CREATE INDEX parties_owner ON parties (region, owner_party);
CREATE INDEX parties_partner ON parties (region, partner_party);
CREATE INDEX parties_created ON parties (created_at, id);

CREATE TABLE vehicles (
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
CREATE UNIQUE INDEX vehicles_external ON vehicles (region, external_id);
CREATE INDEX vehicles_owner ON vehicles (region, owner_party);
CREATE INDEX vehicles_partner ON vehicles (region, partner_party);
CREATE INDEX vehicles_created ON vehicles (created_at, id);

CREATE TABLE drivers (
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
CREATE UNIQUE INDEX drivers_external ON drivers (region, external_id);
CREATE INDEX drivers_owner ON drivers (region, owner_party);
CREATE INDEX drivers_partner ON drivers (region, partner_party);
CREATE INDEX drivers_created ON drivers (created_at, id);

CREATE TABLE loads (
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
CREATE UNIQUE INDEX loads_external ON loads (region, external_id);
CREATE INDEX loads_owner ON loads (region, owner_party);
CREATE INDEX loads_partner ON loads (region, partner_party);
CREATE INDEX loads_created ON loads (created_at, id);

CREATE TABLE waybills (
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
CREATE UNIQUE INDEX waybills_external ON waybills (region, external_id);
CREATE INDEX waybills_owner ON waybills (region, owner_party);
CREATE INDEX waybills_partner ON waybills (region, partner_party);
CREATE INDEX waybills_created ON waybills (created_at, id);

CREATE TABLE payments (
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
CREATE UNIQUE INDEX payments_external ON payments (region, external_id);
CREATE INDEX payments_owner ON payments (region, owner_party);
CREATE INDEX payments_partner ON payments (region, partner_party);
CREATE INDEX payments_created ON payments (created_at, id);

CREATE TABLE facilities (
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
CREATE UNIQUE INDEX facilities_external ON facilities (region, external_id);
CREATE INDEX facilities_owner ON facilities (region, owner_party);
CREATE INDEX facilities_partner ON facilities (region, partner_party);
CREATE INDEX facilities_created ON facilities (created_at, id);

CREATE TABLE events (
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
CREATE UNIQUE INDEX events_external ON events (region, external_id);
CREATE INDEX events_owner ON events (region, owner_party);
CREATE INDEX events_partner ON events (region, partner_party);
CREATE INDEX events_created ON events (created_at, id);

CREATE TABLE counties (
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
CREATE UNIQUE INDEX counties_external ON counties (region, external_id);
CREATE INDEX counties_owner ON counties (region, owner_party);
CREATE INDEX counties_partner ON counties (region, partner_party);
CREATE INDEX counties_created ON counties (created_at, id);

CREATE TABLE plan_targets (
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
CREATE UNIQUE INDEX plan_targets_external ON plan_targets (region, external_id);
CREATE INDEX plan_targets_owner ON plan_targets (region, owner_party);
CREATE INDEX plan_targets_partner ON plan_targets (region, partner_party);
CREATE INDEX plan_targets_created ON plan_targets (created_at, id);

CREATE TABLE baselines (
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
CREATE UNIQUE INDEX baselines_external ON baselines (region, external_id);
CREATE INDEX baselines_owner ON baselines (region, owner_party);
CREATE INDEX baselines_partner ON baselines (region, partner_party);
CREATE INDEX baselines_created ON baselines (created_at, id);

CREATE TABLE api_tokens (
    region      TEXT NOT NULL,
    token_hash  TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    party_id    TEXT,
    created_at  TEXT NOT NULL
);
