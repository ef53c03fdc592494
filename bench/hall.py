"""A hall on one queue: 8 windows, a kiosk and a board as separate processes, on both stores.

Each window process loops call next → finish through the app's services, the kiosk keeps
issuing tickets, the board polls its view (calls, waiting counts) twice a second, until the
windows have made `--calls` calls in all. Run on an SQLite file and on PostgreSQL in the
same run (a throwaway cluster made with initdb in a temporary folder, or `--pg URL`).

Printed per store: calls per second, call-next p50/p95, board refresh p95, tickets called
twice (must be 0) and errors a clerk would have seen (must be 0); and the floor: the same
processes claiming and finishing the same number of tickets with the driver alone (one
UPDATE … RETURNING per claim, `FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE`
on SQLite), no app code, as the ratio's baseline.

    python -m bench.hall [--calls 800] [--windows 8] [--pg postgresql://…]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.results import Result, record

BACKLOG = 60  # tickets waiting when the windows start: a hall at opening time


def _settings(database: Path | str, window_no: int) -> Any:
    from clerk_tui.services.station.setup import DEMO_SETTINGS

    return replace(DEMO_SETTINGS, database=database, data_dir=Path(tempfile.gettempdir()), window_no=window_no)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- the app's services ----------------------------------------------------------------


def _window(database: Path | str, window_no: int, calls: Any, goal: int, start: Any, out: Any) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.queue import calling
    from clerk_tui.services.station.setup import open_station

    station = open_station(_settings(database, window_no), Clock())
    latencies: list[float] = []
    errors: list[str] = []
    start.wait()
    while calls.value < goal:
        t0 = time.perf_counter()
        try:
            calling.call_next(station)
        except ClerkError as exc:
            if exc.key != "queue.nothing_waiting":
                errors.append(exc.key)
            time.sleep(0.005)
            continue
        except Exception as exc:
            errors.append(type(exc).__name__)
            continue
        latencies.append(time.perf_counter() - t0)
        with calls.get_lock():
            calls.value += 1
        try:
            calling.finish(station)
        except Exception as exc:
            errors.append(type(exc).__name__)
    station.close()
    out.put(("window", latencies, errors))


def _kiosk(database: Path | str, calls: Any, goal: int, start: Any, out: Any) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.setup import open_station

    station = open_station(_settings(database, 99), Clock())
    errors: list[str] = []
    issued = 0
    start.wait()
    while calls.value < goal:
        try:
            issue_ticket(station, "ABC"[issued % 3], via="kiosk")
            issued += 1
        except Exception as exc:
            errors.append(type(exc).__name__)
        time.sleep(0.002)
    station.close()
    out.put(("kiosk", [float(issued)], errors))


def _board(database: Path | str, calls: Any, goal: int, start: Any, out: Any) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.services.queue.views import load_board
    from clerk_tui.services.station.setup import open_station

    station = open_station(_settings(database, 98), Clock())
    latencies: list[float] = []
    errors: list[str] = []
    start.wait()
    while calls.value < goal:
        t0 = time.perf_counter()
        try:
            load_board(station, 8)
        except Exception as exc:
            errors.append(type(exc).__name__)
        latencies.append(time.perf_counter() - t0)
        time.sleep(0.5)
    station.close()
    out.put(("board", latencies, errors))


def run_app(database: Path | str, windows: int, goal: int) -> dict[str, Any]:
    from clerk_tui.clock import Clock
    from clerk_tui.db import open_database
    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.setup import open_station

    open_database(database).dispose()
    seed = open_station(_settings(database, 97), Clock())
    for i in range(BACKLOG):
        issue_ticket(seed, "ABC"[i % 3], via="kiosk")
    ctx = mp.get_context("spawn")
    calls, start, out = ctx.Value("i", 0), ctx.Barrier(windows + 3), ctx.Queue()
    procs = [ctx.Process(target=_window, args=(database, n, calls, goal, start, out)) for n in range(1, windows + 1)]
    procs += [
        ctx.Process(target=_kiosk, args=(database, calls, goal, start, out)),
        ctx.Process(target=_board, args=(database, calls, goal, start, out)),
    ]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join(30)
    call_ms = [x * 1000 for role, values, _ in results if role == "window" for x in values]
    board_ms = [x * 1000 for role, values, _ in results if role == "board" for x in values]
    errors = [e for _, _, errs in results for e in errs]
    twice = _called_twice(seed)
    seed.close()
    return {
        "calls": len(call_ms),
        "calls_per_s": len(call_ms) / elapsed,
        "call_p50": _quantile(call_ms, 0.5),
        "call_p95": _quantile(call_ms, 0.95),
        "board_p95": _quantile(board_ms, 0.95),
        "twice": twice,
        "errors": errors,
    }


def _called_twice(station: Any) -> int:
    from sqlalchemy import func, select

    from clerk_tui.models import TicketEvent

    with station.read() as session:
        per_ticket = (
            select(TicketEvent.ticket_id)
            .where(TicketEvent.kind == "called")
            .group_by(TicketEvent.ticket_id)
            .having(func.count() > 1)
            .subquery()
        )
        return int(session.execute(select(func.count()).select_from(per_ticket)).scalar() or 0)


# --- the floor: the driver alone --------------------------------------------------------

_CLAIM = {
    "sqlite": (
        "UPDATE ticket SET status = 'called', window_no = ? WHERE id = (SELECT id FROM ticket "
        "WHERE status = 'waiting' ORDER BY sort_at LIMIT 1) RETURNING id"
    ),
    "postgresql": (
        "UPDATE ticket SET status = 'called', window_no = %s WHERE id = (SELECT id FROM ticket "
        "WHERE status = 'waiting' ORDER BY sort_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
    ),
}
_FINISH = {
    "sqlite": "UPDATE ticket SET status = 'done' WHERE id = ?",
    "postgresql": "UPDATE ticket SET status = 'done' WHERE id = %s",
}


def _connect(database: Path | str) -> tuple[Any, str]:
    if isinstance(database, str):
        import psycopg

        return psycopg.connect(database), "postgresql"
    import sqlite3

    conn = sqlite3.connect(database, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn, "sqlite"


def _raw_window(database: Path | str, window_no: int, calls: Any, goal: int, start: Any, out: Any) -> None:
    conn, kind = _connect(database)
    latencies: list[float] = []
    start.wait()
    while calls.value < goal:
        t0 = time.perf_counter()
        if kind == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
        row = conn.execute(_CLAIM[kind], (window_no,)).fetchone()
        conn.commit() if kind == "postgresql" else conn.execute("COMMIT")
        if row is None:
            time.sleep(0.005)
            continue
        latencies.append(time.perf_counter() - t0)
        with calls.get_lock():
            calls.value += 1
        if kind == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
        conn.execute(_FINISH[kind], (row[0],))
        conn.commit() if kind == "postgresql" else conn.execute("COMMIT")
    conn.close()
    out.put(latencies)


def run_raw(database: Path | str, windows: int, goal: int) -> dict[str, Any]:
    """The same claims on a copy of the queue with the driver alone (the app's tickets as
    the rows, so the table and its indexes are the same)."""
    from clerk_tui.clock import Clock
    from clerk_tui.db import open_database
    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.setup import open_station

    open_database(database).dispose()
    seed = open_station(_settings(database, 97), Clock())
    for i in range(goal + windows):
        issue_ticket(seed, "ABC"[i % 3], via="kiosk")
    seed.close()
    ctx = mp.get_context("spawn")
    calls, start, out = ctx.Value("i", 0), ctx.Barrier(windows + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_raw_window, args=(database, n, calls, goal, start, out)) for n in range(1, windows + 1)
    ]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join(30)
    call_ms = [x * 1000 for values in results for x in values]
    return {
        "calls_per_s": len(call_ms) / elapsed,
        "call_p50": _quantile(call_ms, 0.5),
        "call_p95": _quantile(call_ms, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=800)
    parser.add_argument("--windows", type=int, default=8)
    parser.add_argument("--pg", help="a PostgreSQL URL to use (default: a throwaway cluster)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    cluster = None
    if args.pg is None:
        from tests.pg_cluster import Cluster

        cluster = Cluster()
        cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            stores: list[tuple[str, Path | str, Path | str]] = [
                ("SQLite", Path(tmp) / "hall.db", Path(tmp) / "raw.db"),
                (
                    "PostgreSQL",
                    cluster.new_database() if cluster else args.pg,
                    cluster.new_database() if cluster else args.pg,
                ),
            ]
            print(f"{args.windows} windows + kiosk + board, {args.calls} calls per store")
            print(
                "| store | calls/s | call next p50 | p95 | board refresh p95 | called twice | errors shown "
                "| driver alone: calls/s, p95 | ratio (p95) |"
            )
            print("|---|---|---|---|---|---|---|---|---|")
            for name, app_db, raw_db in stores:
                app = run_app(app_db, args.windows, args.calls)
                raw = run_raw(raw_db, args.windows, args.calls)
                print(
                    f"| {name} | {app['calls_per_s']:.0f} | {app['call_p50']:.1f} ms | {app['call_p95']:.1f} ms "
                    f"| {app['board_p95']:.1f} ms | {app['twice']} | {len(app['errors'])} "
                    f"| {raw['calls_per_s']:.0f}, {raw['call_p95']:.1f} ms | {app['call_p95'] / raw['call_p95']:.1f}x |"
                )
                if app["errors"]:
                    print(f"  errors: {statistics.multimode(app['errors'])}")
                ok = app["twice"] == 0 and not app["errors"] and app["call_p95"] < 200
                record(
                    Result(
                        f"a hall on one queue ({name}): {args.windows} windows, kiosk, board; call next p95",
                        f"python -m bench.hall --calls {args.calls}",
                        f"{app['call_p95']:.1f} ms, {app['calls_per_s']:.0f} calls/s, board p95 {app['board_p95']:.1f} ms,"
                        f" {app['twice']} called twice, {len(app['errors'])} errors",
                        f"driver alone: {raw['call_p95']:.1f} ms, {raw['calls_per_s']:.0f} calls/s",
                        app["call_p95"] / raw["call_p95"],
                        "0 twice, 0 errors, p95 < 200 ms",
                        ok,
                    )
                )
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
