"""Schema versions: the numbered migrations in `db/migrations`, applied in order."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError

from clerk_tui.db import migrations as migrations_pkg
from clerk_tui.db.engine import open_engine
from clerk_tui.db.errors import CannotOpen, DatabaseDamaged, StorageError
from clerk_tui.db.session import CHANGE_SEQ
from clerk_tui.errors import ClerkError


def _migrations() -> list[tuple[int, ModuleType]]:
    found = []
    for info in pkgutil.iter_modules(migrations_pkg.__path__):
        if info.name.startswith("v") and info.name[1:4].isdigit():
            found.append((int(info.name[1:4]), importlib.import_module(f"clerk_tui.db.migrations.{info.name}")))
    found.sort(key=lambda pair: pair[0])
    numbers = [n for n, _ in found]
    assert numbers == list(range(1, len(numbers) + 1)), f"migration numbers have a gap: {numbers}"
    return found


def latest_schema_version() -> int:
    return len(_migrations())


def schema_version(conn: Connection) -> int:
    has_meta = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")).first()
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
    """Open (creating if needed) and migrate the station database.

    A damaged file or one the engine cannot open is refused in the clerk's words; a
    read-only one that needs no migration opens for reading (`DatabaseReadOnly` when it
    does), and a full or failing disk comes out as its `StorageError`.
    """
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
