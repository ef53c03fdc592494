"""The database: opening it, its durability settings, transactions and migrations.

Everything SQLite-specific lives here, so the services stay portable to PostgreSQL
(a hall-wide shared queue will run there later).
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from clerk_tui import migrations as migrations_pkg
from clerk_tui.clock import Clock
from clerk_tui.errors import ClerkError
from clerk_tui.models.base import Record

BUSY_TIMEOUT_MS = 5000
CHANGE_SEQ = "change_seq"
# Which station a database belongs to (services.station_setup.check_identity): its id, and
# a random key made when it was first opened that tells apart two installs sharing an id.
META_STATION_ID = "station_id"
META_STATION_KEY = "station_key"
META_ROLE = "role"  # "centre" for a centre's merged database


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
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


def _on_begin(conn: Any) -> None:
    # Writers take the lock at BEGIN, so two processes never both read a waiting
    # ticket and then both claim it; readers never block anyone in WAL mode.
    if not conn.get_execution_options().get("clerk_write"):
        conn.exec_driver_sql("BEGIN")
        return
    _begin_immediate(conn)


def _begin_immediate(conn: Any) -> None:
    """BEGIN IMMEDIATE, waiting up to the busy timeout for the write lock, polling often.

    SQLite's own busy handler backs off to one try every 100 ms; while other programs
    commit many times a second (windows, kiosk, CLI), such a waiter rarely finds the lock
    free and can starve for the whole timeout. Trying again every millisecond or two, with
    jitter, gets it in turn. Only the BEGIN polls: once it holds the lock a transaction
    waits for nothing (readers never block in WAL mode).
    """
    dbapi = conn.connection.driver_connection
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    dbapi.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if not _is_lock_error(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(0.0005, 0.003))
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
        from clerk_tui.services.ids import redact

        record.msg, record.args = redact(record.getMessage()), None
        return True


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoPersonalData())


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (applicants' data goes in it).

    SQLite gives its -wal and -shm files the database file's permissions. On Windows the
    mode is ignored and the user profile folder's access rules apply.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return
    os.close(fd)


def open_engine(path: Path) -> Engine:
    """An engine on the database file, creating it (owner-only) if needed; no schema work."""
    create_private_file(path)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # Bound values are applicants' ID numbers and phones: never in a log line or in an
        # error message (which a worker shows and the app logs).
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def next_change_seq(conn: Any, count: int = 1) -> int:
    """Reserve `count` change sequence numbers; returns the first of them."""
    row = conn.execute(
        text("UPDATE counter SET value = value + :n WHERE name = :name RETURNING value"),
        {"n": count, "name": CHANGE_SEQ},
    ).one()
    return int(row[0]) - count + 1


def _stamp_records(session: Session, _context: Any, _instances: Any) -> None:
    """Fill in times, version and change sequence for everything this flush writes."""
    new = [o for o in session.new if isinstance(o, Record)]
    dirty = [o for o in session.dirty if isinstance(o, Record) and session.is_modified(o)]
    if not new and not dirty:
        return
    clock: Clock = session.info.get("clock") or Clock()
    now = clock.now()
    seq = next_change_seq(session.connection(), len(new) + len(dirty))
    for obj in new:
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.change_seq = seq
        seq += 1
    for obj in dirty:
        obj.updated_at = now
        obj.version = (obj.version or 0) + 1
        obj.change_seq = seq
        seq += 1


event.listen(Session, "before_flush", _stamp_records)


@contextmanager
def write_session(engine: Engine, clock: Clock | None = None) -> Iterator[Session]:
    """One write transaction: committed durably on success, rolled back on any error."""
    with translate_lock_errors(), engine.connect() as conn:
        conn.execution_options(clerk_write=True)
        with conn.begin():
            with Session(bind=conn, info={"clock": clock}, expire_on_commit=False) as session:
                yield session
                session.flush()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with translate_lock_errors(), Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def translate_lock_errors() -> Iterator[None]:
    """A database held by another program too long becomes a clerk-readable error."""
    try:
        yield
    except OperationalError as exc:
        if _is_lock_error(exc):
            raise ClerkError("db.locked") from exc
        raise


# --- schema versions -----------------------------------------------------------------

def _migrations() -> list[tuple[int, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(migrations_pkg.__path__):
        if info.name.startswith("v") and info.name[1:4].isdigit():
            found.append((int(info.name[1:4]), importlib.import_module(f"clerk_tui.migrations.{info.name}")))
    found.sort(key=lambda pair: pair[0])
    numbers = [n for n, _ in found]
    assert numbers == list(range(1, len(numbers) + 1)), f"migration numbers have a gap: {numbers}"
    return found


def latest_schema_version() -> int:
    return len(_migrations())


def schema_version(conn: Any) -> int:
    has_meta = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    ).first()
    if not has_meta:
        return 0
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine) -> int:
    """Bring the schema up to this program's version; refuse a newer database untouched."""
    latest = latest_schema_version()
    with engine.connect() as conn:
        current = schema_version(conn)
        conn.rollback()
    if current > latest:
        raise ClerkError("db.too_new", found=current, supported=latest)
    for number, module in _migrations()[current:]:
        with engine.connect() as conn:
            conn.execution_options(clerk_write=True)
            with conn.begin():
                if schema_version(conn) >= number:  # another process got there first
                    continue
                module.upgrade(conn)
                if number == 1:
                    conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"), {"n": CHANGE_SEQ})
                conn.execute(
                    text(
                        "INSERT INTO meta (key, value) VALUES ('schema_version', :v) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"v": str(number)},
                )
    return latest


def open_database(path: Path) -> Engine:
    """Open (creating if needed) and migrate the station database."""
    engine = open_engine(path)
    try:
        migrate(engine)
    except DatabaseError as exc:
        engine.dispose()
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise ClerkError("db.corrupt", path=str(path)) from exc
        if "locked" in str(exc) or "busy" in str(exc):
            raise ClerkError("db.locked") from exc
        raise ClerkError("db.cannot_open", path=str(path), reason=str(exc.orig)) from exc
    except ClerkError:
        engine.dispose()
        raise
    return engine


def get_meta(conn: Any, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
    return row[0] if row else None


def set_meta(conn: Any, key: str, value: str) -> None:
    conn.execute(
        text(
            "INSERT INTO meta (key, value) VALUES (:k, :v) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": value},
    )


def stamp_rows(conn: Any, rows: list[dict[str, Any]], now: Any) -> list[dict[str, Any]]:
    """Give rows written in bulk (bypassing the ORM) the columns every record carries."""
    from clerk_tui.models.base import new_id

    seq = next_change_seq(conn, len(rows)) if rows else 0
    for row in rows:
        row.setdefault("id", new_id())
        row.setdefault("created_at", now)
        row["updated_at"] = now
        row.setdefault("version", 1)
        row["change_seq"] = seq
        seq += 1
    return rows
