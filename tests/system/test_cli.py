"""The `clerk` command: version, init, catalog import/list, languages, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_tui import __version__
from clerk_tui.cli import app
from clerk_tui.config import default_config_path, load_settings
from clerk_tui.resources import bundled_catalog
from tests.conftest import table_counts
from tests.sync_helpers import centre_signs

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def empty_db(path: Path) -> str:
    """A migrated database without a catalog (only init and demo create one from the CLI)."""
    from clerk_tui.db import open_database

    open_database(path).dispose()
    return str(path)


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and out.strip() == f"clerk-tui {__version__}"


def test_python_dash_m_works() -> None:
    out = subprocess.run([sys.executable, "-m", "clerk_tui", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_init_writes_a_commented_config_and_creates_the_database(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    code, out = run("--db", str(db), "init", "--station-id", "510199-07", "--window", "4", "--staff-no", "B0042")
    assert code == 0, out
    config = default_config_path()
    text = config.read_text(encoding="utf-8")
    assert text.startswith("#") and "staff_no" in text
    settings = load_settings(config)
    assert (settings.station_id, settings.window_no, settings.clerk_no) == ("510199-07", 4, "B0042")
    assert db.exists()
    if os.name == "posix":
        assert config.stat().st_mode & 0o077 == 0
    code, out = run("--db", str(db), "catalog", "list", "--tsv")
    assert code == 0 and "个体工商户设立登记" in out
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 13 and all(len(r) == 7 for r in rows)


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "init")[0] == 0
    code, out = run("--db", db, "init")
    assert code == 1 and "--force" in out
    assert run("--db", db, "init", "--force")[0] == 0


def test_catalog_import_then_again_changes_nothing(tmp_path: Path) -> None:
    db = empty_db(tmp_path / "s.db")
    catalog = tmp_path / "catalog.json"
    catalog.write_bytes(bundled_catalog().read_bytes())
    centre_signs(db, tmp_path, catalog)
    code, out = run("--db", db, "catalog", "import", str(catalog))
    assert code == 0 and "新增 13" in out
    code, out = run("--db", db, "catalog", "import", str(catalog))
    assert code == 0 and "未作任何更改" in out


def test_broken_catalog_exits_non_zero_naming_matter_and_field(tmp_path: Path) -> None:
    doc = json.loads(bundled_catalog().read_text(encoding="utf-8"))
    doc["matters"][1]["materials"][0]["necessity"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = empty_db(tmp_path / "s.db")
    centre_signs(db, tmp_path, bad)  # signed by the centre, and still refused: its content is wrong
    code, out = run("--db", db, "catalog", "import", str(bad))
    assert code == 1
    assert "个体工商户设立登记" in out and "matters[1].materials[0].necessity" in out
    assert "Traceback" not in out
    code, out = run("--db", db, "catalog", "list")
    assert "目录为空" in out


def test_english_messages(tmp_path: Path) -> None:
    code, out = run(
        "--lang", "en", "--db", empty_db(tmp_path / "s.db"), "catalog", "import", str(tmp_path / "none.json")
    )
    assert code == 1 and "No such file" in out


def test_bad_language_and_bad_config_are_one_line_errors(tmp_path: Path) -> None:
    code, out = run("--lang", "fr", "catalog", "list")
    assert code == 1 and "fr" in out and "Traceback" not in out
    config = default_config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[window]\nnumber = 'three'\n", encoding="utf-8")
    code, out = run("catalog", "list")
    assert code == 1 and "window.number" in out and "Traceback" not in out


def test_newer_database_is_refused_by_the_cli(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "s.db"
    assert run("--db", empty_db(db), "catalog", "list")[0] == 0
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = '50' WHERE key = 'schema_version'")
    code, out = run("--db", str(db), "catalog", "list")
    assert code == 1 and "升级" in out


@pytest.mark.parametrize("args", [["catalog", "list", "--limit", "2"]])
def test_config_env_variable_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    config = tmp_path / "elsewhere.toml"
    db = tmp_path / "from-config.db"
    config.write_text(f'[paths]\ndatabase = "{db.as_posix()}"\n[ui]\nlanguage = "en"\n', encoding="utf-8")
    monkeypatch.setenv("CLERK_TUI_CONFIG", str(config))
    empty_db(db)
    code, out = run(*args)
    assert code == 0 and "catalog is empty" in out


def test_first_start_without_config_writes_defaults_and_tells_the_clerk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No config yet: `clerk` writes init's defaults, loads the catalog, and says so on screen."""
    from clerk_tui.app import ClerkApp

    started: list[ClerkApp] = []
    monkeypatch.setattr(ClerkApp, "run", lambda self, *a, **k: started.append(self))
    db = tmp_path / "first.db"
    code, out = run("--db", str(db))
    assert code == 0, out
    assert default_config_path().exists()
    from clerk_tui.services.catalog import summary as catalog

    assert catalog.summary(started[0].station).matters == 13
    started[0].station.close()


