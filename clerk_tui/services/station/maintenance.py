"""Backups, restores and health checks of the station database.

Backups use SQLite's online backup API, so they are consistent while the app, the board
and the kiosk keep working. Every backup and restore writes owner-only files.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path

from clerk_tui.db import latest_schema_version
from clerk_tui.errors import ClerkError
from clerk_tui.files import create_private_file

BACKUP_PREFIX = "clerk-"
BACKUP_SUFFIX = ".db"


def backup_database(source: Path, target: Path) -> Path:
    """Copy a live database to `target` (a file or a folder) and verify the copy."""
    if target.is_dir() or not target.suffix:  # a folder: name the file by the time
        target.mkdir(parents=True, exist_ok=True)
        target = target / f"{BACKUP_PREFIX}{datetime.now():%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        create_private_file(tmp)
        with _connect_ro(source) as src, closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst, pages=4096)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        problems = check_database(tmp)
        if problems:
            raise ClerkError("backup.verify_failed", path=str(target), problem=problems[0])
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ClerkError("backup.write_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        raise ClerkError("backup.source_unreadable", path=str(source), reason=str(exc)) from exc
    return target


def daily_backup(source: Path, folder: Path, keep: int, today: date) -> Path | None:
    """Make today's backup if there is none yet; keep the newest `keep` daily backups."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{BACKUP_PREFIX}{today:%Y%m%d}-daily{BACKUP_SUFFIX}"
    made = None
    if not (folder / name).exists():
        made = backup_database(source, folder / name)
    dailies = sorted(folder.glob(f"{BACKUP_PREFIX}*-daily{BACKUP_SUFFIX}"))
    for old in dailies[: max(0, len(dailies) - keep)]:
        old.unlink(missing_ok=True)
    return made


def check_database(path: Path) -> list[str]:
    """What is wrong with a database file, in plain words; an empty list means healthy."""
    from clerk_tui.i18n import t

    if not path.exists():
        return [t("check.missing", path=str(path))]
    try:
        with _connect_ro(path) as conn:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                return [t("check.corrupt", detail="; ".join(integrity[:3]))]
            problems = []
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                tables = sorted({row[0] for row in fk})
                problems.append(t("check.foreign_keys", count=len(fk), tables=", ".join(tables)))
            has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() if has_meta else None
            version = int(row[0]) if row else 0
            if version == 0:
                problems.append(t("check.not_clerk_db"))
            elif version > latest_schema_version():
                problems.append(t("db.too_new", found=version, supported=latest_schema_version()))
            return problems
    except sqlite3.DatabaseError as exc:
        return [t("check.corrupt", detail=str(exc))]


SQLITE_HEADER = b"SQLite format 3\x00"


def latest_backup(folder: Path) -> Path | None:
    """The newest backup in the backups folder (daily or made by clerk backup)."""
    found = [p for p in folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}") if p.is_file()] if folder.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def quick_check(path: Path, backups: Path) -> None:
    """Notice a damaged database before anything runs on it, in about a millisecond.

    A full `PRAGMA integrity_check` (or even `quick_check`) reads every page: seconds to
    minutes on a multi-gigabyte station. This reads only what every start needs anyway:
    the file header, the schema, and the path to the newest row of every table (where
    today's writes went). Damage elsewhere is left to `clerk check`.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            problem = "header"
        else:
            problem = ""
            if header:
                with _connect_ro(path) as conn:
                    tables = conn.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
                    for table, sql in tables:
                        plain = "WITHOUT ROWID" not in (sql or "").upper() and "VIRTUAL" not in (sql or "").upper()
                        order = " ORDER BY rowid DESC" if plain else ""
                        conn.execute(f'SELECT * FROM "{table}"{order} LIMIT 1').fetchall()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return  # a busy database is not a damaged one; the command waits for it as usual
        problem = str(exc)
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    except OSError:
        return  # unreadable files are reported by the open that follows, with the reason
    if not problem:
        return
    backup = latest_backup(backups)
    if backup is None:
        raise ClerkError("db.damaged_no_backup", path=str(path), detail=problem, folder=str(backups))
    raise ClerkError("db.damaged", path=str(path), detail=problem, backup=str(backup))


def restore_database(backup: Path, target: Path, safety_folder: Path) -> Path | None:
    """Put a verified backup in place of the database; the current one is kept aside first."""
    problems = check_database(backup)
    if problems:
        raise ClerkError("restore.bad_backup", path=str(backup), problem=problems[0])
    kept = None
    if target.exists():
        kept = backup_database(target, safety_folder / f"{BACKUP_PREFIX}before-restore-{datetime.now():%Y%m%d-%H%M%S}{BACKUP_SUFFIX}")
    create_private_file(target)
    with _connect_ro(backup) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
    return kept


@contextmanager
def _connect_ro(path: Path) -> Iterator[sqlite3.Connection]:
    """Read-only: a check or a backup never changes the file it reads."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    try:
        yield conn
    finally:
        conn.close()
