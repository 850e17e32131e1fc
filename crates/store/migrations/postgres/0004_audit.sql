-- The audit trail: one row per write, appended in the same transaction as the write it records.
-- Append-only: the trigger below refuses every UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    seq         BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    region      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    party_id    TEXT,
    address     TEXT,
    request_id  TEXT,
    action      TEXT NOT NULL,
    kind        TEXT,
    record_id   TEXT,
    version     BIGINT,
    diff        TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_id, seq);
CREATE INDEX audit_log_region ON audit_log (region, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- One row that /health rewrites to prove the database can still write.
CREATE TABLE wuliu_health (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
INSERT INTO wuliu_health (id, at) VALUES (1, '');
