"""Unsaved work is not thrown away without a word: a half-filled case form keeps a draft
that comes back when the same form opens again; leaving a half-done check, quitting while
a ticket is served or with work unsaved, and a no-show each ask first (one key)."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Input, Select

from clerk_tui.app import make_app
from clerk_tui.clock import FixedClock
from clerk_tui.models import Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.ids import USCC
from clerk_tui.services.queue import calling
from clerk_tui.services.queue.tickets import issue_ticket
from tests.case_factory import PROMISED_MATTER, VALID_RID, VALID_USCC, matter
from tests.conftest import settle


def _confirm_dialog_open(app) -> bool:  # type: ignore[no-untyped-def]
    return type(app.screen).__name__ == "ConfirmDialog"  # (by name: the tests run on code without it too)


async def _open_form(pilot, station: Station, name: str | None = None, ticket_id: str | None = None):  # type: ignore[no-untyped-def]
    from clerk_tui.screens.case_form import CaseFormScreen

    kwargs = {"matter_id": matter(station, name).id} if name else {"matter_id": matter(station).id}
    pilot.app.push_screen(CaseFormScreen(ticket_id=ticket_id, **kwargs))
    await settle(pilot)
    return pilot.app.screen


def _values(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f: form.query_one(f"#{f}", Input).value for f in ("f-name", "f-idnumber", "f-phone")}


async def test_esc_on_a_half_filled_case_form_keeps_a_draft_that_comes_back(station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await _open_form(pilot, station)
        await pilot.press(*"王小明", "enter", *VALID_RID, "enter", *"13812345678")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CaseFormScreen)  # Esc still goes back at once
        assert any("草稿" in n.message for n in app._notifications)
        again = await _open_form(pilot, station)
        assert again is not form
        assert _values(again) == {"f-name": "王小明", "f-idnumber": VALID_RID, "f-phone": "13812345678"}
        # Saved, the draft is done with: the next form for the same matter opens empty.
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("0")  # the rating prompt: no rating
        await settle(pilot)
        assert len(app.screen_stack) == 2  # back at the queue
        third = await _open_form(pilot, station)
        assert _values(third) == {"f-name": "", "f-idnumber": "", "f-phone": ""}


async def test_an_organisations_draft_comes_back_with_its_id_type(station: Station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await _open_form(pilot, station)
        form.query_one("#f-kind", Select).value = "organisation"
        await settle(pilot)
        form.query_one("#f-idtype", Select).value = USCC
        form.query_one("#f-name", Input).value = "某某有限公司"
        form.query_one("#f-idnumber", Input).value = VALID_USCC
        await pilot.press("escape")
        await settle(pilot)
        again = await _open_form(pilot, station)
        assert again.query_one("#f-kind", Select).value == "organisation"
        assert again.query_one("#f-idtype", Select).value == USCC
        assert again.query_one("#f-idnumber", Input).value == VALID_USCC


async def test_a_draft_goes_to_its_own_form_only_and_not_after_half_an_hour(
    station: Station, clock: FixedClock
) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(pilot, station)
        await pilot.press(*"王小明", "escape")
        await settle(pilot)
        other = await _open_form(pilot, station, PROMISED_MATTER)  # another matter: another form
        assert other.query_one("#f-name", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        clock.advance(minutes=31)  # the next applicant's form must not show this one's name
        late = await _open_form(pilot, station)
        assert late.query_one("#f-name", Input).value == ""


async def test_an_untouched_form_leaves_no_draft(station: Station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(pilot, station)
        await pilot.press("escape")
        await settle(pilot)
        assert getattr(app, "kept_draft", None) is None
        assert not any("草稿" in n.message for n in app._notifications)


async def _half_done_check(pilot, station: Station):  # type: ignore[no-untyped-def]
    from clerk_tui.screens.check import CheckScreen

    await settle(pilot)
    pilot.app.push_screen(CheckScreen(matter_id=matter(station).id))
    await settle(pilot)
    await pilot.press("y", "n", "p")
    await settle(pilot)
    return pilot.app.screen


async def test_esc_on_a_half_done_check_asks_and_any_other_key_stays(station: Station) -> None:
    from clerk_tui.screens.check import CheckScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        check = await _half_done_check(pilot, station)
        answers, marks = dict(check.answers), dict(check.marks)
        await pilot.press("escape")
        await settle(pilot)
        assert _confirm_dialog_open(app)
        await pilot.press("escape")  # Esc again: stay
        await settle(pilot)
        assert app.screen is check and (check.answers, check.marks) == (answers, marks)
        await pilot.press("escape", "n")  # any other key: stay
        await settle(pilot)
        assert app.screen is check and (check.answers, check.marks) == (answers, marks)
        await pilot.press("escape", "y")  # Y: leave
        await settle(pilot)
        assert not isinstance(app.screen, CheckScreen)


async def test_a_check_not_started_or_saved_leaves_without_asking(station: Station) -> None:
    from clerk_tui.screens.check import CheckScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CheckScreen(matter_id=matter(station).id))
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CheckScreen) and not _confirm_dialog_open(app)
        check = await _half_done_check(pilot, station)
        await pilot.press("a", "ctrl+s")  # the rest given, saved
        await settle(pilot)
        assert check.saved is not None
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CheckScreen) and not _confirm_dialog_open(app)


async def test_opening_another_screen_from_the_palette_asks_before_leaving_a_half_done_check(station: Station) -> None:
    from clerk_tui.screens.check import CheckScreen
    from clerk_tui.screens.reports import ReportsScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        check = await _half_done_check(pilot, station)
        app.action_open("reports")
        await settle(pilot)
        assert _confirm_dialog_open(app)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is check
        app.action_open("reports")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen) and not any(isinstance(s, CheckScreen) for s in app.screen_stack)


async def test_ctrl_q_while_serving_a_ticket_asks(station: Station) -> None:
    issue_ticket(station, "A")
    calling.call_next(station)
    calling.start_service(station)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert _confirm_dialog_open(app) and not app._exit
        assert "A001" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("enter")  # not the confirming key: stay
        await settle(pilot)
        assert not app._exit and not _confirm_dialog_open(app)
        await pilot.press("ctrl+q", "ctrl+q")  # Ctrl+Q twice quits
        await settle(pilot)
        assert app._exit


async def test_ctrl_q_with_a_kept_draft_asks_and_with_nothing_pending_quits(station: Station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(pilot, station)
        await pilot.press(*"王小明")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert _confirm_dialog_open(app) and not app._exit
        await pilot.press("n")
        await pilot.press("escape")  # leave the form: the draft is kept, still unsaved
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert _confirm_dialog_open(app) and not app._exit
        await pilot.press("y")
        await settle(pilot)
        assert app._exit
    quiet = make_app(station.settings, station=station)
    async with quiet.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert quiet._exit  # nothing to lose: no question


async def test_f6_no_show_asks_first(station: Station) -> None:
    issue_ticket(station, "A")
    calling.call_next(station)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert _confirm_dialog_open(app)
        await pilot.press("escape")
        await settle(pilot)
        with station.read() as session:
            assert session.execute(select(Ticket.status)).scalar_one() == "called"
        await pilot.press("f6", "y")
        await settle(pilot)
        with station.read() as session:
            assert session.execute(select(Ticket.status)).scalar_one() == "no_show"
