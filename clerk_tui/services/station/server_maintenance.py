"""Backups, restores and health checks of a server (PostgreSQL) database.

A hall's or centre's database lives on its server, and is backed up there (the server's
own schedule); `clerk backup` / `clerk restore` run PostgreSQL's pg_dump / pg_restore for
a copy by hand. The app's daily backup skips a server database. Kept apart from
`maintenance` (the station's file), which every start imports for its quick check.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from clerk_tui.db import latest_schema_version
from clerk_tui.db.server_ops import (
    ToolFailed,
    ToolMissing,
    dump_problem,
    dump_server,
    pg_program,
    restore_server,
    server_health,
    server_is_empty,
)
from clerk_tui.errors import ClerkError
from clerk_tui.files import create_private_file, create_private_folder
from clerk_tui.redaction import redact
from clerk_tui.services.station.maintenance import BACKUP_PREFIX, catalog_tables
from clerk_tui.services.station.setup import CENTRE_ROLE

SERVER_BACKUP_SUFFIX = ".dump"
# Past this many, the schema's missing parts are counted rather than listed.
_LISTED = 6


def check_server_database(url: str, label: str) -> list[str]:
    """What is wrong with a server database, in plain words; an empty list means healthy.

    One line per kind of problem: no clerk-tui schema, a newer or older schema version,
    parts of the schema missing (tables, unique keys, the guards, references on a
    station's database), references to no record (as on SQLite: on a centre, those into
    the catalog are not counted), duplicated keys. A server that cannot be reached or
    refuses the login raises its `StorageError`; nothing is written either way.
    """
    from clerk_tui.i18n import t

    health = server_health(url)
    latest = latest_schema_version()
    if health.version == 0:
        return [t("check.server_not_clerk" if health.tables else "check.server_empty", path=label)]
    if health.version > latest:
        return [t("db.too_new", found=health.version, supported=latest)]
    if health.version < latest:
        return [t("check.schema_behind", found=health.version, latest=latest)]
    problems = []
    centre = health.role == CENTRE_ROLE
    missing = list(health.missing) + ([] if centre else list(health.missing_references))
    if missing:
        listed = "; ".join(missing[:_LISTED]) + (f" (+{len(missing) - _LISTED})" if len(missing) > _LISTED else "")
        problems.append(t("check.server_schema", what=listed))
    catalog = catalog_tables()
    dangling = [d for d in health.dangling if not (centre and d.target in catalog and d.table not in catalog)]
    if dangling:
        key = "check.centre_foreign_keys" if centre else "check.foreign_keys"
        tables = ", ".join(sorted({d.table for d in dangling}))
        problems.append(t(key, count=sum(d.rows for d in dangling), tables=tables))
    if health.duplicates:
        tables = ", ".join(name for name, _ in health.duplicates)
        problems.append(t("check.duplicates", count=sum(n for _, n in health.duplicates), tables=tables))
    return problems


def _require_pg_tools(*names: str) -> None:
    for name in names:
        if pg_program(name) is None:
            raise ClerkError("server.no_pg_tool", path=name)


def backup_server_database(url: str, target: Path) -> Path:
    """`pg_dump` the server database to `target` (a file or a folder: then named by the
    time), owner-only, and verify the copy can be read back (`pg_restore --list`)."""
    _require_pg_tools("pg_dump", "pg_restore")
    if target.is_dir() or not target.suffix:
        create_private_folder(target)
        target = target / f"{BACKUP_PREFIX}{datetime.now():%Y%m%d-%H%M%S}{SERVER_BACKUP_SUFFIX}"
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        create_private_file(tmp)
        dump_server(url, tmp)
        problem = dump_problem(tmp)
        if problem:
            raise ClerkError("backup.verify_failed", path=str(target), problem=redact(problem))
        os.replace(tmp, target)
    except OSError as exc:
        raise ClerkError("backup.write_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
    except ToolMissing as exc:
        raise ClerkError("server.no_pg_tool", path=exc.path) from None
    except ToolFailed as exc:
        raise ClerkError("backup.pg_failed", tool="pg_dump", reason=redact(str(exc))) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


def server_holds_data(url: str) -> bool:
    """Whether the server database has any table: a restore over it replaces them."""
    return not server_is_empty(url)


def restore_server_database(url: str, backup: Path, safety_folder: Path, *, overwrite: bool) -> Path | None:
    """Put a `clerk backup` dump in place of everything in the server database, in one
    transaction (a failure leaves it as it was). A database holding tables is replaced
    only with `overwrite` (the clerk said yes), after its content is dumped aside; the
    dump kept aside is returned (None when the database was empty)."""
    _require_pg_tools("pg_restore", "pg_dump")
    problem = dump_problem(backup)
    if problem:
        raise ClerkError("restore.bad_backup", path=str(backup), problem=redact(problem))
    kept = None
    if server_holds_data(url):
        if not overwrite:
            raise ClerkError("restore.cancelled")
        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        kept = backup_server_database(
            url, safety_folder / f"{BACKUP_PREFIX}before-restore-{stamp}{SERVER_BACKUP_SUFFIX}"
        )
    try:
        restore_server(url, backup)
    except ToolMissing as exc:
        raise ClerkError("server.no_pg_tool", path=exc.path) from None
    except ToolFailed as exc:
        raise ClerkError("restore.pg_failed", tool="pg_restore", reason=redact(str(exc))) from exc
    return kept
