"""Personal data stays out of logs and out of other users' reach.

A full flow (issue, call, check, case with a real-looking resident ID and phone, rating,
notice, export, backup, check) runs with Python logging captured at DEBUG to a file, and
partly through the `clerk` CLI; then every log file and every stdout/stderr is searched
for the ID number and the phone. Every file holding applicants' data (database and its
-wal/-shm, backups, bundles, notices) must be readable by its owner only.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui.services.cases.ratings import rate_case
from clerk_tui.services.cases.record import CaseDraft, save_case
from clerk_tui.services.catalog.search import load_index
from clerk_tui.services.check import documents as dc
from clerk_tui.services.check import notice as notices
from clerk_tui.services.queue import calling as queue_calling
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.maintenance import backup_database, daily_backup
from clerk_tui.services.station.setup import write_config
from clerk_tui.services.sync.export import export_bundle

RID = "11010519491231002X"
PHONE = "13812345678"
AGENT_RID = "110101199003074477"
SECRETS = (RID, RID.lower(), PHONE, AGENT_RID, "1381234")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Everything logged at DEBUG, from every library, goes to a file."""
    path = tmp_path / "logs" / "debug.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root, sql = logging.getLogger(), logging.getLogger("sqlalchemy")
    # SQLAlchemy holds its own loggers at WARNING; someone chasing a bug turns them up too.
    old_levels = root.level, sql.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_levels[0])
        sql.setLevel(old_levels[1])
        handler.close()


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: files world-readable unless made private
    try:
        yield
    finally:
        os.umask(old)


