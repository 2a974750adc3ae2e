-- The site's system of record (app/core/site-store/site-store.ts) in PostgreSQL.

-- Records every kiosk keeps a copy of. `version` comes from one sequence over all collections;
-- writers take one advisory lock (see postgres.ts), so versions become visible in order and a
-- kiosk resuming after version V never misses a change committed late with a smaller number.
CREATE SEQUENCE site_record_version AS bigint;
CREATE TABLE site_records (
  collection  text        NOT NULL,
  key         text        NOT NULL,
  version     bigint      NOT NULL UNIQUE,
  deleted     boolean     NOT NULL DEFAULT false,   -- a tombstone: kiosks catching up learn of the removal
  body        jsonb,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (collection, key)
);

-- Append-only log of what happened at kiosks; `key` (terminal:local sequence) makes a replay a no-op.
CREATE TABLE site_events (
  seq          bigserial   PRIMARY KEY,             -- order of arrival at the site
  key          text        NOT NULL UNIQUE,
  kind         text        NOT NULL,
  at           timestamptz NOT NULL,                -- when it happened at the kiosk
  terminal_id  text        NOT NULL,
  subject      text,
  data         jsonb       NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_events_at ON site_events (at DESC, seq DESC);
CREATE INDEX site_events_subject ON site_events (subject, at DESC) WHERE subject IS NOT NULL;
CREATE INDEX site_events_kind ON site_events (kind, at DESC);
CREATE INDEX site_events_terminal ON site_events (terminal_id, at DESC);

-- Who is inside which area. One row per (area, subject) ever seen: a decision locks it (FOR UPDATE),
-- so two gates deciding for the same person at the same instant take turns.
CREATE TABLE site_presence (
  area        text        NOT NULL,
  subject     text        NOT NULL,
  inside      boolean     NOT NULL DEFAULT false,
  since       timestamptz,                          -- the entry that put them inside
  passage_id  text,                                 -- the passage that set this state
  PRIMARY KEY (area, subject)
);
CREATE INDEX site_presence_inside ON site_presence (area, since) WHERE inside;

-- Every decision, by the key of its event: a repeated request gets the same answer, and an admitted
-- passage keeps what it replaced so a door that did not open can undo it.
CREATE TABLE site_passages (
  id             text        PRIMARY KEY,
  area           text        NOT NULL,
  subject        text        NOT NULL,
  decision       jsonb       NOT NULL,
  state          text        NOT NULL CHECK (state IN ('refused', 'pending', 'opened', 'undone')),
  prior_inside   boolean,
  prior_since    timestamptz,
  prior_passage  text,
  decided_at     timestamptz NOT NULL DEFAULT now(),
  settled_at     timestamptz
);

-- Numbers handed out per counter and day (a clinic's queue): one row each, bumped in place.
CREATE TABLE site_counters (
  counter  text    NOT NULL,
  day      date    NOT NULL,
  value    integer NOT NULL,
  PRIMARY KEY (counter, day)
);

CREATE TABLE site_alerts (
  id               bigserial   PRIMARY KEY,
  raised_at        timestamptz NOT NULL DEFAULT now(),
  kind             text        NOT NULL,
  code             text        NOT NULL,
  detail           jsonb       NOT NULL,
  acknowledged_at  timestamptz,
  acknowledged_by  text
);
CREATE INDEX site_alerts_open ON site_alerts (raised_at, id) WHERE acknowledged_at IS NULL;
