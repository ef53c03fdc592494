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
    code, out = run("--db", db, "catalog", "import", str(bundled_catalog()))
    assert code == 0 and "新增 13" in out
    code, out = run("--db", db, "catalog", "import", str(bundled_catalog()))
    assert code == 0 and "未作任何更改" in out


def test_broken_catalog_exits_non_zero_naming_matter_and_field(tmp_path: Path) -> None:
    doc = json.loads(bundled_catalog().read_text(encoding="utf-8"))
    doc["matters"][1]["materials"][0]["necessity"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = empty_db(tmp_path / "s.db")
    code, out = run("--db", db, "catalog", "import", str(bad))
    assert code == 1
    assert "个体工商户设立登记" in out and "matters[1].materials[0].necessity" in out
    assert "Traceback" not in out
    code, out = run("--db", db, "catalog", "list")
    assert "目录为空" in out


def test_english_messages(tmp_path: Path) -> None:
    code, out = run("--lang", "en", "--db", empty_db(tmp_path / "s.db"), "catalog", "import", str(tmp_path / "none.json"))
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


def test_first_start_without_config_writes_defaults_and_tells_the_clerk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No config yet: `clerk` writes init's defaults, loads the catalog, and says so on screen."""
    from clerk_tui.app import ClerkApp

    started: list[ClerkApp] = []
    monkeypatch.setattr(ClerkApp, "run", lambda self, *a, **k: started.append(self))
    db = tmp_path / "first.db"
    code, out = run("--db", str(db))
    assert code == 0, out
    assert default_config_path().exists()
    from clerk_tui.services import catalog

    assert catalog.summary(started[0].station).matters == 13
    started[0].station.close()
