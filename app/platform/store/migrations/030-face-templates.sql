-- 1:N gate enrolment: one row per enrolled face template. The embedding is AES-256-GCM encrypted with a
-- key that never enters the database (face.index.key in the profile: a file or an environment variable);
-- subject_id, model_set and dim are bound into the GCM additional data, so a ciphertext moved to another
-- row fails to decrypt. expires_at carries the retention rule; the purge deletes expired rows.
CREATE TABLE face_templates (
  id          INTEGER PRIMARY KEY,
  subject_id  TEXT    NOT NULL,
  model_set   TEXT    NOT NULL,
  dim         INTEGER NOT NULL,
  key_id      TEXT    NOT NULL,
  nonce       BLOB    NOT NULL,
  ciphertext  BLOB    NOT NULL,
  tag         BLOB    NOT NULL,
  enrolled_at TEXT    NOT NULL,
  expires_at  TEXT    NOT NULL
);
CREATE INDEX face_templates_subject ON face_templates (subject_id);
CREATE INDEX face_templates_expiry ON face_templates (expires_at);
