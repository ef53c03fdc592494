"""Faulty storage, end to end (issue 18): a read-only database, a full or failing disk
during a centre's merge, and `clerk check` telling each condition apart.

Every failure is one line in the clerk's language and a non-zero exit, never a
traceback (that goes to the failure log, redacted), and the database is unchanged.

Read-only databases are made read-only for real: the permission bits of the file or its
folder, and the program run in a process held to them. Root writes whatever the bits say
(through its capabilities), so under root the process runs without those capabilities.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.engine
import sqlalchemy.event
import sqlalchemy.exc
from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.clock import FixedClock
from clerk_tui.config import default_config_path, load_settings
from clerk_tui.services.station.setup import open_station
from tests.conftest import FIXED_NOW, table_counts
from tests.sync_helpers import populate

runner = CliRunner()
ID_NUMBER = "11010519491231002X"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def one_line(out: str) -> bool:
    return len(out.strip().splitlines()) == 1 and "Traceback" not in out


def log_text() -> str:
    """The failure log of the CLI run in-process (the test's default data folder)."""
    log = load_settings(default_config_path()).data_dir / "logs" / "clerk-errors.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


# --- a database this program may not write -----------------------------------------------

PR_CAPBSET_DROP = 24
# Root writes whatever the permission bits say through these capabilities: without them it
# is held to the bits like anyone else (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER).
OVERRIDES = (1, 2, 3)


def _held_to_the_permission_bits() -> None:
    """In the child before it runs the program: drop root's overrides for good."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in OVERRIDES:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


class Unprivileged:
    """Runs `clerk` in a process held to the permission bits (root without its overrides)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = hasattr(os, "geteuid") and os.geteuid() == 0

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.python("-m", "clerk_tui", *args)

    def python(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLERK_TUI")}
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
            env=env,
            timeout=120,
            preexec_fn=_held_to_the_permission_bits if self.root else None,
        )


@pytest.fixture
def read_only_station(tmp_path: Path) -> Iterator[tuple[Unprivileged, Path, Path]]:
    """A station with one waiting ticket whose leftover cleanup is due (so a start would
    write `meta`), and its config."""
    if os.name != "posix":
        pytest.skip("permission bits are POSIX")
    station_dir = tmp_path / "station"
    station_dir.mkdir()
    db = station_dir / "s.db"
    assert run("--db", str(db), "init", "--station-id", "510199-07")[0] == 0
    assert run("--db", str(db), "ticket", "issue", "-q", "A")[0] == 0
    conn = sqlite3.connect(db)  # an earlier day's cleanup is due: the next start would write
    conn.execute("UPDATE meta SET value = '2020-01-01' WHERE key = 'queue.closed_through'")
    conn.commit()
    conn.close()  # the last connection: the log is checkpointed and removed
    assert not list(station_dir.glob("s.db-*"))
    who = Unprivileged(tmp_path)
    probe_file = tmp_path / "probe"
    probe_file.write_text("")
    probe_file.chmod(0o444)
    try:
        probe = who.python("-c", f"import os; print(os.access({str(probe_file)!r}, os.W_OK))")
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot run the program held to the permission bits here: {exc}")
    if probe.stdout.strip() != "False":
        pytest.skip(f"this account writes read-only files: {probe.stdout} {probe.stderr[-200:]}")
    yield who, default_config_path(), db
    for path in (station_dir, *station_dir.iterdir()):
        path.chmod(0o700 if path.is_dir() else 0o600)


def make_read_only(db: Path, what: str) -> None:
    os.chmod(db, 0o444)
    if what == "folder":
        os.chmod(db.parent, 0o555)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_read_and_every_write_refused_in_one_line(
    read_only_station: tuple[Unprivileged, Path, Path], what: str
) -> None:
    who, config, db = read_only_station
    before = table_counts(db)
    make_read_only(db, what)
    listed = who.run("--config", str(config), "--db", str(db), "ticket", "list")
    assert listed.returncode == 0, listed.stderr
    assert "A001" in listed.stdout and "Traceback" not in listed.stderr
    for args in (["ticket", "list", "--all"], ["catalog", "list", "--limit", "1"], ["report", "daily"]):
        done = who.run("--config", str(config), "--db", str(db), *args)
        assert done.returncode == 0, (args, done.stderr)
    for args in (["ticket", "issue", "-q", "A"], ["ticket", "call"], ["--lang", "en", "ticket", "issue", "-q", "A"]):
        refused = who.run("--config", str(config), "--db", str(db), *args)
        assert refused.returncode == 1, (args, refused.stdout, refused.stderr)
        assert one_line(refused.stderr), refused.stderr
        assert str(db) in refused.stderr
        assert ("只能读取、不能写入" in refused.stderr) or ("can be read but not written" in refused.stderr)
    os.chmod(db.parent, 0o755)
    assert table_counts(db) == before
    assert "DatabaseReadOnly" in log_text()  # the traceback, in the log


@pytest.mark.parametrize(
    ("what", "zh"),
    [
        ("file", "只能读取、不能写入（文件只读）"),
        ("folder", "只能读取、不能写入（文件只读）"),
        ("folder-only", "所在文件夹只读"),
    ],
)
def test_check_says_a_database_is_read_only_not_damaged(
    read_only_station: tuple[Unprivileged, Path, Path], what: str, zh: str
) -> None:
    who, config, db = read_only_station
    if what == "folder-only":
        os.chmod(db.parent, 0o555)  # the file may be written, but not its journal beside it
    else:
        make_read_only(db, what)
    checked = who.run("--config", str(config), "--db", str(db), "check")
    assert checked.returncode == 1 and one_line(checked.stderr), checked.stderr
    assert zh in checked.stderr and "损坏" not in checked.stderr and "restore" not in checked.stderr


def test_check_says_a_database_it_may_not_read_is_not_readable(
    read_only_station: tuple[Unprivileged, Path, Path],
) -> None:
    who, config, db = read_only_station
    os.chmod(db, 0o000)
    checked = who.run("--config", str(config), "--db", str(db), "check")
    assert checked.returncode == 1 and one_line(checked.stderr), checked.stderr
    assert "没有权限读取数据库" in checked.stderr and "损坏" not in checked.stderr.split("。")[0]


def test_check_on_a_read_only_folder_whose_log_holds_commits_says_so(
    read_only_station: tuple[Unprivileged, Path, Path],
) -> None:
    who, config, db = read_only_station
    holder = sqlite3.connect(db)  # a commit left in the -wal, not yet checkpointed
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE meta SET value = '2020-01-02' WHERE key = 'queue.closed_through'")
    holder.commit()
    try:
        assert db.with_name("s.db-wal").stat().st_size > 0
        for side in db.parent.glob("s.db-*"):
            os.chmod(side, 0o444)
        shm = db.with_name("s.db-shm")
        shm.unlink()
        make_read_only(db, "folder")
        checked = who.run("--config", str(config), "--db", str(db), "check")
    finally:
        holder.close()
    assert checked.returncode == 1 and one_line(checked.stderr), checked.stderr
    assert "-wal" in checked.stderr and "损坏" not in checked.stderr


# --- clerk check: every other condition in its own words ----------------------------------


def test_check_names_each_condition(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run("--db", str(db), "init", "--station-id", "510199-07")[0] == 0
    code, out = run("--db", str(db), "check")
    assert code == 0 and "完好" in out

    code, out = run("--db", str(tmp_path / "none.db"), "check")
    assert code == 1 and one_line(out) and "找不到数据库文件" in out

    code, out = run("--db", str(tmp_path), "check")  # a folder given as --db
    assert code == 1 and one_line(out) and "是一个文件夹" in out and "损坏" not in out
    code, out = run("--db", str(tmp_path), "ticket", "list")
    assert code == 1 and one_line(out) and "是一个文件夹" in out

    text = tmp_path / "notes.db"
    text.write_text("这不是数据库" * 200, encoding="utf-8")
    code, out = run("--db", str(text), "check")
    assert code == 1 and one_line(out) and "不是 SQLite 数据库文件" in out

    newer = tmp_path / "newer.db"
    shutil.copy(db, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    code, out = run("--db", str(newer), "check")
    assert code == 1 and one_line(out) and "999" in out and "升级" in out

    damaged = tmp_path / "damaged.db"
    shutil.copy(db, damaged)
    with damaged.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096)
    code, out = run("--db", str(damaged), "check")
    assert code == 1 and "已损坏" in out and "clerk restore" in out

    holder = sqlite3.connect(db, isolation_level=None)  # another program holds the file exclusively
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out = run("--db", str(db), "check")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and one_line(out) and "独占" in out and "损坏" not in out


# --- clerk check on a centre's database ---------------------------------------------------


def _station_with_cases(tmp_path: Path, station_id: str, visits: int) -> tuple[Path, Path]:
    """A station's database with `visits` cases, and its own config; enrolled at the centre
    (`tmp_path/centre.db`, whose keys are made here) and holding the centre's key."""
    db, config = tmp_path / f"{station_id}.db", tmp_path / f"{station_id}.toml"
    # Each station on its own PC: its own data folder, so its own signing key.
    config.write_text(f'[paths]\ndata = "{(tmp_path / station_id).as_posix()}"\n', encoding="utf-8")
    assert run("--config", str(config), "--db", str(db), "init", "--force", "--station-id", station_id)[0] == 0
    public = tmp_path / "centre.pub.json"
    assert run("centre", "init")[0] == 0 and run("centre", "export-key", str(public))[0] == 0
    assert run("--config", str(config), "--db", str(db), "import", "centre-key", str(public), "--yes")[0] == 0
    key = tmp_path / f"{station_id}.pub.json"
    assert run("--config", str(config), "--db", str(db), "key", "export", str(key))[0] == 0
    code, out = run("centre", "enrol", str(key), "--into", str(tmp_path / "centre.db"))
    assert code == 0, out
    _populate(config, db, visits)
    return config, db


def _populate(config: Path, db: Path, visits: int) -> None:
    station = open_station(load_settings(config).with_overrides(database=db), FixedClock(FIXED_NOW))
    populate(station, visits)
    station.close()


def test_check_on_a_centre_after_a_clean_merge_is_clean_and_a_real_dangling_reference_is_not(
    tmp_path: Path,
) -> None:
    bundles = []
    for station_id in ("510199-07", "510199-08"):
        config, db = _station_with_cases(tmp_path, station_id, 3)
        out_dir = tmp_path / f"usb-{station_id}"
        assert run("--config", str(config), "--db", str(db), "export", "--to", str(out_dir))[0] == 0
        bundles += [str(p) for p in out_dir.glob("clerk-sync-*.zip")]
    centre = tmp_path / "centre.db"
    code, out = run("merge", *bundles, "--into", str(centre))
    assert code == 0, out
    code, out = run("--db", str(centre), "check")
    assert code == 0 and "完好" in out, out  # catalog references point at each station's own catalog

    with sqlite3.connect(centre) as conn:  # a rating whose case the centre does not hold
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE rating SET case_id = 'no-such-case' WHERE rowid = (SELECT min(rowid) FROM rating)")
    code, out = run("--db", str(centre), "check")
    assert code == 1 and one_line(out) and "1 条记录引用了中心没有的记录（rating）" in out


# --- a full or failing disk during a centre's merge ----------------------------------------


def _two_bundles(tmp_path: Path) -> tuple[Path, Path]:
    config, db = _station_with_cases(tmp_path, "510199-07", 2)
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    assert run("--config", str(config), "--db", str(db), "export", "--to", str(first_dir))[0] == 0
    _populate(config, db, 40)
    assert run("--config", str(config), "--db", str(db), "export", "--to", str(second_dir))[0] == 0
    [first] = first_dir.glob("clerk-sync-*.zip")
    [second] = second_dir.glob("clerk-sync-*.zip")
    return first, second


def _disk_full_by_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine itself runs out of room: the centre may grow by one page only."""
    from clerk_tui.db import engine

    connect = engine._on_connect

    def tight(dbapi_conn: sqlite3.Connection, record: Any) -> None:
        connect(dbapi_conn, record)
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

    monkeypatch.setattr(engine, "_on_connect", tight)


class _DriverFault:
    """The driver failing every write after the first `calls` statements, raised where the
    driver raises (as the cursor executes), while `active`; patched on per test."""

    active = False
    calls = 20
    seen = 0


def _driver_fault(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    if not _DriverFault.active:
        return
    _DriverFault.seen += 1
    if _DriverFault.seen > _DriverFault.calls and statement.startswith(("INSERT", "UPDATE")):
        raise sqlite3.OperationalError("disk I/O error")


sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", _driver_fault)


def _disk_io_error_in_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver reports a failing disk halfway through the bundle's rows."""
    monkeypatch.setattr(_DriverFault, "active", True)
    monkeypatch.setattr(_DriverFault, "seen", 0)


def _disk_full_wrapped_by_sqlalchemy(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLAlchemy's own wrapping of the driver's error, as a statement it runs raises it;
    its message quotes a personal number, which the log must not keep."""
    from clerk_tui.services.sync import merge

    def full(*_args: Any, **_kwargs: Any) -> int:
        raise sqlalchemy.exc.OperationalError(
            f"UPDATE counter SET value = value + 1 -- {ID_NUMBER}",
            None,
            sqlite3.OperationalError("database or disk is full"),
        )

    monkeypatch.setattr(merge, "next_change_seq", full)


@pytest.mark.parametrize(
    ("fault", "zh"),
    [
        (_disk_full_by_the_engine, "磁盘已满"),
        (_disk_io_error_in_the_driver, "磁盘读写出错"),
        (_disk_full_wrapped_by_sqlalchemy, "磁盘已满"),
    ],
)
def test_a_disk_failing_during_a_merge_is_one_line_and_leaves_the_centre_unchanged(
    tmp_path: Path, fault: Callable[[pytest.MonkeyPatch], None], zh: str
) -> None:
    first, second = _two_bundles(tmp_path)
    centre = tmp_path / "centre.db"
    assert run("merge", str(first), "--into", str(centre))[0] == 0
    before = table_counts(centre)
    with pytest.MonkeyPatch.context() as patch:  # the fault only for this merge
        fault(patch)
        code, out = run("merge", str(second), "--into", str(centre))
    assert code == 1 and one_line(out), out
    assert zh in out and second.name in out and "中心数据库未改动" in out
    assert table_counts(centre) == before  # one transaction per bundle: none of it is stored
    log = log_text()
    assert "Traceback" in log and ID_NUMBER not in log  # the story in the log, redacted
    code, out = run("merge", str(second), "--into", str(centre))  # room again: the same command merges it
    assert code == 0, out
    assert table_counts(centre) != before
