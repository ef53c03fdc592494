"""Backups while the database is in use, restores, health checks."""

from __future__ import annotations

import os
import sqlite3
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
