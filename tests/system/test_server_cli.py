"""`clerk check`, `clerk backup`, `clerk restore` on a server database, and the bad input
of issue 14: an unreachable server, a wrong password, a database made by a newer version,
a server older than 14, a malformed URL. Each is one line in the clerk's language and a
non-zero exit from `check`, `init` and the app's start, with nothing half-made, and the
password is nowhere: not in the output, not in a log, not on a child's command line."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import text
from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.clock import FixedClock
from clerk_tui.db import latest_schema_version, open_database, open_engine, server_ops
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station
from tests.conftest import FIXED_NOW, table_counts
from tests.pg_cluster import Cluster

runner = CliRunner()

SECRET = "Hall-Secret-7731"
WRONG = "Not-The-Password-4410"
COMMANDS = (["check"], ["init", "--station-id", "T-1"], [])  # [] starts the app


def clerk(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), env=env, input=input)


def one_line(result: Result) -> str:
    """The command failed with one line and no traceback; that line."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"  # where a first start or init would write it


def nothing_under(tmp_path: Path, *secrets: str) -> None:
    """No file the commands wrote (config, failure log, backups) holds any of `secrets`."""
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, path


def tickets(url: str) -> int:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM ticket")).scalar_one())
    finally:
        engine.dispose()


def issue(url: str, tmp_path: Path, count: int) -> None:
    settings = replace(DEMO_SETTINGS, data_dir=tmp_path / "station", database=url)
    station = open_station(settings, FixedClock(FIXED_NOW))
    try:
        for _ in range(count):
            issue_ticket(station, "A")
    finally:
        station.close()


# --- clerk check ----------------------------------------------------------------------------


def test_check_on_a_server_database_says_healthy_or_names_each_problem(pg_url: str, tmp_path: Path) -> None:
    issue(pg_url, tmp_path, 2)
    result = clerk("--db", pg_url, "check")
    assert result.exit_code == 0, result.output
    assert "完好" in result.output and f"（结构版本 {latest_schema_version()}）" in result.output
    engine = open_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE service_case DISABLE TRIGGER service_case_never_deleted"))
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            text(
                "INSERT INTO ticket_event (id, version, change_seq, ticket_id, kind, at, station_id, detail) "
                "VALUES ('x', 1, 0, 'no-such-ticket', 'called', '2026-11-24 09:00:00', 's', '')"
            )
        )
    engine.dispose()
    result = clerk("--db", pg_url, "--lang", "en", "check")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2, result.output
    assert "service_case_never_deleted" in lines[0] and "lacks" in lines[0]
    assert "1 record(s) refer to records that do not exist (ticket_event)" in lines[1]


# --- clerk backup / clerk restore -------------------------------------------------------------


