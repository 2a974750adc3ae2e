-- Central verification (RAR): one row per verification request, the record of its verdict and,
-- while no verdict has arrived, the outbox entry that delivers it (at least once, deduplicated by
-- request id). The request body holds personal data only while queued and is erased on the verdict.
CREATE TABLE rar_verifications (
  request_id       TEXT PRIMARY KEY,
  created_at       TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('queued', 'done')),
  origin           TEXT    NOT NULL CHECK (origin IN ('online', 'offline')),
  request_body     TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,   -- deliveries that may have reached the service
  next_attempt_at  INTEGER NOT NULL DEFAULT 0,   -- epoch ms
  last_error       TEXT,
  verdict          TEXT,
  reasons          TEXT,
  transaction_code TEXT,
  responded_at     TEXT,
  signed_response  TEXT,                         -- exact signed bytes: ids, verdict and codes only
  signature        TEXT,                         -- base64, so the verdict can be re-proven later
  verdict_at       TEXT,
  CHECK ((state = 'done') = (verdict IS NOT NULL)),
  CHECK (state = 'done' OR request_body IS NOT NULL)
);
CREATE INDEX rar_verifications_due ON rar_verifications (state, next_attempt_at);
CREATE TRIGGER rar_verdict_is_final BEFORE UPDATE OF verdict ON rar_verifications
WHEN OLD.verdict IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a RAR verdict is final'); END;