# --- station identity (issue 12, blocker 2) -------------------------------------------


def test_init_gives_every_station_its_own_id_and_says_it(tmp_path: Path) -> None:
    import re

    ids = []
    for n in (1, 2):
        config = tmp_path / f"c{n}.toml"
        code, out = run("--config", str(config), "--db", str(tmp_path / f"s{n}.db"), "init")
        assert code == 0, out
        station_id = load_settings(config).station_id
        assert re.fullmatch(r"510199-[2-9A-Z]{4}", station_id), station_id  # the bundled catalog's area
        assert station_id in out
        ids.append(station_id)
    assert ids[0] != ids[1]
    code, out = run(
        "--config", str(tmp_path / "c3.toml"), "--db", str(tmp_path / "s3.db"), "init", "--area-code", "330106"
    )
    assert code == 0 and load_settings(tmp_path / "c3.toml").station_id.startswith("330106-")


def test_init_refuses_an_area_code_of_zeros_with_a_reason(tmp_path: Path) -> None:
    code, out = run("--db", str(tmp_path / "s.db"), "init", "--area-code", "000000")
    assert code == 1 and "000000" in out and "行政区划" in out
    assert not (tmp_path / "s.db").exists() and not default_config_path().exists()


def test_init_asks_for_the_station_id_at_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clerk_tui.cli as cli

    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "init"], input="510199-HALL2\n")
    assert result.exit_code == 0, result.output
    assert "站点编号" in result.output
    assert load_settings(default_config_path()).station_id == "510199-HALL2"


def _other_station_db(path: Path, station_id: str) -> Path:
    from clerk_tui.config import Settings
    from clerk_tui.services.station.setup import open_station

    open_station(Settings(station_id=station_id, database=path)).close()
    return path


MISMATCH_COMMANDS = [
    [],
    ["catalog", "list"],
    ["ticket", "list"],
    ["ticket", "issue", "-q", "A"],
    ["board"],
    ["kiosk"],
    ["export"],
    ["report", "daily"],
    ["notice", "list"],
    ["pin"],
]


@pytest.mark.parametrize("args", MISMATCH_COMMANDS, ids=lambda a: " ".join(a) or "app")
def test_every_command_refuses_another_stations_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from textual.app import App

    from clerk_tui.app import ClerkApp

    monkeypatch.setattr(ClerkApp, "run", lambda self, *a, **k: pytest.fail("the app started"))
    monkeypatch.setattr(App, "run", lambda self, *a, **k: pytest.fail("a screen started"))
    assert run("--db", str(tmp_path / "mine.db"), "init", "--station-id", "510199-MINE")[0] == 0
    other = _other_station_db(tmp_path / "other.db", "510199-THEIRS")
    before = table_counts(other)
    result = runner.invoke(app, ["--db", str(other), *args], input="1234\n1234\n")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "510199-THEIRS" in line]
    assert len(lines) == 1 and "510199-MINE" in lines[0]
    assert "[station] id" in lines[0] and "--db" in lines[0] and str(default_config_path()) in lines[0]
    assert table_counts(other) == before


