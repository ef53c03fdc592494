"""Start-up time and peak memory: the clerk app on the 10-year database vs a bare Textual app,
and the clerk's first key after start.

Both run in fresh processes, alternated, in this same run: the bare app imports the same
libraries (textual, rich, sqlmodel, SQLAlchemy, typer, platformdirs) and shows one screen;
the clerk app is `clerk --config … --db …` itself (the console script's `main`: the CLI,
config, the quick damage check, database open and schema check, station identity, catalog
check, the app and its workers), on a copy of the database (the app writes: a day's first
start closes leftovers, a key calls a ticket), with the clock at 10:30 on the data's last
day, so the queue screen shows a real queue (a ticket in service at window 1, the others
waiting). Each run is a later start of that day: today's daily backup is there already (an
empty file under its name stands for it; making it copies gigabytes, which would measure
the disk), so the app only looks for it and copies the station's keys. "Ready" is when the
queue screen has drawn its first picture from the database, taken on the app's side (the
first refresh after the picture reached the screen) as the bare app's is (the first
refresh after it mounted), not when the pilot next looks. Figures are medians; the ratio
is what to read.

Each clerk run then presses one key as soon as the queue shows (the clerk's first key,
before anything put off at start has had time to load), timed until its answer is drawn:
F2 (call next, at a window of its own with nothing in service: one new window per run, a
walk-in's ticket issued just before, so there is always one to call),
`c` with a search typed at once ("gtgsh", 个体工商户 by initials) until the matters found
are listed, or `r` until today's report is shown. Last, once the app's background work is
done, its peak memory.

Python's bytecode caches of clerk_tui are written first (as an install does), so neither
side compiles source while it is timed.

    python -m bench.startup [--runs 7] [--db PATH]
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path

from bench.results import Result, record

RUNS_DEFAULT = 7

ROOT = Path(__file__).resolve().parent.parent  # the clerk_tui the runs import (they run here)
GOAL = 1.2  # issue 15: time and memory within 1.2x the bare stack
IDLE_WINDOW = 101  # F2 runs: window 101, 102, …, none of which has served yet
SEARCH = "gtgsh"  # 个体工商户 by its initials (the first of bench.search's queries)

BARE = r"""
import time, sys, resource
import textual, rich, sqlmodel, sqlalchemy, typer, platformdirs
from textual.app import App
from textual.widgets import DataTable, Footer, Static

drawn = []

