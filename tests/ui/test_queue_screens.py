"""The queue screen, the calling board and the kiosk: Pilot flows and 80x24 pictures."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from clerk_tui.app import make_app
from clerk_tui.clock import FixedClock
from clerk_tui.models import Ticket, WindowEvent
from clerk_tui.screens.board import make_board_app
from clerk_tui.screens.kiosk import make_kiosk_app
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling, window
from clerk_tui.services.queue.tickets import issue_ticket
from tests.conftest import settle


def tickets(station: Station) -> dict[str, list[tuple[str, str]]]:
    """number -> sorted [(queue, status)] of its rows (a transfer adds a row)."""
    rows: dict[str, list[tuple[str, str]]] = {}
    with station.read() as s:
        for t in s.execute(select(Ticket).order_by(Ticket.change_seq)).scalars():
            rows.setdefault(t.number, []).append((t.queue, t.status))
    return {number: sorted(states) for number, states in rows.items()}


def busy_morning(station: Station, clock: FixedClock) -> None:
    for queue, priority, minutes in [
        ("A", "normal", 40),
        ("B", "normal", 33),
        ("A", "green", 25),
        ("C", "normal", 20),
        ("A", "normal", 12),
        ("B", "normal", 6),
        ("A", "normal", 2),
    ]:
        issue_ticket(
            Station(station.engine, station.settings, FixedClock(clock.now().replace(minute=30 - minutes // 2))),
            queue,
            priority,
        )
    clock.advance(minutes=1)
    calling.call_next(station)
    calling.start_service(station)
    clock.advance(minutes=4, seconds=12)


async def test_clerk_flow_issue_call_recall_no_show_reinstate_transfer_finish(
    station: Station, clock: FixedClock
) -> None:
    issue_ticket(station, "A")
    clock.advance(minutes=1)
    issue_ticket(station, "B")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.advance(minutes=1)
        await pilot.press("f9")  # walk-in: the first queue, normal
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tickets(station)["A002"] == [("A", "waiting")]

        await pilot.press("f2")
        await settle(pilot)
        assert tickets(station)["A001"] == [("A", "called")]
        await pilot.press("f3")
        await settle(pilot)
        with station.read() as s:
            assert s.execute(select(Ticket.call_count).where(Ticket.number == "A001")).scalar() == 2
        await pilot.press("f6", "f6")  # F6 asks, F6 again confirms
        await settle(pilot)
        assert tickets(station)["A001"] == [("A", "no_show")]

        clock.advance(minutes=1)
        await pilot.press("f10")  # reinstate: pick the no-show
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tickets(station)["A001"] == [("A", "waiting")]

        await pilot.press("f2")  # B001 came before the reinstated A001
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.serving_ticket_id is not None
        await pilot.press("f7")  # transfer to queue A (the first other queue)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert tickets(station)["B001"] == [("A", "waiting"), ("B", "transferred")]
        assert app.serving_ticket_id is None

        await pilot.press("f2")  # the transferred ticket jumps ahead of A001 and A002
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert tickets(station)["B001"] == [("A", "done"), ("B", "transferred")]

        await pilot.press("f8")  # pause with the first reason offered
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert any("暂停" in n.message for n in app._notifications)
        await pilot.press("f8")
        await settle(pilot)
        with station.read() as s:
            assert s.execute(select(WindowEvent.kind, WindowEvent.reason)).all() == [("pause", "休息"), ("resume", "")]
        assert tickets(station)["A001"] == [("A", "waiting")]


def test_queue_screen_empty(snap_compare, station: Station) -> None:
    """No tickets: idle window, zero counts, the F-key keypad at the bottom."""
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_queue_screen_busy(snap_compare, station: Station, clock: FixedClock) -> None:
    """A green-channel ticket being served (big number, badge, timers), six waiting in call order."""
    busy_morning(station, clock)
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_queue_screen_paused(snap_compare, station: Station, clock: FixedClock) -> None:
    """Paused with its reason; calling keys dimmed."""
    issue_ticket(station, "A")
    window.pause(station, "会议")
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_board(snap_compare, station: Station, clock: FixedClock) -> None:
    """Latest call in big letters with its sentence, earlier calls, waiting per queue, a paused window."""
    busy_morning(station, clock)
    calling.finish(station)
    calling.call_next(station)
    other = Station(station.engine, replace(station.settings, window_no=5), clock)
    window.pause(other, "会议")
    app = make_board_app(station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_kiosk_menu(snap_compare, station: Station) -> None:
    """Businesses with their number keys and how many wait."""
    issue_ticket(station, "B")
    assert snap_compare(make_kiosk_app(station), terminal_size=(80, 24), run_before=settle)


def test_kiosk_ticket(snap_compare, station: Station) -> None:
    """After pressing 2: the new number large, its business, how many are ahead."""
    issue_ticket(station, "B")

    async def press_two(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(make_kiosk_app(station), terminal_size=(80, 24), run_before=press_two)


async def test_kiosk_issues_and_prints_the_slip(station: Station, tmp_path: Path) -> None:
    slip = tmp_path / "slip.txt"
    script = f"import sys; open({str(slip)!r}, 'w', encoding='utf-8').write(sys.argv[1] + '|' + sys.stdin.read())"
    command = f'{sys.executable} -c "{script}" {{number}}'
    station.settings = replace(station.settings, extra={"kiosk": {"print_command": command}})
    app = make_kiosk_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await settle(pilot)
    assert tickets(station) == {"A001": [("A", "waiting")]}
    text = slip.read_text(encoding="utf-8")
    assert text.startswith("A001|") and "综合受理" in text and station.settings.station_name in text


async def test_board_shows_a_new_call_within_a_second_and_announces_it(station: Station, tmp_path: Path) -> None:
    spoken = tmp_path / "spoken.txt"
    script = f"import sys; open({str(spoken)!r}, 'a', encoding='utf-8').write(sys.argv[1] + chr(10))"
    station.settings = replace(
        station.settings,
        extra={"board": {"announce_command": f'{sys.executable} -c "{script}" {{text}}', "poll_seconds": 0.2}},
    )
    issue_ticket(station, "A")
    issue_ticket(station, "A")
    calling.call_next(station)
    calling.finish(station)  # called before the board started: not announced again
    app = make_board_app(station)
    async with app.run_test(size=(80, 24)):
        # Not settle(): the announcer is a worker that runs as long as the board does.
        for _ in range(20):
            await asyncio.sleep(0.05)
            if "A001" in str(app.screen.query_one("#board-text").render()):
                break
        calling.call_next(station)  # another program calls
        text = app.screen.query_one("#board-text")
        for _ in range(20):
            await asyncio.sleep(0.05)
            if "A002" in str(text.render()):
                break
        assert "请A002号到3号窗口办理" in str(text.render())
        for _ in range(40):
            if spoken.exists():
                break
            await asyncio.sleep(0.05)
    assert spoken.read_text(encoding="utf-8").splitlines() == ["请A002号到3号窗口办理"]


# --- the common case in fewer keys (issue 12) ----------------------------------------------


def events(station: Station, number: str) -> list[tuple[str, str]]:
    from clerk_tui.models import TicketEvent

    with station.read() as s:
        rows = s.execute(
            select(TicketEvent.kind, TicketEvent.detail)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.number == number)
            .order_by(TicketEvent.at, TicketEvent.change_seq)
        ).all()
    return [tuple(r) for r in rows]


async def test_ctrl_f5_finishes_the_ticket_served_and_calls_the_next(station: Station, clock: FixedClock) -> None:
    issue_ticket(station, "A")
    clock.advance(minutes=1)
    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+f5")  # only called, not started: refused, nothing changes
        await settle(pilot)
        assert tickets(station) == {"A001": [("A", "called")], "A002": [("A", "waiting")]}
        await pilot.press("f4")
        await settle(pilot)
        clock.advance(minutes=3)
        await pilot.press("ctrl+f5")
        await settle(pilot)
        assert tickets(station) == {"A001": [("A", "done")], "A002": [("A", "called")]}
    assert [k for k, _ in events(station, "A001")] == ["issued", "called", "started", "finished"]


def test_finish_and_call_next_is_one_transaction_and_refuses_when_paused(station: Station) -> None:
    from clerk_tui.errors import ClerkError
    from clerk_tui.services.check import walk_in

    issue_ticket(station, "A")
    calling.call_next(station)
    calling.start_service(station)
    window.pause(station, "休息")
    try:
        walk_in.finish_and_call_next(station)
    except ClerkError as exc:
        assert exc.key == "queue.paused_cannot_call"
    else:
        raise AssertionError("a paused window called a ticket")
    assert tickets(station) == {"A001": [("A", "serving")]}  # the finish was not kept either
    window.resume(station)
    result = walk_in.finish_and_call_next(station)  # nobody waits: finished all the same
    assert (result.finished, result.called) == ("A001", None)
    assert tickets(station) == {"A001": [("A", "done")]}


async def test_ctrl_f9_serves_a_walk_in_at_once_without_calling(station: Station, clock: FixedClock) -> None:
    issue_ticket(station, "A")  # somebody waits: the walk-in is not put behind them
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f9")
        await settle(pilot)
        await pilot.press("enter")  # the first queue, normal
        await settle(pilot)
    assert tickets(station) == {"A001": [("A", "waiting")], "A002": [("A", "serving")]}
    assert events(station, "A002") == [("issued", "window"), ("started", "walk_in")]


async def test_ctrl_f4_records_a_consultation_on_the_current_ticket(station: Station, clock: FixedClock) -> None:
    """The window's last matter is offered first (Enter takes it); then the rating ends the visit."""
    from clerk_tui.models import Case
    from clerk_tui.services.cases.record import save_case
    from tests.case_factory import ON_THE_SPOT_MATTER, draft

    save_case(station, draft(station))  # this window's last case: 个体工商户设立登记
    clock.advance(minutes=5)
    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueMatterChoice"
        assert app.screen.matters[0].name == ON_THE_SPOT_MATTER
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RatingPrompt"
        await pilot.press("4")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with station.read() as s:
        consult = s.execute(select(Case).where(Case.outcome == "consultation")).scalar_one()
        ticket = s.execute(select(Ticket).where(Ticket.number == "A001")).scalar_one()
    assert (consult.ticket_id, consult.matter_name, consult.status) == (ticket.id, ON_THE_SPOT_MATTER, "closed")
    assert ticket.status == "done"
    assert [k for k, _ in events(station, "A001")] == ["issued", "called", "started", "finished"]


async def test_ctrl_f4_with_the_ticket_s_checked_matter_needs_no_choice(station: Station) -> None:
    from clerk_tui.models import Case
    from tests.case_factory import PROMISED_MATTER, document_check

    ticket = issue_ticket(station, "A")
    calling.call_next(station)
    document_check(station, PROMISED_MATTER, verdict="correction", ticket_id=ticket.id)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "RatingPrompt"  # one key: the matter was known
        await pilot.press("0")
        await settle(pilot)
    with station.read() as s:
        assert s.execute(select(Case.matter_name).where(Case.outcome == "consultation")).scalar_one() == PROMISED_MATTER


async def test_shifted_fallbacks_arrive_under_the_names_terminals_send(station: Station) -> None:
    """Terminals that keep F10/F12 for themselves: Shift+F6 reinstates, Shift+F2 calls a
    specific ticket. xterm-style terminals report those keys as F18 and F14, which the
    bindings must accept as well as the shifted names Windows consoles send."""
    from clerk_tui.screens.queue_dialogs import TicketPicker

    issue_ticket(station, "A")
    calling.call_next(station)
    calling.no_show(station)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("f18", "shift+f6", "f14", "shift+f2"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, TicketPicker), key
            await pilot.press("escape")
            await settle(pilot)