def test_a_database_from_before_station_ids_is_claimed_by_its_tickets(tmp_path: Path) -> None:
    import sqlite3

    from clerk_tui.clock import FixedClock
    from clerk_tui.config import Settings
    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.setup import open_station
    from tests.conftest import FIXED_NOW

    db = tmp_path / "old.db"
    station = open_station(Settings(station_id="510199-OLD1", database=db), FixedClock(FIXED_NOW))
    issue_ticket(station, "A")
    station.close()
    with sqlite3.connect(db) as raw:  # as an older version left it: no station recorded
        raw.execute("DELETE FROM meta WHERE key IN ('station_id', 'station_key')")
    raw.close()
    code, out = run("--db", str(db), "ticket", "list")  # default config: STATION-01
    assert code == 1 and "510199-OLD1" in out and "STATION-01" in out


def test_demo_board_kiosk_and_export_run_on_the_demo_station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clerk_tui.app import ClerkApp
    from clerk_tui.services.station.setup import DEMO_SETTINGS, demo_config_path

    monkeypatch.setattr(ClerkApp, "run", lambda self, *a, **k: None)
    code, out = run("demo")
    assert code == 0, out
    data_dir = load_settings().data_dir
    config = demo_config_path(data_dir)
    assert str(config) in out and "board" in out and "kiosk" in out
    demo = load_settings(config)
    assert demo.station_id == DEMO_SETTINGS.station_id and demo.database_path == data_dir / "demo" / "demo.db"
    assert demo.backups_path.is_relative_to(data_dir / "demo")  # its daily backups never rotate out the real ones
    # The board and kiosk see the demo's tickets: a window calling on the demo config gets one.
    code, out = run("--config", str(config), "ticket", "call", "-w", "3")
    assert code == 0 and "→" in out, out
    code, out = run("--config", str(config), "export", "--to", str(tmp_path / "usb"))
    assert code == 0 and DEMO_SETTINGS.station_id in out
    # The demo database under the real station's config is refused, not mislabelled.
    code, out = run("--db", str(demo.database_path), "board")
    assert code == 1 and DEMO_SETTINGS.station_id in out


# --- wrong paths are not silent (issue 12, item 6) ------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["catalog", "list"],
        ["ticket", "list"],
        ["board"],
        ["export"],
        ["backup"],
        ["report", "daily"],
        ["import", "receipt", "r.json"],
    ],
    ids=lambda a: " ".join(a) or "app",
)
def test_a_missing_database_is_named_and_never_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from textual.app import App

    from clerk_tui.app import ClerkApp

    monkeypatch.setattr(ClerkApp, "run", lambda self, *a, **k: pytest.fail("the app started"))
    monkeypatch.setattr(App, "run", lambda self, *a, **k: pytest.fail("a screen started"))
    assert run("--db", str(tmp_path / "real.db"), "init")[0] == 0
    typo = tmp_path / "raal.db"
    code, out = run("--db", str(typo), *args)
    assert code == 1 and str(typo) in out and "clerk init" in out and "Traceback" not in out
    assert not typo.exists()


def test_a_missing_config_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = empty_db(tmp_path / "s.db")
    missing = tmp_path / "confg.toml"
    code, out = run("--config", str(missing), "--db", db, "catalog", "list")
    assert code == 1 and str(missing) in out and "--config" in out
    monkeypatch.setenv("CLERK_TUI_CONFIG", str(missing))
    code, out = run("--db", db, "ticket", "list")
    assert code == 1 and str(missing) in out
    assert not missing.exists()


def test_an_unknown_config_key_stops_the_command_with_the_nearest_key(tmp_path: Path) -> None:
    config = default_config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[window]\nnumbr = 3\n", encoding="utf-8")
    code, out = run("--db", empty_db(tmp_path / "s.db"), "catalog", "list")
    assert code == 1 and str(config) in out and "[window]" in out and "numbr" in out and "number" in out


# --- the command line's own messages in the clerk's language (issue 12, item 10) -------


