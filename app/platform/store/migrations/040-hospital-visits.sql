-- Hospital registrations made at the kiosk and what was verified before each one.
-- full_name and patient_id are the only personal data: the retention job sets them to NULL and
-- stamps purged_at; the rest (codes, room, queue number) stays for statistics and audits.
CREATE TABLE hospital_visits (
  visit_id              TEXT    PRIMARY KEY,
  registered_at         TEXT    NOT NULL,
  local_day             TEXT    NOT NULL,
  examination_type      TEXT    NOT NULL CHECK (examination_type IN ('insurance', 'service')),
  department_name       TEXT    NOT NULL,
  clinic_id             TEXT    NOT NULL,
  room                  TEXT    NOT NULL,
  queue_number          INTEGER NOT NULL CHECK (queue_number > 0),
  insurance_code        TEXT,
  pa_verdict            TEXT    NOT NULL CHECK (pa_verdict IN ('pass', 'fail', 'not-run')),
  clone_verdict         TEXT    NOT NULL CHECK (clone_verdict IN ('pass', 'fail', 'unsupported', 'not-run')),
  face_score            REAL    CHECK (face_score IS NULL OR (face_score >= 0 AND face_score <= 1)),
  central_verdict       TEXT    NOT NULL CHECK (central_verdict IN ('confirmed', 'rejected', 'unreachable', 'not-run')),
  pending_verification  INTEGER NOT NULL CHECK (pending_verification IN (0, 1)),
  payment_status        TEXT    NOT NULL CHECK (payment_status IN ('not-required', 'unpaid', 'paid')),
  fee_vnd               INTEGER NOT NULL CHECK (fee_vnd >= 0),
  full_name             TEXT,
  patient_id            TEXT,
  purged_at             TEXT,
  CHECK ((purged_at IS NULL) = (full_name IS NOT NULL AND patient_id IS NOT NULL))
);
CREATE INDEX hospital_visits_by_day ON hospital_visits (local_day);
CREATE INDEX hospital_visits_to_purge ON hospital_visits (registered_at) WHERE purged_at IS NULL;
