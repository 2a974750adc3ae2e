-- Retention of the site's event log (SiteStore.purgeEvents): each event kind has a horizon that
-- only moves forward. Below it events may be deleted, and are not stored again; at and above it the
-- log is append-only, enforced here (until now only the hub's code kept it so).
CREATE TABLE site_event_horizons (
  kind      text        PRIMARY KEY,
  horizon   timestamptz NOT NULL,                  -- events of the kind before it are past retention
  moved_at  timestamptz NOT NULL DEFAULT now()
);

-- The hub's record of each purge that removed anything: counts only, never what went.
CREATE TABLE site_event_purges (
  id           bigserial   PRIMARY KEY,
  purged_at    timestamptz NOT NULL DEFAULT now(),
  kind         text        NOT NULL,
  horizon      timestamptz NOT NULL,
  events       integer     NOT NULL,
  passages     integer     NOT NULL,
  terminal_id  text                                -- the terminal that asked; NULL: the hub itself
);

CREATE FUNCTION site_horizon_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested, not one condition: a DELETE or TRUNCATE has no NEW to look into.
  IF TG_OP = 'UPDATE' THEN
    IF NEW.kind = OLD.kind AND NEW.horizon >= OLD.horizon THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'a retention horizon only moves forward';
END $$;
CREATE TRIGGER site_event_horizons_forward BEFORE UPDATE OR DELETE ON site_event_horizons
  FOR EACH ROW EXECUTE FUNCTION site_horizon_forward();
CREATE TRIGGER site_event_horizons_no_truncate BEFORE TRUNCATE ON site_event_horizons
  FOR EACH STATEMENT EXECUTE FUNCTION site_horizon_forward();

-- Append-only: no update; a delete only below the kind's horizon, or of the event of a passage
-- whose door did not open (site_settle_passage marks it undone first: it never happened).
CREATE FUNCTION site_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM site_event_horizons h WHERE h.kind = OLD.kind AND OLD.at < h.horizon)
       OR EXISTS (SELECT 1 FROM site_passages p WHERE p.id = OLD.key AND p.state = 'undone') THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'site_events is append-only';
END $$;
CREATE TRIGGER site_events_append_only BEFORE UPDATE OR DELETE ON site_events
  FOR EACH ROW EXECUTE FUNCTION site_events_append_only();
CREATE TRIGGER site_events_no_truncate BEFORE TRUNCATE ON site_events
  FOR EACH STATEMENT EXECUTE FUNCTION site_events_append_only();

-- Past retention on arrival (a replay of a purged event, a kiosk long offline): skipped, not stored.
CREATE FUNCTION site_events_retained() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM site_event_horizons h WHERE h.kind = NEW.kind AND NEW.at < h.horizon) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER site_events_retained BEFORE INSERT ON site_events
  FOR EACH ROW EXECUTE FUNCTION site_events_retained();

-- A settled passage names who went where and when, as its event does: it goes with its kind's
-- events. Passages decided before this migration get their kind from their event where one is kept.
ALTER TABLE site_passages ADD COLUMN kind text;
UPDATE site_passages p SET kind = e.kind FROM site_events e WHERE e.key = p.id;
CREATE INDEX site_passages_settled ON site_passages (kind, decided_at) WHERE state <> 'pending';

-- Deciding now records the passage's kind (the function of migration 003, with `kind` added).
CREATE OR REPLACE FUNCTION site_decide_passage(
  p_id text, p_area text, p_subject text, p_direction text, p_rule text, p_outer text,
  p_at timestamptz, p_kind text, p_terminal text, p_data jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  cur        site_presence%ROWTYPE;
  v_earlier  jsonb;
  outer_in   boolean := true;
  broken     text;
  v_decision jsonb;
BEGIN
  -- The row exists before it is locked, so even a first passage has a row to queue on.
  INSERT INTO site_presence (area, subject) VALUES (p_area, p_subject) ON CONFLICT DO NOTHING;
  SELECT * INTO cur FROM site_presence WHERE area = p_area AND subject = p_subject FOR UPDATE;
  -- A repeated request (its answer lost) gets the answer it had.
  SELECT decision INTO v_earlier FROM site_passages WHERE id = p_id;
  IF FOUND THEN
    RETURN v_earlier;
  END IF;

  IF p_direction = 'in' AND p_outer IS NOT NULL THEN
    SELECT inside INTO outer_in FROM site_presence WHERE area = p_outer AND subject = p_subject FOR SHARE;
    outer_in := coalesce(outer_in, false);
  END IF;
  IF NOT outer_in THEN
    v_decision := jsonb_build_object('admitted', false, 'reason', 'OUTER_AREA_REQUIRED');
  ELSE
    broken := CASE WHEN p_direction = 'in' AND cur.inside THEN 'ALREADY_INSIDE'
                   WHEN p_direction = 'out' AND NOT cur.inside THEN 'NOT_INSIDE' END;
    IF broken IS NULL OR p_rule = 'none' THEN
      v_decision := jsonb_build_object('admitted', true, 'passageId', p_id);
    ELSIF p_rule = 'hard' THEN
      v_decision := jsonb_build_object('admitted', false, 'reason', broken);
    ELSE
      v_decision := jsonb_build_object('admitted', true, 'passageId', p_id, 'ruleBroken', broken);
    END IF;
  END IF;

  IF NOT (v_decision->>'admitted')::boolean THEN
    INSERT INTO site_passages (id, kind, area, subject, decision, state) VALUES (p_id, p_kind, p_area, p_subject, v_decision, 'refused');
    RETURN v_decision;
  END IF;
  INSERT INTO site_passages (id, kind, area, subject, decision, state, prior_inside, prior_since, prior_passage)
  VALUES (p_id, p_kind, p_area, p_subject, v_decision, 'pending', cur.inside, cur.since, cur.passage_id);
  UPDATE site_presence
     SET inside = (p_direction = 'in'), since = CASE WHEN p_direction = 'in' THEN p_at END, passage_id = p_id
   WHERE area = p_area AND subject = p_subject;
  INSERT INTO site_events (key, kind, at, terminal_id, subject, data)
  VALUES (p_id, p_kind, p_at, p_terminal, p_subject, p_data) ON CONFLICT (key) DO NOTHING;
  RETURN v_decision;
END $$;
