"""Version 2: the case log's working-day calendar, case numbers, and an append-only trail.

- `calendar_year` / `calendar_day`: years a calendar update file declared, and its
  holidays and make-up working days (调休). They extend (and, for a year both know,
  override) the bundled `chinesecalendar` package.
- `service_case` gains its printed case number, where a 转报 case went, and the note of
  a later 办结 / 退件.
- Triggers make the audit trail append-only and forbid deleting a case (cases are voided).
"""

from sqlalchemy import Connection

DESCRIPTION = "working-day calendar, case numbers, append-only audit trail"

STATEMENTS = r"""
CREATE TABLE calendar_year (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    year INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    imported_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (year)
);
CREATE INDEX ix_calendar_year_change_seq ON calendar_year (change_seq);
CREATE TABLE calendar_day (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    day DATE NOT NULL,
    kind VARCHAR(16) NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (day)
);
CREATE INDEX ix_calendar_day_change_seq ON calendar_day (change_seq);
ALTER TABLE service_case ADD COLUMN case_no VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE service_case ADD COLUMN forwarded_to VARCHAR NOT NULL DEFAULT '';
ALTER TABLE service_case ADD COLUMN completion_note VARCHAR NOT NULL DEFAULT '';
CREATE INDEX ix_service_case_case_no ON service_case (case_no);
CREATE INDEX ix_service_case_id_number ON service_case (id_number);
CREATE INDEX ix_service_case_agent_id_number ON service_case (agent_id_number);
CREATE INDEX ix_service_case_status ON service_case (status);
CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER service_case_never_deleted BEFORE DELETE ON service_case
BEGIN SELECT RAISE(ABORT, 'cases are voided, never deleted'); END;
"""


def upgrade(conn: Connection) -> None:
    # Triggers contain semicolons: split on the blank-free "END;" boundaries first.
    statements: list[str] = []
    buffer = ""
    for part in STATEMENTS.split(";"):
        buffer += part + ";"
        if buffer.lstrip().upper().startswith("CREATE TRIGGER") and not part.strip().upper().endswith("END"):
            continue
        if buffer.strip(" \n;"):
            statements.append(buffer.strip().rstrip(";"))
        buffer = ""
    for statement in statements:
        conn.exec_driver_sql(statement)
