"""Every screen that has a Chinese 80x24 picture, in English at 80x24 too.

English words are wider than the Chinese ones (a report title, a column header, a key
label): these pictures are where a value running off the screen or a cut label shows.
Each test reaches its screen the way the Chinese one does (same data, same keys).
"""

from __future__ import annotations

from dataclasses import replace

from clerk_tui.app import make_app
from clerk_tui.clock import FixedClock
from clerk_tui.i18n import set_language
from clerk_tui.screens.board import make_board_app
from clerk_tui.screens.kiosk import make_kiosk_app
from clerk_tui.services.cases import record as cases
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling, window
from clerk_tui.services.queue.tickets import issue_ticket
from tests.case_factory import draft
from tests.conftest import press, settle
from tests.report_fixture import add_cases, add_tickets
from tests.ui.test_case_screens import follow_up_station, open_form, pending_station
from tests.ui.test_check_flow import open_check_for_business_licence, type_text
from tests.ui.test_queue_screens import busy_morning
from tests.ui.test_sync_screen import _open_sync, _prepare

SIZE = (80, 24)


def english(station: Station) -> Station:
    """The station with English as its language (the app, board and kiosk read it at start)."""
    station.settings = replace(station.settings, language="en")
    set_language("en")  # the conftest fixture puts Chinese back after each test
    return station


# --- shell and queue ---------------------------------------------------------------------


def test_main_screen_en_80x24(snap_compare, station) -> None:
    issue_ticket(station, "A")
    issue_ticket(station, "B", "green")
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_help_screen_en_80x24(snap_compare, station) -> None:
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("f1"))


def test_queue_screen_busy_en_80x24(snap_compare, station: Station, clock: FixedClock) -> None:
    busy_morning(station, clock)
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_queue_screen_paused_en_80x24(snap_compare, station: Station) -> None:
    issue_ticket(station, "A")
    window.pause(station, "meeting")
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_board_en_80x24(snap_compare, station: Station, clock: FixedClock) -> None:
    busy_morning(station, clock)
    calling.finish(station)
    calling.call_next(station)
    window.pause(Station(station.engine, replace(station.settings, window_no=5), clock), "meeting")
    assert snap_compare(make_board_app(english(station)), terminal_size=SIZE, run_before=settle)


def test_kiosk_menu_en_80x24(snap_compare, station: Station) -> None:
    issue_ticket(station, "B")
    assert snap_compare(make_kiosk_app(english(station)), terminal_size=SIZE, run_before=settle)


def test_kiosk_ticket_en_80x24(snap_compare, station: Station) -> None:
    issue_ticket(station, "B")
    assert snap_compare(make_kiosk_app(english(station)), terminal_size=SIZE, run_before=press("2"))


# --- catalog, check, notice --------------------------------------------------------------


def test_catalog_screen_en_80x24(snap_compare, station) -> None:
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await press("c")(pilot)
        await type_text(pilot, "gtgsh")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_check_screen_en_80x24(snap_compare, station) -> None:
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_check_for_business_licence(pilot)
        await pilot.press("y", "n", "p", "e", "x")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_notice_preview_en_80x24(snap_compare, station) -> None:
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_check_for_business_licence(pilot)
        await pilot.press("y", "n", "p", "x", "x", "x", "t")
        await settle(pilot)
        await type_text(pilot, "Zhang San")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# --- case log ----------------------------------------------------------------------------


def test_case_form_with_a_wrong_id_en_80x24(snap_compare, station: Station) -> None:
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_form(pilot, station)
        await pilot.press(*"Wang", "enter", *"110105194912310021", "tab")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_rating_prompt_en_80x24(snap_compare, station: Station) -> None:
    case = cases.save_case(station, draft(station))
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from clerk_tui.screens.rating import RatingPrompt

        await settle(pilot)
        pilot.app.push_screen(RatingPrompt(case.id, case.case_no))
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_pending_list_en_80x24(snap_compare, station: Station, clock) -> None:
    pending_station(station, clock)
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("p"))


def test_history_en_80x24(snap_compare, station: Station, clock) -> None:
    pending_station(station, clock)
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("h"))


def test_follow_ups_en_80x24(snap_compare, station: Station) -> None:
    follow_up_station(station)
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("f"))


def test_case_detail_en_80x24(snap_compare, station: Station, clock) -> None:
    from clerk_tui.services.cases import changes as case_changes
    from clerk_tui.services.cases import ratings

    ticket = issue_ticket(station, "A")
    case = cases.save_case(station, draft(station, ticket_id=ticket.id))
    clock.advance(minutes=2)
    ratings.rate_case(station, case.id, 2, ("attitude",), "waited long")
    clock.advance(minutes=3)
    case_changes.edit_case(station, case.id, draft(station, phone="13900001111", notes="phone fixed"), "corrected")
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        from clerk_tui.screens.case_detail import CaseDetailScreen

        await settle(pilot)
        pilot.app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# --- reports and sync --------------------------------------------------------------------


def report_hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    return english(station)


def test_reports_daily_summary_en_80x24(snap_compare, station: Station) -> None:
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r"))


def test_reports_queues_page_en_80x24(snap_compare, station: Station) -> None:
    """Eleven figures per queue do not fit side by side: one line per figure, one column per queue."""
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "2"))


def test_reports_catalog_page_en_80x24(snap_compare, station: Station) -> None:
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "c"))


def test_reports_cases_page_en_80x24(snap_compare, station: Station) -> None:
    """The widest English tables: outcomes, matters and ratings of the day."""
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "3"))


def test_reports_chart_of_a_month_en_80x24(snap_compare, station: Station) -> None:
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "m", "4"))


def test_reports_groups_page_en_80x24(snap_compare, station: Station) -> None:
    """A month by department, window and clerk: the window and clerk tables turn to one column per line."""
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "m", "6"))


def test_reports_comparison_page_en_80x24(snap_compare, station: Station) -> None:
    """A month against the month before and the same month a year before."""
    from tests.report_fixture import add_earlier_periods

    add_earlier_periods(station)
    app = make_app(report_hall(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=press("r", "m", "7"))


def test_sync_screen_en_80x24(snap_compare, station, tmp_path) -> None:
    _prepare(station, tmp_path)
    app = make_app(english(station).settings, station=station)
    assert snap_compare(app, terminal_size=SIZE, run_before=_open_sync)
