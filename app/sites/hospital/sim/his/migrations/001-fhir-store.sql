-- The simulated hospital's FHIR store: every resource as JSON, plus the per-clinic daily queue counters.
CREATE TABLE resources (
  type          TEXT NOT NULL,
  id            TEXT NOT NULL,
  version_id    INTEGER NOT NULL,
  last_updated  TEXT NOT NULL,
  json          TEXT NOT NULL,
  PRIMARY KEY (type, id)
);
CREATE TABLE queue_counters (
  location_id  TEXT NOT NULL,
  day          TEXT NOT NULL,
  last_number  INTEGER NOT NULL,
  PRIMARY KEY (location_id, day)
);
