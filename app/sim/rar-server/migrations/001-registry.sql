-- Reference RAR registry: demo citizens (synthetic), revoked cards, enrolled kiosk terminals and
-- the transactions answered (codes and request ids only, no personal data).
CREATE TABLE citizens (
  id_number     TEXT PRIMARY KEY,
  full_name     TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,           -- dd/mm/yyyy as on the chip
  sex           TEXT,
  date_of_expiry TEXT,                   -- dd/mm/yyyy, or text for cards without expiry
  dsc_sha256    TEXT,                    -- the card as issued, when known
  sod_sha256    TEXT
);
CREATE TABLE revoked_cards (
  id_number   TEXT NOT NULL,
  sod_sha256  TEXT,                      -- NULL: every card of this person is revoked
  revoked_at  TEXT NOT NULL,
  reason      TEXT NOT NULL
);
CREATE INDEX revoked_cards_id ON revoked_cards (id_number);
CREATE TABLE terminals (
  terminal_id  TEXT PRIMARY KEY,
  cert_sha256  TEXT NOT NULL UNIQUE,
  enrolled_at  TEXT NOT NULL,
  active       INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE transactions (
  request_id       TEXT PRIMARY KEY,
  terminal_id      TEXT NOT NULL,
  body_sha256      TEXT NOT NULL,
  verdict          TEXT NOT NULL,
  reasons          TEXT NOT NULL,
  transaction_code TEXT NOT NULL UNIQUE,
  decided_at       TEXT NOT NULL,
  receipts         INTEGER NOT NULL DEFAULT 1   -- POSTs carrying this request id (duplicates are answered, not re-decided)
);
