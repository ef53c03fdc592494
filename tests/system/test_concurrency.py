"""Several programs on one database at once: windows, a kiosk, a board, CLI commands.

Real processes (spawned interpreters, as the hall runs them) share one station database:
four windows loop call → (start) → finish, a kiosk issues tickets, a board polls its
views, and the CLI issues and calls tickets via `clerk ticket ...` subprocesses. Then:
no ticket was called twice, every count adds up (nothing issued, called or finished got
lost), and no process ever saw "database is locked" (neither SQLite's OperationalError
nor the clerk's `db.locked` message).

It runs on both stores (SQLite's one write lock; PostgreSQL's row locks, counter rows and
`SKIP LOCKED`), each with a CPU hog beside it: a clerk's PC is often busy with something
else, and a writer waiting its turn must not give up then (issue 14, item 7).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest
from sqlalchemy import text

from clerk_tui.config import Settings
from clerk_tui.db import open_database
from clerk_tui.i18n import set_language, t
from clerk_tui.services.station.setup import write_config
from tests.conftest import STORES

KIOSK_TICKETS = 1000
WINDOWS = (1, 2, 4, 5)
CLI_WINDOW = 9
# A safety net for a hung process, not a speed limit: the run ends when the kiosk is done
# and the queue is empty (47 s on a 2-core machine with little else running); on a loaded
# one (other test workers, other programs) the windows got through 411 of 1004 tickets by 45 s.
TIME_LIMIT = 240.0


def _problem(exc: BaseException) -> str | None:
    """What went wrong, when it must not happen; None for the queue's ordinary answers."""
    from sqlalchemy.exc import OperationalError

    from clerk_tui.errors import ClerkError

    if isinstance(exc, ClerkError) and exc.key != "db.locked":
        return None
    import sqlite3

    if isinstance(exc, (ClerkError, OperationalError, sqlite3.OperationalError)):
        return f"LOCKED {type(exc).__name__}: {exc}\n" + "".join(traceback.format_exception(exc))[-1500:]
    return "".join(traceback.format_exception(exc))[-800:]


def _worker(role: str, settings: Settings, arg: int, out: str, stop: multiprocessing.synchronize.Event) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.context import Station
    from clerk_tui.services.queue import calling as queue_calling
    from clerk_tui.services.queue.tickets import issue_ticket, today_counts
    from clerk_tui.services.queue.views import load_board, load_queue_view

    record: dict[str, list] = {"issued": [], "called": [], "started": [], "finished": [], "reads": [], "problems": []}
    station = Station(open_database(settings.database_target), settings.with_overrides(window_no=arg), Clock())
    deadline = time.monotonic() + TIME_LIMIT
    try:
        if role == "kiosk":
            queues = [q.letter for q in settings.queues]
            for i in range(arg):
                try:
                    record["issued"].append(issue_ticket(station, queues[i % len(queues)], via="kiosk").id)
                except Exception as exc:
                    record["problems"].append(_problem(exc) or f"kiosk: {exc}")
        elif role == "board":
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    load_board(station, 8)
                    load_queue_view(station)
                    today_counts(station)
                    record["reads"].append(1)
                except Exception as exc:
                    record["problems"].append(_problem(exc) or f"board: {exc}")
                time.sleep(0.01)
        else:  # a window
            idle_after_stop = 0
            while time.monotonic() < deadline:
                t0 = time.monotonic()
                try:
                    ticket = queue_calling.call_next(station)
                    record["called"].append(ticket.id)
                    if len(record["called"]) % 2:
                        record["started"].append(queue_calling.start_service(station).id)
                    record["finished"].append(queue_calling.finish(station).id)
                    idle_after_stop = 0
                except ClerkError as exc:
                    if exc.key != "queue.nothing_waiting":
                        record["problems"].append(
                            f"after {time.monotonic() - t0:.2f}s " + (_problem(exc) or f"window {arg}: {exc.key}")
                        )
                        break
                    if stop.is_set():  # the kiosk is done: leave once the queue stays empty
                        idle_after_stop += 1
                        if idle_after_stop > 20:
                            break
                    time.sleep(0.005)
                except Exception as exc:
                    record["problems"].append(f"after {time.monotonic() - t0:.2f}s " + (_problem(exc) or "?"))
                    break
    finally:
        station.close()
        Path(out).write_text(json.dumps(record))


