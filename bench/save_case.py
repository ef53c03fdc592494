"""Saving a case (durable commit) vs a raw sqlite3 insert with the same durability.

Both write to the same database file in this same run, alternated: WAL journal,
synchronous=FULL (an fsync on every commit), one transaction per case. The clerk path is
`services.cases.save_case`: rule checks, case number, the case row and its first audit
entry, through SQLAlchemy. The raw path inserts one `service_case` row with a prepared
statement. Figures are p50 / p95 in milliseconds; the goal is a p95 under 15 ms.

    python -m bench.save_case [--n 300] [--db PATH]

Without --db it uses bench.generate.ensure_large_db() (the 10-year database) when that
module exists, else a fresh station database with the bundled catalog (and says so).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from bench.results import Result, record


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def find_db(arg: Path | None) -> tuple[Path, str]:
    if arg is not None:
        return arg, "given"
    try:
        from bench.generate import ensure_large_db  # type: ignore[import-not-found]
    except ImportError:
        folder = Path(tempfile.mkdtemp(prefix="clerk-bench-"))
        return folder / "small.db", "small (bench/generate.py not available)"
    return ensure_large_db(), "10-year"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()

    from dataclasses import replace

    from sqlalchemy import select

    from clerk_tui.models import Matter
    from clerk_tui.services.cases import record as cases
    from clerk_tui.services.station.calendar import load_work_calendar
    from clerk_tui.services.station.setup import DEMO_SETTINGS, ensure_catalog, open_station

    source, kind = find_db(args.db)
    # A copy: the saves must not change the shared benchmark database other benchmarks read.
    db = Path(tempfile.mkdtemp(prefix="clerk-bench-")) / "save_case.db"
    if source.exists():
        shutil.copyfile(source, db)
    station_id = "STATION-01" if kind == "10-year" else DEMO_SETTINGS.station_id  # the generator's station
    settings = replace(DEMO_SETTINGS, station_id=station_id, data_dir=db.parent, database=db)
    station = open_station(settings)
    ensure_catalog(station)
    with station.read() as session:
        matter = session.execute(select(Matter).where(Matter.project_type == 1, Matter.active).limit(1)).scalar_one()
    calendar = load_work_calendar(station)  # what the form holds while open

    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    columns = [row[1] for row in raw.execute("PRAGMA table_info(service_case)")]
    insert = f"INSERT INTO service_case ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def raw_row() -> list[object]:
        now = datetime.now().isoformat(sep=" ")
        values = {
            "id": str(uuid.uuid4()),
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "change_seq": 0,
            "station_id": settings.station_id,
            "ticket_id": None,
            "matter_id": matter.id,
            "catalog_version_id": matter.catalog_version_id,
            "check_id": None,
            "matter_code": matter.code,
            "matter_name": matter.name,
            "applicant_kind": "person",
            "applicant_name": "基准",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "outcome": "on_the_spot",
            "status": "completed",
            "assistance": "none",
            "clerk_no": settings.clerk_no,
            "window_no": settings.window_no,
            "received_at": now,
        }
        return [
            values.get(c, "")
            if c
            not in (
                "promised_deadline",
                "supply_deadline",
                "accepted_at",
                "decided_at",
                "completed_at",
                "ticket_id",
                "check_id",
            )
            else values.get(c)
            for c in columns
        ]

    draft = cases.CaseDraft(
        matter_id=matter.id,
        outcome="on_the_spot",
        applicant_name="基准",
        id_number="11010519491231002X",
        phone="13812345678",
    )
    for _ in range(10):  # warm-up: connections, statement caches
        cases.save_case(station, draft, calendar)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(insert, raw_row())
        raw.execute("COMMIT")
    clerk_ms, raw_ms = [], []
    for _ in range(args.n):
        started = time.perf_counter()
        cases.save_case(station, draft, calendar)
        clerk_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(insert, raw_row())
        raw.execute("COMMIT")
        raw_ms.append((time.perf_counter() - started) * 1000)
    total = raw.execute("SELECT count(*) FROM service_case").fetchone()[0]
    raw.close()
    station.close()
    size = db.stat().st_size / 2**20
    shutil.rmtree(db.parent, ignore_errors=True)
    print(f"database: {db} ({kind}, {size:,.1f} MB, {total:,} cases), {args.n} saves each, WAL + synchronous=FULL")
    for label, values in (("save_case (clerk)", clerk_ms), ("raw sqlite3 insert", raw_ms)):
        print(f"{label:20s} p50 {statistics.median(values):6.2f} ms   p95 {percentile(values, 0.95):6.2f} ms")
    print(f"p95 ratio {percentile(clerk_ms, 0.95) / percentile(raw_ms, 0.95):.2f}x  (goal: clerk p95 < 15 ms)")
    c95, r95 = percentile(clerk_ms, 0.95), percentile(raw_ms, 0.95)
    record(
        Result(
            "saving a case (durable commit): p95 (p50)",
            "python -m bench.save_case",
            f"{c95:.2f} ms ({statistics.median(clerk_ms):.2f} ms)",
            f"raw insert, same durability: {r95:.2f} ms ({statistics.median(raw_ms):.2f} ms)",
            c95 / r95,
            "p95 < 15 ms",
            c95 < 15,
        )
    )


if __name__ == "__main__":
    main()
