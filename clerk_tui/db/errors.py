"""What storage says when the database refuses: the engine's own words, sorted into the
few cases the domain tells apart. The domain turns them into the clerk's words.

`storage_error_of` sorts any exception of the engine (the driver's own, or SQLAlchemy's
wrapping of it) into one of the kinds below; `clerk_error_of` gives the one line the
clerk reads for it (and for a failing disk or file seen by the operating system).
"""

from __future__ import annotations

import errno
import sqlite3
from typing import ClassVar

from sqlalchemy.exc import StatementError

from clerk_tui.errors import ClerkError
from clerk_tui.redaction import redact


class StorageError(Exception):
    """The database (or a database file) could not do what was asked; `str()` is the
    engine's own message, e.g. "database disk image is malformed". `path` is the database
    file when storage knows it."""

    clerk_key: ClassVar[str] = "storage.failed"

    def __init__(self, message: str = "", path: str = "") -> None:
        super().__init__(message)
        self.path = path


class DatabaseBusy(StorageError):
    """Another program holds the database longer than the wait allowed."""

    clerk_key = "db.locked"


class RowRejected(StorageError):
    """A row the database would not store: a value it cannot hold, or a constraint."""


class UniqueViolation(RowRejected):
    """The row's unique key is taken by another row: `columns` are the key's columns."""

    def __init__(self, message: str, columns: tuple[str, ...]) -> None:
        super().__init__(message)
        self.columns = columns


class DatabaseReadOnly(StorageError):
    """The database may be read but not written: the file, its folder or its disk is
    read-only for this program (reads work; every write is refused, nothing changes)."""

    clerk_key = "storage.read_only"


class DiskFull(StorageError):
    """No room left on the disk (or the database reached its size limit)."""

    clerk_key = "storage.disk_full"


class DiskFailed(StorageError):
    """The disk failed a read or a write ("disk I/O error")."""

    clerk_key = "storage.disk_failed"


class DatabaseDamaged(StorageError):
    """The file is damaged, or is not a database at all."""

    clerk_key = "storage.damaged"


class NotADatabase(DatabaseDamaged):
    """The file is no database of this engine at all (its header says so)."""

    clerk_key = "storage.not_a_database"


class CannotOpen(StorageError):
    """The engine could not open the file: a folder, a missing folder, no permission."""

    clerk_key = "storage.cannot_open"


class ServerUnreachable(StorageError):
    """The database server could not be reached (refused, unknown host, timed out), or
    the URL is not one."""

    clerk_key = "server.unreachable"


class ServerUrlInvalid(ServerUnreachable):
    """The server URL is not one libpq can use (a bad port, an unknown option); `str()`
    says what, never with the password."""

    clerk_key = "server.bad_url"


class AuthenticationFailed(StorageError):
    """The server refused the user name or password."""

    clerk_key = "server.auth_failed"


class ServerTooOld(StorageError):
    """The server's version is older than the oldest this program supports."""

    clerk_key = "server.too_old"


class ConnectionLost(StorageError):
    """The connection to the server broke during the work: the server rolled it back."""

    clerk_key = "server.connection_lost"


# The engine's primary result codes (the low byte of its extended codes).
_BY_CODE: dict[int, type[StorageError]] = {
    5: DatabaseBusy,  # SQLITE_BUSY
    6: DatabaseBusy,  # SQLITE_LOCKED
    8: DatabaseReadOnly,  # SQLITE_READONLY (also _DIRECTORY: a read-only folder)
    10: DiskFailed,  # SQLITE_IOERR
    11: DatabaseDamaged,  # SQLITE_CORRUPT
    13: DiskFull,  # SQLITE_FULL
    14: CannotOpen,  # SQLITE_CANTOPEN
    26: NotADatabase,  # SQLITE_NOTADB
}
# The same by the engine's words, for an exception made without a code.
_BY_WORDS: tuple[tuple[str, type[StorageError]], ...] = (
    ("readonly database", DatabaseReadOnly),
    ("database or disk is full", DiskFull),
    ("disk i/o error", DiskFailed),
    ("malformed", DatabaseDamaged),
    ("not a database", NotADatabase),
    ("locked", DatabaseBusy),
    ("busy", DatabaseBusy),
    ("unable to open database", CannotOpen),
)
# What the operating system says of a disk, whatever file was being written.
_DISK_ERRNOS: dict[int, type[StorageError]] = {
    errno.ENOSPC: DiskFull,
    getattr(errno, "EDQUOT", errno.ENOSPC): DiskFull,
    errno.EIO: DiskFailed,
}


def storage_error_of(exc: BaseException, path: str = "") -> StorageError | None:
    """The storage error `exc` is, or stands for; None when it is no storage error.

    A driver error (raw, or wrapped by SQLAlchemy) is sorted by the engine's result code;
    an `OSError` only when it is about the disk itself (full, failing).
    """
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, StatementError) and isinstance(exc.orig, BaseException):
        exc = exc.orig
    if isinstance(exc, sqlite3.Error):
        message = str(exc)
        code = getattr(exc, "sqlite_errorcode", None)
        kind = _BY_CODE.get(code & 0xFF) if isinstance(code, int) else None
        if kind is None:
            lowered = message.lower()
            kind = next((k for words, k in _BY_WORDS if words in lowered), None)
        if kind is None and isinstance(exc, sqlite3.IntegrityError):
            kind = RowRejected
        return (kind or StorageError)(message, path)
    server = _server_error_of(exc, path)
    if server is not None:
        return server
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        return _DISK_ERRNOS[exc.errno](exc.strerror or str(exc), path or str(exc.filename or ""))
    return None


def clerk_error_of(exc: BaseException, path: str = "") -> ClerkError | None:
    """The one line the clerk reads for a failure of storage or of a file; None otherwise.

    The engine's own words (redacted: they may quote a row) go in as the reason; `path`
    names the database when the error does not.
    """
    if isinstance(exc, ClerkError):
        return exc
    found = storage_error_of(exc, path)
    if found is not None:
        return ClerkError(found.clerk_key, path=found.path or path or "?", reason=redact(str(found)))
    if isinstance(exc, OSError):
        path = str(exc.filename or "?")
        if exc.errno == errno.EROFS:
            return ClerkError("storage.file_read_only_disk", path=path)
        return ClerkError("storage.file_failed", path=path, reason=exc.strerror or type(exc).__name__)
    return None


def _server_error_of(exc: BaseException, path: str) -> StorageError | None:
    """A PostgreSQL driver error, sorted (`db.server`); only looked at when psycopg is loaded,
    so a station on SQLite never imports it."""
    import sys

    if "psycopg" not in sys.modules:
        return None
    from clerk_tui.db.server import server_error_of

    return server_error_of(exc, path)
