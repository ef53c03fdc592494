"""Opening an SQLite database: its durability pragmas, write transactions that take the
lock at BEGIN, and lock timeouts turned into a clerk-readable error.

Every other refusal of the engine on an engine made here (a read-only file, a full or
failing disk, a damaged file) comes out as storage's own kind (`db.errors`), naming the
database file; a database this program may not write is opened read-only."""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, ExceptionContext, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from clerk_tui.db.errors import (
    CannotOpen,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DiskFailed,
    DiskFull,
    storage_error_of,
)
from clerk_tui.db.readonly import read_only_reason, readonly_uri
from clerk_tui.errors import ClerkError
from clerk_tui.files import create_private_file, make_private
from clerk_tui.redaction import redact

BUSY_TIMEOUT_MS = 5000
# How long a write waits its turn for the write lock. Other windows, the kiosk and the CLI
# each hold it for milliseconds; on a PC busy with another program (or a slow old one) a
# waiter can still be passed over for seconds. Only a program holding the lock this long
# (a stuck one, a backup tool) makes the clerk see "busy" (issue 14, item 7).
WRITE_WAIT_S = 30.0


def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" hook below issue BEGIN itself: pysqlite's own implicit
    # transactions start late and cannot take the write lock up front.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    # In WAL mode, synchronous=NORMAL syncs only at checkpoints, so the last commits
    # can vanish on power loss. FULL syncs the WAL on every commit: once a commit has
    # returned, the record survives a pulled plug. A window commits a few times a
    # minute, so the fsync costs nothing the clerk can notice.
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _on_connect_read_only(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # No journal_mode and no durability pragmas: a read-only connection writes nothing.
    dbapi_conn.isolation_level = None
    dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _on_begin(conn: Connection) -> None:
    # Writers take the lock at BEGIN, so two processes never both read a waiting
    # ticket and then both claim it; readers never block anyone in WAL mode.
    if not conn.get_execution_options().get("clerk_write"):
        conn.exec_driver_sql("BEGIN")
        return
    _begin_immediate(conn)


def _begin_immediate(conn: Connection) -> None:
    """BEGIN IMMEDIATE, waiting up to `WRITE_WAIT_S` for the write lock, polling often.

    SQLite's own busy handler backs off to one try every 100 ms; while other programs
    commit many times a second (windows, kiosk, CLI), such a waiter rarely finds the lock
    free and can starve for the whole timeout. Trying again within a few milliseconds, with
    jitter, gets it in turn; the pause grows a little while the wait goes on (up to 20 ms),
    so many waiters on a loaded PC do not spin against each other. Only the BEGIN waits:
    once it holds the lock a transaction waits for nothing (readers never block in WAL mode).
    """
    dbapi = conn.connection.driver_connection
    assert dbapi is not None  # typed optional: None only once the pool has closed it
    deadline = time.monotonic() + WRITE_WAIT_S
    pause = 0.001
    dbapi.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if not _is_lock_error(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(0.5, 1.5) * pause)
            pause = min(pause * 1.5, 0.02)
    finally:
        dbapi.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _is_lock_error(exc: BaseException) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class _NoPersonalData(logging.Filter):
    """SQLAlchemy's engine log, when someone turns it up to DEBUG, prints result rows:
    drop those, and mask anything ID- or phone-like in the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(("Row ", "Col ")):
            return False
        record.msg, record.args = redact(record.getMessage()), None
        return True


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoPersonalData())


def open_engine(path: Path | str) -> Engine:
    """An engine on the database file, creating it (owner-only) if needed; no schema work.

    A server URL (`postgresql://…`) gives an engine on that database (`db.server`).

    A database file, -wal or -shm already there that others can read (made by an older
    version, copied in, restored by hand) is made owner-only first: SQLite gives the
    -wal and -shm files it creates the database file's mode. A file this program may not
    write (`read_only_reason`) is opened read-only instead: reads work, and a write is
    refused with `DatabaseReadOnly` before it begins.
    """
    if isinstance(path, str):
        from clerk_tui.db.server import open_server_engine

        return open_server_engine(path)
    read_only = path.is_file() and read_only_reason(path) is not None
    if not read_only:
        create_private_file(path)
        for suffix in ("-wal", "-shm"):
            make_private(path.with_name(path.name + suffix))
    engine = create_engine(
        f"sqlite:///{readonly_uri(path)}&uri=true" if read_only else f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # Bound values are applicants' ID numbers and phones: never in a log line or in an
        # error message (which a worker shows and the app logs).
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect_read_only if read_only else _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _storage_errors(str(path)))
    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether `open_engine` opened the file read-only."""
    return is_sqlite(engine) and engine.url.query.get("mode") == "ro"


def is_sqlite(engine: Engine | Connection) -> bool:
    """Whether the engine is a station's embedded SQLite file (else a PostgreSQL server)."""
    return engine.dialect.name == "sqlite"


def database_path(engine: Engine) -> str:
    """The database file of an engine made by `open_engine`; a server's URL, password masked."""
    if not is_sqlite(engine):
        from clerk_tui.db.server import display_url

        return display_url(engine.url)
    name = engine.url.database or ""
    if engine.url.query.get("uri") == "true" and name.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        path = unquote(urlsplit(name).path)
        return path[1:] if path[2:3] == ":" else path  # file:///C:/… on Windows
    return name


# What the engine's refusals become on an engine made here. Lock errors stay as they are
# (BEGIN IMMEDIATE retries on them; `translate_lock_errors` words them), and so do
# constraint and programming errors, which services tell apart by SQLAlchemy's classes.
_RAISED_AS_STORAGE = (DatabaseReadOnly, DiskFull, DiskFailed, DatabaseDamaged, CannotOpen)


def _storage_errors(path: str) -> Callable[[ExceptionContext], None]:
    """The engine's refusals as storage's own kinds, naming the database file."""

    def handle(context: ExceptionContext) -> None:
        found = storage_error_of(context.original_exception, path)
        if isinstance(found, _RAISED_AS_STORAGE):
            raise found from context.sqlalchemy_exception

    return handle


@contextmanager
def translate_lock_errors() -> Iterator[None]:
    """A database held by another program too long becomes a clerk-readable error."""
    try:
        yield
    except OperationalError as exc:
        if _is_lock_error(exc):
            raise ClerkError("db.locked") from exc
        raise
    except DatabaseBusy as exc:
        raise ClerkError("db.locked") from exc


def refuse_if_read_only(engine: Engine) -> None:
    """A write on a database opened read-only is refused before it begins."""
    if is_read_only(engine):
        raise DatabaseReadOnly("read-only", database_path(engine))
