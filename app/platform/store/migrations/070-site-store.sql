-- The site's system of record on this kiosk (the embedded SiteStore adapter,
-- app/platform/store/site-store/sqlite.ts). Bodies are JSON the site module owns; sealed fields in
-- them were sealed before they came here.

-- Site-wide records, one row per (collection, key); a removal stays as a tombstone. `version` is
-- the site-wide change number, strictly increasing over all collections.
CREATE TABLE site_records (
  collection TEXT    NOT NULL CHECK (length(collection) BETWEEN 1 AND 64),
  key        TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  version    INTEGER NOT NULL UNIQUE CHECK (version > 0),
  deleted    INTEGER NOT NULL CHECK (deleted IN (0, 1)),
  body       TEXT,
  updated_at TEXT    NOT NULL,
  PRIMARY KEY (collection, key),
  CHECK ((deleted = 1) = (body IS NULL))
) WITHOUT ROWID;

-- The append-only event log: one row per idempotency key, never changed nor deleted in place.
CREATE TABLE site_events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  key         TEXT    NOT NULL UNIQUE,
  kind        TEXT    NOT NULL,
  at          TEXT    NOT NULL,
  terminal_id TEXT    NOT NULL,
  subject     TEXT,
  data        TEXT    NOT NULL
);
CREATE INDEX site_events_at ON site_events (at);
CREATE INDEX site_events_kind_at ON site_events (kind, at);
CREATE INDEX site_events_subject_at ON site_events (subject, at) WHERE subject IS NOT NULL;
CREATE TRIGGER site_events_no_update BEFORE UPDATE ON site_events
  BEGIN SELECT RAISE(ABORT, 'site_events is append-only'); END;
CREATE TRIGGER site_events_no_delete BEFORE DELETE ON site_events
  BEGIN SELECT RAISE(ABORT, 'site_events is append-only'); END;

-- Who is inside which area now.
CREATE TABLE site_presence (
  area    TEXT NOT NULL,
  subject TEXT NOT NULL,
  since   TEXT NOT NULL,
  PRIMARY KEY (area, subject)
) WITHOUT ROWID;

-- Each admitted passage until the door says whether it opened. `prior_since` is the presence the
-- passage replaced (NULL: the subject was not inside), so a door that did not open undoes exactly it.
CREATE TABLE site_passages (
  id          TEXT    PRIMARY KEY,
  event_key   TEXT    NOT NULL UNIQUE,
  area        TEXT    NOT NULL,
  subject     TEXT    NOT NULL,
  direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  prior_since TEXT,
  decision    TEXT    NOT NULL,
  event       TEXT,
  state       TEXT    NOT NULL CHECK (state IN ('pending', 'opened', 'undone', 'refused')),
  decided_at  TEXT    NOT NULL
);
CREATE INDEX site_passages_pending ON site_passages (decided_at) WHERE state = 'pending';

-- Daily counters (queue numbers…).
CREATE TABLE site_counters (
  counter TEXT    NOT NULL,
  day     TEXT    NOT NULL,
  value   INTEGER NOT NULL CHECK (value > 0),
  PRIMARY KEY (counter, day)
) WITHOUT ROWID;

CREATE TABLE site_alerts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  raised_at       TEXT NOT NULL,
  kind            TEXT NOT NULL,
  code            TEXT NOT NULL,
  detail          TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT
);
CREATE INDEX site_alerts_open ON site_alerts (id) WHERE acknowledged_at IS NULL;