@pytest.mark.parametrize(
    "args, zh, en",
    [
        (["merge"], "缺少参数 BUNDLES", "Missing argument"),
        (["init", "--windw", "2"], "没有选项 --windw，是否应为 --window", "No such option"),
        (["init", "--window", "abc"], "--window 的值不对：应为整数", "valid integer"),
        (["init", "--window", "0"], "不小于 1", "greater than"),
        (["report", "weekly"], "'weekly' 不在可选范围内（'daily', 'monthly'", "is not one of"),
        (["repot"], "没有命令 repot，是否应为 report", "No such command"),
        (["ticket", "issue", "--queue"], "选项 --queue 后面要跟一个值", "requires an argument"),
    ],
)
def test_usage_errors_follow_the_ui_language(args: list[str], zh: str, en: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert zh in result.output and en not in result.output and "Usage" not in result.output, result.output
    english = runner.invoke(app, ["--lang", "en", *args])
    assert english.exit_code == 2 and "Error: " in english.output and "错误" not in english.output
    if "Usage: " in english.output:
        assert "用法：" in result.output


def test_help_headings_follow_the_ui_language() -> None:
    result = runner.invoke(app, ["init", "--help"])
    assert result.exit_code == 0
    assert "选项" in result.output and "Options" not in result.output and "用法：" in result.output
    assert "显示本帮助并退出" in result.output
    top = runner.invoke(app, ["--help"])
    assert "命令" in top.output and "Commands" not in top.output
    english = runner.invoke(app, ["--lang", "en", "--help"])
    assert "Commands" in english.output and "Options" in english.output


# --- a damaged database is noticed at start (issue 12, minor) --------------------------


def test_a_damaged_database_names_clerk_restore_and_the_latest_backup(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run("--db", str(db), "init")[0] == 0
    code, out = run("--db", str(db), "backup")
    assert code == 0
    backup = load_settings(default_config_path()).backups_path
    [latest] = list(backup.glob("clerk-*.db"))
    with db.open("r+b") as handle:  # the schema page overwritten, as by a failing disk
        handle.seek(100)
        handle.write(b"\xff" * 3000)
    code, out = run("--db", str(db), "ticket", "list")
    assert code == 1 and "clerk restore" in out and str(latest) in out
    assert len(out.strip().splitlines()) == 1


def test_command_help_is_in_the_ui_language() -> None:
    result = runner.invoke(app, ["ticket", "--help"])
    assert "取一个号" in result.output and "Issue a ticket" not in result.output
    english = runner.invoke(app, ["--lang", "en", "ticket", "--help"])
    assert "Issue a ticket" in english.output


def test_every_command_and_option_help_is_in_chinese() -> None:
    """`clerk … --help` in Chinese has no English left: each command's and each option's
    help comes from the translations (a new option without one fails here)."""
    import re

    import typer

    from clerk_tui.cli.usage import option_help, translate_help
    from clerk_tui.i18n import get_language, set_language, t

    han = re.compile(r"[\u4e00-\u9fff]")
    previous = get_language()
    set_language("zh")
    try:
        command = typer.main.get_command(app)
        translate_help(command)
        untranslated = []

        def walk(cmd, path: str) -> None:  # type: ignore[no-untyped-def]
            key = f"cli.cmd.{path or 'clerk'}"
            if cmd.help and (t(key) == key or not han.search(cmd.help)):
                untranslated.append(f"{path or 'clerk'}: {cmd.help}")
            for param in cmd.params:
                if getattr(param, "help", None) and (
                    option_help(path or "clerk", param.name) is None or not han.search(param.help)
                ):
                    untranslated.append(f"{path or 'clerk'} --{param.name}: {param.help}")
            for name, sub in getattr(cmd, "commands", {}).items():
                walk(sub, f"{path}.{name}" if path else name)

        walk(command, "")
    finally:
        set_language(previous)
    assert untranslated == []
    shown = runner.invoke(app, ["export", "--help"]).output
    assert "重新导出全部记录" in shown and "Export every record again" not in shown
    english = runner.invoke(app, ["--lang", "en", "export", "--help"]).output
    assert "Export every record again" in english


def test_merge_refuses_a_stations_own_database_as_the_centre(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    assert run("--db", str(db), "init", "--station-id", "510199-MINE")[0] == 0
    before = table_counts(db)
    code, out = run("merge", str(tmp_path / "bundle.zip"), "--into", str(db))
    assert code == 1 and "510199-MINE" in out and "--into" in out
    assert table_counts(db) == before
