"""Kill a writing process at random moments and prove nothing acknowledged is lost.

A forked child loops over the program's real write operations (issue a ticket; a
window's call / start / finish; save a case and its rating; export a sync bundle), and
after each one *returns* it reports what it made through a pipe. The parent waits until
the child has acknowledged a random number of writes (0-4), then SIGKILLs it after a
further random delay, so the kill lands in the middle of the next operation whatever the
machine's speed (a slow or loaded machine gets as many writes done per trial as a fast
one: the mix covered does not depend on timing). It then checks that the database passes `PRAGMA
integrity_check`, that every export the station recorded has its bundle file and that the
file verifies (a kill may leave a `.partial` temporary file: allowed, never recorded), and
at the end that every reported record is there. Forking (rather than
starting a new interpreter) keeps a trial to a few milliseconds, so hundreds of trials fit
in a test run. POSIX only: Windows has neither fork nor SIGKILL.

    python -m tests.crash_harness --trials 1000
"""

from __future__ import annotations

import argparse
import os
import random
import select
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

# An operation returns what it made, as acknowledgements: ("row", table, id) means the
# row must exist; ("called" | "started" | "finished", ticket id) means the ticket must be
# at least that far along; ("export", bundle_seq) is informational (exports are checked
# from the station's own records, see `check_exports`).
Ack = tuple[str, ...]
Operation = Callable[[Station, random.Random], list[Ack]]
ACK_KINDS = {"row": 3, "called": 2, "started": 2, "finished": 2, "export": 2}
# Statuses a ticket may have reached after each window step (a later step moves it on).
REACHED = {
    "called": ("called", "serving", "done", "no_show", "transferred", "closed"),
    "started": ("serving", "done", "transferred", "closed"),
    "finished": ("done",),
}


def op_issue_ticket(station: Station, rng: random.Random) -> list[Ack]:
    from clerk_tui.services.queue.tickets import issue_ticket

    queue = rng.choice([q.letter for q in station.settings.queues])
    return [("row", "ticket", issue_ticket(station, queue, rng.choice(["normal", "green"])).id)]


def op_window_step(station: Station, rng: random.Random) -> list[Ack]:
    """The window's next step: call the next ticket, start serving it, or finish it."""
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.queue import calling as queue_calling

    with station.read() as session:
        current = queue_calling.current(session, station.settings, station.clock.now())
    try:
        if current is None:
            ticket = queue_calling.call_next(station)
            return [("called", ticket.id)]
        if current.status == "called" and rng.random() < 0.5:
            return [("started", queue_calling.start_service(station).id)]
        return [("finished", queue_calling.finish(station).id)]
    except ClerkError as exc:
        if exc.key == "queue.nothing_waiting":
            return op_issue_ticket(station, rng)
        raise


def op_save_case(station: Station, rng: random.Random) -> list[Ack]:
    """Record a case (即办件) and the applicant's rating, as the case form and rating pad do."""
    from sqlalchemy import select

    from clerk_tui.models import Matter
    from clerk_tui.services.cases.ratings import rate_case
    from clerk_tui.services.cases.record import CaseDraft, save_case

    with station.read() as session:
        matter_id = session.execute(select(Matter.id).order_by(Matter.code).limit(1)).scalar_one()
    case = save_case(
        station,
        CaseDraft(
            matter_id=matter_id,
            outcome=rng.choice(["on_the_spot", "consultation"]),
            applicant_name="王小明",
            id_number="11010519491231002X",
            phone="13812345678",
            notes="崩溃测试",
        ),
    )
    acks: list[Ack] = [("row", "service_case", case.id)]
    rated = rate_case(station, case.id, rng.choice([5, 4, 3, 2, 1, None]), comment="好")
    acks.append(("row", "rating", rated.rating.id))
    if rated.follow_up is not None:
        acks.append(("row", "follow_up", rated.follow_up.id))
    return acks


def op_export(station: Station, rng: random.Random) -> list[Ack]:
    """Export a sync bundle to the harness's export folder (full now and then)."""
    from clerk_tui.services.sync.export import export_bundle

    result = export_bundle(station, station.settings.exports_path, full=rng.random() < 0.2)
    return [] if result is None else [("export", str(result.bundle_seq))]


OPERATIONS: list[Operation] = [op_issue_ticket, op_window_step, op_save_case, op_export]
WEIGHTS = [3, 4, 2, 1]


@dataclass
class Result:
    trials: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt: int = 0
    bad_exports: int = 0  # recorded exports whose bundle is missing or does not verify
    exports: int = 0  # exports recorded in the station database at the end
    stray_partials: int = 0  # temporary files a kill left behind (allowed, never recorded)
    child_errors: int = 0  # operations that raised instead of returning (should be none)
    by_kind: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


def _child(
    db: Path, settings: Settings, write_fd: int, seed: int, operations: list[Operation], weights: list[int] | None
) -> None:
    rng = random.Random(seed)
    station = Station(open_database(db), settings, Clock())
    with os.fdopen(write_fd, "w", buffering=1) as out:
        while True:
            op = rng.choices(operations, weights)[0]
            try:
                acks = op(station, rng)
            except Exception as exc:
                out.write(f"error {type(exc).__name__}:{str(exc)[:80].replace(' ', '_')}\n")
                continue
            for ack in acks:  # only after the commit returned
                out.write(" ".join(ack) + "\n")


