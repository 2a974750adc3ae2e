-- Late central verdicts: a visit registered while the central service was unreachable keeps the id
-- of its queued request, so the verdict that arrives later settles that very visit; a refusal
-- raises an alert that staff see on the maintenance screen until one of them acknowledges it.
ALTER TABLE hospital_visits ADD COLUMN central_request_id TEXT;
CREATE INDEX hospital_visits_by_request ON hospital_visits (central_request_id) WHERE central_request_id IS NOT NULL;

CREATE TABLE kiosk_alerts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  raised_at        TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  code             TEXT    NOT NULL,
  detail           TEXT    NOT NULL,   -- JSON: ids, codes, queue number and room; never a name or an ID number
  acknowledged_at  TEXT,
  acknowledged_by  TEXT,
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX kiosk_alerts_open ON kiosk_alerts (raised_at) WHERE acknowledged_at IS NULL;
