"""Backups, restores and health checks of the station database.

Backups use the engine's online backup (`clerk_tui.db.backup`), so they are consistent
while the app, the board and the kiosk keep working. Every backup and restore writes
owner-only files.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime
from pathlib import Path

from clerk_tui.db import (
    META_ROLE,
    CannotOpen,
    DatabaseBusy,
    DatabaseReadOnly,
    DiskFailed,
    DiskFull,
    NotADatabase,
    StorageError,
    foreign_key_violations,
    integrity_problems,
    latest_schema_version,
    log_holds_commits,
    lost_wal_frames,
    open_readonly,
    quick_probe,
    read_only_reason,
    restore_backup,
    write_backup,
)
from clerk_tui.errors import ClerkError
from clerk_tui.files import create_private_file, create_private_folder, make_private
from clerk_tui.services.station.setup import CENTRE_ROLE


def catalog_tables() -> frozenset[str]:
    """The catalog: each station's own. A centre merges what stations record, and their
    records point at the catalog they were checked against, which the centre does not hold.

    Asked for by the checks that need it: every start runs this module's `quick_check`,
    which should not define the catalog's tables.
    """
    from clerk_tui.models import CatalogVersion, Department, Material, Matter

    return frozenset(str(m.__tablename__) for m in (CatalogVersion, Department, Matter, Material))


log = logging.getLogger(__name__)

BACKUP_PREFIX = "clerk-"
BACKUP_SUFFIX = ".db"


def backup_database(source: Path, target: Path) -> Path:
    """Copy a live database to `target` (a file or a folder) and verify the copy."""
    if target.is_dir() or not target.suffix:  # a folder: name the file by the time
        create_private_folder(target)
        target = target / f"{BACKUP_PREFIX}{datetime.now():%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        create_private_file(tmp)
        write_backup(source, tmp)
        problems = check_database(tmp)
        if problems:
            raise ClerkError("backup.verify_failed", path=str(target), problem=problems[0])
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ClerkError("backup.write_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
    except (DiskFull, DiskFailed) as exc:  # the copy could not be written: the source is fine
        tmp.unlink(missing_ok=True)
        raise ClerkError("backup.write_failed", path=str(target), reason=str(exc)) from exc
    except StorageError as exc:
        tmp.unlink(missing_ok=True)
        raise ClerkError("backup.source_unreadable", path=str(source), reason=str(exc)) from exc
    return target


def daily_backup(source: Path, folder: Path, keep: int, today: date) -> Path | None:
    """Make today's backup if there is none yet; keep the newest `keep` daily backups.

    `folder` is the station's own backups folder (`backups/` beside the database): it is
    made owner-only, even if an older version made it readable by others.
    """
    create_private_folder(folder)
    make_private(folder)
    name = f"{BACKUP_PREFIX}{today:%Y%m%d}-daily{BACKUP_SUFFIX}"
    made = None
    if not (folder / name).exists():
        made = backup_database(source, folder / name)
    dailies = sorted(folder.glob(f"{BACKUP_PREFIX}*-daily{BACKUP_SUFFIX}"))
    for old in dailies[: max(0, len(dailies) - keep)]:
        old.unlink(missing_ok=True)
    return made


def check_database(path: Path, *, for_work: bool = False) -> list[str]:
    """What is wrong with a database file, in plain words; an empty list means healthy.

    Each condition has its own words: no file, a folder, a file this account may not
    read, not a database, damaged, a newer version, held by another program. On a centre's
    database, references into the catalog are not counted (they point at each station's
    own catalog, which a centre never holds); every other reference is. `for_work` also
    says when the database may be read but not written (a station must write).
    """
    from clerk_tui.i18n import t

    where = str(path)
    try:
        if not path.exists():
            return [t("check.missing", path=where)]
        if path.is_dir():
            return [t("db.is_directory", path=where)]
        with path.open("rb"):
            pass
    except OSError as exc:  # no permission for the file or a folder on its way
        return [t("db.unreadable", path=where, reason=exc.strerror or str(exc))]
    lost = lost_wal_problem(path)  # first: opening the database wipes the trace
    if lost:
        return [lost]
    try:
        with open_readonly(path) as db:
            integrity = integrity_problems(db)
            if integrity:
                return [t("check.corrupt", detail="; ".join(integrity[:3]))]
            problems = []
            version = db.schema_version()
            centre = version > 0 and db.meta(META_ROLE) == CENTRE_ROLE
            fk = foreign_key_violations(db, except_to=catalog_tables() if centre else frozenset())
            if fk:
                tables = ", ".join(sorted(set(fk)))
                key = "check.centre_foreign_keys" if centre else "check.foreign_keys"
                problems.append(t(key, count=len(fk), tables=tables))
            if version == 0:
                problems.append(t("check.not_clerk_db"))
            elif version > latest_schema_version():
                problems.append(t("db.too_new", found=version, supported=latest_schema_version()))
    except NotADatabase:
        return [t("check.not_a_database", path=where)]
    except DatabaseBusy:
        return [t("check.locked", path=where)]
    except (DatabaseReadOnly, CannotOpen) as exc:
        if read_only_reason(path) is not None and log_holds_commits(path):
            # A read-only folder, and commits in the log beside the file: the engine will not read them.
            return [t("check.read_only_unreadable", path=where)]
        return [t("db.unreadable", path=where, reason=str(exc))]
    except StorageError as exc:
        return [t("check.corrupt", detail=str(exc))]
    reason = read_only_reason(path) if for_work else None
    if reason is not None:
        problems.append(t("check.read_only", path=where, why=t(f"check.read_only.{reason}")))
    return problems


def latest_backup(folder: Path) -> Path | None:
    """The newest backup in the backups folder (daily or made by clerk backup)."""
    found = [p for p in folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}") if p.is_file()] if folder.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def quick_check(path: Path, backups: Path) -> None:
    """Notice a damaged database before anything runs on it, in about a millisecond.

    A full check reads every page: seconds to minutes on a multi-gigabyte station. This
    reads only what every start needs anyway (`quick_probe`); damage elsewhere is left
    to `clerk check`.
    """
    refuse_lost_wal(path, backups)  # first: opening the database wipes the trace
    try:
        quick_probe(path)
        problem = ""
    except DatabaseBusy:
        return  # a busy database is not a damaged one; the command waits for it as usual
    except (DatabaseReadOnly, CannotOpen):
        return  # not damage either: the open that follows says what it is
    except StorageError as exc:
        problem = str(exc)
    except OSError:
        return  # unreadable files are reported by the open that follows, with the reason
    if not problem:
        return
    backup = latest_backup(backups)
    if backup is None:
        raise ClerkError("db.damaged_no_backup", path=str(path), detail=problem, folder=str(backups))
    raise ClerkError("db.damaged", path=str(path), detail=problem, backup=str(backup))


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def lost_wal_problem(path: Path) -> str:
    """One line when the database's -wal file was deleted or cut short under a running
    program, "" when nothing of the kind can be seen (`clerk_tui.db.lost_wal_frames`).

    The commits it held are lost, and nothing in the database file shows it: its own
    checks find it sound. What to do is the same as for damage: close every program on
    it, then restore the latest backup (`clerk restore` keeps the current file aside).
    """
    from clerk_tui.i18n import t

    frames = lost_wal_frames(path)
    if not frames:
        return ""
    log.warning("%s: the -wal lost %d committed frame(s) not yet in the database file", path, frames)
    return t("check.wal_lost", wal=str(_wal_path(path)))


def refuse_lost_wal(path: Path, backups: Path) -> None:
    """At start, before anything opens the database: refuse to write on top of lost commits."""
    if not lost_wal_frames(path):
        return
    log.warning("%s: the -wal file was deleted or cut short under a running program", path)
    backup = latest_backup(backups)
    if backup is None:
        raise ClerkError("db.wal_lost_no_backup", wal=str(_wal_path(path)), folder=str(backups))
    raise ClerkError("db.wal_lost", wal=str(_wal_path(path)), backup=str(backup))


def restore_database(backup: Path, target: Path, safety_folder: Path) -> Path | None:
    """Put a verified backup in place of the database; the current one is kept aside first."""
    problems = check_database(backup)
    if problems:
        raise ClerkError("restore.bad_backup", path=str(backup), problem=problems[0])
    kept = None
    if target.exists():
        kept = backup_database(
            target, safety_folder / f"{BACKUP_PREFIX}before-restore-{datetime.now():%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"
        )
    create_private_file(target)
    restore_backup(backup, target)
    return kept