def _prepare(db: Path, settings: Settings) -> None:
    """Migrate and load the catalog once, before any kill."""
    from clerk_tui.services.station.setup import ensure_catalog

    station = Station(open_database(db), settings, Clock())
    try:
        ensure_catalog(station)
    finally:
        station.close()


def check_exports(db: Path, verified: set[tuple[int, str]], result: Result) -> None:
    """Every export the station recorded has its bundle file, and the file verifies."""
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.sync.bundle import verify_bundle

    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT bundle_seq, folder, file_name, sha256 FROM sync_export").fetchall()
    finally:
        conn.close()
    result.exports = len(rows)
    for seq, folder, name, sha in rows:
        if (seq, sha) in verified:
            continue
        try:
            bundle = verify_bundle(Path(folder) / name)
            ok = bundle.sha256 == sha and bundle.manifest.bundle_seq == seq
        except ClerkError as exc:
            ok, sha = False, f"{sha} ({exc.key})"
        if ok:
            verified.add((seq, sha))
        else:
            result.bad_exports += 1
            result.details.append(f"export {seq} recorded but its bundle is bad: {sha}")


ACK_WAIT_S = 60.0  # a child that makes no progress for this long has hung: reported, not waited on


def _await_acks(fd: int, wanted: int) -> bytes:
    """Read the child's reports until `wanted` whole lines have arrived (or it hangs)."""
    received = b""
    deadline = time.monotonic() + ACK_WAIT_S
    while received.count(b"\n") < wanted:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 65536)
        if not chunk:  # the child exited
            break
        received += chunk
    return received


def run_trials(
    db: Path,
    settings: Settings,
    trials: int,
    seed: int = 7,
    operations: list[Operation] | None = None,
    max_delay: float = 0.08,
    weights: list[int] | None = None,
) -> Result:
    if operations is None:
        operations, weights = OPERATIONS, weights or WEIGHTS
    _prepare(db, settings)
    rng = random.Random(seed)
    result = Result()
    acked: list[Ack] = []
    verified: set[tuple[int, str]] = set()
    for trial in range(trials):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns: it is killed
            os.close(read_fd)
            try:
                _child(db, settings, write_fd, seed * 100_000 + trial, operations, weights)
            finally:
                os._exit(1)
        os.close(write_fd)
        wanted = rng.randint(0, 4)
        received = _await_acks(read_fd, wanted)
        made = received.count(b"\n")
        if made < wanted:
            result.child_errors += 1
            result.details.append(f"trial {trial}: child made {made} of {wanted} writes in {ACK_WAIT_S:.0f} s")
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_fd, "rb") as pipe:
            for line in (received + pipe.read()).decode().splitlines():
                parts = tuple(line.split())
                if parts and parts[0] == "error":
                    result.child_errors += 1
                    result.details.append(f"trial {trial}: {line}")
                elif parts and ACK_KINDS.get(parts[0]) == len(parts):  # a line cut by the kill is not an ack
                    acked.append(parts)
        result.trials += 1
        conn = sqlite3.connect(db)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                result.corrupt += 1
                result.details.append(f"trial {trial}: integrity_check failed")
        finally:
            conn.close()
        check_exports(db, verified, result)
    conn = sqlite3.connect(db)
    try:
        for ack in acked:
            kind = ack[0]
            result.by_kind[kind if kind != "row" else ack[1]] = (
                result.by_kind.get(kind if kind != "row" else ack[1], 0) + 1
            )
            if kind == "row":
                found = conn.execute(f"SELECT 1 FROM {ack[1]} WHERE id = ?", (ack[2],)).fetchone() is not None
            elif kind in REACHED:
                status = conn.execute("SELECT status FROM ticket WHERE id = ?", (ack[1],)).fetchone()
                event = conn.execute(
                    "SELECT 1 FROM ticket_event WHERE ticket_id = ? AND kind = ?", (ack[1], kind)
                ).fetchone()
                found = status is not None and status[0] in REACHED[kind] and event is not None
            else:  # exports: checked above from the station's records
                found = True
            if not found:
                result.lost += 1
                result.details.append(f"lost {' '.join(ack)}")
    finally:
        conn.close()
    folder = settings.exports_path
    result.stray_partials = len(list(folder.glob(".*.partial"))) if folder.is_dir() else 0
    result.acknowledged = len(acked)
    return result


def main() -> None:
    import tempfile
    from dataclasses import replace

    from clerk_tui.services.station.setup import DEMO_SETTINGS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crash.db"
        settings = replace(DEMO_SETTINGS, database=db, data_dir=Path(tmp))
        started = time.perf_counter()
        r = run_trials(db, settings, args.trials)
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(r.by_kind.items()))
        print(
            f"{r.trials} kills, {r.acknowledged} acknowledged writes, {r.lost} lost, "
            f"{r.corrupt} corrupt databases ({time.perf_counter() - started:.0f} s)"
        )
        print(
            f"  acknowledged: {kinds}; {r.exports} exports recorded, {r.bad_exports} bad, "
            f"{r.stray_partials} stray partial files; {r.child_errors} operation errors"
        )
        for line in r.details[:10]:
            print("  " + line)


if __name__ == "__main__":
    main()
