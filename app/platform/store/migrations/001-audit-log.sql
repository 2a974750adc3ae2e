-- Append-only, hash-chained audit log. Each row's hash = sha256(prev_hash || canonical row content),
-- so editing or deleting any row breaks every hash after it. Rows never hold personal data.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT    NOT NULL,
  actor      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  detail     TEXT    NOT NULL,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
