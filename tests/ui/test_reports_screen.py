"""The Reports screen: keys choose the period, the figures match the service, charts show."""

from __future__ import annotations

from datetime import date

import pytest

from clerk_tui.app import make_app
from clerk_tui.services.context import Station
from clerk_tui.services.reports.period import day, month, year
from clerk_tui.widgets.bar_chart import BarChart
from tests.conftest import settle
from tests.report_fixture import add_cases, add_tickets


@pytest.fixture
def hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    return station


def test_reports_daily_summary_80x24(snap_compare, hall: Station) -> None:
    """R from the main screen: today's figures (6 tickets issued, 即办件占比 50.00%), tabs 1–5, keys below."""
    app = make_app(hall.settings, station=hall)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_reports_chart_of_a_month_80x24(snap_compare, hall: Station) -> None:
    """M then 4: cases per day in November 2026 (4 on the 10th, 10 on the 24th) above arrivals per hour."""
    app = make_app(hall.settings, station=hall)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in ("r", "m", "4"):
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_keys_step_through_periods_and_kinds(hall: Station) -> None:
    app = make_app(hall.settings, station=hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert screen.report.period == day(date(2026, 11, 24))
        assert screen.report.cases.total == 10
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.report.period == day(date(2026, 11, 23)) and screen.report.cases.total == 0
        await pilot.press("m")
        await settle(pilot)
        assert screen.report.period == month(2026, 11) and screen.report.cases.total == 14
        await pilot.press("y", "right_square_bracket")
        await settle(pilot)
        assert screen.report.period == year(2027) and screen.report.cases.total == 0
        await pilot.press("t")
        await settle(pilot)
        assert screen.report.period == year(2026) and screen.report.licensing.total == 6
        chart = screen.query_one("#chart-main", BarChart)
        assert chart.values[10] == 14  # November
        await pilot.press("c")
        await settle(pilot)
        assert screen.report.kind == "catalog" and screen.report.catalog.total.matters == 13
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen


async def test_a_daily_catalog_page_says_once_that_it_has_no_period(hall: Station) -> None:
    """The catalog page holds two tables (per 办件类型, per department); a day has neither,
    and the page said so twice, once per table."""
    from textual.widgets import Static

    from clerk_tui.i18n import t

    app = make_app(hall.settings, station=hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("r", "5"):
            await pilot.press(key)
            await settle(pilot)

        def page_titles() -> list[str]:
            ids = ("#title-project_types", "#title-departments")
            return [str(w.render()) for w in (app.screen.query_one(i, Static) for i in ids) if w.display]

        assert page_titles() == [t("reports.catalog_only")]
        await pilot.press("c")  # the catalog report: both tables, each with its title
        await settle(pilot)
        assert page_titles() == [t("report.t.project_types"), t("report.t.departments")]


def test_reports_groups_of_a_month_80x24(snap_compare, hall: Station) -> None:
    """M then 6: November 2026 by department, window (2 windows served) and clerk."""
    app = make_app(hall.settings, station=hall)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in ("r", "m", "6"):
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_reports_comparison_of_a_month_80x24(snap_compare, hall: Station) -> None:
    """M then 7: November 2026 against October (环比) and November 2025 (同比)."""
    from tests.report_fixture import add_earlier_periods

    add_earlier_periods(hall)
    app = make_app(hall.settings, station=hall)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in ("r", "m", "7"):
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_daily_comparison_page_says_why_it_is_empty(hall: Station) -> None:
    from textual.widgets import Static

    from clerk_tui.i18n import t

    app = make_app(hall.settings, station=hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("r", "7"):
            await pilot.press(key)
            await settle(pilot)
        ids = ("#title-compare_year", "#title-compare_previous")
        shown = [str(w.render()) for w in (app.screen.query_one(i, Static) for i in ids) if w.display]
        assert shown == [t("reports.compare_none")]
        await pilot.press("y")  # a year: 同比 naming both years, and 环比 for months only
        await settle(pilot)
        shown = [str(w.render()) for w in (app.screen.query_one(i, Static) for i in ids) if w.display]
        assert shown == [t("report.t.compare_year", now="2026", before="2025"), t("reports.monthly_only")]


async def test_the_cases_page_shows_the_open_government_table_in_the_annual_report_only(hall: Station) -> None:
    from textual.widgets import DataTable, Static

    from clerk_tui.i18n import t

    app = make_app(hall.settings, station=hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        title = app.screen.query_one("#title-open_government", Static)
        assert title.display and str(title.render()) == t("reports.annual_only")  # a day has no such table
        assert str(app.screen.query_one("#title-matters", Static).render()) == t("report.t.matters")
        await pilot.press("y")
        await settle(pilot)
        assert str(title.render()) == t("report.t.open_government")
        table = app.screen.query_one("#table-open_government", DataTable)
        assert table.row_count == 3
        assert [str(c) for c in table.get_row_at(0)] == ["第二十条第（五）项", "行政许可", "6"]
