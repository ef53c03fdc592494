"""What `clerk` does before the queue shows (issue 15), and what the app loads after it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from clerk_tui.navigation import DESTINATIONS
from clerk_tui.services.context import Station
from clerk_tui.services.station.setup import write_config

# `clerk --config … --db …` in a fresh interpreter, run headless: what is defined and
# imported when the queue's first picture has been drawn (when the app goes on with what it
# put off), and again once the app's background work is done.
SCRIPT = r"""
# What the console script does first (clerk_tui.launch): the collector held.
from clerk_tui import collector

collector.hold()

import gc, json, sys
from textual.app import App
from textual.worker import WorkerState

from clerk_tui.app import ClerkApp

WATCHED = json.loads(sys.argv[1])
seen = []


def state():
    from sqlmodel import SQLModel

    return {"tables": sorted(SQLModel.metadata.tables), "modules": [m for m in WATCHED if m in sys.modules]}


shown = ClerkApp.first_screen_shown


def first_screen_shown(self):
    seen.append(state() | {"collecting": gc.isenabled()})
    shown(self)
    seen[0]["collecting_after"] = gc.isenabled()
    seen[0]["frozen"] = gc.get_freeze_count()


async def drive(pilot):
    while not seen or any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers):
        await pilot.pause()
    print(json.dumps({"first": seen[0], "warm": state() | {"frozen": gc.get_freeze_count()}}))
    pilot.app.exit()


ClerkApp.first_screen_shown = first_screen_shown
run = App.run
App.run = lambda self, *a, **kw: run(self, headless=True, size=(80, 24), auto_pilot=drive)
sys.argv = ["clerk", "--config", sys.argv[2], "--db", sys.argv[3]]
from clerk_tui.launch import main

main()
"""

LIBRARIES = ["sqlalchemy.dialects.postgresql", "nacl", "jinja2", "openpyxl", "escpos", "pypinyin"]
WALK_IN = "clerk_tui.services.check.walk_in"
SCREENS = [f"clerk_tui.screens.{d.target.partition(':')[0]}" for d in DESTINATIONS]


def _start(station: Station, tmp_path: Path) -> dict[str, dict[str, Any]]:
    config = tmp_path / "config.toml"
    write_config(station.settings, config)
    # No daily backup: it loads the sync's keys (libsodium); what is watched is the warm-up's.
    text = config.read_text(encoding="utf-8")
    assert "\nkeep = 7 " in text
    config.write_text(text.replace("\nkeep = 7 ", "\nkeep = 0 "), encoding="utf-8")
    db = station.settings.database_path
    watched = json.dumps([*LIBRARIES, WALK_IN, *SCREENS])
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, watched, str(config), str(db)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, dict[str, Any]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_start_defines_only_the_tables_the_queue_reads_and_the_rest_after(station: Station, tmp_path: Path) -> None:
    result = _start(station, tmp_path)
    # The queue screen reads tickets, their events and the window's, the day's
    # appointments (issued at the first load of a day), counters and meta.
    assert result["first"]["tables"] == ["appointment", "counter", "meta", "ticket", "ticket_event", "window_event"]
    assert result["first"]["modules"] == []  # no walk-in services, no screen the clerk has not opened
    with sqlite3.connect(station.settings.database_path) as conn:
        made = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    # After the warm-up: every table the migrations made, the walk-in services and every
    # destination's screen but the sync's (libsodium stays unloaded until it is opened).
    assert result["warm"]["tables"] == [name for name in made if not name.startswith("sqlite_")]
    assert result["warm"]["modules"] == [WALK_IN, *(s for s in SCREENS if s != "clerk_tui.screens.sync")]


def test_the_collector_is_held_until_the_first_screen_then_what_start_built_is_frozen(
    station: Station, tmp_path: Path
) -> None:
    result = _start(station, tmp_path)
    first, warm = result["first"], result["warm"]
    assert first["collecting"] is False  # held from the first line to the queue's first picture
    assert first["collecting_after"] is True
    assert first["frozen"] > 10_000  # start-up's modules, classes and tables, out of the collector's way
    assert warm["frozen"] > first["frozen"]  # and what the warm-up loaded
