"""Property tests of the calling order against the rules written out plainly.

Each example runs on its own service day of one database (days never mix), so hundreds
of queues are played through quickly.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.clock import FixedClock
from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import issue_ticket

DAYS = itertools.count(1)
GRACE, EARLY = 30, 10
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# (queue, priority, minutes after the previous ticket, appointment slot relative to "now" in minutes)
ticket_spec = st.tuples(
    st.sampled_from("AB"),
    st.sampled_from(["normal", "normal", "normal", "green", "appointment"]),
    st.integers(0, 3),
    st.integers(-60, 40),
)


def play(station: Station, specs: list[tuple[str, str, int, int]], streak: int) -> tuple[list[str], dict, datetime]:
    """Issue the tickets on a fresh day, then call and finish until nothing is callable."""
    start = datetime(2030, 1, 1, 8, 0) + timedelta(days=next(DAYS))
    clock = FixedClock(start)
    extra = {
        "queue": {"priority_streak": streak, "appointment_grace_minutes": GRACE, "appointment_early_minutes": EARLY}
    }
    here = Station(station.engine, replace(station.settings, extra=extra), clock)
    now = start + timedelta(minutes=sum(s[2] for s in specs) + 1)
    issued = {}
    for queue, priority, gap, slot in specs:
        clock.advance(minutes=gap)
        at = now + timedelta(minutes=slot) if priority == "appointment" else None
        ticket = issue_ticket(here, queue, priority, at)
        issued[ticket.number] = ticket
    clock.at = now
    order = []
    while True:
        try:
            order.append(calling.call_next(here).number)
        except ClerkError:
            return order, issued, now
        calling.finish(here)


def rule_class(ticket, now: datetime) -> int | None:
    """The documented rule; None = not callable by "next" yet."""
    if ticket.priority == "green":
        return 0
    if ticket.priority == "appointment":
        if ticket.appointment_at > now + timedelta(minutes=EARLY):
            return None
        return 2 if ticket.appointment_at >= now - timedelta(minutes=GRACE) else 3
    return 3


def expected_order(issued: dict, now: datetime, streak_limit: int) -> list[str]:
    waiting = [t for t in issued.values() if rule_class(t, now) is not None]
    key = lambda t: (t.sort_at, t.issued_at, t.serial, t.letter)  # noqa: E731
    order, streak = [], 0
    while waiting:
        normals = [t for t in waiting if rule_class(t, now) == 3]
        if streak_limit and streak >= streak_limit and normals:
            pick = min(normals, key=key)
        else:
            pick = min(waiting, key=lambda t: (rule_class(t, now), *key(t)))
        streak = streak + 1 if rule_class(pick, now) < 3 else 0
        order.append(pick.number)
        waiting.remove(pick)
    return order


@PROPS
@given(
    specs=st.lists(
        st.tuples(st.sampled_from("ABC"), st.just("normal"), st.integers(0, 2), st.just(0)), min_size=1, max_size=15
    )
)
def test_equal_priority_is_first_come_first_served(station: Station, specs) -> None:
    order, issued, _ = play(station, specs, streak=3)
    assert sorted(order) == sorted(issued)
    times = [issued[n].issued_at for n in order]
    assert times == sorted(times)  # never someone who came later first (newest-first bug)
    for letter in "ABC":
        serials = [issued[n].serial for n in order if n.startswith(letter)]
        assert serials == sorted(serials)


@PROPS
@given(specs=st.lists(ticket_spec, min_size=1, max_size=14), streak=st.integers(0, 3))
def test_order_follows_the_rules(station: Station, specs, streak: int) -> None:
    order, issued, now = play(station, specs, streak)
    assert order == expected_order(issued, now, streak)


@PROPS
@given(specs=st.lists(ticket_spec, min_size=1, max_size=14), streak=st.integers(1, 3))
def test_nobody_starves(station: Station, specs, streak: int) -> None:
    """Never more than N priority calls in a row while a normal ticket waits."""
    order, issued, now = play(station, specs, streak)
    run = 0
    for i, number in enumerate(order):
        run = run + 1 if rule_class(issued[number], now) < 3 else 0
        normal_waiting = any(rule_class(issued[n], now) == 3 for n in order[i + 1 :])
        assert not (run > streak and normal_waiting)


@PROPS
@given(waiting=st.integers(0, 8), k=st.integers(0, 10), policy=st.sampled_from(["end", "after"]))
def test_reinstated_no_show_reenters_per_policy(station: Station, waiting: int, k: int, policy: str) -> None:
    clock = FixedClock(datetime(2031, 1, 1, 8, 0) + timedelta(days=next(DAYS)))
    extra = {"queue": {"reinstate": policy, "reinstate_after": k}}
    here = Station(station.engine, replace(station.settings, extra=extra), clock)
    first = issue_ticket(here, "A")
    for _ in range(waiting):
        clock.advance(seconds=30)
        issue_ticket(here, "A")
    clock.advance(minutes=1)
    calling.call_next(here)
    calling.no_show(here)
    calling.reinstate(here, first.number)
    order = []
    while True:
        try:
            order.append(calling.call_next(here).number)
        except ClerkError:
            break
        calling.finish(here)
    position = waiting if policy == "end" else min(k, waiting)
    assert order.index(first.number) == position and len(order) == waiting + 1


@PROPS
@given(normals=st.integers(0, 6), greens=st.integers(0, 3))
def test_transferred_ticket_jumps_ahead_of_normal_ones(station: Station, normals: int, greens: int) -> None:
    clock = FixedClock(datetime(2032, 1, 1, 8, 0) + timedelta(days=next(DAYS)))
    here = Station(station.engine, replace(station.settings, extra={"queue": {"priority_streak": 0}}), clock)
    moving = issue_ticket(here, "A")
    for _ in range(normals):
        issue_ticket(here, "B")
    for _ in range(greens):
        issue_ticket(here, "B", "green")
    elsewhere = Station(here.engine, replace(here.settings, window_no=9), clock)
    calling.call_specific(elsewhere, moving.number, "wrong queue")
    clock.advance(minutes=5)
    calling.transfer(elsewhere, to_queue="B")
    order = []
    while True:
        try:
            order.append(calling.call_next(here).number)
        except ClerkError:
            break
        calling.finish(here)
    assert order.index(moving.number) == greens  # after the green channel, before every normal ticket
