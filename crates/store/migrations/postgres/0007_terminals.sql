-- JT/T 808 terminals bound to vehicles (one per vehicle: the ID is trm_<vehicle>; a registered
-- terminal's phone is its external ID). Same shape as the entity tables.
CREATE TABLE terminals (
    region        TEXT NOT NULL,
    id            TEXT NOT NULL,
    external_id   TEXT,
    owner_party   TEXT,
    partner_party TEXT,
    status        TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    body          JSONB NOT NULL,
    PRIMARY KEY (region, id)
);
CREATE UNIQUE INDEX terminals_external ON terminals (region, external_id);
CREATE INDEX terminals_owner ON terminals (region, owner_party);
CREATE INDEX terminals_created ON terminals (created_at, id);
CREATE INDEX terminals_id ON terminals (id);
