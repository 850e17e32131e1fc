-- Live road changes (closures and slowdowns) in force, one row per change ID, and a store-wide
-- revision counter that every write bumps, so a server can ask "anything newer than revision R?".
CREATE TABLE road_changes (
    id        TEXT PRIMARY KEY,
    body      TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL,
    revision  BIGINT NOT NULL
);
CREATE TABLE road_change_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL);
INSERT INTO road_change_revision (id, revision) VALUES (1, 0);
