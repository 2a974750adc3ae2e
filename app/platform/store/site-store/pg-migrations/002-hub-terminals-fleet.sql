-- The hub's own tables: which certificates are which terminals, and what each kiosk last said.

-- Enrolment (as the verification service does it): the SHA-256 of a client certificate's DER maps
-- to one terminal. `admin` terminals (a staff workstation, the fleet CLI's certificate) may also
-- read the fleet view.
CREATE TABLE hub_terminals (
  terminal_id  text        PRIMARY KEY,
  cert_sha256  text        NOT NULL UNIQUE,
  role         text        NOT NULL DEFAULT 'kiosk' CHECK (role IN ('kiosk', 'admin')),
  enrolled_at  timestamptz NOT NULL DEFAULT now(),
  active       boolean     NOT NULL DEFAULT true
);

-- The fleet view: each kiosk's newest heartbeat. The audit anchor (the highest audit row and its
-- hash the kiosk ever reported) stays here, so a kiosk whose newest audit rows were deleted
-- reports a shorter chain than the hub already saw, and an alert is raised.
CREATE TABLE hub_kiosks (
  terminal_id       text        PRIMARY KEY,
  last_seen         timestamptz NOT NULL,
  hub               text        NOT NULL,          -- the hub process that heard it
  software_version  text,
  profile           text,
  devices           jsonb       NOT NULL DEFAULT '{}',
  paper_low         boolean,
  outbox_depth      integer     NOT NULL DEFAULT 0,
  clock_offset_ms   integer,
  audit_seq         bigint,
  audit_hash        text
);
