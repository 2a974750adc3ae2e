-- The hospital's bill payments made at the kiosk (app/sites/hospital/node/payment-ledger-store.ts).
-- One row per payment, keyed by the kiosk's idempotency key; its state is written before each call
-- to the payment terminal or the hospital system, so a restart knows what to ask about. No personal
-- data: bill ids and numbers, amounts, the terminal's transaction ids, codes.
CREATE TABLE hospital_payments (
  payment_key          TEXT    PRIMARY KEY,
  created_at           TEXT    NOT NULL,
  local_day            TEXT    NOT NULL,
  method               TEXT    NOT NULL CHECK (method IN ('card', 'ewallet', 'vietqr')),
  amount_vnd           INTEGER NOT NULL CHECK (amount_vnd > 0),
  bills                TEXT    NOT NULL,   -- JSON: [{billId, number, kind, amountVnd}]
  state                TEXT    NOT NULL CHECK (state IN ('started', 'approved', 'hospital-confirmed', 'refunding', 'refunded', 'needs-staff', 'declined', 'cancelled')),
  attempt              TEXT,               -- the terminal request that takes the money (nexo ServiceID)
  terminal_txn         TEXT,
  terminal_time        TEXT,
  approval_code        TEXT,
  brand                TEXT,
  refund_attempt       TEXT,
  refund_txn           TEXT,
  refund_reported      INTEGER NOT NULL DEFAULT 0 CHECK (refund_reported IN (0, 1)),
  problem              TEXT,
  receipt_printed_at   TEXT,
  updated_at           TEXT    NOT NULL,
  CHECK (method = 'vietqr' OR attempt IS NOT NULL),
  CHECK (state NOT IN ('approved', 'hospital-confirmed', 'refunding', 'refunded') OR method = 'vietqr' OR terminal_txn IS NOT NULL),
  CHECK (state NOT IN ('refunding', 'refunded') OR refund_attempt IS NOT NULL)
);
CREATE INDEX hospital_payments_by_day ON hospital_payments (local_day);
CREATE INDEX hospital_payments_unsettled ON hospital_payments (created_at) WHERE state IN ('started', 'approved', 'refunding') OR (state = 'refunded' AND refund_reported = 0);
