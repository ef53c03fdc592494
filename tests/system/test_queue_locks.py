"""Lock order on a server database: a write locks the ticket it changes before it raises
the change counter, so it never deadlocks with a window that holds that ticket.

The case that happened (issue 14, the concurrency test, one run in three): window 1's
"call next" (`FOR UPDATE SKIP LOCKED`) kept the lock on a ticket it passed over because
window 2 had just called it, and then raised the change counter to save its own call;
window 2, starting its ticket, had already raised the counter and waited for the ticket.
PostgreSQL found the deadlock after a second and cancelled one of them ("database busy").
Here window 1's transaction is held open by hand at exactly that point.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from clerk_tui.db import next_change_seq
from clerk_tui.models import Ticket
from clerk_tui.services.check.walk_in import begin_check
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import issue_ticket


@pytest.fixture
def store() -> str:
    return "postgresql"  # SQLite has one writer: it has no lock order to get wrong


@pytest.fixture
def windows(station: Station) -> Iterator[tuple[Station, Station]]:
    one = Station(station.engine, station.settings.with_overrides(window_no=1), station.clock)
    two = Station(station.engine, station.settings.with_overrides(window_no=2), station.clock)
    yield one, two


OPERATIONS: dict[str, Callable[[Station], object]] = {
    "start": calling.start_service,
    "finish": calling.finish,
    "recall": calling.recall,
    "no_show": calling.no_show,
    "transfer": lambda two: calling.transfer(two, to_window=3),
    "begin_check": begin_check,
}


def _waiting_for_a_lock(station: Station) -> bool:
    with station.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    return bool(found)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_window_changing_its_ticket_never_deadlocks_with_a_call_that_passed_it_over(
    windows: tuple[Station, Station], operation: str
) -> None:
    one, two = windows
    issue_ticket(one, "A")
    ticket = calling.call_next(two)
    outcome: dict[str, Any] = {}

    def window_two() -> None:
        try:
            outcome["done"] = OPERATIONS[operation](two)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    with one.engine.connect() as held:
        held.begin()
        # Window 1's "call next" as it stands: the passed-over ticket locked...
        held.execute(select(Ticket.id).where(Ticket.id == ticket.id).with_for_update()).all()
        worker = threading.Thread(target=window_two)
        worker.start()
        deadline = time.monotonic() + 10
        while not _waiting_for_a_lock(one):
            assert time.monotonic() < deadline, "window 2 never reached the ticket's lock"
            time.sleep(0.02)
        # ...and now saving its own call: it raises the change counter.
        next_change_seq(held)
        held.commit()
    worker.join(15)
    assert not worker.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["done"] is not None


def test_the_day_end_close_never_writes_over_a_window_finishing_at_midnight(
    windows: tuple[Station, Station], clock
) -> None:
    """Window 1 serves yesterday's last ticket past midnight; window 2 starts and closes
    earlier days' leftovers while window 1's finish is not yet committed. The close waits,
    then sees the ticket done: it is no leftover. (Read without the lock, it was "in
    service", and the close wrote "closed" over the finish once that committed.)"""
    from datetime import datetime, timedelta

    from clerk_tui.services.queue import window

    one, two = windows
    clock.at = datetime(2026, 11, 23, 17, 50)
    issue_ticket(one, "A")
    ticket = calling.call_next(one)
    calling.start_service(one)
    clock.at = datetime(2026, 11, 24, 0, 5)
    outcome: dict[str, Any] = {}

    def window_two() -> None:
        try:
            outcome["closed"] = window.close_leftovers(two)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    with one.engine.connect() as held:
        held.begin()
        # Window 1's finish as it stands: the ticket locked and done, not yet committed.
        held.execute(select(Ticket.id).where(Ticket.id == ticket.id).with_for_update()).all()
        held.execute(
            text("UPDATE ticket SET status = 'done', finished_at = :at WHERE id = :id"),
            {"at": clock.at - timedelta(minutes=1), "id": ticket.id},
        )
        worker = threading.Thread(target=window_two)
        worker.start()
        deadline = time.monotonic() + 10
        while not _waiting_for_a_lock(one):
            assert time.monotonic() < deadline, "the close never reached the ticket's lock"
            time.sleep(0.02)
        held.commit()
    worker.join(15)
    assert not worker.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["closed"] == 0
    with one.read() as session:
        assert session.get(Ticket, ticket.id).status == "done"
