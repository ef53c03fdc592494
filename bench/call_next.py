"""Call-next latency with 500 tickets waiting on the 10-year database, next to a raw SQL claim.

Both run in this process on a copy of the benchmark database (`bench.generate`'s
`ensure_large_db()`: ~1.2M historical tickets), alternated call by call:

- service: `queue_calling.call_next` (BEGIN IMMEDIATE; is the window paused, has it a
  current ticket, the priority streak, the fair-order pick, the claim, its event; commit
  with synchronous=FULL), then the ticket is finished and a new one issued, untimed, so
  500 keep waiting;
- raw: one `UPDATE ... WHERE id = (SELECT ... ORDER BY sort_at LIMIT 1)` in its own
  BEGIN IMMEDIATE / COMMIT on a plain sqlite3 connection with the same pragmas, then put
  back, untimed.

    python -m bench.call_next [--calls 300] [--waiting 500] [--small]

`--small` (or a missing `bench.generate`) builds a 1-year database here instead; the
output says which database was used. Goal: service p95 under 10 ms.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.results import Result, record

DAY = datetime(2026, 11, 23, 8, 30)  # the Monday after the generated history ends

RAW_CLAIM = """
UPDATE ticket SET status = 'called', window_no = 9, last_called_at = :now, call_count = call_count + 1
WHERE id = (SELECT id FROM ticket WHERE service_date = :day AND status = 'waiting' AND station_id = :station
            ORDER BY sort_at, issued_at, serial LIMIT 1)
RETURNING id
"""


def source_db(small: bool) -> tuple[Path, str]:
    try:
        from bench.generate import ensure_large_db, generate_station_db
    except ImportError:
        ensure_large_db = generate_station_db = None  # type: ignore[assignment]
    if ensure_large_db is not None and not small:
        return ensure_large_db(), "10-year benchmark database (bench.generate.ensure_large_db)"
    path = Path(tempfile.mkdtemp()) / "small.db"
    if generate_station_db is not None:
        generate_station_db(path, years=1)
        return path, "1-year database generated for this run (bench.generate.generate_station_db)"
    from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station

    open_station(replace(DEMO_SETTINGS, station_id="STATION-01", database=path)).close()
    return path, "empty database (bench.generate missing): history not represented"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.call_next", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=500)
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args(argv)

    from clerk_tui.clock import FixedClock
    from clerk_tui.config import Settings
    from clerk_tui.services.queue import calling
    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.setup import open_station

    source, label = source_db(args.small)
    work = Path(tempfile.mkdtemp()) / "bench.db"
    started = time.perf_counter()
    shutil.copyfile(source, work)
    copy_s = time.perf_counter() - started
    clock = FixedClock(DAY)
    settings = replace(Settings(), station_id="STATION-01", window_no=1, database=work, data_dir=work.parent)
    station = open_station(settings, clock)
    with station.read() as s:
        history = s.connection().exec_driver_sql("SELECT count(*) FROM ticket").scalar()

    mix = ["A", "B", "C", "A", "A", "B"]
    for i in range(args.waiting):
        clock.advance(seconds=20)
        issue_ticket(station, mix[i % len(mix)], "green" if i % 20 == 0 else "normal")

    raw = sqlite3.connect(work, isolation_level=None)
    for pragma in ("busy_timeout = 5000", "journal_mode = WAL", "synchronous = FULL"):
        raw.execute(f"PRAGMA {pragma}")

    service_ms: list[float] = []
    raw_ms: list[float] = []
    for i in range(args.calls):
        clock.advance(seconds=30)
        t0 = time.perf_counter()
        ticket = calling.call_next(station)
        service_ms.append((time.perf_counter() - t0) * 1000)
        assert ticket.status == "called"
        calling.finish(station)
        issue_ticket(station, mix[i % len(mix)])

        now = str(clock.now())
        t0 = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        claimed = raw.execute(RAW_CLAIM, {"now": now, "day": str(DAY.date()), "station": "STATION-01"}).fetchone()
        raw.execute("COMMIT")
        raw_ms.append((time.perf_counter() - t0) * 1000)
        raw.execute(
            "UPDATE ticket SET status = 'waiting', window_no = NULL, call_count = call_count - 1 WHERE id = ?",
            (claimed[0],),
        )

    raw.close()
    station.close()
    work.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)

    s50, s95 = statistics.median(service_ms), percentile(service_ms, 95)
    r50, r95 = statistics.median(raw_ms), percentile(raw_ms, 95)
    print(f"database: {label}; {history:,} tickets in history; copied in {copy_s:.1f} s")
    print(f"{args.waiting} waiting, {args.calls} calls each, alternated, synchronous=FULL")
    print(f"call_next (service)  p50 {s50:6.2f} ms   p95 {s95:6.2f} ms")
    print(f"raw SQL claim        p50 {r50:6.2f} ms   p95 {r95:6.2f} ms")
    print(
        f"ratio service/raw    p50 {s50 / r50:5.1f}x    p95 {s95 / r95:5.1f}x   goal p95 < 10 ms: "
        f"{'met' if s95 < 10 else 'MISSED'}"
    )
    record(
        Result(
            f"call next, {args.waiting} waiting: p95 (p50)",
            f"python -m bench.call_next --calls {args.calls}",
            f"{s95:.2f} ms ({s50:.2f} ms)",
            f"raw SQL claim of one row: {r95:.2f} ms ({r50:.2f} ms)",
            s95 / r95,
            "p95 < 10 ms",
            s95 < 10,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
