"""Peak memory of the three big imports, each in its own `clerk` process, against the floor.

    python -m bench.imports [--appointments 300000] [--matters 60000] [--code DIR]

Writes, in a temporary folder, an appointments file (future slots, so no tickets are
issued), a province-size catalog (`bench.generate.generate_catalog_file`, cached in
bench/.cache) and two whole-year-holiday calendars (1901–2199, and as many years as a
file may hold, imported with `--force` where the command has it). Each import runs as
`python -m clerk_tui --config … --db … import …` on a fresh copy of one initialised
station; its peak RSS is the child's `ru_maxrss` from `os.wait4` (what
`getrusage(RUSAGE_CHILDREN)` reports, but per child rather than the largest child so far).

The floor is a bare Python process importing the same libraries (and the CLI module):
nothing an import does can go below it. Figures are printed with their ratio to it.
`--code DIR` runs the children on another checkout's `clerk_tui` (e.g. `git archive` of
an older commit) to measure before/after in the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.generate import CACHE_DIR
from bench.results import Result, record

FLOOR = (
    "import typer, rich, sqlmodel, sqlalchemy, platformdirs, pypinyin, chinese_calendar, tomlkit\n"
    "import clerk_tui.cli, clerk_tui.services.catalog.importer, clerk_tui.services.sync.appointments\n"
    "import clerk_tui.services.station.calendar\n"
)
CALENDAR_MAX_YEARS = 50  # clerk_tui.services.station.calendar.MAX_YEARS (the new code's limit)
CALENDAR_LAST_YEAR = 2099  # clerk_tui.services.station.calendar.LAST_FILE_YEAR


def write_appointments(path: Path, count: int) -> None:
    """`count` bookings from tomorrow on, 1,000 a day over queues A/B/C, compact JSON."""
    first = date.today() + timedelta(days=1)
    names = ("王芳", "李雷", "张伟", "刘洋", "")
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format":"clerk-tui-appointments","format_version":1,"appointments":[')
        for i in range(count):
            day = first + timedelta(days=i // 1000)
            minute = 8 * 60 + 30 + (i % 1000) * 480 // 1000
            entry: dict[str, Any] = {
                "id": f"YY{day:%Y%m%d}-{i % 1000:04d}",
                "queue": "ABC"[i % 3],
                "slot": f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}",
            }
            if names[i % 5]:
                entry["name"] = names[i % 5]
            out.write(("," if i else "") + json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        out.write("]}")


def write_calendar(path: Path, first: int, last: int) -> None:
    """Every day of every year a holiday: no working day at all (an absurd file)."""
    years = list(range(first, last + 1))
    doc = {
        "format": "clerk-tui-calendar",
        "format_version": 1,
        "years": years,
        "holidays": [{"name": "全年", "from": f"{y}-01-01", "to": f"{y}-12-31"} for y in years],
        "workdays": [],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def run_child(argv: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    lines = [line for line in output.splitlines() if line.strip()]
    return {
        "seconds": time.perf_counter() - started,
        "rss_mb": rss_mb,
        "exit": proc.returncode,
        "said": lines[0][:100] if lines else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appointments", type=int, default=300_000)
    parser.add_argument("--matters", type=int, default=60_000)
    parser.add_argument("--code", type=Path, help="A checkout whose clerk_tui the children run (default: this one)")
    parser.add_argument("--only", nargs="*", help="Run only these cases (appointments, catalog, calendar, …)")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON too")
    args = parser.parse_args(argv)

    code = (args.code or Path(__file__).resolve().parent.parent).resolve()
    catalog = CACHE_DIR / f"catalog-{args.matters}.json"
    if not catalog.exists():
        # In a child: a parent that grew would lend its size to every child it forks (ru_maxrss
        # counts the memory a child had before it exec'd).
        print(f"writing a {args.matters:,}-matter catalog to {catalog} …", file=sys.stderr)
        script = "import sys, pathlib; from bench.generate import generate_catalog_file as g; "
        script += "g(pathlib.Path(sys.argv[1]), int(sys.argv[2]))"
        subprocess.run([sys.executable, "-c", script, str(catalog), str(args.matters)], check=True)

    with tempfile.TemporaryDirectory(prefix="clerk-bench-imports-") as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "PYTHONPATH": str(code),
            "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
            "XDG_DATA_HOME": str(tmp / "xdg-data"),
            "HOME": str(tmp / "home"),
            "CLERK_TUI_CONFIG": str(tmp / "config.toml"),
        }
        clerk = [sys.executable, "-m", "clerk_tui", "--lang", "en"]
        station = tmp / "station.db"
        init = run_child([*clerk, "--db", str(station), "init"], env, tmp)
        if init["exit"] != 0:
            print(f"clerk init failed: {init['said']}", file=sys.stderr)
            return 1
        appointments = tmp / "appointments.json"
        write_appointments(appointments, args.appointments)
        province = tmp / catalog.name  # its signature goes beside it: not into the cache
        shutil.copyfile(catalog, province)
        whole = tmp / "calendar-1901-2199.json"
        write_calendar(whole, 1901, 2199)
        at_limit = tmp / f"calendar-{CALENDAR_MAX_YEARS}-years.json"
        write_calendar(at_limit, CALENDAR_LAST_YEAR - CALENDAR_MAX_YEARS + 1, CALENDAR_LAST_YEAR)
        # Files from the centre are imported only signed by it (issue 11): the centre's keys
        # made, its public key imported by the station, the files signed, as in a county.
        public = tmp / "centre.pub.json"
        for step in (
            ["centre", "init"],
            ["centre", "export-key", str(public)],
            ["--db", str(station), "import", "centre-key", str(public), "--yes"],
            ["centre", "sign", str(appointments), str(province), str(whole), str(at_limit)],
        ):
            done = run_child([*clerk, *step], env, tmp)
            if done["exit"] != 0:
                print(f"clerk {' '.join(step[:2])} failed: {done['said']}", file=sys.stderr)
                return 1
        usage = subprocess.run(
            [*clerk, "import", "calendar", "--help"], env=env, cwd=tmp, capture_output=True, text=True
        ).stdout
        force = ["--force"] if "--force" in usage else []  # older code has no --force

        # (name, what, command, whether the import must succeed): a calendar of 299 years is
        # refused (a file holds at most 50), and must be refused without holding it all.
        cases = [
            (
                "appointments",
                f"{args.appointments:,} appointments",
                ["import", "appointments", str(appointments)],
                True,
            ),
            ("catalog", f"{args.matters:,} matters", ["import", "catalog", str(province)], True),
            ("calendar", "1901–2199, all holidays: refused", ["import", "calendar", *force, str(whole)], False),
            (
                "calendar-limit",
                f"{CALENDAR_MAX_YEARS} years, all holidays",
                ["import", "calendar", *force, str(at_limit)],
                True,
            ),
        ]
        floor = min(run_child([sys.executable, "-c", FLOOR], env, tmp)["rss_mb"] for _ in range(3))
        results = []
        for name, what, command, succeeds in cases:
            if args.only and name not in args.only:
                continue
            db = tmp / f"{name}.db"
            shutil.copyfile(station, db)
            size = Path(command[-1]).stat().st_size
            result = run_child([*clerk, "--db", str(db), *command], env, tmp)
            result["succeeds"] = succeeds
            result["as_expected"] = (result["exit"] == 0) == succeeds
            results.append({"case": name, "what": what, "file_mb": size / 2**20, **result})

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    print(f"code: {code}")
    if own > floor:
        print(f"warning: this process peaked at {own:.0f} MB, above the floor: children may report it")
    print(f"floor (bare Python importing the same libraries): {floor:.0f} MB peak RSS")
    print(f"{'import':<16}{'file':>9}{'seconds':>9}{'peak RSS':>10}{'x floor':>9}  exit  what / first line")
    for r in results:
        print(
            f"{r['case']:<16}{r['file_mb']:>7.1f}MB{r['seconds']:>9.1f}{r['rss_mb']:>8.0f}MB"
            f"{r['rss_mb'] / floor:>9.2f}  {r['exit']:>4}  {r['what']}: {r['said']}"
        )
    if args.json:
        print(json.dumps({"code": str(code), "floor_mb": floor, "results": results}, ensure_ascii=False))
    record(
        *(
            Result(
                f"importing a big file: {r['case']} ({r['file_mb']:.1f} MB): peak RSS",
                "python -m bench.imports",
                f"{r['rss_mb']:.0f} MB, {r['seconds']:.1f} s",
                f"bare Python importing the same libraries: {floor:.0f} MB",
                r["rss_mb"] / floor,
                "< 300 MB, " + ("exit 0" if r["succeeds"] else "refused"),
                r["rss_mb"] < 300 and r["as_expected"],
            )
            for r in results
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
