"""`clerk ticket ...` for scripts: one-line answers, one-line errors, non-zero exits."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.db import open_database

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.output


def test_issue_list_call_recall_no_show_reinstate_finish(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_database(db).dispose()  # only init and demo create a database
    assert run(db, "ticket", "issue", "--queue", "A", "--plain") == (0, "A001\n")
    code, out = run(db, "ticket", "issue", "-q", "b", "--green")
    assert code == 0 and out.startswith("B001\t社保医保")
    code, out = run(db, "ticket", "list", "--tsv")
    assert [line.split("\t")[0] for line in out.splitlines()] == ["B001", "A001"]
    assert run(db, "ticket", "call", "--window", "2") == (0, "B001 → 2号窗口\n")
    code, out = run(db, "ticket", "recall", "-w", "2")
    assert code == 0 and "第 2 次" in out
    assert run(db, "ticket", "no-show", "-w", "2")[0] == 0
    assert run(db, "ticket", "reinstate", "b001", "-w", "2")[0] == 0
    assert run(db, "ticket", "call", "-w", "4", "--ticket", "A001", "--reason", "预约改期")[0] == 0
    assert run(db, "ticket", "finish", "-w", "4")[0] == 0
    code, out = run(db, "ticket", "list", "--all", "--tsv")
    status = {line.split("\t")[0]: line.split("\t")[4] for line in out.splitlines()}
    assert status == {"A001": "已办结", "B001": "等候"}


def test_errors_are_one_line_in_the_clerks_language(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_database(db).dispose()
    code, out = run(db, "ticket", "call", "-w", "1")
    assert code == 1 and out == "错误：没有可叫的号\n"
    code, out = run(db, "--lang", "en", "ticket", "finish", "-w", "1")
    assert code == 1 and out == "Error: This window has no current ticket\n"
    code, out = run(db, "ticket", "issue", "-q", "Z")
    assert code == 1 and "没有队列 Z" in out and "Traceback" not in out
    code, out = run(db, "ticket", "issue", "-q", "A", "--appointment", "25:99")
    assert code == 1 and "时:分" in out
    code, out = run(db, "ticket", "issue", "-q", "A", "--green", "--appointment", "10:00")
    assert code == 1 and "--green" in out
    code, out = run(db, "ticket", "call", "-w", "1", "--ticket", "A009")
    assert code == 1 and "原因" in out
