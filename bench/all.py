"""Every benchmark, one after the other, and one table of their headline figures.

    python -m bench.all [--only startup,report] [--skip day,hall] [--log FILE]

Each benchmark runs in its own process, as it would alone (`python -m bench.<name> …`,
the arguments below), on the fixtures `python -m bench.generate` builds; its own report
goes to the log (default `bench/.cache/all-<date>.log`), its headline figures to the table
(`bench.results`). The table printed at the end, with the date and the machine, is the
README's performance table. Exit status 1 when a benchmark failed to run; a goal missed is
in the table, not an error.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.results import RESULTS_ENV, Result, markdown, read

# In the README's order; the arguments the README's figures were measured with.
BENCHMARKS: dict[str, list[str]] = {
    "startup": [],
    "call_next": ["--calls", "300"],
    "search": ["--rounds", "3"],
    "save_case": [],
    "export": ["--runs", "3"],
    "report": ["--runs", "3"],
    "imports": [],
    "hall": ["--calls", "800"],
    "day": [],
}


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            kb = int(info.readline().split()[1])
        memory = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass  # not Linux: the rest still says what the machine is
    return (
        f"{platform.system()} {platform.release()}, {platform.machine()}, {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--skip", default="", help="comma-separated benchmark names")
    parser.add_argument("--log", type=Path)
    args = parser.parse_args(argv)
    only = {n for n in args.only.split(",") if n}
    skip = {n for n in args.skip.split(",") if n}
    unknown = (only | skip) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHMARKS)}")
    chosen = [n for n in BENCHMARKS if (not only or n in only) and n not in skip]
    root = Path(__file__).resolve().parent.parent
    log_path = args.log or root / "bench" / ".cache" / f"all-{date.today().isoformat()}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, log_path.open("a", encoding="utf-8") as log:
        for name in chosen:
            out = Path(tmp) / f"{name}.jsonl"
            command = [sys.executable, "-m", f"bench.{name}", *BENCHMARKS[name]]
            print(f"running {' '.join(command[1:])} …", file=sys.stderr, flush=True)
            log.write(f"\n### {' '.join(command[1:])}\n")
            log.flush()
            started = time.perf_counter()
            done = subprocess.run(
                command, cwd=root, env={**os.environ, RESULTS_ENV: str(out)}, stdout=log, stderr=log, check=False
            )
            seconds = time.perf_counter() - started
            print(f"  exit {done.returncode} after {seconds:.0f} s", file=sys.stderr, flush=True)
            found = read(str(out)) if out.exists() else []
            if done.returncode != 0 or not found:
                failed.append(name)
            results += found
    print(f"Measured {date.today().isoformat()} with `python -m bench.all` on {machine()}.")
    print()
    print(markdown(results))
    if failed:
        print(f"\nfailed to run (see {log_path}): {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
