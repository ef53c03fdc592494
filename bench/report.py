"""The annual report over a year of ~116,257 cases (seed 004's size) vs its raw SQL.

Both run in this same process on the same database, alternated: the clerk path is
`services.reports.build_report(station, "annual", year)` (every aggregate, SQLAlchemy,
the result objects); the raw path replays the very SQL statements that report issued
(captured once) on a plain sqlite3 connection and fetches their rows. The difference is
what the service adds on top of the database's own work. Figures are medians of --runs
after one warm-up run (the first, cold run is printed too); the goal is under 1 s.

    python -m bench.report [--db PATH] [--year 2025] [--runs 7] [--queries]

Without --db it uses bench.generate.ensure_large_db() (10 years, ~120k cases a year, a
province-size catalog); without bench.generate it builds a one-year database of exactly
116,257 cases itself. --queries prints each captured statement's time.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED_004_CASES = 116_257


def _own_year(path: Path, year: int) -> Path:
    """A station with the bundled catalog and exactly 116,257 cases (+ tickets, ratings) in `year`."""
    from clerk_tui.config import Settings
    from clerk_tui.db import stamp_rows
    from clerk_tui.models import Case, Matter, Rating, Ticket
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import open_station

    station = open_station(Settings(data_dir=path.parent, database=path))
    import_catalog_file(station, bundled_catalog())
    rng = random.Random(4)
    with station.read() as session:
        matters = [(m.id, m.code, m.name, m.catalog_version_id, m.project_type) for m in session.query(Matter)]
    days = [d for d in (date(year, 1, 1) + timedelta(days=i) for i in range(365)) if d.weekday() < 5]
    now = datetime(year, 12, 31, 18)
    with station.engine.begin() as conn:
        for chunk in range(0, SEED_004_CASES, 20_000):
            tickets, cases, ratings = [], [], []
            for n in range(chunk, min(chunk + 20_000, SEED_004_CASES)):
                d = days[n % len(days)]
                issued = datetime.combine(d, datetime.min.time()) + timedelta(minutes=510 + rng.randint(0, 540))
                called = issued + timedelta(seconds=rng.randint(30, 3600))
                end = called + timedelta(seconds=rng.randint(120, 1500))
                tid = f"t{n:08d}"
                tickets.append(
                    dict(
                        id=tid,
                        station_id="S",
                        service_date=d,
                        queue="ABC"[n % 3],
                        letter="ABC"[n % 3],
                        serial=n // 3 % 999 + 1,
                        number="A001",
                        status="done",
                        issued_at=issued,
                        sort_at=issued,
                        first_called_at=called,
                        last_called_at=called,
                        service_started_at=called,
                        finished_at=end,
                        priority="normal",
                        issued_via="kiosk",
                        call_count=1,
                        note="",
                    )
                )
                m = matters[n % len(matters)]
                promised = n % 100 < 18
                deadline = d + timedelta(days=7) if promised else None
                cid = f"c{n:08d}"
                cases.append(
                    dict(
                        id=cid,
                        station_id="S",
                        ticket_id=tid,
                        matter_id=m[0],
                        catalog_version_id=m[3],
                        matter_code=m[1],
                        matter_name=m[2],
                        outcome="promised" if promised else "on_the_spot",
                        status="completed",
                        promised_deadline=deadline,
                        assistance="bangban" if n % 12 == 0 else "none",
                        clerk_no="A1",
                        received_at=issued,
                        accepted_at=called,
                        decided_at=end,
                        completed_at=end + timedelta(days=rng.randint(0, 9)) if promised else end,
                        applicant_kind="person",
                        applicant_name="",
                        id_type="",
                        id_number="",
                        phone="",
                        agent_name="",
                        agent_id_type="",
                        agent_id_number="",
                        agent_phone="",
                        supply_deadline=None,
                        refusal_reason="",
                        notes="",
                        void_reason="",
                        case_no="",
                        forwarded_to="",
                        completion_note="",
                    )
                )
                ratings.append(
                    dict(
                        case_id=cid,
                        level=rng.choice((5, 5, 5, 4, 3, None)),
                        points="",
                        comment="",
                        channel="4",
                        rated_at=end,
                    )
                )
            for table, rows in ((Ticket, tickets), (Case, cases), (Rating, ratings)):
                conn.execute(table.__table__.insert(), stamp_rows(conn, rows, now))
    station.close()
    return path


def find_db(arg: Path | None, year: int) -> tuple[Path, str]:
    if arg is not None:
        return arg, "given"
    try:
        from bench.generate import ensure_large_db
    except ImportError:
        folder = Path(tempfile.mkdtemp(prefix="clerk-bench-report-"))
        return _own_year(folder / "year.db", year), f"one year of {SEED_004_CASES:,} cases (bench/generate.py missing)"
    return ensure_large_db(), "10-year bench.generate database"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--queries", action="store_true", help="time each captured statement")
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from clerk_tui.clock import FixedClock
    from clerk_tui.config import Settings
    from clerk_tui.services.reports.period import year
    from clerk_tui.services.reports.report import build_report
    from clerk_tui.services.station.setup import open_station

    path, what = find_db(args.db, args.year)
    station = open_station(
        Settings(data_dir=path.parent, database=path), FixedClock(datetime(args.year + 1, 1, 5, 9, 0))
    )
    period = year(args.year)

    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        captured.append((statement, parameters))

    t0 = time.perf_counter()
    event.listen(station.engine, "before_cursor_execute", capture)
    report = build_report(station, "annual", period)
    event.remove(station.engine, "before_cursor_execute", capture)
    cold = time.perf_counter() - t0
    statements = [(s, p) for s, p in captured if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run_raw() -> list[float]:
        times = []
        for statement, parameters in statements:
            s0 = time.perf_counter()
            raw.execute(statement, parameters).fetchall()
            times.append(time.perf_counter() - s0)
        return times

    run_raw()  # warm-up
    service_times, raw_times, per_query = [], [], []
    for _ in range(args.runs):
        s0 = time.perf_counter()
        build_report(station, "annual", period)
        service_times.append(time.perf_counter() - s0)
        times = run_raw()
        raw_times.append(sum(times))
        per_query.append(times)
    raw.close()
    station.close()

    assert report.cases is not None and report.tickets is not None and report.licensing is not None
    print(f"database: {path} ({what}, {path.stat().st_size / 1e9:.2f} GB)")
    print(
        f"year {args.year}: {report.cases.total:,} cases (seed 004: {SEED_004_CASES:,}), "
        f"{report.tickets.total.issued:,} tickets, {report.ratings.rated if report.ratings else 0:,} ratings, "
        f"{report.licensing.total:,} 行政许可 decisions"
    )
    print(f"annual report, first (cold) run : {cold * 1000:8.1f} ms")
    print(
        f"annual report, median of {args.runs:<2}    : {statistics.median(service_times) * 1000:8.1f} ms"
        f"  (max {max(service_times) * 1000:.1f})"
    )
    print(f"its {len(statements)} SQL statements, raw sqlite3 : {statistics.median(raw_times) * 1000:8.1f} ms")
    print(f"goal: under 1000 ms -> {'met' if statistics.median(service_times) < 1 else 'NOT met'}")
    if args.queries:
        for i, (statement, _p) in enumerate(statements):
            median = statistics.median(run[i] for run in per_query)
            print(f"{median * 1000:8.1f} ms  {' '.join(statement.split())[:150]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
