"""Version 3: offline sync bookkeeping and appointments booked upstream.

- `sync_export`: bundles this station wrote and verified; `acknowledged_at` is set when
  the centre's receipt is imported. `sync_rejected`: record versions the centre did not
  take (conflicts), which therefore stay unacknowledged.
- `sync_merge` / `sync_conflict`: the centre's ledger of merged bundles and the
  conflicts it found (a centre database is a clerk-tui database too).
- `appointment`: appointments from the centre's file, matched by their external id.
- A ticket number is unique per station and day: a centre holds every station's A001.
"""

from sqlalchemy import Connection

DESCRIPTION = "sync exports, receipts, centre merge ledger, appointments"

STATEMENTS = r"""
CREATE TABLE sync_export (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    bundle_seq INTEGER NOT NULL,
    previous_seq INTEGER,
    file_name VARCHAR NOT NULL,
    folder VARCHAR NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    "full" BOOLEAN NOT NULL,
    records INTEGER NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    exported_at DATETIME NOT NULL,
    acknowledged_at DATETIME,
    receipt_name VARCHAR NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (bundle_seq)
);
CREATE INDEX ix_sync_export_change_seq ON sync_export (change_seq);
CREATE TABLE sync_rejected (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    bundle_seq INTEGER NOT NULL,
    table_name VARCHAR(32) NOT NULL,
    record_id VARCHAR(36) NOT NULL,
    record_version INTEGER NOT NULL,
    reason VARCHAR(16) NOT NULL,
    received_at DATETIME NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_sync_rejected_change_seq ON sync_rejected (change_seq);
CREATE UNIQUE INDEX ux_sync_rejected_record ON sync_rejected (table_name, record_id, record_version);
CREATE TABLE sync_merge (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    bundle_seq INTEGER NOT NULL,
    previous_seq INTEGER,
    bundle_sha256 VARCHAR(64) NOT NULL,
    file_name VARCHAR NOT NULL,
    seq_from INTEGER NOT NULL,
    seq_to INTEGER NOT NULL,
    "full" BOOLEAN NOT NULL,
    records INTEGER NOT NULL,
    counts VARCHAR NOT NULL,
    merged_at DATETIME NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_sync_merge_change_seq ON sync_merge (change_seq);
CREATE UNIQUE INDEX ux_sync_merge_bundle ON sync_merge (station_id, bundle_seq, bundle_sha256);
CREATE TABLE sync_conflict (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    station_id VARCHAR(64) NOT NULL,
    bundle_seq INTEGER NOT NULL,
    table_name VARCHAR(32) NOT NULL,
    record_id VARCHAR(36) NOT NULL,
    record_version INTEGER NOT NULL,
    existing_sha256 VARCHAR(64) NOT NULL,
    incoming_sha256 VARCHAR(64) NOT NULL,
    incoming VARCHAR NOT NULL,
    detected_at DATETIME NOT NULL,
    resolved BOOLEAN NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_sync_conflict_change_seq ON sync_conflict (change_seq);
CREATE UNIQUE INDEX ux_sync_conflict_version ON sync_conflict (table_name, record_id, record_version, incoming_sha256);
CREATE TABLE appointment (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    external_id VARCHAR(64) NOT NULL,
    queue VARCHAR(8) NOT NULL,
    slot DATETIME NOT NULL,
    applicant_name VARCHAR NOT NULL,
    phone VARCHAR(32) NOT NULL,
    matter_code VARCHAR(120) NOT NULL,
    note VARCHAR NOT NULL,
    status VARCHAR(16) NOT NULL,
    ticket_id VARCHAR,
    source VARCHAR NOT NULL,
    content_sha256 VARCHAR(64) NOT NULL,
    imported_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (external_id),
    FOREIGN KEY(ticket_id) REFERENCES ticket (id)
);
CREATE INDEX ix_appointment_change_seq ON appointment (change_seq);
CREATE INDEX ix_appointment_slot ON appointment (slot);
DROP INDEX ux_ticket_number_per_day;
CREATE UNIQUE INDEX ux_ticket_number_per_day ON ticket (station_id, service_date, letter, serial) WHERE transferred_from_id IS NULL;
"""


def upgrade(conn: Connection) -> None:
    for statement in STATEMENTS.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