def test_backup_and_restore_of_a_server_database(pg_url: str, pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(pg_url, tmp_path, 2)
    dump = tmp_path / "hall.dump"
    result = clerk("--db", pg_url, "backup", "--to", str(dump))
    assert result.exit_code == 0, result.output
    assert dump.is_file() and dump.stat().st_mode & 0o077 == 0
    assert not list(tmp_path.glob("*.part"))
    issue(pg_url, tmp_path, 1)
    # A database holding data is replaced only when the clerk says yes.
    result = clerk("--db", pg_url, "restore", str(dump), input="n\n")
    assert result.exit_code == 1 and "未作任何更改" in result.output
    assert tickets(pg_url) == 3
    result = clerk("--db", pg_url, "restore", str(dump), "--yes")
    assert result.exit_code == 0, result.output
    assert tickets(pg_url) == 2
    kept = list((tmp_path / "xdg-data" / "clerk-tui" / "backups").glob("clerk-before-restore-*.dump"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0
    assert str(kept[0]) in result.output
    assert clerk("--db", pg_url, "check").exit_code == 0
    # Into a new, empty database (a new server): nothing to ask, nothing kept aside.
    pg_cluster.admin("DROP DATABASE IF EXISTS restored_here")
    pg_cluster.admin("CREATE DATABASE restored_here")
    try:
        other = pg_cluster.url("restored_here")
        result = clerk("--db", other, "restore", str(dump))
        assert result.exit_code == 0, result.output
        assert tickets(other) == 2
        assert clerk("--db", other, "check").exit_code == 0
    finally:
        pg_cluster.admin("DROP DATABASE IF EXISTS restored_here WITH (FORCE)")
    # A backup to the default folder is named by the time.
    result = clerk("--db", pg_url, "backup")
    assert result.exit_code == 0, result.output
    made = [p for p in (tmp_path / "xdg-data" / "clerk-tui" / "backups").glob("clerk-2*.dump")]
    assert len(made) == 1


def test_restore_refuses_a_file_that_is_no_dump_and_changes_nothing(pg_url: str, tmp_path: Path) -> None:
    issue(pg_url, tmp_path, 1)
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump at all" * 100)
    before = table_counts(pg_url)
    line = one_line(clerk("--db", pg_url, "restore", str(junk), "--yes"))
    assert "不能用于恢复" in line
    assert table_counts(pg_url) == before


@pytest.mark.parametrize(("command", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_without_postgresqls_programs_backup_and_restore_say_so_in_one_line(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, tool: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "bin-with-nothing"))
    monkeypatch.setattr(server_ops, "DEBIAN_FOLDERS", tmp_path / "no-postgresql")
    dump = tmp_path / "hall.dump"
    if command == "restore":
        dump.write_bytes(b"PGDMP")
    args = ["backup", "--to", str(dump)] if command == "backup" else ["restore", str(dump), "--yes"]
    before = table_counts(pg_url)
    zh = one_line(clerk("--db", pg_url, *args))
    en = one_line(clerk("--db", pg_url, "--lang", "en", *args))
    assert f"找不到 PostgreSQL 的 {tool} 程序" in zh
    assert f"PostgreSQL's {tool} was not found" in en
    assert (dump.exists()) == (command == "restore") and not list(tmp_path.glob("*.part"))
    assert table_counts(pg_url) == before


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS, ids=["check", "init", "start"])
def test_an_unreachable_server_is_one_line_and_nothing_is_made(pg_cluster, tmp_path: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    nobody = f"postgresql://clerk@/hall?host={pg_cluster.socket}&port=1"  # no server listens there
    zh = one_line(clerk("--db", nobody, *command))
    en = one_line(clerk("--db", nobody, "--lang", "en", *command))
    assert "无法连接数据库服务器" in zh and "未保存" in zh
    assert "Cannot reach the database server" in en
    assert not config_file(tmp_path).exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://clerk:" + SECRET + "@/hall?host=/tmp&port=abc", "port"),
        ("postgresql://clerk:" + SECRET + "@/hall?host=/tmp&colour=blue", "colour"),
        ("postgresql://clerk:" + SECRET + "@db-server:80x/hall", "80x"),
    ],
)
def test_a_malformed_url_is_one_line_without_its_password(tmp_path: Path, url: str, words: str) -> None:
    for command in COMMANDS:
        zh = one_line(clerk("--db", url, *command))
        en = one_line(clerk("--db", url, "--lang", "en", *command))
        assert "写法不对" in zh and words in zh
        assert "is not valid" in en
        assert SECRET not in zh + en
    assert not config_file(tmp_path).exists()
    nothing_under(tmp_path, SECRET)


@pytest.mark.parametrize("command", COMMANDS, ids=["check", "init", "start"])
def test_a_database_made_by_a_newer_version_is_refused_untouched(
    pg_url: str, tmp_path: Path, command: list[str]
) -> None:
    newer = latest_schema_version() + 1
    engine = open_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(newer)})
    engine.dispose()
    before = table_counts(pg_url)
    zh = one_line(clerk("--db", pg_url, *command))
    en = one_line(clerk("--db", pg_url, "--lang", "en", *command))
    assert f"数据库版本 {newer} 比本程序支持的" in zh
    assert "newer than this program supports" in en
    assert not config_file(tmp_path).exists()
    assert table_counts(pg_url) == before