def _cli(tmp_path: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CLERK_TUI_CONFIG=str(config), PYTHONLOGLEVEL="DEBUG")
    # A CLI run with logging at DEBUG to its own file (as a wrapper script might set it up).
    log = tmp_path / "logs" / f"cli-{args[0]}.log"
    code = (
        f"import logging, sys; logging.basicConfig(filename={str(log)!r}, level=logging.DEBUG); "
        "logging.getLogger('sqlalchemy').setLevel(logging.DEBUG); "
        "from clerk_tui.cli import main; sys.argv = ['clerk'] + sys.argv[1:]; main()"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_full_flow_leaks_no_id_or_phone_and_files_are_owner_only(
    tmp_path: Path,
    umask: None,
    debug_log: Path,
    station,
    capfd: pytest.CaptureFixture[str],
) -> None:
    settings = station.settings
    config = tmp_path / "config.toml"
    write_config(settings, config)

    issue_ticket(station, "A")
    ticket = queue_calling.call_next(station)
    queue_calling.start_service(station)
    entry = load_index(station).search("gtgsh").hits[0].entry
    start = dc.start_check(station, entry.id, ticket.id)
    answers = {"委托他人代办时": True, "经营范围涉及前置许可时": False}
    marks = {
        m.position: ("missing" if m.necessity == 1 and i == 0 else "provided")
        for i, m in enumerate(m for m in start.guide.materials if dc.applies(m, answers))
    }
    check_id = dc.save_check(station, start, answers, marks)
    issued = notices.issue_notice(station, check_id, "王小明")
    case = save_case(
        station,
        CaseDraft(
            matter_id=entry.id,
            outcome="on_the_spot",
            applicant_name="王小明",
            id_number=RID,
            phone=PHONE,
            agent_name="李四",
            agent_id_number=AGENT_RID,
            agent_phone=PHONE,
            ticket_id=ticket.id,
            notes="申请人电话见档案",
        ),
    )
    rate_case(station, case.id, 1, ("attitude",), "太慢")  # a bad rating: a follow-up with the phone
    queue_calling.finish(station)
    bundle = export_bundle(station, tmp_path / "exports")
    assert bundle is not None
    backup = backup_database(settings.database_path, tmp_path / "backups")
    daily = daily_backup(settings.database_path, tmp_path / "backups", keep=3, today=station.clock.today())

    runs = [
        _cli(tmp_path, config, "ticket", "issue", "-q", "A"),
        _cli(tmp_path, config, "ticket", "list", "--all"),
        _cli(tmp_path, config, "export", "--to", str(tmp_path / "exports-cli"), "--all"),
        _cli(tmp_path, config, "backup", "--to", str(tmp_path / "backups-cli")),
        _cli(tmp_path, config, "check"),
        _cli(tmp_path, config, "notice", "list"),
        _cli(tmp_path, config, "report", "daily"),
    ]
    for run in runs:
        assert run.returncode == 0, [*run.args[-3:], run.stderr]

    # --- no log, no output holds the number or the phone -------------------------------
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert debug_log.stat().st_size > 0, "DEBUG logging must have caught something"
    captured = capfd.readouterr()
    outputs = {"pytest stdout": captured.out, "pytest stderr": captured.err}
    outputs.update({f"cli {' '.join(r.args[3:5])} stdout": r.stdout for r in runs})
    outputs.update({f"cli {' '.join(r.args[3:5])} stderr": r.stderr for r in runs})
    for log in tmp_path.rglob("*.log"):
        outputs[str(log)] = log.read_text(encoding="utf-8", errors="replace")
    leaks = [(where, secret) for where, text in outputs.items() for secret in SECRETS if secret in text]
    assert leaks == [], leaks

    # --- every file with applicants' data is owner-only --------------------------------
    db = settings.database_path
    private = [
        db,
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
        bundle.path,
        backup,
        issued.txt_path,
        issued.html_path,
    ]
    private += [daily] if daily else []
    private += list((tmp_path / "exports-cli").glob("*.zip")) + list((tmp_path / "backups-cli").glob("*.db"))
    assert len(private) >= 9
    loose = [str(p) for p in private if p.exists() and not _private(p)]
    assert loose == [], loose


# --- files left readable by others are made owner-only again (issue 18, item 5) ---------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_files_and_folders_left_readable_by_others_are_made_owner_only_when_opened(tmp_path: Path, umask: None) -> None:
    from typer.testing import CliRunner

    from clerk_tui.cli import app
    from clerk_tui.config import default_config_path, default_data_dir

    runner = CliRunner()
    db = tmp_path / "new" / "folder" / "s.db"  # folders the program makes for the database
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    assert _mode(db.parent) == 0o700 and _mode(db.parent.parent) == 0o700 and _mode(db) == 0o600
    result = runner.invoke(app, ["--db", str(db), "backup"])
    assert result.exit_code == 0, result.output
    backups = db.parent / "backups"  # beside the database, as README says, not in the data folder
    [backup] = backups.glob("clerk-*.db")
    assert _mode(backups) == 0o700 and _mode(backup) == 0o600
    assert not (default_data_dir() / "backups").exists()

    # As an older version, a copy or a restore by hand left them: readable by everyone.
    config, notices, data = default_config_path(), default_data_dir() / "notices", default_data_dir()
    (notices / "2026").mkdir(parents=True)
    for path in (db, config, backup):
        path.chmod(0o644)
    for folder in (backups, notices, data):
        folder.chmod(0o755)
    readonly = backups / "clerk-kept-by-hand.db"
    readonly.write_bytes(backup.read_bytes())
    readonly.chmod(0o444)

    result = runner.invoke(app, ["--db", str(db), "ticket", "list"])
    assert result.exit_code == 0, result.output
    loose = {str(p): oct(_mode(p)) for p in (db, config, backup) if _mode(p) != 0o600}
    loose |= {str(p): oct(_mode(p)) for p in (backups, notices, data) if _mode(p) != 0o700}
    assert loose == {}
    assert _mode(readonly) == 0o400  # still read-only: only others' access is taken away
    assert _mode(notices / "2026") == 0o755  # inside an owner-only folder: left as it was


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_folder_the_clerk_named_is_not_changed_but_folders_made_in_it_are_owner_only(
    tmp_path: Path, umask: None, station
) -> None:
    from clerk_tui.files import write_private

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    backup = backup_database(station.settings.database_path, shared / "made" / "here")
    assert _mode(shared) == 0o755 and _mode(shared / "made") == 0o700 and _mode(shared / "made" / "here") == 0o700
    assert _mode(backup) == 0o600
    write_private(shared / "n" / "2026" / "11" / "x.txt", "王小明", private_folder=True)
    assert [_mode(shared / p) for p in ("n", "n/2026", "n/2026/11")] == [0o700] * 3
