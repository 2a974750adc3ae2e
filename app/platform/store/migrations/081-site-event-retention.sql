-- Retention of the site's event log (SiteStore.purgeEvents): each event kind has a horizon that
-- only moves forward. Below it events may be deleted, and are not stored again; at and above it the
-- log stays append-only, enforced here as before, so no bug in the kiosk can rewrite it.
CREATE TABLE site_event_horizons (
  kind     TEXT NOT NULL PRIMARY KEY,
  horizon  TEXT NOT NULL,   -- UTC instant as the events' `at`: events before it are past retention
  moved_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER site_event_horizons_forward BEFORE UPDATE ON site_event_horizons
  WHEN NEW.kind IS NOT OLD.kind OR NEW.horizon < OLD.horizon
  BEGIN SELECT RAISE(ABORT, 'a retention horizon only moves forward'); END;
CREATE TRIGGER site_event_horizons_kept BEFORE DELETE ON site_event_horizons
  BEGIN SELECT RAISE(ABORT, 'a retention horizon only moves forward'); END;

DROP TRIGGER site_events_no_delete;
CREATE TRIGGER site_events_no_delete BEFORE DELETE ON site_events
  WHEN NOT EXISTS (SELECT 1 FROM site_event_horizons h WHERE h.kind = OLD.kind AND OLD.at < h.horizon)
  BEGIN SELECT RAISE(ABORT, 'site_events is append-only'); END;
-- Past retention on arrival (a replay of a purged event, a kiosk long offline): skipped, not stored.
CREATE TRIGGER site_events_past_retention BEFORE INSERT ON site_events
  WHEN EXISTS (SELECT 1 FROM site_event_horizons h WHERE h.kind = NEW.kind AND NEW.at < h.horizon)
  BEGIN SELECT RAISE(IGNORE); END;

-- A settled passage names who went where and when, as its event does: it goes with its kind's
-- events. The kind of passages decided before this migration is recovered where an event tells it.
ALTER TABLE site_passages ADD COLUMN kind TEXT;
UPDATE site_passages SET kind = json_extract(event, '$.kind') WHERE event IS NOT NULL;
UPDATE site_passages SET kind = (SELECT e.kind FROM site_events e WHERE e.key = site_passages.event_key) WHERE kind IS NULL;
CREATE INDEX site_passages_settled ON site_passages (kind, decided_at) WHERE state <> 'pending';

-- The hub client's outbox remembers each event's kind and time (not its subject or data, which stay
-- sealed in the payload), so a purge forgets its answers about purged events too.
ALTER TABLE hub_outbox ADD COLUMN kind TEXT;
ALTER TABLE hub_outbox ADD COLUMN at TEXT;
