"""Database files read without opening them as the station's database.

Checks, backups and the identity read before a station is opened go through here: the
file is opened read-only (a check never changes what it reads), with no pragmas and no
migrations. Every refusal of the engine inside `open_readonly` comes out as a
`StorageError` (`DatabaseBusy` when another program holds the file).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clerk_tui.db.errors import DatabaseBusy, StorageError


class ReadOnlyDatabase:
    """One database file opened read-only; `dbapi` is for the other storage modules."""

    def __init__(self, dbapi: sqlite3.Connection) -> None:
        self.dbapi = dbapi

    def meta(self, key: str) -> str | None:
        """A value of the `meta` table (see `clerk_tui.db.meta`); refused if there is none."""
        row = self.dbapi.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def schema_version(self) -> int:
        """The schema version recorded in the file; 0 when it is not a clerk-tui database."""
        has_meta = self.dbapi.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        row = self.dbapi.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() if has_meta else None
        return int(row[0]) if row else 0


def storage_error(exc: sqlite3.DatabaseError) -> StorageError:
    """The engine's exception as storage's own, its message kept."""
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
        return DatabaseBusy(str(exc))
    return StorageError(str(exc))


@contextmanager
def open_readonly(path: Path) -> Iterator[ReadOnlyDatabase]:
    """The file at `path`, read-only, for the length of the block."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            yield ReadOnlyDatabase(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise storage_error(exc) from exc
