"""Kill a writing process at random moments and prove nothing acknowledged is lost.

A forked child loops over the program's real write operations (issue a ticket, ...),
and after each one *returns* it reports the record it made through a pipe. The parent
SIGKILLs the child after a random delay, then checks that the database passes
`PRAGMA integrity_check` and that every reported record is there. Forking (rather than
starting a new interpreter) keeps a trial to a few milliseconds, so hundreds of trials fit
in a test run. POSIX only: Windows has neither fork nor SIGKILL.

    python -m tests.crash_harness --trials 1000
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clerk_tui.clock import Clock
from clerk_tui.config import Settings
from clerk_tui.db import open_database
from clerk_tui.services.context import Station

Operation = Callable[[Station, random.Random], tuple[str, str]]  # returns (table, id)


def op_issue_ticket(station: Station, rng: random.Random) -> tuple[str, str]:
    from clerk_tui.services.tickets import issue_ticket

    queue = rng.choice([q.letter for q in station.settings.queues])
    return "ticket", issue_ticket(station, queue, rng.choice(["normal", "green"])).id


OPERATIONS: list[Operation] = [op_issue_ticket]


@dataclass
class Result:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt: int = 0
    details: list[str] = field(default_factory=list)


def _child(db: Path, settings: Settings, write_fd: int, seed: int, operations: list[Operation]) -> None:
    rng = random.Random(seed)
    station = Station(open_database(db), settings, Clock())
    with os.fdopen(write_fd, "w", buffering=1) as out:
        while True:
            table, record_id = rng.choice(operations)(station, rng)
            out.write(f"{table} {record_id}\n")  # only after the commit returned


def run_trials(db: Path, settings: Settings, trials: int, seed: int = 7,
               operations: list[Operation] | None = None, max_delay: float = 0.08) -> Result:
    operations = operations or OPERATIONS
    open_database(db).dispose()  # migrate once, before any kill
    rng = random.Random(seed)
    result = Result()
    acked: list[tuple[str, str]] = []
    for trial in range(trials):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns: it is killed
            os.close(read_fd)
            try:
                _child(db, settings, write_fd, seed * 100_000 + trial, operations)
            finally:
                os._exit(1)
        os.close(write_fd)
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd) as pipe:
            acked += [tuple(line.split()) for line in pipe.read().splitlines() if line.count(" ") == 1]
        result.trials += 1
        with sqlite3.connect(db) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                result.corrupt += 1
                result.details.append(f"trial {trial}: integrity_check failed")
    with sqlite3.connect(db) as conn:
        for table, record_id in acked:
            if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (record_id,)).fetchone() is None:
                result.lost += 1
                result.details.append(f"lost {table} {record_id}")
    result.acknowledged = len(acked)
    return result


def main() -> None:
    import tempfile
    from dataclasses import replace

    from clerk_tui.services.station_setup import DEMO_SETTINGS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crash.db"
        settings = replace(DEMO_SETTINGS, database=db, data_dir=Path(tmp))
        started = time.perf_counter()
        r = run_trials(db, settings, args.trials)
        print(f"{r.trials} kills, {r.acknowledged} acknowledged writes, {r.lost} lost, "
              f"{r.corrupt} corrupt databases ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
