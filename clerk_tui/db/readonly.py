"""Database files read without opening them as the station's database.

Checks, backups and the identity read before a station is opened go through here: the
file is opened read-only (a check never changes what it reads), with no pragmas and no
migrations. Every refusal of the engine inside `open_readonly` comes out as a
`StorageError` (`DatabaseBusy` when another program holds the file).

A database this program may not write (`read_only_reason`) is opened read-only by
`open_engine` too, with the same URI (`readonly_uri`): reading works, and every write is
refused as `DatabaseReadOnly` before anything changes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clerk_tui.db.errors import StorageError, storage_error_of


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


def storage_error(exc: sqlite3.DatabaseError, path: Path | None = None) -> StorageError:
    """The engine's exception as storage's own kind, its message kept."""
    return storage_error_of(exc, str(path or "")) or StorageError(str(exc), str(path or ""))


def read_only_reason(path: Path) -> str | None:
    """Why this program may not write the database file at `path`, or None when it may.

    "file": the file itself; "folder": the folder, where the engine keeps its journal
    beside the file; "disk": a read-only file system. Only for a file that exists.
    """
    folder = path.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "disk"
    except (AttributeError, OSError):  # Windows has no statvfs; os.access says enough there
        pass
    if not os.access(path, os.W_OK):
        return "file"
    if not os.access(folder, os.W_OK):
        return "folder"
    return None


def readonly_uri(path: Path) -> str:
    """The URI that opens `path` read-only.

    In WAL mode even a reader needs the `-shm` file beside the database; in a folder it
    may not write, the engine cannot make one and refuses to read. With no `-wal` file
    holding commits, the file alone is the whole database: it is then opened as
    immutable (no locks, no `-shm`). A `-wal` with commits must be read, so the usual
    read-only open is kept, and says what it says.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    if not os.access(path.resolve().parent, os.W_OK) and not log_holds_commits(path):
        uri += "&immutable=1"
    return uri


def log_holds_commits(path: Path) -> bool:
    """Whether the database at `path` has commits in its write-ahead log (`-wal`) not yet
    copied into the file: a reader must read them, and needs the `-shm` file to."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


@contextmanager
def open_readonly(path: Path) -> Iterator[ReadOnlyDatabase]:
    """The file at `path`, read-only, for the length of the block."""
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=5)
        try:
            yield ReadOnlyDatabase(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise storage_error(exc, path) from exc
