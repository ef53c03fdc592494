"""The schema of a server (PostgreSQL) database, made from the models.

A station's SQLite schema is the frozen DDL of the numbered migrations; a server database
starts at the latest version, made from the same SQLModel tables the migrations are tested
against (`tests/unit/test_storage.py` checks that both give the same tables, columns and
indexes). What SQLite spells in its own dialect gets its PostgreSQL counterpart here:

- partial indexes: declared on the models (`models.base.partial_index`), their condition
  given to PostgreSQL here (`server_tables`);
- the append-only audit trail and never-deleted cases (v002's `RAISE(ABORT)` triggers):
  PL/pgSQL trigger functions raising with the same words.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, text

from clerk_tui.models import all_tables
from clerk_tui.models.base import WHERE_INFO

_GUARDS = (
    ("audit_entry", "UPDATE", "audit_entry_append_only_update", "audit trail is append-only"),
    ("audit_entry", "DELETE", "audit_entry_append_only_delete", "audit trail is append-only"),
    ("service_case", "DELETE", "service_case_never_deleted", "cases are voided, never deleted"),
)
GUARD_TRIGGERS = tuple(name for _table, _event, name, _words in _GUARDS)  # what `clerk check` looks for


def server_tables() -> MetaData:
    """Every table, as a server has it: a partial index's condition in PostgreSQL's words too."""
    metadata = all_tables()
    for table in metadata.tables.values():
        for index in table.indexes:
            if WHERE_INFO in index.info:
                index.dialect_options["postgresql"]["where"] = index.info[WHERE_INFO]
    return metadata


def create_schema(conn: Connection) -> None:
    """Every table, index and guard, in the caller's transaction (DDL is transactional)."""
    server_tables().create_all(conn)
    for table, event, name, words in _GUARDS:
        conn.execute(
            text(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{words}' USING ERRCODE = 'restrict_violation'; END $$"
            )
        )
        conn.execute(text(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"))


def drop_reference_constraints(conn: Connection) -> int:
    """Drop the foreign keys between tables, once: a centre stores records as stations sent
    them, references to records it has not received (or never will: each station's own
    catalog ids) included, as SQLite's merge does with its checks off. The merge reports
    what still points nowhere (`dangling_references`). Returns how many were dropped."""
    rows = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
        )
    ).all()
    for table, name in rows:
        conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    return len(rows)
