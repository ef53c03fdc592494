"""Calling is atomic across programs: real processes on one database never share a ticket.

On both stores: SQLite's single writer, and PostgreSQL's `FOR UPDATE SKIP LOCKED` claims."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clerk_tui.models import Ticket, TicketEvent
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from tests.conftest import STORES

WINDOWS = 4


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


TICKETS = 60


def window_worker(db: str, window_no: int, now, start, results) -> None:  # type: ignore[no-untyped-def]
    """One window program: call and finish until the queue is empty."""
    from clerk_tui.clock import FixedClock
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.queue import calling
    from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station

    database = db if db.startswith("postgresql") else Path(db)
    station = open_station(replace(DEMO_SETTINGS, database=database, window_no=window_no), FixedClock(now))
    called = []
    start.wait()
    while True:
        try:
            called.append(calling.call_next(station).id)
        except ClerkError as exc:
            if exc.key == "queue.nothing_waiting":
                break
            raise
        calling.finish(station)
        time.sleep(0.002)  # a clerk needs a moment too; lets the other windows get the lock
    station.close()
    results.put((window_no, called))


def test_windows_in_separate_processes_never_call_the_same_ticket(station: Station) -> None:
    for i in range(TICKETS):
        issue_ticket(station, "ABC"[i % 3], "green" if i % 7 == 0 else "normal")
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(WINDOWS), ctx.Queue()
    procs = [
        ctx.Process(
            target=window_worker, args=(str(station.settings.database_target), w, station.clock.now(), start, results)
        )
        for w in range(1, WINDOWS + 1)
    ]
    for p in procs:
        p.start()
    per_window = dict(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    called = [tid for ids in per_window.values() for tid in ids]
    assert len(called) == len(set(called)) == TICKETS  # each ticket once, none lost
    assert sum(1 for ids in per_window.values() if ids) >= 2  # the windows really competed
    with station.read() as s:
        assert s.execute(select(func.count()).where(Ticket.status == "done")).scalar() == TICKETS
        calls = s.execute(select(TicketEvent.ticket_id).where(TicketEvent.kind == "called")).scalars().all()
    assert len(calls) == len(set(calls)) == TICKETS


def test_cli_calls_from_parallel_processes_get_distinct_tickets(station: Station, tmp_path: Path) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.services.station.setup import write_config

    # The CLI runs on the real clock, with this station's config.
    today = Station(station.engine, station.settings, Clock())
    for _ in range(5):
        issue_ticket(today, "A")
    db = str(station.settings.database_target)
    write_config(station.settings, tmp_path / "config.toml")
    env = {**os.environ, "CLERK_TUI_CONFIG": str(tmp_path / "config.toml")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "clerk_tui", "--db", db, "ticket", "call", "--window", str(w)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in range(1, 7)
    ]
    outs = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    numbers = sorted(out.split()[0] for code, out, _ in outs if code == 0)
    assert numbers == ["A001", "A002", "A003", "A004", "A005"]
    failed = [(code, err) for code, _, err in outs if code != 0]
    assert len(failed) == 1 and failed[0][0] == 1 and "没有可叫的号" in failed[0][1]
    assert "Traceback" not in failed[0][1]
