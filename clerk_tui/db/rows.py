"""Rows moved in bulk between databases, bypassing the ORM.

A sync export streams a table's changed rows as typed values; a centre's merge writes
rows exactly as they arrived (typed by the sync's wire format), with references left
unchecked (they may arrive before what they point at), and the engine's refusals sorted
into `RowRejected` / `UniqueViolation` (a row refused) or another `StorageError` (the
disk). Both engines alike: nothing here depends on how either stores a value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Executable, Row, Table, bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, ProgrammingError, StatementError

from clerk_tui.db.errors import RowRejected, UniqueViolation


def _driver(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def read_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], lo: int, hi: int, batch: int
) -> Iterator[Sequence[Row[Any]]]:
    """The rows of `table` whose change sequence is in [lo, hi], `batch` at a time, as typed
    values (datetimes, dates, booleans) whatever the engine stores. Streamed: a server
    database sends them through a server-side cursor, never the whole table at once.
    Read in the connection's transaction."""
    chosen = [table.c[c] for c in columns]
    query = select(*chosen).where(table.c.change_seq.between(lo, hi))
    result = conn.execution_options(stream_results=True, max_row_buffer=batch).execute(query)
    try:
        while found := result.fetchmany(batch):
            yield found
    finally:
        result.close()


def _unique_columns(table: Table, exc: IntegrityError) -> tuple[str, ...] | None:
    """The columns of the unique key a refused row collided on; None: not a unique key."""
    message = str(exc.orig)
    unique = message.partition("UNIQUE constraint failed:")[2].strip()  # SQLite
    if unique:
        # "ticket.service_date, ticket.queue, ticket.number": the columns, without the table.
        return tuple(c.partition(".")[2] or c for c in unique.split(", "))
    diag = getattr(exc.orig, "diag", None)  # PostgreSQL: the constraint's name
    if getattr(exc.orig, "sqlstate", None) != "23505" or diag is None:
        return None
    name = getattr(diag, "constraint_name", None) or ""
    for index in table.indexes:
        if index.name == name:
            return tuple(c.name for c in index.columns)
    return ("id",) if name.endswith("_pkey") else (name,)


def _write(conn: Connection, table: Table, statement: Executable, values: dict[str, Any]) -> None:
    savepoint = conn.begin_nested() if conn.dialect.name != "sqlite" else None
    try:
        conn.execute(statement, values)
    except IntegrityError as exc:
        if savepoint is not None:
            savepoint.rollback()
        columns = _unique_columns(table, exc)
        if columns is not None:
            raise UniqueViolation(str(exc.orig), columns) from exc
        raise RowRejected(str(exc.orig)) from exc
    except (DataError, ProgrammingError, InterfaceError, StatementError) as exc:  # a value the engine cannot hold
        if savepoint is not None:
            savepoint.rollback()
        raise RowRejected(str(getattr(exc, "orig", exc))) from exc
    if savepoint is not None:
        savepoint.commit()


def insert_row(conn: Connection, table: Table, values: dict[str, Any]) -> None:
    """Store one row of `table` with exactly these typed values (no defaults, no stamping).

    A row the engine refuses raises `UniqueViolation` / `RowRejected` and leaves the
    transaction usable (a server database rolls back to a savepoint)."""
    _write(conn, table, insert(table), values)


def update_row(conn: Connection, table: Table, row_id: str, values: dict[str, Any]) -> None:
    """Set these typed values on the row of `table` whose id is `row_id`."""
    _write(conn, table, update(table).where(table.c.id == bindparam("_row_id")), {**values, "_row_id": row_id})


@contextmanager
def references_unchecked(conn: Connection) -> Iterator[None]:
    """Foreign keys are not enforced on `conn` inside the block.

    Enter it before the transaction begins: SQLite ignores the switch inside one. A server
    database has its foreign keys dropped for good the first time (a centre's database:
    `server_schema.drop_reference_constraints`).
    """
    if conn.dialect.name != "sqlite":
        from clerk_tui.db.server_schema import drop_reference_constraints

        with conn.begin():
            drop_reference_constraints(conn)
        yield
        return
    driver = _driver(conn)
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def newest_value(conn: Connection, name: str, column_name: str) -> Any:
    """`column_name` of the row stored last in table `name` (None when it has none).

    Storage order, so no index is needed, even on a large table.
    """
    order = "rowid" if conn.dialect.name == "sqlite" else "change_seq"  # a server table has no rowid
    row = conn.exec_driver_sql(f'SELECT "{column_name}" FROM "{name}" ORDER BY {order} DESC LIMIT 1').first()
    return row[0] if row else None
