-- Dispatch plans: a submitted vehicle-routing request, its state (queued, solving, solved, failed) and,
-- once solved, its routes. Same shape as the entity tables.
CREATE TABLE dispatch_plans (
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
CREATE UNIQUE INDEX dispatch_plans_external ON dispatch_plans (region, external_id);
CREATE INDEX dispatch_plans_owner ON dispatch_plans (region, owner_party);
CREATE INDEX dispatch_plans_created ON dispatch_plans (created_at, id);
CREATE INDEX dispatch_plans_id ON dispatch_plans (id);
