"""Sessions: one durable write transaction or a read; every record stamped on flush."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import UOWTransaction
from sqlmodel import Session

from clerk_tui.clock import Clock
from clerk_tui.db.engine import refuse_if_read_only, translate_lock_errors
from clerk_tui.models.base import Record, new_id

CHANGE_SEQ = "change_seq"


def next_change_seq(conn: Connection, count: int = 1) -> int:
    """Reserve `count` change sequence numbers; returns the first of them."""
    row = conn.execute(
        text("UPDATE counter SET value = value + :n WHERE name = :name RETURNING value"),
        {"n": count, "name": CHANGE_SEQ},
    ).one()
    return int(row[0]) - count + 1


def _stamp_records(session: Session, _context: UOWTransaction, _instances: Sequence[object] | None) -> None:
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
    """One write transaction: committed durably on success, rolled back on any error.

    On a database opened read-only, refused with `DatabaseReadOnly` before it begins.
    """
    refuse_if_read_only(engine)
    with translate_lock_errors(), engine.connect() as conn:
        conn.execution_options(clerk_write=True)
        with conn.begin(), Session(bind=conn, info={"clock": clock}, expire_on_commit=False) as session:
            yield session
            session.flush()


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one consistent state of the database for all its
    statements: SQLite's read transactions always do; a server needs REPEATABLE READ (its
    default, READ COMMITTED, takes a new snapshot for every statement)."""
    with translate_lock_errors(), engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with translate_lock_errors(), Session(engine, expire_on_commit=False) as session:
        yield session


def stamp_rows(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Give rows written in bulk (bypassing the ORM) the columns every record carries."""
    seq = next_change_seq(conn, len(rows)) if rows else 0
    for row in rows:
        row.setdefault("id", new_id())
        row.setdefault("created_at", now)
        row["updated_at"] = now
        row.setdefault("version", 1)
        row["change_seq"] = seq
        seq += 1
    return rows
