-- Government desks (issue 29): units, task-division tasks and progress reports, county targets,
-- foreign-enterprise appeals and the desk's reports, the industry-education platform's demands and
-- supply, and attachments, as records of the usual shape.

-- Government units (市发展改革委, 市商务局, …): the units gazette tasks name and officials act for.
CREATE TABLE gov_units (
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
CREATE UNIQUE INDEX gov_units_external ON gov_units (region, external_id);
CREATE INDEX gov_units_created ON gov_units (created_at, id);
CREATE INDEX gov_units_id ON gov_units (id);

-- Tasks and measures of the gazette's task-division documents (61号, 69号).
CREATE TABLE gov_tasks (
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
CREATE UNIQUE INDEX gov_tasks_external ON gov_tasks (region, external_id);
CREATE INDEX gov_tasks_created ON gov_tasks (created_at, id);
CREATE INDEX gov_tasks_id ON gov_tasks (id);

-- Progress reports by units on gazette tasks.
CREATE TABLE task_reports (
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
CREATE UNIQUE INDEX task_reports_external ON task_reports (region, external_id);
CREATE INDEX task_reports_created ON task_reports (created_at, id);
CREATE INDEX task_reports_id ON task_reports (id);

-- The 2025 county targets of 63号 (reference data).
CREATE TABLE county_targets (
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
CREATE UNIQUE INDEX county_targets_external ON county_targets (region, external_id);
CREATE INDEX county_targets_created ON county_targets (created_at, id);
CREATE INDEX county_targets_id ON county_targets (id);

-- Values of county targets entered with their source.
CREATE TABLE county_target_values (
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
CREATE UNIQUE INDEX county_target_values_external ON county_target_values (region, external_id);
CREATE INDEX county_target_values_created ON county_target_values (created_at, id);
CREATE INDEX county_target_values_id ON county_target_values (id);

-- Foreign-enterprise appeals (外资企业问题诉求, 65号).
CREATE TABLE foreign_appeals (
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
CREATE UNIQUE INDEX foreign_appeals_external ON foreign_appeals (region, external_id);
CREATE INDEX foreign_appeals_created ON foreign_appeals (created_at, id);
CREATE INDEX foreign_appeals_id ON foreign_appeals (id);

-- The appeal desk's weekly and monthly reports, with their approval.
CREATE TABLE appeal_reports (
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
CREATE UNIQUE INDEX appeal_reports_external ON appeal_reports (region, external_id);
CREATE INDEX appeal_reports_created ON appeal_reports (created_at, id);
CREATE INDEX appeal_reports_id ON appeal_reports (id);

-- Enterprises' demands on the industry–education platform (jobs, internships, joint training, R&D problems).
CREATE TABLE talent_demands (
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
CREATE UNIQUE INDEX talent_demands_external ON talent_demands (region, external_id);
CREATE INDEX talent_demands_created ON talent_demands (created_at, id);
CREATE INDEX talent_demands_id ON talent_demands (id);

-- Colleges' supply on the industry–education platform (programmes, graduates, labs, teachers).
CREATE TABLE talent_supplies (
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
CREATE UNIQUE INDEX talent_supplies_external ON talent_supplies (region, external_id);
CREATE INDEX talent_supplies_created ON talent_supplies (created_at, id);
CREATE INDEX talent_supplies_id ON talent_supplies (id);

-- Files attached to records (progress reports, appeals).
CREATE TABLE attachments (
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
CREATE UNIQUE INDEX attachments_external ON attachments (region, external_id);
CREATE INDEX attachments_created ON attachments (created_at, id);
CREATE INDEX attachments_id ON attachments (id);

-- Per-region settings of a government desk (the appeal desk's cut-off times, holidays, groups).
CREATE TABLE desk_configs (
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
CREATE UNIQUE INDEX desk_configs_external ON desk_configs (region, external_id);
CREATE INDEX desk_configs_created ON desk_configs (created_at, id);
CREATE INDEX desk_configs_id ON desk_configs (id);
