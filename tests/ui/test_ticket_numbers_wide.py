"""Four-digit ticket numbers on screen at 80x24 (issue 18, item 4): nothing cut.

Read from what the screen draws (the compositor's lines), not from the widgets' data:
a number cut by its column or by the screen edge only shows there.
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable

from clerk_tui.app import make_app
from clerk_tui.clock import FixedClock
from clerk_tui.i18n import set_language
from clerk_tui.screens.board import make_board_app
from clerk_tui.screens.kiosk import make_kiosk_app
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.widgets.big_text import render_big
from tests.busy_day import fill
from tests.conftest import settle


def screen_lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shows_big(lines: list[str], number: str, large: bool) -> bool:
    """The number's block letters stand whole on the screen, row under row."""
    rows = render_big(number, large).split("\n")
    for y, line in enumerate(lines[: len(lines) - len(rows) + 1]):
        x = line.find(rows[0])
        if x >= 0 and all(lines[y + i][x : x + len(row)] == row for i, row in enumerate(rows)):
            return True
    return False


def waiting_rows(lines: list[str]) -> list[tuple[str, str]]:
    """(number, queue name) of each row of the waiting list, below its header."""
    header = next(i for i, line in enumerate(lines) if "号码" in line or "No." in line)
    return [
        pair for line in lines[header + 1 :] for pair in re.findall(r"(?<![A-Za-z0-9])([A-Z]\d{3,}\S*) +(\S+)", line)
    ]


async def test_main_screen_shows_a1000_whole_at_80x24(station: Station) -> None:
    fill(station, "A", 999, status="done")
    fill(station, "A", 3)  # A1000 A1001 A1002
    calling.call_next(station)  # A1000 is the window's ticket
    fill(station, "B", 1)  # the same instant: B001 goes first by its serial
    for language in ("zh", "en"):
        station.settings = replace(station.settings, language=language)
        app = make_app(station.settings, station=station)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                lines = screen_lines(app)
                assert shows_big(lines, "A1000", large=False), "\n".join(lines)
                rows = waiting_rows(lines)
                # Each number whole, then its queue name (a long one ending in "…").
                assert [number for number, _ in rows] == ["B001", "A1001", "A1002"], rows
                names = {"zh": ("社保医保", "综合受理", "综合受理"), "en": ("Social", "General", "General")}[language]
                assert all(name.startswith(want[:6]) for (_, name), want in zip(rows, names, strict=True)), rows
                assert max(len(line) for line in lines) <= 80
        finally:
            set_language("zh")


async def test_main_screen_keeps_its_columns_on_a_three_digit_day(station: Station) -> None:
    """The widening is only for days past 999: an ordinary day's list stays as it was."""
    fill(station, "A", 2)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#waiting-list", DataTable)
        assert [c.width for c in table.columns.values()] == [1, 4, 10, 9, 4]


async def test_board_shows_a1000_whole_at_80x24(station: Station) -> None:
    fill(station, "A", 998, status="done")
    fill(station, "A", 2)  # A999 A1000
    calling.call_next(station)
    calling.finish(station)
    calling.call_next(station)
    app = make_board_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert shows_big(lines, "A1000", large=True), text
        assert "请A1000号到3号窗口办理" in text
        assert "A999  →  3号窗口" in text


async def test_kiosk_shows_and_prints_a1000_whole_at_80x24(station: Station, tmp_path: Path) -> None:
    slip = tmp_path / "slip.txt"
    script = f"import sys; open({str(slip)!r}, 'w', encoding='utf-8').write(sys.stdin.read())"
    station.settings = replace(station.settings, extra={"kiosk": {"print_command": f'{sys.executable} -c "{script}"'}})
    fill(station, "A", 999, status="done")
    app = make_kiosk_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        lines = screen_lines(app)
        assert shows_big(lines, "A1000", large=True), "\n".join(lines)
        for _ in range(100):
            if slip.exists() and slip.read_text(encoding="utf-8"):
                break
            await asyncio.sleep(0.05)
    assert slip.read_text(encoding="utf-8").splitlines()[1:3] == ["A1000", "综合受理"]


async def test_the_wide_number_column_stays_for_the_day_and_not_the_next(station: Station, clock: FixedClock) -> None:
    """Widened once past A999, not narrowed while B001 alone waits (columns that move each
    time a four-digit number comes and goes would shift under the clerk's eyes); the next
    day starts at A001 and the columns as they were."""
    fill(station, "A", 999, status="done")
    fill(station, "A", 1)  # A1000
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#waiting-list", DataTable)
        assert [c.width for c in table.columns.values()] == [1, 5, 9, 9, 4]
        calling.call_next(station)
        calling.finish(station)
        issue_ticket(station, "B")
        app.screen.refresh_view()
        await settle(pilot)
        table = app.screen.query_one("#waiting-list", DataTable)
        assert [c.width for c in table.columns.values()] == [1, 5, 9, 9, 4]
        assert [str(table.get_row_at(0)[1])] == ["B001"]
        clock.advance(days=1)
        issue_ticket(station, "A")
        app.screen.refresh_view()
        await settle(pilot)
        table = app.screen.query_one("#waiting-list", DataTable)
        assert [c.width for c in table.columns.values()] == [1, 4, 10, 9, 4]
        assert [str(table.get_row_at(0)[1])] == ["A001"]
