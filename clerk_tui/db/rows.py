"""Rows moved in bulk between databases, bypassing the ORM.

A sync export reads a table's changed rows with the engine writing each one as JSON; a
centre's merge writes rows exactly as they arrived, with references left unchecked (they
may arrive before what they point at), and the engine's refusals sorted into
`RowRejected` / `UniqueViolation` (a row refused) or another `StorageError` (the disk).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from clerk_tui.db.engine import database_path
from clerk_tui.db.errors import RowRejected, StorageError, UniqueViolation, storage_error_of

MAX_JSON_COLUMNS = 60  # SQLite functions take at most 127 arguments


def _driver(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _select_json(name: str, columns: tuple[str, ...]) -> str:
    """Rows as (JSON text, *values): SQLite writes the JSON (exact stored values, UTF-8 as is)."""
    if len(columns) <= MAX_JSON_COLUMNS:
        pairs = ", ".join(f"'{c}', \"{c}\"" for c in columns)
        first = f"json_object({pairs})"
    else:
        first = "NULL"
    return f'SELECT {first}, {_quoted(columns)} FROM "{name}" WHERE change_seq BETWEEN ? AND ?'


def rows_as_json(
    conn: Connection, name: str, columns: tuple[str, ...], lo: int, hi: int, batch: int
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of table `name` whose change sequence is in [lo, hi], `batch` at a time.

    Each row is (JSON object of `columns`, *values of `columns`) as stored. The JSON is
    None when the table has more columns than the engine can put in one object: the
    caller then encodes the values itself. Read in the connection's transaction.
    """
    cursor = _driver(conn).cursor()
    try:
        cursor.execute(_select_json(name, columns), (lo, hi))
        while found := cursor.fetchmany(batch):
            yield found
    finally:
        cursor.close()


# The statement text per table and set of columns, made once: a merge writes rows one at a
# time (so a refusal names its record), straight through the driver, as fast as SQLite goes.
@lru_cache(maxsize=256)
def _insert_sql(name: str, columns: tuple[str, ...]) -> str:
    return f'INSERT INTO "{name}" ({_quoted(columns)}) VALUES ({", ".join("?" * len(columns))})'


@lru_cache(maxsize=256)
def _update_sql(name: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    return f'UPDATE "{name}" SET {sets} WHERE "id" = ?'


def _write(conn: Connection, sql: str, params: list[Any]) -> None:
    try:
        _driver(conn).execute(sql, params)
    except sqlite3.IntegrityError as exc:
        unique = str(exc).partition("UNIQUE constraint failed:")[2].strip()
        if unique:
            # "ticket.service_date, ticket.queue, ticket.number": the columns, without the table.
            raise UniqueViolation(str(exc), tuple(c.partition(".")[2] or c for c in unique.split(", "))) from exc
        raise RowRejected(str(exc)) from exc
    except (sqlite3.InterfaceError, sqlite3.ProgrammingError) as exc:  # a value the engine cannot hold
        raise RowRejected(str(exc)) from exc
    except sqlite3.DatabaseError as exc:  # a full or failing disk, a read-only file: storage's own kinds
        path = database_path(conn.engine)
        raise (storage_error_of(exc, path) or StorageError(str(exc), path)) from exc


def insert_row(conn: Connection, name: str, values: dict[str, Any]) -> None:
    """Store one row of table `name` with exactly these values (no defaults, no stamping)."""
    _write(conn, _insert_sql(name, tuple(values)), list(values.values()))


def update_row(conn: Connection, name: str, row_id: str, values: dict[str, Any]) -> None:
    """Set these values on the row of table `name` whose id is `row_id`."""
    _write(conn, _update_sql(name, tuple(values)), [*values.values(), row_id])


@contextmanager
def references_unchecked(conn: Connection) -> Iterator[None]:
    """Foreign keys are not enforced on `conn` inside the block.

    Enter it before the transaction begins: SQLite ignores the switch inside one.
    """
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
    row = conn.exec_driver_sql(f'SELECT "{column_name}" FROM "{name}" ORDER BY rowid DESC LIMIT 1').first()
    return row[0] if row else None