def _hog(stop: multiprocessing.synchronize.Event) -> None:
    """Another CPU-heavy program on the same PC: spins until told to stop."""
    while not stop.is_set():
        sum(i * i for i in range(20000))


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _cli(config: Path, db: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CLERK_TUI_CONFIG=str(config))
    return subprocess.run(
        [sys.executable, "-m", "clerk_tui", "--db", str(db), "--lang", "en", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process handling")
@pytest.mark.xdist_group("heavy")  # timing-heavy: on the same worker as the crash test, never alongside it
def test_windows_kiosk_board_and_cli_at_once(tmp_path: Path, settings: Settings) -> None:
    db = settings.database_target
    config = tmp_path / "config.toml"
    write_config(settings, config)
    open_database(db).dispose()

    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    hog_stop = ctx.Event()
    hog = ctx.Process(target=_hog, args=(hog_stop,))
    hog.start()
    roles = [("kiosk", KIOSK_TICKETS), ("board", 0)] + [("window", n) for n in WINDOWS]
    procs = []
    for i, (role, arg) in enumerate(roles):
        out = tmp_path / f"worker-{i}.json"
        p = ctx.Process(target=_worker, args=(role, settings, arg, str(out), stop))
        p.start()
        procs.append((role, arg, p, out))

    set_language("en")
    nothing_waiting = t("queue.nothing_waiting")
    set_language("zh")
    started = time.monotonic()
    cli_issued, cli_called, cli_finished, cli_problems, cli_runs = [], [], [], [], 0
    kiosk = procs[0][2]
    while kiosk.is_alive() and time.monotonic() - started < TIME_LIMIT:
        runs = [
            _cli(config, db, "ticket", "issue", "-q", "B", "--plain"),
            _cli(config, db, "ticket", "call", "-w", str(CLI_WINDOW)),
        ]
        if runs[1].returncode == 0:
            runs.append(_cli(config, db, "ticket", "finish", "-w", str(CLI_WINDOW)))
        cli_runs += len(runs)
        for r in runs:
            said = r.stdout + r.stderr
            if "Traceback" in said or "locked" in said.lower() or "busy" in said.lower():
                cli_problems.append(said[-500:])
        if runs[0].returncode == 0:
            cli_issued.append(runs[0].stdout.strip())
        else:
            cli_problems.append(runs[0].stderr)
        if runs[1].returncode == 0:
            cli_called.append(runs[1].stdout)
            if runs[2].returncode == 0:
                cli_finished.append(runs[2].stdout)
            else:
                cli_problems.append(runs[2].stderr)
        elif nothing_waiting not in runs[1].stderr:
            cli_problems.append(runs[1].stderr)
    kiosk.join(TIME_LIMIT)
    stop.set()
    for _, _, p, _ in procs:
        p.join(TIME_LIMIT)
        assert p.exitcode == 0
    hog_stop.set()
    hog.join(10)
    # The CLI window may still hold a ticket called just before the end: finish it.
    leftover = _cli(config, db, "ticket", "finish", "-w", str(CLI_WINDOW))
    if leftover.returncode == 0:
        cli_finished.append(leftover.stdout)
    elapsed = time.monotonic() - started

    records = {(role, arg): json.loads(out.read_text()) for role, arg, _, out in procs}
    problems = [p for r in records.values() for p in r["problems"]] + cli_problems
    assert problems == [], problems[:5]

    engine = open_database(db)
    try:
        with engine.connect() as conn:
            tickets = dict(conn.execute(text("SELECT id, status FROM ticket")).all())
            called_events = conn.execute(
                text(
                    "SELECT e.ticket_id, e.window_no, t.window_no FROM ticket_event e "
                    "JOIN ticket t ON t.id = e.ticket_id WHERE e.kind = 'called'"
                )
            ).all()
            twice = conn.execute(
                text(
                    "SELECT ticket_id, count(*) FROM ticket_event WHERE kind = 'called' "
                    "GROUP BY ticket_id HAVING count(*) > 1"
                )
            ).all()
            finished_events = conn.execute(text("SELECT count(*) FROM ticket_event WHERE kind = 'finished'")).scalar()
            seqs = [
                r[0]
                for r in conn.execute(
                    text("SELECT change_seq FROM ticket_event UNION ALL SELECT change_seq FROM ticket")
                )
            ]
            counter = conn.execute(text("SELECT value FROM counter WHERE name = 'change_seq'")).scalar()
            numbers = conn.execute(
                text("SELECT count(*), count(DISTINCT number) FROM ticket WHERE transferred_from_id IS NULL")
            ).one()
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
    assert numbers[0] == numbers[1], "two tickets got the same number"

    kiosk_ids = records[("kiosk", KIOSK_TICKETS)]["issued"]
    window_calls = {n: records[("window", n)]["called"] for n in WINDOWS}
    all_window_calls = [t for calls in window_calls.values() for t in calls]
    # No ticket called twice: by the events, and by what the windows were told.
    assert twice == []
    assert len(all_window_calls) == len(set(all_window_calls))
    assert all(event_window == ticket_window for _, event_window, ticket_window in called_events)
    # Nothing lost: every ticket the kiosk and the CLI were given is there, and was called.
    assert len(kiosk_ids) == KIOSK_TICKETS and set(kiosk_ids) <= set(tickets)
    assert len(tickets) == KIOSK_TICKETS + len(cli_issued)
    assert len(called_events) == len(all_window_calls) + len(cli_called) == len(tickets)
    # Every finish a window was told about is in the database, and nothing else finished.
    finished = sum(len(records[("window", n)]["finished"]) for n in WINDOWS) + len(cli_finished)
    assert finished == finished_events == sum(1 for s in tickets.values() if s == "done") == len(tickets)
    # Every write took its own change sequence numbers: no two rows share one.
    assert len(seqs) == len(set(seqs)) and max(seqs) <= counter
    assert records[("board", 0)]["reads"], "the board must have polled meanwhile"

    writes = len(tickets) + len(called_events) + finished + sum(len(records[("window", n)]["started"]) for n in WINDOWS)
    reads = len(records[("board", 0)]["reads"]) * 3
    print(
        f"\nconcurrency: {writes} writes + {reads} board reads by {len(procs)} processes and "
        f"{cli_runs} CLI runs in {elapsed:.1f} s; per window {[len(c) for c in window_calls.values()]} calls, "
        f"CLI {len(cli_called)}; 0 called twice, 0 lost, 0 locked"
    )
