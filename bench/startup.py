"""Start-up time and peak memory: the clerk app on the 10-year database vs a bare Textual app.

Both run in fresh processes, alternated, in this same run: the bare app imports the same
libraries (textual, rich, sqlmodel, SQLAlchemy, typer, platformdirs) and shows one screen;
the clerk app starts the way `clerk` does (CLI module, config, database open and schema
check, catalog summary and today's queue loaded in its worker). "Ready" is when the first
screen has painted with its data. Figures are medians; the ratio is what to read.

    python -m bench.startup [--runs 7] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BARE = r"""
import time, sys, resource
import textual, rich, sqlmodel, sqlalchemy, typer, platformdirs
from textual.app import App
from textual.widgets import DataTable, Footer, Static

class Bare(App):
    def compose(self):
        yield Static("bare")
        yield DataTable()
        yield Footer()

async def ready(pilot):
    await pilot.pause()
    print(json.dumps({"ready": time.time(), "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    pilot.app.exit()

import json
Bare().run(headless=True, size=(80, 24), auto_pilot=ready)
"""

CLERK = r"""
import time, sys, resource, json
from pathlib import Path
import clerk_tui.cli  # what the console script imports first
from clerk_tui.app import make_app
from clerk_tui.config import load_settings
settings = load_settings(Path(sys.argv[1])).with_overrides(database=Path(sys.argv[2]))
app = make_app(settings)

async def ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    print(json.dumps({"ready": time.time(), "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    pilot.app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=ready)
"""


def one_run(code: str, *args: str) -> tuple[float, float]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    data = json.loads(line)
    return data["ready"] - started, data["rss_kb"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="Station database (default: the generated 10-year database)")
    args = parser.parse_args()
    if args.db is None:
        from bench.generate import ensure_large_db

        args.db = ensure_large_db()
    # Defaults, but no daily backup: copying gigabytes would measure the disk, not start-up.
    config = Path(__file__).resolve().parent / ".cache" / "startup-config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[backup]\nkeep = 0\n", encoding="utf-8")
    for code, _label in ((BARE, "warm-up"), (CLERK, "warm-up")):
        one_run(code, str(config), str(args.db))  # first runs fill the OS file cache
    bare, clerk = [], []
    for _ in range(args.runs):
        bare.append(one_run(BARE))
        clerk.append(one_run(CLERK, str(config), str(args.db)))
    size_mb = args.db.stat().st_size / 2**20
    b_t, c_t = statistics.median(t for t, _ in bare), statistics.median(t for t, _ in clerk)
    b_m, c_m = statistics.median(m for _, m in bare), statistics.median(m for _, m in clerk)
    print(f"database: {args.db} ({size_mb:,.0f} MB), {args.runs} runs each, medians")
    print(f"bare Textual app : {b_t * 1000:7.0f} ms  {b_m:6.1f} MB peak RSS")
    print(f"clerk app        : {c_t * 1000:7.0f} ms  {c_m:6.1f} MB peak RSS")
    print(f"ratio            : {c_t / b_t:7.2f}x time  {c_m / b_m:6.2f}x memory  (goal: time within 1.30x)")


if __name__ == "__main__":
    main()
