-- Where the audit chain starts after old rows were purged under the retention policy: the id of the
-- first row kept and the hash it links to. One row at most; absent means the chain starts at genesis.
CREATE TABLE audit_anchor (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  first_id   INTEGER NOT NULL,
  prev_hash  TEXT    NOT NULL,
  purged_at  TEXT    NOT NULL
);
