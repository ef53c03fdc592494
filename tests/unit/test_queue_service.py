"""The queue services: numbering, fair calling, every window step and its events."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from clerk_tui.clock import FixedClock
from clerk_tui.config import parse_settings
from clerk_tui.errors import ClerkError
from clerk_tui.models import Ticket, TicketEvent, WindowEvent
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling, window
from clerk_tui.services.queue.tickets import issue_ticket, list_tickets, waiting_ahead
from clerk_tui.services.queue.views import board_marker, load_board, load_queue_view, timings
from clerk_tui.services.station.setup import open_station


def with_queue(station: Station, **queue: object) -> Station:
    station.settings = replace(station.settings, extra={**station.settings.extra, "queue": queue})
    return station


def at_window(station: Station, n: int, clerk: str = "W") -> Station:
    return Station(station.engine, replace(station.settings, window_no=n, clerk_no=f"{clerk}{n}"), station.clock)


def issue(
    station: Station,
    clock: FixedClock,
    minutes: float,
    queue: str = "A",
    priority: str = "normal",
    slot: datetime | None = None,
) -> Ticket:
    clock.advance(minutes=minutes)
    return issue_ticket(station, queue, priority, slot)


def events(station: Station, ticket_id: str) -> list[TicketEvent]:
    with station.read() as s:
        return list(
            s.execute(
                select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.change_seq)
            ).scalars()
        )


def serve_all(station: Station) -> list[str]:
    order = []
    while True:
        try:
            order.append(calling.call_next(station).number)
        except ClerkError as exc:
            assert exc.key == "queue.nothing_waiting"
            return order
        calling.finish(station)


def test_numbers_are_daily_and_survive_a_restart(station: Station, clock: FixedClock, settings) -> None:
    assert [issue_ticket(station, "A").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert issue_ticket(station, "B").number == "B001"
    again = open_station(settings, clock)  # the program restarted
    assert issue_ticket(again, "A").number == "A004"
    clock.advance(days=1)
    assert issue_ticket(again, "A").number == "A001"
    again.close()


def test_green_then_transferred_then_due_appointment_then_fifo(station: Station, clock: FixedClock) -> None:
    with_queue(station, priority_streak=0)
    issue(station, clock, 0)  # A001 normal, oldest
    issue(station, clock, 1, "A", "appointment", slot=clock.now() + timedelta(minutes=5))  # A002 due soon
    issue(station, clock, 1, "A", "appointment", slot=clock.now() + timedelta(hours=2))  # A003 not due
    issue(station, clock, 1, "B")  # B001
    issue(station, clock, 1, "B", "green")  # B002
    # A004 goes to window 5 and back as a transfer: called before normal tickets.
    issue(station, clock, 1)
    other = at_window(station, 5)
    clock.advance(minutes=1)
    assert calling.call_specific(other, "A004", "asked at the desk").number == "A004"
    moved = calling.transfer(other, to_queue="C")
    assert (moved.number, moved.queue, moved.letter) == ("A004", "C", "A")
    assert serve_all(station) == ["B002", "A004", "A002", "A001", "B001"]
    assert [t.number for t in list_tickets(station)] == ["A003"]  # still waits for its slot


def test_anti_starvation_serves_a_normal_ticket_after_n_priority_calls(station: Station, clock: FixedClock) -> None:
    with_queue(station, priority_streak=2)
    issue(station, clock, 0, "A")  # A001 normal
    for _ in range(5):
        issue(station, clock, 1, "B", "green")
    assert serve_all(station) == ["B001", "B002", "A001", "B003", "B004", "B005"]


def test_late_appointment_waits_as_normal_by_slot_time(station: Station, clock: FixedClock) -> None:
    with_queue(station, appointment_grace_minutes=15, priority_streak=0)
    slot = clock.now() - timedelta(minutes=40)  # 40 min late
    issue(station, clock, 0, "A")  # A001 issued 09:30
    issue(station, clock, 1, "A", "appointment", slot=slot)  # A002: slot 08:50 sorts before A001
    issue(station, clock, 1, "A", "appointment", slot=clock.now())  # A003: on time, priority
    assert serve_all(station) == ["A003", "A002", "A001"]


def test_recall_start_finish_record_times_and_events(station: Station, clock: FixedClock) -> None:
    ticket = issue(station, clock, 0)
    clock.advance(minutes=12)
    calling.call_next(station)
    clock.advance(minutes=1)
    assert calling.recall(station).call_count == 2
    clock.advance(minutes=1)
    calling.start_service(station)
    clock.advance(minutes=7)
    done = calling.finish(station)
    assert done.status == "done"
    span = timings(done)
    assert (span.waited, span.walk, span.service) == (timedelta(minutes=12), timedelta(minutes=1), timedelta(minutes=7))
    trail = events(station, ticket.id)
    assert [e.kind for e in trail] == ["issued", "called", "recalled", "started", "finished"]
    assert all(e.window_no == 3 and e.clerk_no == "A0123" for e in trail[1:])
    assert [e.at for e in trail] == sorted(e.at for e in trail)


def test_finish_without_start_starts_implicitly(station: Station, clock: FixedClock) -> None:
    ticket = issue(station, clock, 0)
    calling.call_next(station)
    calling.finish(station)
    assert [e.kind for e in events(station, ticket.id)][-2:] == ["started", "finished"]


def test_one_ticket_at_a_time_and_clear_errors(station: Station, clock: FixedClock) -> None:
    with pytest.raises(ClerkError, match="没有可叫的号"):
        calling.call_next(station)
    with pytest.raises(ClerkError) as err:
        calling.recall(station)
    assert err.value.key == "queue.no_current"
    issue(station, clock, 0)
    issue(station, clock, 0)
    calling.call_next(station)
    with pytest.raises(ClerkError) as err:
        calling.call_next(station)
    assert err.value.key == "queue.busy" and err.value.params == {"number": "A001"}
    calling.start_service(station)
    with pytest.raises(ClerkError) as err:
        calling.no_show(station)
    assert err.value.key == "queue.cannot_when_serving"


def test_no_show_and_reinstate_at_the_end(station: Station, clock: FixedClock) -> None:
    for _ in range(3):
        issue(station, clock, 1)
    calling.call_next(station)
    assert calling.no_show(station).status == "no_show"
    with pytest.raises(ClerkError):
        calling.reinstate(station, "A002")  # never a no-show
    clock.advance(minutes=5)
    back = calling.reinstate(station, "a001")
    assert back.status == "waiting" and back.sort_at == clock.now()
    assert serve_all(station) == ["A002", "A003", "A001"]
    assert [e.kind for e in events(station, back.id)] == [
        "issued",
        "called",
        "no_show",
        "reinstated",
        "called",
        "started",
        "finished",
    ]


def test_reinstate_after_k_tickets(station: Station, clock: FixedClock) -> None:
    with_queue(station, reinstate="after", reinstate_after=2)
    for _ in range(5):
        issue(station, clock, 1)
    calling.call_next(station)
    calling.no_show(station)
    calling.reinstate(station, "A001")
    assert serve_all(station) == ["A002", "A003", "A001", "A004", "A005"]


def test_transfer_to_a_window_only_that_window_calls_it(station: Station, clock: FixedClock) -> None:
    issue(station, clock, 0)
    issue(station, clock, 1)
    calling.call_next(station)
    with pytest.raises(ClerkError):
        calling.transfer(station)  # nowhere
    moved = calling.transfer(station, to_window=7, note="needs the archive")
    with station.read() as s:
        original = s.execute(select(Ticket).where(Ticket.id == moved.transferred_from_id)).scalar_one()
    assert original.status == "transferred" and original.number == moved.number == "A001"
    assert (moved.target_window, moved.note) == (7, "needs the archive")
    assert calling.call_next(station).number == "A002"  # window 3 may not take it back
    seven = at_window(station, 7)
    assert calling.call_next(seven).number == "A001"
    kinds = [e.kind for e in events(station, original.id)] + [e.kind for e in events(station, moved.id)]
    assert kinds == ["issued", "called", "transferred", "transferred_in", "called"]


def test_pause_blocks_calls_and_is_logged_with_reason(station: Station, clock: FixedClock) -> None:
    issue(station, clock, 0)
    with pytest.raises(ClerkError):
        window.pause(station, "  ")
    window.pause(station, "会议")
    with pytest.raises(ClerkError) as err:
        calling.call_next(station)
    assert err.value.key == "queue.paused_cannot_call"
    assert load_queue_view(station).state == "paused"
    assert load_board(station, 3).paused_windows == {3: "会议"}
    clock.advance(minutes=20)
    window.resume(station)
    with pytest.raises(ClerkError):
        window.resume(station)
    assert calling.call_next(station).number == "A001"
    with station.read() as s:
        rows = s.execute(select(WindowEvent.kind, WindowEvent.reason, WindowEvent.window_no)).all()
    assert rows == [("pause", "会议", 3), ("resume", "", 3)]


def test_call_specific_needs_a_reason_that_is_kept(station: Station, clock: FixedClock) -> None:
    issue(station, clock, 0)
    target = issue(station, clock, 1)
    with pytest.raises(ClerkError):
        calling.call_specific(station, "A002", "")
    calling.call_specific(station, "A002", "接续办理")
    assert [e.detail for e in events(station, target.id) if e.kind == "called"] == ["normal|接续办理"]


def test_new_day_closes_leftovers_once(station: Station, clock: FixedClock) -> None:
    issue(station, clock, 0)
    issue(station, clock, 0)
    calling.call_next(station)
    clock.advance(days=1)
    assert window.close_leftovers(station) == 2
    assert window.close_leftovers(station) == 0
    with station.read() as s:
        assert set(s.execute(select(Ticket.status)).scalars()) == {"closed"}
    assert load_queue_view(station).current is None


def test_views_count_and_order_for_the_screen(station: Station, clock: FixedClock) -> None:
    issue(station, clock, 0)
    green = issue(station, clock, 1, "B", "green")
    view = load_queue_view(station)
    assert [t.number for t in view.waiting] == ["B001", "A001"] and view.next_id == green.id
    assert view.state == "idle" and waiting_ahead(station, green) == 0
    marker = board_marker(station)
    calling.call_next(station)
    assert board_marker(station) != marker
    board = load_board(station, 5)
    assert [(c.number, c.window_no) for c in board.calls] == [("B001", 3)]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({"queue": {"reinstate": "front"}}, "queue.reinstate"),
        ({"queue": {"priority_streak": -1}}, "queue.priority_streak"),
        ({"board": {"template": "请{num}号"}}, "{num}"),
        ({"board": {"announce_command": "say 'unclosed"}}, "board.announce_command"),
        ({"kiosk": {"queues": ["Q"]}}, "kiosk.queues"),
        ({"window": {"queues": ["A", "X"]}}, "window.queues"),
    ],
)
def test_bad_queue_config_is_named(section: dict, expected: str) -> None:
    with pytest.raises(ClerkError) as err:
        parse_settings(section)
    assert expected in err.value.message()
