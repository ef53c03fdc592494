"""Backups while the database is in use, restores, health checks."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.maintenance import backup_database, check_database, daily_backup, restore_database

runner = CliRunner()


def count_tickets(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM ticket").fetchone()[0]


def test_backup_of_a_database_in_use_is_consistent(station: Station, settings, tmp_path: Path) -> None:
    for _ in range(3):
        issue_ticket(station, "A")
    # A reader holds the database open, as the board would, while the backup runs.
    with station.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM ticket").scalar()
        copy = backup_database(settings.database_path, tmp_path / "copy.db")
    assert check_database(copy) == []
    assert count_tickets(copy) == 3
    if os.name == "posix":
        assert copy.stat().st_mode & 0o077 == 0


def test_daily_backups_rotate(station: Station, settings, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for day in range(1, 6):
        daily_backup(settings.database_path, folder, keep=3, today=date(2026, 11, day))
    assert daily_backup(settings.database_path, folder, keep=3, today=date(2026, 11, 5)) is None  # already made
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["clerk-20261103-daily.db", "clerk-20261104-daily.db", "clerk-20261105-daily.db"]


def test_restore_puts_the_backup_back_and_keeps_the_current_one(station: Station, settings, tmp_path: Path) -> None:
    issue_ticket(station, "A")
    saved = backup_database(settings.database_path, tmp_path / "one-ticket.db")
    issue_ticket(station, "A")
    station.close()
    kept = restore_database(saved, settings.database_path, tmp_path / "safety")
    assert count_tickets(settings.database_path) == 1
    assert kept is not None and count_tickets(kept) == 2


def test_check_finds_corruption_and_bad_references(station: Station, settings, tmp_path: Path) -> None:
    assert check_database(settings.database_path) == []
    broken = tmp_path / "broken.db"
    data = bytearray(backup_database(settings.database_path, tmp_path / "b.db").read_bytes())
    data[4096 * 2 : 4096 * 2 + 512] = b"\xff" * 512  # scribble over a page
    broken.write_bytes(bytes(data))
    assert check_database(broken)
    orphan = backup_database(settings.database_path, tmp_path / "orphan.db")
    with sqlite3.connect(orphan) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO ticket_event (id, version, change_seq, ticket_id, kind, at, station_id, detail) "
            "VALUES ('x', 1, 0, 'no-such-ticket', 'called', '2026-11-24 09:00:00', 's', '')"
        )
    problems = check_database(orphan)
    assert problems and "ticket_event" in problems[0]


def test_restore_refuses_a_bad_backup(station: Station, settings, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ClerkError):
        restore_database(junk, settings.database_path, tmp_path / "safety")
    assert check_database(settings.database_path) == []


def test_cli_backup_check_restore(station: Station, settings, tmp_path: Path) -> None:
    db = str(settings.database_path)
    result = runner.invoke(app, ["--db", db, "check"])
    assert result.exit_code == 0 and "完好" in result.output
    result = runner.invoke(app, ["--db", db, "backup", "--to", str(tmp_path / "b.db")])
    assert result.exit_code == 0 and (tmp_path / "b.db").exists()
    result = runner.invoke(app, ["--db", db, "restore", str(tmp_path / "b.db")], input="n\n")
    assert result.exit_code == 1 and "未作任何更改" in result.output
    station.close()
    result = runner.invoke(app, ["--db", db, "restore", str(tmp_path / "b.db"), "--yes"])
    assert result.exit_code == 0, result.output


# --- a -wal deleted under a running writer (issue 18, item 7) ----------------------------

# A writer that keeps its commits in the -wal (no checkpoint) and stays open, as a window
# does between two calls; it says when its commit has returned.
WAL_WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('acknowledged', datetime('now'))")
print("committed", flush=True)
sys.stdin.readline()
"""


@contextlib.contextmanager
def wal_writer(db: Path) -> Iterator[None]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WAL_WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "committed"
        yield
    finally:
        writer.kill()  # a clean close would checkpoint from the deleted file it still holds
        writer.wait(timeout=30)


def test_check_and_every_start_report_a_wal_deleted_under_a_running_writer(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    wal = db.with_name("s.db-wal")
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    result = runner.invoke(app, ["--db", str(db), "backup"])
    assert result.exit_code == 0, result.output
    [backup] = (tmp_path / "backups").glob("clerk-*.db")  # beside the database, as README says
    with wal_writer(db):
        assert runner.invoke(app, ["--db", str(db), "check"]).exit_code == 0  # the -wal is there: healthy
        wal.unlink()  # by hand, a cleaning tool, a sync client: the commit above is gone

        result = runner.invoke(app, ["--db", str(db), "check"])
        assert result.exit_code == 1, result.output
        assert "完好" not in result.output and str(wal) in result.output and "clerk restore" in result.output
        assert len(result.output.strip().splitlines()) == 1

        for args in (["ticket", "list"], ["--lang", "en", "ticket", "issue", "-q", "A"]):
            result = runner.invoke(app, ["--db", str(db), *args])
            assert result.exit_code == 1, result.output
            assert f"clerk restore {backup}" in result.output and str(wal) in result.output
            assert len(result.output.strip().splitlines()) == 1
        assert "deleted or cut short" in result.output
    # Every program closed: the way out the message names works, and the file as it was is kept.
    result = runner.invoke(app, ["--db", str(db), "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["--db", str(db), "check"]).exit_code == 0
    assert len(list((tmp_path / "backups").glob("clerk-before-restore-*.db"))) == 1


def test_a_wal_cut_short_or_replaced_is_lost_but_a_checkpointed_one_is_not(tmp_path: Path) -> None:
    from clerk_tui.db import lost_wal_frames

    db = tmp_path / "s.db"
    wal = db.with_name("s.db-wal")
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    with wal_writer(db):
        assert lost_wal_frames(db) == 0
        data = wal.read_bytes()
        wal.write_bytes(data[: len(data) - 100])  # the last frame cut short
        assert lost_wal_frames(db, pause=0) > 0
        wal.write_bytes(data[:16] + b"\x00" * 8 + data[24:])  # another -wal's salt: not the one indexed
        assert lost_wal_frames(db, pause=0) > 0
        wal.write_bytes(data)
        assert lost_wal_frames(db) == 0
        with contextlib.closing(sqlite3.connect(db)) as conn:  # every frame copied into the database file
            assert conn.execute("PRAGMA wal_checkpoint(FULL)").fetchone()[0] == 0
        wal.unlink()  # nothing lost: the database file holds it all
        assert lost_wal_frames(db) == 0
        assert check_database(db) == []
    with wal_writer(db):
        pass  # killed with its commit only in the -wal: a crash, not a loss
    assert wal.stat().st_size > 0 and lost_wal_frames(db) == 0
    assert check_database(db) == []
