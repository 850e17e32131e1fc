-- Emergency logistics (issue 28): reserves, fleet passes and relief requests, as records of the
-- usual shape. Stock lots carry their quantity and reservation holds in the body; every stock write
-- is a commit with expected versions, so concurrent issues never drive a lot below zero.

-- relief item catalogue
CREATE TABLE emergency_items (
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
CREATE UNIQUE INDEX emergency_items_external ON emergency_items (region, external_id);
CREATE INDEX emergency_items_created ON emergency_items (created_at, id);

-- emergency stockpiles (government and agreement reserves)
CREATE TABLE stockpiles (
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
CREATE UNIQUE INDEX stockpiles_external ON stockpiles (region, external_id);
CREATE INDEX stockpiles_created ON stockpiles (created_at, id);

-- stock by lot, with reservation holds
CREATE TABLE stock_lots (
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
CREATE UNIQUE INDEX stock_lots_external ON stock_lots (region, external_id);
CREATE INDEX stock_lots_created ON stock_lots (created_at, id);

-- reservations of stock for a request
CREATE TABLE stock_reservations (
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
CREATE UNIQUE INDEX stock_reservations_external ON stock_reservations (region, external_id);
CREATE INDEX stock_reservations_created ON stock_reservations (created_at, id);

-- stock leaving a stockpile
CREATE TABLE stock_issues (
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
CREATE UNIQUE INDEX stock_issues_external ON stock_issues (region, external_id);
CREATE INDEX stock_issues_created ON stock_issues (created_at, id);

-- green-channel passes (应急通行证) of fleet vehicles
CREATE TABLE green_passes (
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
CREATE UNIQUE INDEX green_passes_external ON green_passes (region, external_id);
CREATE INDEX green_passes_created ON green_passes (created_at, id);

-- relief requests from demand points
CREATE TABLE relief_requests (
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
CREATE UNIQUE INDEX relief_requests_external ON relief_requests (region, external_id);
CREATE INDEX relief_requests_created ON relief_requests (created_at, id);
