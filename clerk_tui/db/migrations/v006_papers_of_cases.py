"""Version 6: papers of a case recorded without a document check.

A case's papers (受理通知书, 不予受理通知书 …) are `notice` rows, which until now had to
belong to a document check (`check_id NOT NULL`): a case recorded without one could get
no papers at all. `notice.case_id` names the case such a paper belongs to, and
`check_id` may be empty for it.

SQLite cannot drop a NOT NULL: the table is rebuilt the way its documentation describes
(new table, copy, drop, rename, indexes), with reference checks off for the copy, since a
centre's database may hold notices of checks it has not received (`REBUILDS_TABLES`).
Every row keeps every value; nothing refers to `notice`, so nothing else changes.
"""

from sqlalchemy import Connection

DESCRIPTION = "papers of cases recorded without a document check"
REBUILDS_TABLES = True  # `migrate` turns reference checks off around this one

COPIED = "id, created_at, updated_at, version, change_seq, check_id, kind, number, text, file_path, print_count"

STATEMENTS = f"""
CREATE TABLE notice_v006 (
    id VARCHAR(36) NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    version INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    check_id VARCHAR,
    case_id VARCHAR,
    kind VARCHAR(16) NOT NULL,
    number VARCHAR(40) NOT NULL,
    text VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    print_count INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(check_id) REFERENCES document_check (id),
    FOREIGN KEY(case_id) REFERENCES service_case (id)
);
INSERT INTO notice_v006 ({COPIED}) SELECT {COPIED} FROM notice;
DROP TABLE notice;
ALTER TABLE notice_v006 RENAME TO notice;
CREATE INDEX ix_notice_change_seq ON notice (change_seq);
CREATE INDEX ix_notice_check_id ON notice (check_id);
CREATE INDEX ix_notice_case_id ON notice (case_id)
"""

# PostgreSQL changes a column in place. The reference is dropped again by a centre's first
# merge, as all of them are there (`server_schema.drop_reference_constraints`).
SERVER_STATEMENTS = """
ALTER TABLE notice ALTER COLUMN check_id DROP NOT NULL;
ALTER TABLE notice ADD COLUMN case_id VARCHAR REFERENCES service_case (id);
CREATE INDEX ix_notice_case_id ON notice (case_id)
"""


def _run(conn: Connection, statements: str) -> None:
    for statement in statements.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)


def upgrade(conn: Connection) -> None:
    _run(conn, STATEMENTS)


def upgrade_server(conn: Connection) -> None:
    _run(conn, SERVER_STATEMENTS)
