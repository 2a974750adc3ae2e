-- A passage decided (and settled) in one round trip: the whole rule runs inside PostgreSQL, in
-- one transaction, holding the (area, subject) presence row lock, instead of a conversation of
-- eight statements between the hub and the database while the lock is held.
-- Each statement of these (volatile) functions reads committed data afresh, so what a competing
-- v_decision committed while we waited for the lock is seen once we hold it.

CREATE FUNCTION site_decide_passage(
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
    INSERT INTO site_passages (id, area, subject, decision, state) VALUES (p_id, p_area, p_subject, v_decision, 'refused');
    RETURN v_decision;
  END IF;
  INSERT INTO site_passages (id, area, subject, decision, state, prior_inside, prior_since, prior_passage)
  VALUES (p_id, p_area, p_subject, v_decision, 'pending', cur.inside, cur.since, cur.passage_id);
  UPDATE site_presence
     SET inside = (p_direction = 'in'), since = CASE WHEN p_direction = 'in' THEN p_at END, passage_id = p_id
   WHERE area = p_area AND subject = p_subject;
  INSERT INTO site_events (key, kind, at, terminal_id, subject, data)
  VALUES (p_id, p_kind, p_at, p_terminal, p_subject, p_data) ON CONFLICT (key) DO NOTHING;
  RETURN v_decision;
END $$;

-- 'ok', 'unknown', or 'conflict:<state>'. Settling is idempotent; a refused passage has nothing to
-- settle; an outcome never flips. Undoing restores the presence only if no later passage of the
-- same person replaced it, and removes the passage's event.
CREATE FUNCTION site_settle_passage(p_id text, p_opened boolean) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  p      site_passages%ROWTYPE;
  wanted text := CASE WHEN p_opened THEN 'opened' ELSE 'undone' END;
BEGIN
  SELECT * INTO p FROM site_passages WHERE id = p_id;
  IF NOT FOUND THEN
    RETURN 'unknown';
  END IF;
  -- Lock order as in site_decide_passage (presence, then passage), so the two never deadlock.
  PERFORM 1 FROM site_presence WHERE area = p.area AND subject = p.subject FOR UPDATE;
  SELECT * INTO p FROM site_passages WHERE id = p_id FOR UPDATE;
  IF p.state = wanted OR (p.state = 'refused' AND NOT p_opened) THEN
    RETURN 'ok';
  END IF;
  IF p.state <> 'pending' THEN
    RETURN 'conflict:' || p.state;
  END IF;
  UPDATE site_passages SET state = wanted, settled_at = now() WHERE id = p_id;
  IF NOT p_opened THEN
    UPDATE site_presence SET inside = p.prior_inside, since = p.prior_since, passage_id = p.prior_passage
     WHERE area = p.area AND subject = p.subject AND passage_id = p_id;
    DELETE FROM site_events WHERE key = p_id;
  END IF;
  RETURN 'ok';
END $$;
