-- The print queue. A job moves queued → printing → done, or → interrupted (paper ran out under it;
-- resumed once) or → failed. `png` is the rendered raster (it shows names), erased after the
-- retention period; every other column is codes, counts and ids.
CREATE TABLE print_jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('queued', 'printing', 'interrupted', 'done', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  reprint_of  INTEGER REFERENCES print_jobs(id),
  error_code  TEXT,
  rows        INTEGER NOT NULL,
  cuts        TEXT    NOT NULL,
  png         BLOB,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
);
CREATE INDEX print_jobs_open ON print_jobs (state) WHERE state IN ('queued', 'printing', 'interrupted');
