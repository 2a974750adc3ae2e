-- The kiosk's side of a site hub (app/platform/store/site-store/hub-client.ts): a cache of the
-- site's records, kept current by the hub's change stream, and an outbox of what the kiosk must
-- tell the hub. Bodies and payloads are sealed with the store key (the record or outbox key as
-- additional data): they may name people.

CREATE TABLE hub_records (
  collection  TEXT    NOT NULL,
  key         TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  deleted     INTEGER NOT NULL,
  body        BLOB,                  -- sealed JSON; NULL for a tombstone
  updated_at  TEXT    NOT NULL,
  PRIMARY KEY (collection, key)
);
CREATE INDEX hub_records_version ON hub_records (version);

-- The last version the change stream delivered: the stream resumes after it.
CREATE TABLE hub_sync (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  version    INTEGER NOT NULL
);

-- Written before anything is sent, in local order. `key` is the event's idempotency key (or the
-- settle operation's), so a replay is a no-op here and at the hub. A delivered row keeps its key,
-- the hub's seq and no payload for a week, so a replay still gets the same answer.
CREATE TABLE hub_outbox (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  key        TEXT    NOT NULL UNIQUE,
  op         TEXT    NOT NULL CHECK (op IN ('event', 'settle')),
  payload    BLOB,                   -- sealed JSON; NULL once delivered
  queued_at  TEXT    NOT NULL,
  sent_at    TEXT,                   -- when the hub acknowledged it
  seq        INTEGER,                -- the hub's seq of a delivered event
  error      TEXT                    -- the hub's refusal code, when it refused (never retried)
);
CREATE INDEX hub_outbox_unsent ON hub_outbox (id) WHERE sent_at IS NULL;