@pytest.mark.parametrize("command", COMMANDS, ids=["check", "init", "start"])
def test_a_server_older_than_14_is_refused_before_anything_is_made(
    pg_cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    from clerk_tui.db import server

    monkeypatch.setattr(server, "OLDEST_SERVER", (99,))  # this 15 is then "too old"
    pg_cluster.admin("DROP DATABASE IF EXISTS too_old")
    pg_cluster.admin("CREATE DATABASE too_old")
    try:
        url = pg_cluster.url("too_old")
        zh = one_line(clerk("--db", url, *command))
        en = one_line(clerk("--db", url, "--lang", "en", *command))
        assert "过旧" in zh and "PostgreSQL 14" in zh and "/too_old" in zh
        assert "too old" in en
        assert not config_file(tmp_path).exists()
        assert pg_cluster.admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "too_old") == [(0,)]
    finally:
        pg_cluster.admin("DROP DATABASE IF EXISTS too_old WITH (FORCE)")


# --- a server that asks for a password ----------------------------------------------------------


@pytest.fixture(scope="module")
def password_cluster() -> Iterator[Cluster]:
    """A small cluster of its own that checks passwords (scram-sha-256), with a hall database."""
    cluster = Cluster(auth="scram-sha-256", password=SECRET, template=False)
    try:
        cluster.start()
        cluster.admin("CREATE DATABASE hall")
        open_database(cluster.url("hall", SECRET)).dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.parametrize("command", COMMANDS, ids=["check", "init", "start"])
@pytest.mark.parametrize("given", ["--db", "env"])
def test_a_wrong_password_is_one_line_and_the_password_is_nowhere(
    password_cluster: Cluster, tmp_path: Path, command: list[str], given: str
) -> None:
    url = password_cluster.url("hall", WRONG)
    args, env = (["--db", url], None) if given == "--db" else ([], {"CLERK_TUI_DB": url})
    zh = one_line(clerk(*args, *command, env=env))
    en = one_line(clerk(*args, "--lang", "en", *command, env=env))
    assert "拒绝了用户名或密码" in zh
    assert "refused the user name or password" in en
    assert WRONG not in zh + en
    assert not config_file(tmp_path).exists()
    nothing_under(tmp_path, WRONG, SECRET)
    # No password at all (none in the URL, no pgpass file): the same line.
    assert "拒绝了用户名或密码" in one_line(clerk("--db", password_cluster.url("hall"), *command))


def test_a_wrong_password_stays_out_of_the_failure_log_of_a_real_run(password_cluster: Cluster, tmp_path: Path) -> None:
    """As a clerk runs it (the log records the command line: `--db` and its URL)."""
    import os
    import sys

    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("CLERK_TUI_DB", None)
    url = password_cluster.url("hall", WRONG)
    done = subprocess.run(
        [sys.executable, "-m", "clerk_tui", "--db", url, "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "拒绝了用户名或密码" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert WRONG not in done.stdout + done.stderr
    logs = list(tmp_path.rglob("clerk-errors.log"))
    assert logs, "the failure was not logged"
    assert "--db postgresql://clerk:***@/hall" in logs[0].read_text(encoding="utf-8")
    nothing_under(tmp_path, WRONG, SECRET)


def test_with_the_right_password_check_backup_and_restore_work_and_pass_it_only_by_environment(
    password_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = password_cluster.url("hall", SECRET)
    children: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(command, *args, **kwargs):  # type: ignore[no-untyped-def]
        children.append((list(command), dict(kwargs.get("env") or {})))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(server_ops.subprocess, "run", spy)
    result = clerk("--db", url, "check")
    assert result.exit_code == 0 and SECRET not in result.output, result.output
    dump = tmp_path / "hall.dump"
    result = clerk("--db", url, "backup", "--to", str(dump))
    assert result.exit_code == 0 and SECRET not in result.output, result.output
    result = clerk("--db", url, "restore", str(dump), "--yes")
    assert result.exit_code == 0 and SECRET not in result.output, result.output
    tools = {Path(command[0]).name for command, _ in children}
    assert {"pg_dump", "pg_restore"} <= tools
    for command, env in children:
        assert all(SECRET not in part for part in command), command
        if "--list" not in command:
            assert env.get("PGPASSWORD") == SECRET
    nothing_under(tmp_path, SECRET)
