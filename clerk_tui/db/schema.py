"""Schema versions: the numbered migrations in `db/migrations`, applied in order."""

from __future__ import annotations

import importlib
import pkgutil
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DatabaseError

from clerk_tui.db import migrations as migrations_pkg
from clerk_tui.db.engine import database_path, is_sqlite, open_engine
from clerk_tui.db.errors import CannotOpen, DatabaseDamaged, StorageError
from clerk_tui.db.rows import references_unchecked
from clerk_tui.db.server import is_server_url, open_server_engine
from clerk_tui.db.session import CHANGE_SEQ
from clerk_tui.errors import ClerkError


class _Migration:
    """A migration module, imported when first used: a database already up to date (every
    start but the first after an upgrade) imports none of them."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(f"clerk_tui.db.migrations.{self.name}"), attr)


def _migrations() -> list[tuple[int, Any]]:
    found = sorted(
        (int(info.name[1:4]), _Migration(info.name))
        for info in pkgutil.iter_modules(migrations_pkg.__path__)
        if info.name.startswith("v") and info.name[1:4].isdigit()
    )
    numbers = [n for n, _ in found]
    assert numbers == list(range(1, len(numbers) + 1)), f"migration numbers have a gap: {numbers}"
    return found


def latest_schema_version() -> int:
    return len(_migrations())


def schema_version(conn: Connection) -> int:
    if not inspect(conn).has_table("meta"):
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
    if not is_sqlite(engine):
        _migrate_server(engine, current, latest)
        return latest
    for number, module in _migrations()[current:]:
        with engine.connect() as conn:
            conn.execution_options(clerk_write=True)
            # A table rebuilt (copied into a new one) must keep rows whose references point
            # nowhere, as a centre's may: SQLite's checks are switched off before it begins.
            rebuilds = getattr(module, "REBUILDS_TABLES", False)
            with references_unchecked(conn) if rebuilds else nullcontext(), conn.begin():
                if schema_version(conn) >= number:  # another process got there first
                    continue
                module.upgrade(conn)
                if number == 1:
                    conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"), {"n": CHANGE_SEQ})
                _record_version(conn, number)
    return latest


def _record_version(conn: Connection, number: int) -> None:
    conn.execute(
        text(
            "INSERT INTO meta (key, value) VALUES ('schema_version', :v) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        {"v": str(number)},
    )


def _migrate_server(engine: Engine, current: int, latest: int) -> None:
    """A server database is made at the latest version from the models (`server_schema`),
    never by replaying SQLite's frozen DDL. A later migration upgrades a server database
    with its module's `upgrade_server(conn)`; one without it cannot run there.

    Two programs starting on a new database at once: the advisory lock makes the second
    wait for the first, then find the schema made.
    """
    from clerk_tui.db.server_schema import create_schema

    if current == latest:
        return
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        current = schema_version(conn)
        if current == 0:
            create_schema(conn)
            conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"), {"n": CHANGE_SEQ})
            _record_version(conn, latest)
            return
        for number, module in _migrations()[current:]:
            upgrade = getattr(module, "upgrade_server", None)
            if upgrade is None:
                raise ClerkError("db.cannot_open", path=database_path(engine), reason=f"no server migration {number}")
            upgrade(conn)
            _record_version(conn, number)


MIGRATION_LOCK = 0x636C65726B  # "clerk": one advisory lock id for schema work on a server


def open_database(path: Path | str) -> Engine:
    """Open (creating if needed) and migrate the station database.

    A damaged file or one the engine cannot open is refused in the clerk's words; a
    read-only one that needs no migration opens for reading (`DatabaseReadOnly` when it
    does), and a full or failing disk comes out as its `StorageError`.
    """
    if is_server_url(path):
        return _open_server(str(path))
    assert isinstance(path, Path)
    engine = open_engine(path)
    try:
        migrate(engine)
    except DatabaseDamaged as exc:
        engine.dispose()
        raise ClerkError("db.corrupt", path=str(path)) from exc
    except CannotOpen as exc:
        engine.dispose()
        raise ClerkError("db.cannot_open", path=str(path), reason=str(exc)) from exc
    except StorageError:
        engine.dispose()
        raise
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


def _open_server(url: str) -> Engine:
    """Connect to the server database and bring its schema up to date; refused in one line
    (unreachable, wrong password, too old, too new), with nothing created."""
    engine = open_server_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
