"""Reading at 80x24: nothing the clerk needs is cut off or covered (issue 12, item 10)."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable

from clerk_tui.app import make_app
from clerk_tui.i18n import set_language
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from tests.conftest import settle
from tests.report_fixture import add_cases, add_tickets

REPORT_TABLES = (
    "summary",
    "queues",
    "outcomes",
    "matters",
    "ratings",
    "departments",
    "by_department",
    "by_window",
    "by_clerk",
    "compare_previous",
    "compare_year",
)


def table_width(table: DataTable) -> int:
    return sum(column.get_render_width(table) for column in table.columns.values())


async def test_english_report_values_stay_on_an_80_column_screen(station: Station) -> None:
    """The longest English label ("Satisfaction (very satisfied + satisfied) / rated") pushed
    the summary's values past column 80; matter codes pushed the matters table off too."""
    add_tickets(station)
    add_cases(station)
    station.settings = replace(station.settings, language="en")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for kinds in (("r",), ("y",), ("c",)):  # the day, the year, the catalog indicators
            await pilot.press(*kinds)
            await settle(pilot)
            for key in REPORT_TABLES:
                table = app.screen.query_one(f"#table-{key}", DataTable)
                if table.row_count:
                    assert table_width(table) <= 80 - 4, (kinds, key)
        # Every value is whole: a narrowed label wraps, a figure is never cut.
        summary = app.screen.query_one("#table-summary", DataTable)
        values = [str(summary.get_row_at(i)[-1]) for i in range(summary.row_count)]
        value_column = list(summary.columns.values())[-1]
        assert value_column.get_render_width(summary) - 2 * summary.cell_padding >= max(map(len, values))
    set_language("zh")


async def test_toasts_stand_above_the_main_screens_keys(station: Station) -> None:
    """A toast over the keypad and key bar hid the F-keys and cut a Chinese label in half."""
    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # "已叫号 A001…" as a toast
        await settle(pilot)
        app.notify("数据库正被其他程序占用，请稍后再试。" * 2, severity="error")
        await settle(pilot)
        toasts = list(app.screen.query("Toast"))
        assert len(toasts) == 2
        keys_top = min(app.screen.query_one(selector).region.y for selector in ("#keypad", "#nav-bar", "Footer"))
        assert max(toast.region.bottom for toast in toasts) <= keys_top
