-- The maintenance PIN's lock-out, kept in the database so that restarting the kiosk buys no extra
-- guesses. One row at most; absent means no failures.
CREATE TABLE admin_lockout (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  failures      INTEGER NOT NULL CHECK (failures >= 0),   -- wrong PINs since the last lock-out or success
  lockouts      INTEGER NOT NULL CHECK (lockouts >= 0),   -- lock-outs in a row: the escalation step
  locked_until  INTEGER NOT NULL                          -- epoch ms
);
