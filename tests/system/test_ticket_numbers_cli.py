"""`clerk ticket ...` past A999 (issue 18, item 4): A1000 issued, listed whole, called after A999."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.db import open_database

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.output


def set_last_serial(db: Path, serial: int) -> None:
    """Make today's only A ticket the day's `serial`-th, already served: as if the hall had
    issued that many (a test that issued 999 through the CLI would take minutes)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE ticket SET serial = ?, number = ?, status = 'done'", (serial, f"A{serial:03d}"))
        # ...and the day's counter row for queue A, which hands out the numbers, agrees.
        conn.execute("UPDATE counter SET value = ? WHERE name LIKE 'ticket:%:A'", (serial,))
    conn.close()


def test_a1000_is_issued_listed_whole_and_called_after_a999(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_database(db).dispose()
    assert run(db, "ticket", "issue", "-q", "A", "--plain") == (0, "A001\n")
    set_last_serial(db, 998)
    assert run(db, "ticket", "issue", "-q", "A", "--plain") == (0, "A999\n")
    code, out = run(db, "ticket", "issue", "-q", "A")
    assert code == 0 and out.startswith("A1000\t综合受理\t前面 1 人")
    code, out = run(db, "ticket", "list", "--tsv")
    assert [line.split("\t")[0] for line in out.splitlines()] == ["A999", "A1000"]
    code, out = run(db, "ticket", "list")
    assert code == 0 and [line.split()[0] for line in out.splitlines()[1:]] == ["A999", "A1000"]
    assert run(db, "ticket", "call", "-w", "2") == (0, "A999 → 2号窗口\n")
    assert run(db, "ticket", "finish", "-w", "2")[0] == 0
    assert run(db, "ticket", "call", "-w", "2") == (0, "A1000 → 2号窗口\n")


def test_the_day_limit_is_one_line_in_the_clerks_language(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_database(db).dispose()
    assert run(db, "ticket", "issue", "-q", "A", "--plain") == (0, "A001\n")
    set_last_serial(db, 9999)
    code, out = run(db, "ticket", "issue", "-q", "A")
    assert (code, out) == (1, "错误：队列 A 今日已发出 9999 个号（至 A9999），已达每日上限，请改取其他队列的号\n")
    code, out = run(db, "--lang", "en", "ticket", "issue", "-q", "A")
    assert code == 1 and out.startswith("Error: Queue A has issued its 9999 numbers for today (up to A9999)")
    assert "Traceback" not in out and out.count("\n") == 1
    assert run(db, "ticket", "issue", "-q", "B", "--plain") == (0, "B001\n")