class Bare(App):
    def compose(self):
        yield Static("bare")
        yield DataTable()
        yield Footer()

    def on_mount(self):  # what it shows is there from the start: drawn by the next refresh
        self.call_after_refresh(lambda: drawn.append((time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))

async def ready(pilot):
    while not drawn:
        await pilot.pause()
    print(json.dumps({"ready": drawn[0][0], "rss_kb": drawn[0][1]}))
    pilot.app.exit()

import json
Bare().run(headless=True, size=(80, 24), auto_pilot=ready)
"""

# The same bare app with the collector held from its first line, as `clerk` holds it
# (clerk_tui.collector): printed beside the goal's baseline, so the share of the ratio that
# comes from holding the collector can be read off.
BARE_HELD = "import gc\ngc.disable()\n" + BARE

CLERK = r"""
# What the console script (clerk_tui.launch) does before anything is imported.
from clerk_tui import collector

collector.hold()

import json, resource, sys, time
from datetime import datetime

config, db, at, key, search = sys.argv[1:6]
AT = datetime.fromisoformat(at)

import clerk_tui.clock

clerk_tui.clock.Clock.now = lambda self: AT  # the clerk's day is the data's last day

from textual.app import App
from textual.worker import WorkerState

from clerk_tui.screens.main import MainScreen  # (imported by the app anyway)


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def until(pilot, done, what):
    deadline = time.perf_counter() + 120
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError(what)
        await pilot.pause()
    await pilot.pause()  # and drawn


def named(app, name):
    return type(app.screen).__name__ == name


async def call_next(pilot, main):
    assert main.view.current is None, "the F2 run's window must have nothing in service"
    await pilot.press("f2")
    await until(pilot, lambda: main.view.current is not None, "the called ticket")


async def search_catalog(pilot, main):
    app = pilot.app
    await pilot.press("c", *search)
    found = lambda: named(app, "CatalogScreen") and app.screen.result is not None and app.screen.result.query == search
    await until(pilot, found, "the matters found")
    assert app.screen.result.hits, "the search finds matters"


async def report(pilot, main):
    app = pilot.app
    await pilot.press("r")
    await until(pilot, lambda: named(app, "ReportsScreen") and app.screen.report is not None, "the report")


KEYS = {"f2": call_next, "c": search_catalog, "r": report}

# The moment the queue's first picture has been drawn: the first refresh after the screen
# was given it (queued before anything the app itself puts after that refresh).
drawn = []
show_view = MainScreen.show_view


def first_show_view(self, view):
    if self.view is None and not drawn:
        self.call_after_refresh(lambda: drawn.append((time.time(), rss_kb())))
    show_view(self, view)


MainScreen.show_view = first_show_view


async def drive(pilot):
    app = pilot.app
    await until(pilot, lambda: any(type(s).__name__ == "MainScreen" for s in app.screen_stack), "the queue screen")
    main = next(s for s in app.screen_stack if type(s).__name__ == "MainScreen")
    await until(pilot, lambda: drawn, "the queue's first picture")
    out = {"ready": drawn[0][0], "rss_kb": drawn[0][1], "waiting": len(main.view.waiting)}
    if key:
        started = time.perf_counter()
        await KEYS[key](pilot, main)
        out["key_ms"] = (time.perf_counter() - started) * 1000
    # The app's own background work (the warm-up and the daily backup, started once the
    # queue is drawn; the backup only, beside the first load, before issue 15): not the
    # queue's refresh every 2 s, which on a loaded machine may always have one running.
    await pilot.pause(1)
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    background = ("warm-up", "backup")
    await until(pilot, lambda: not any(w.state in busy and w.group in background for w in app.workers), "background")
    out["rss_end_kb"] = rss_kb()
    print(json.dumps(out), flush=True)
    app.exit()


run = App.run
App.run = lambda self, *args, **kwargs: run(self, headless=True, size=(80, 24), auto_pilot=drive)
sys.argv = ["clerk", "--config", config, "--db", db]
from clerk_tui.launch import main

main()
"""

# Before each F2 run, a walk-in takes a ticket (through the app's service, on the same clock):
# the day's walk-ins that can be called at 10:30 run out after a few runs, the rest of the
# queue being appointments for later in the day, which call next rightly passes over.
WALK_IN = r"""
import sys
from datetime import datetime
from pathlib import Path

config, db, at = sys.argv[1:4]
AT = datetime.fromisoformat(at)

import clerk_tui.clock

clerk_tui.clock.Clock.now = lambda self: AT

from clerk_tui.cli.common import CliState
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.setup import open_station

station = open_station(CliState(db=db, config=Path(config), lang=None).settings())
try:
    print(issue_ticket(station, "A").number)
finally:
    station.close()
"""

KEY_LABELS = {
    "f2": "F2, call next (an idle window)",
    "c": f'c, "{SEARCH}" typed, matters listed',
    "r": "r, today's report shown",
}


def one_run(code: str, *args: str) -> dict[str, float]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False, cwd=ROOT)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode != 0 or not lines:
        sys.exit(f"a run failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    data: dict[str, float] = json.loads(lines[-1])
    data["seconds"] = data["ready"] - started
    return data


def last_day(db: Path) -> datetime:
    """10:30 on the last day the database has tickets for (bench.generate stops there)."""
    from bench.generate import LAST_DAY_NOW

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        day = conn.execute("SELECT max(service_date) FROM ticket").fetchone()[0]
    return datetime.combine(datetime.fromisoformat(day).date(), clock_time(*LAST_DAY_NOW))


def write_config(folder: Path, window: int) -> Path:
    # Defaults, but the data folder (logs, keys, notices) is the run's own.
    path = folder / f"config-{window}.toml"
    path.write_text(f'[window]\nnumber = {window}\n\n[paths]\ndata = "{folder}"\n', encoding="utf-8")
    return path


def todays_backup(db: Path, day: datetime) -> None:
    """Today's daily backup, made already by the day's first start (see the docstring)."""
    from clerk_tui.services.station.maintenance import BACKUP_PREFIX, BACKUP_SUFFIX

    folder = db.parent / "backups"  # Settings.backups_path: beside the database
    folder.mkdir(mode=0o700)
    (folder / f"{BACKUP_PREFIX}{day:%Y%m%d}-daily{BACKUP_SUFFIX}").touch(mode=0o600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=RUNS_DEFAULT, help="runs of each key (each run is a start too)")
    parser.add_argument("--db", type=Path, help="Station database (default: the generated 10-year database)")
    args = parser.parse_args()
    if args.db is None:
        from bench.generate import ensure_large_db

        args.db = ensure_large_db()
    compileall.compile_dir(ROOT / "clerk_tui", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="clerk-startup-"))
    try:
        copy_started = time.perf_counter()
        db = work / "station.db"
        shutil.copyfile(args.db, db)
        copy_s = time.perf_counter() - copy_started
        at = last_day(db)
        todays_backup(db, at)
        window_1 = str(write_config(work, 1))
        common = (str(db), at.isoformat(), "", SEARCH)
        one_run(BARE)  # first runs fill the OS file cache
        one_run(CLERK, window_1, *common)
        bare: list[dict[str, float]] = []
        held: list[dict[str, float]] = []
        clerk: dict[str, list[dict[str, float]]] = {key: [] for key in KEY_LABELS}
        for i in range(args.runs):
            for key in KEY_LABELS:
                config = str(write_config(work, IDLE_WINDOW + i)) if key == "f2" else window_1
                if key == "f2":
                    subprocess.run(
                        [sys.executable, "-c", WALK_IN, config, str(db), at.isoformat()], check=True, cwd=ROOT
                    )
                bare.append(one_run(BARE))
                if key == "c":  # one a round: seven runs are enough for a figure printed aside
                    held.append(one_run(BARE_HELD))
                clerk[key].append(one_run(CLERK, config, str(db), at.isoformat(), key, SEARCH))
    finally:
        shutil.rmtree(work)
    starts = [run for runs in clerk.values() for run in runs]
    b_t, c_t = (statistics.median(r["seconds"] for r in runs) for runs in (bare, starts))
    b_m, c_m = (statistics.median(r["rss_kb"] for r in runs) / 1024 for runs in (bare, starts))
    end_m = statistics.median(r["rss_end_kb"] for r in starts) / 1024
    waiting = statistics.median(r["waiting"] for r in clerk["c"])
    size_mb = args.db.stat().st_size / 2**20
    print(f"database: {args.db} ({size_mb:,.0f} MB, copied in {copy_s:.1f} s); clock {at:%Y-%m-%d %H:%M}")
    print(f"{len(bare)} bare runs, {len(starts)} clerk runs ({args.runs} per first key), alternated; medians")
    print(f"bare Textual app      : {b_t * 1000:7.0f} ms  {b_m:6.1f} MB peak RSS")
    print(f"clerk, queue on screen: {c_t * 1000:7.0f} ms  {c_m:6.1f} MB peak RSS  (window 1: {waiting:.0f} waiting)")
    print(f"ratio                 : {c_t / b_t:7.2f}x time  {c_m / b_m:6.2f}x memory  (goal: both within {GOAL:.2f}x)")
    h_t = statistics.median(r["seconds"] for r in held)
    h_m = statistics.median(r["rss_kb"] for r in held) / 1024
    print(
        f"bare app, collector held as clerk holds it: {h_t * 1000:.0f} ms  {h_m:.1f} MB "
        f"(clerk {c_t / h_t:.2f}x time, {c_m / h_m:.2f}x memory; {len(held)} runs)"
    )
    print("first key, pressed as the queue shows, until its answer is drawn:")
    for key, label in KEY_LABELS.items():
        times = [r["key_ms"] for r in clerk[key]]
        print(f"  {label:<34}: {statistics.median(times):7.0f} ms  (min {min(times):.0f}, max {max(times):.0f})")
    print(f"clerk peak RSS at the end (key answered, background work done): {end_m:6.1f} MB")
    keys = ", ".join(
        f"{label.split(',')[0]} {statistics.median(r['key_ms'] for r in clerk[key]):.0f} ms"
        for key, label in KEY_LABELS.items()
    )
    command = "python -m bench.startup" + (f" --runs {args.runs}" if args.runs != RUNS_DEFAULT else "")
    record(
        Result(
            "start-up to the first screen showing the queue: time",
            command,
            f"{c_t * 1000:.0f} ms (first keys: {keys})",
            f"bare Textual app importing the same libraries: {b_t * 1000:.0f} ms",
            c_t / b_t,
            f"≤ {GOAL:.1f}x",
            c_t / b_t <= GOAL,
        ),
        Result(
            "start-up to the first screen showing the queue: peak memory",
            command,
            f"{c_m:.1f} MB ({end_m:.1f} MB once the background work is done)",
            f"bare Textual app: {b_m:.1f} MB",
            c_m / b_m,
            f"≤ {GOAL:.1f}x",
            c_m / b_m <= GOAL,
        ),
    )


if __name__ == "__main__":
    main()
