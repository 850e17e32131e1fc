-- Monitoring alerts: one per (waybill, rule), ID derived from both, so a re-run raises nothing twice.
-- Same shape as the entity tables; listed by status and creation time for the console and the stream.
CREATE TABLE alerts (
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
CREATE UNIQUE INDEX alerts_external ON alerts (region, external_id);
CREATE INDEX alerts_owner ON alerts (region, owner_party);
CREATE INDEX alerts_created ON alerts (created_at, id);
CREATE INDEX alerts_id ON alerts (id);
CREATE INDEX alerts_status ON alerts (status, created_at);
