"""The kiosk issues one ticket per press however the key is hammered; the board drops a
no-showed ticket; a reinstated no-show goes where `[queue] reinstate` in the config file says."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from clerk_tui.app import make_app
from clerk_tui.clock import FixedClock
from clerk_tui.config import load_settings
from clerk_tui.models import Ticket
from clerk_tui.screens.kiosk import make_kiosk_app
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.queue.views import load_board
from clerk_tui.services.station.setup import open_station
from tests.burst import burst
from tests.conftest import settle


def _ticket_count(station: Station) -> int:
    with station.read() as session:
        return session.execute(select(func.count()).select_from(Ticket)).scalar_one()


async def test_the_kiosk_issues_one_ticket_per_press(station: Station, clock: FixedClock) -> None:
    """The clock stands still: a held key's autorepeat, a double press, a drummed 1-2-1 are
    all one press; half a second later the next press is a new one."""
    app = make_kiosk_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *"1" * 12)  # a held key
        assert _ticket_count(station) == 1
        await pilot.press("1")
        await pilot.press("2")
        await settle(pilot)
        assert _ticket_count(station) == 1  # a double press, another key: still the same press
        clock.advance(seconds=0.4)
        await pilot.press("1")  # 0.4 s after the last key: part of the burst
        await settle(pilot)
        assert _ticket_count(station) == 1
        clock.advance(seconds=0.6)
        await pilot.press("2")
        await settle(pilot)
        assert _ticket_count(station) == 2
        clock.advance(seconds=1)
        await burst(pilot, "1", "1")
        assert _ticket_count(station) == 3
    with station.read() as session:
        assert sorted(session.execute(select(Ticket.number)).scalars()) == ["A001", "A002", "B001"]


def test_the_board_drops_a_no_showed_ticket(station: Station, clock: FixedClock) -> None:
    for queue in "AAB":
        issue_ticket(station, queue)
    calling.call_next(station)
    calling.finish(station)
    clock.advance(minutes=1)
    calling.call_next(station)
    assert [c.number for c in load_board(station, 6).calls] == ["B001", "A001"]
    calling.no_show(station)
    assert [c.number for c in load_board(station, 6).calls] == ["A001"]


def _station_from_config(tmp_path: Path, clock: FixedClock, queue_section: str) -> Station:
    config = tmp_path / "config.toml"
    config.write_text(
        '[station]\nid = "TEST-01"\nname = "测试"\n'
        f'[paths]\ndatabase = "{(tmp_path / "station.db").as_posix()}"\n'
        f"[queue]\n{queue_section}\n",
        encoding="utf-8",
    )
    return open_station(load_settings(config), clock)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('reinstate = "end"', ["A002", "A003", "A004", "A001"]),
        ('reinstate = "after"\nreinstate_after = 1', ["A002", "A001", "A003", "A004"]),
        ('reinstate = "after"\nreinstate_after = 0', ["A001", "A002", "A003", "A004"]),
    ],
)
async def test_reinstate_from_the_queue_screen_follows_the_config_file(
    tmp_path: Path, clock: FixedClock, section: str, expected: list[str]
) -> None:
    station = _station_from_config(tmp_path, clock, section)
    try:
        for _ in range(4):
            issue_ticket(station, "A")
            clock.advance(seconds=30)
        app = make_app(station.settings, station=station)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press("f6", "y")  # A001 did not come
            await settle(pilot)
            clock.advance(minutes=2)
            await pilot.press("f10")  # …and now it has: reinstate it
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            order = []
            for _ in range(4):
                await pilot.press("f2")
                await settle(pilot)
                order.append(app.screen.view.current.number)
                await pilot.press("f5")
                await settle(pilot)
        assert order == expected
    finally:
        station.close()


async def test_a_view_load_overtaken_by_a_newer_one_never_shows_its_older_picture(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load cancelled by a newer one (the 2 s refresh racing an action's refresh on a slow
    PC) used to deliver its picture after the newer one: the screen went back to the queue
    as it was before the no-show, F10 then offered no ticket to reinstate and its picker
    swallowed Enter. A cancelled load's result is dropped."""
    import threading

    from clerk_tui.screens import main as main_screen

    issue_ticket(station, "A")
    real = main_screen.load_with_day_start
    gate, entered = threading.Event(), threading.Event()
    slow_first = {"pending": False}

    def load(st: Station, started: bool):  # type: ignore[no-untyped-def]
        view = real(st, started)  # read now: the picture as it is before the call below
        if slow_first["pending"]:
            slow_first["pending"] = False
            entered.set()
            gate.wait(10)  # ...and delivered only after the newer load has been shown
        return view

    monkeypatch.setattr(main_screen, "load_with_day_start", load)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        slow_first["pending"] = True
        screen.refresh_view()  # the old picture: nobody called yet
        await pilot.pause()
        assert entered.wait(10)
        calling.call_next(station)  # another program (or this window's worker) calls A001
        screen.refresh_view()  # the newer load cancels the older one
        await settle(pilot)
        assert screen.view.current is not None and screen.view.current.number == "A001"
        gate.set()  # the older load finishes late
        for _ in range(20):
            await pilot.pause(0.02)
        await settle(pilot)
        assert screen.view.current is not None and screen.view.current.number == "A001"
