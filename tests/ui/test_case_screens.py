"""Case log screens: the case form (validation at the field), rating prompt, pending list,
case detail with its trail, history search by ID without showing it, follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from clerk_tui.app import make_app
from clerk_tui.models import AuditEntry, Case, Rating
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import ratings
from clerk_tui.services.cases import record as cases
from clerk_tui.services.context import Station
from tests.case_factory import PROMISED_MATTER, VALID_RID, draft, matter, rongque_check
from tests.conftest import press, settle


async def open_form(pilot, station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    await settle(pilot)
    pilot.app.push_screen(CaseFormScreen(matter_id=matter(station).id))
    await settle(pilot)


# --- snapshots (80x24, fixed clock) ---------------------------------------------------


def test_case_form_with_a_wrong_id_80x24(snap_compare, station: Station) -> None:
    """Matter pre-filled; name typed; a resident ID with a wrong check character is marked
    under the field with what is wrong, and the number stays as typed."""
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:
        await open_form(pilot, station)
        await pilot.press(*"王小明", "enter", *"110105194912310021", "tab")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_rating_prompt_80x24(snap_compare, station: Station) -> None:
    """One key 5…1 or 0; points E/S/A toggled (here: attitude); C for a comment."""
    case = cases.save_case(station, draft(station))
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:
        from clerk_tui.screens.rating import RatingPrompt

        await settle(pilot)
        pilot.app.push_screen(RatingPrompt(case.id, case.case_no))
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def pending_station(station: Station, clock) -> None:
    for day, name in (
        (datetime(2026, 11, 10, 10), "李雷"),
        (datetime(2026, 11, 17, 10), "韩梅梅"),
        (datetime(2026, 11, 20, 10), "赵六"),
        (datetime(2026, 11, 24, 9), "钱七"),
    ):
        clock.at = day
        cases.save_case(station, draft(station, "promised", PROMISED_MATTER, applicant_name=name))
    clock.at = datetime(2026, 11, 24, 9, 5)
    cases.save_case(
        station,
        draft(
            station,
            "rongque",
            PROMISED_MATTER,
            applicant_name="孙八",
            check_id=rongque_check(station),
            supply_deadline=date(2026, 11, 27),
        ),
    )
    clock.at = datetime(2026, 11, 24, 9, 30)


def test_pending_list_80x24(snap_compare, station: Station, clock) -> None:
    """Overdue (red), due today, due soon and later, with the 容缺 supply date; counts below."""
    pending_station(station, clock)
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=press("p"))


def test_history_80x24(snap_compare, station: Station, clock) -> None:
    """The day's and earlier cases, newest first, ID numbers masked; the date fields say
    what they take (they are empty: no period is applied)."""
    pending_station(station, clock)
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=press("h"))


def follow_up_station(station: Station) -> None:
    """Two bad ratings waiting for their follow-up calls."""
    for name, score in (("周九", 1), ("吴十", 2)):
        case = cases.save_case(station, draft(station, applicant_name=name))
        ratings.rate_case(station, case.id, score)


def test_follow_ups_80x24(snap_compare, station: Station) -> None:
    follow_up_station(station)
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=press("f"))


def test_case_detail_80x24(snap_compare, station: Station, clock) -> None:
    """Facts with the ID masked, the rating and follow-up, and the trail: recorded, rated,
    follow-up opened, an edit old → new (phone masked)."""
    from clerk_tui.services.queue.tickets import issue_ticket

    ticket = issue_ticket(station, "A")
    case = cases.save_case(station, draft(station, ticket_id=ticket.id))
    clock.advance(minutes=2)
    ratings.rate_case(station, case.id, 2, ("attitude",), "等了很久")
    clock.advance(minutes=3)
    case_changes.edit_case(station, case.id, draft(station, phone="13900001111", notes="电话更正"), "申请人更正")
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:
        from clerk_tui.screens.case_detail import CaseDetailScreen

        await settle(pilot)
        pilot.app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


# --- behaviour --------------------------------------------------------------------------


async def test_the_form_keeps_what_was_typed_and_saves_then_rates(station: Station) -> None:
    from textual.widgets import Input, Static

    from clerk_tui.screens.case_form import CaseFormScreen
    from clerk_tui.screens.rating import RatingPrompt

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, station)
        await pilot.press(*"王小明", "enter", *"110105194912310021", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        assert "校验位" in str(form.query_one("#e-id_number", Static).render())
        assert form.query_one("#f-name", Input).value == "王小明"
        assert form.query_one("#f-idnumber", Input).value == "110105194912310021"
        assert form.focused is form.query_one("#f-idnumber")
        await pilot.press("backspace", "X")
        await settle(pilot)
        assert not form.query_one("#e-id_number").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RatingPrompt)
        await pilot.press("e", "1")
        await settle(pilot)
        assert not isinstance(app.screen, (RatingPrompt, CaseFormScreen))
    with station.read() as session:
        case = session.execute(select(Case)).scalar_one()
        rating = session.execute(select(Rating)).scalar_one()
    assert case.id_number == VALID_RID and (rating.level, rating.points) == (1, "efficiency")
    assert len(ratings.list_follow_ups(station)) == 1


async def test_a_promised_matter_done_on_the_spot_asks_for_the_reason_in_the_notes(station: Station) -> None:
    """The rule is the service's (record._check_matter_type); the form says it in one line,
    keeps what was typed and puts the cursor where the reason goes."""
    from textual.widgets import Input, Select, Static

    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(CaseFormScreen(matter_id=matter(station, PROMISED_MATTER).id, rate_after=False))
        await settle(pilot)
        form = app.screen
        await pilot.press(*"王小明", "enter", *VALID_RID)
        form.query_one("#f-outcome", Select).value = "on_the_spot"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFormScreen)
        assert "备注中写明理由" in str(form.query_one("#case-form-error", Static).render())
        assert form.focused is form.query_one("#f-notes")
        assert form.query_one("#f-name", Input).value == "王小明"
        with station.read() as session:
            assert session.execute(select(Case)).first() is None
        await pilot.press(*"当场审核通过", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CaseFormScreen)
    with station.read() as session:
        case = session.execute(select(Case)).scalar_one()
    assert (case.outcome, case.status, case.notes) == ("on_the_spot", "completed", "当场审核通过")


async def test_refusal_reason_is_asked_where_it_belongs(station: Station) -> None:
    from textual.widgets import Select, Static

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, station)
        form = app.screen
        await pilot.press(*"王小明", "enter", *VALID_RID)
        form.query_one("#f-outcome", Select).value = "refused"
        await settle(pilot)
        assert form.query_one("#row-reason").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "理由" in str(form.query_one("#e-refusal_reason", Static).render())
        assert form.focused is form.query_one("#f-reason")


async def test_history_finds_by_id_without_showing_it_and_reveal_is_logged(station: Station) -> None:
    from textual.widgets import DataTable

    from clerk_tui.screens.case_detail import CaseDetailScreen

    case = cases.save_case(station, draft(station))
    cases.save_case(station, draft(station, applicant_name="李四", id_number="110105198001010016"))
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press(*"110105 19491231 002x")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        row = [str(c) for c in table.get_row_at(0)]
        assert "110***********002X" in row and VALID_RID not in " ".join(row)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseDetailScreen)
        assert VALID_RID not in str(app.screen.query_one("#detail-facts").render())
        await pilot.press("v")
        await settle(pilot)
        assert VALID_RID in str(app.screen.query_one("#detail-facts").render())
    with station.read() as session:
        reveals = session.execute(select(AuditEntry).where(AuditEntry.action == "reveal")).scalars().all()
    assert [r.entity_id for r in reveals] == [case.id]


async def test_pending_case_completed_and_returned_from_the_list(station: Station, clock) -> None:
    from textual.widgets import DataTable

    pending_station(station, clock)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 5
        await pilot.press("o", "enter")  # 办结, no note needed
        await settle(pilot)
        assert table.row_count == 4
        await pilot.press("r", "enter")  # 退件 needs a reason: refused empty
        await settle(pilot)
        await pilot.press(*"申请人撤回", "enter")
        await settle(pilot)
        assert table.row_count == 3
    with station.read() as session:
        statuses = sorted(s for s in session.execute(select(Case.status)).scalars())
    assert statuses == ["completed", "pending", "pending", "pending", "returned"]


async def test_follow_up_call_and_fix_recorded_from_the_list(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    ratings.rate_case(station, case.id, 1)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter", *"已致电", "enter", *"已整改", "enter")
        await settle(pilot)
    assert ratings.list_follow_ups(station) == []
    [line] = ratings.list_follow_ups(station, include_closed=True)
    assert (line.contact_note, line.fix_note, line.status) == ("已致电", "已整改", "closed")


async def test_provisional_deadline_is_marked_on_the_form_pending_list_and_detail(station: Station, clock) -> None:
    """2026-12-04: a 20-working-day matter reaches 2027, which the calendar does not know."""
    from textual.widgets import DataTable, Static

    from clerk_tui.screens.case_detail import CaseDetailScreen
    from clerk_tui.screens.case_form import CaseFormScreen

    twenty = "公共租赁住房申请资格审核认定（保障性住房配租）"
    clock.at = datetime(2026, 12, 4, 9, 30)
    case = cases.save_case(station, draft(station, "promised", twenty))
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(CaseFormScreen(matter_id=matter(station, twenty).id))
        await settle(pilot)
        assert "2027-01-01（暂定）" in str(app.screen.query_one("#deadline-info", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        if app.screen.__class__.__name__ != "MainScreen":  # an unsaved-work question, if any
            await pilot.press("y")
            await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert "01-01暂定" in str(table.get_row_at(0)[1])
        pilot.app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)
        assert "2027-01-01（暂定）" in str(app.screen.query_one("#detail-facts").render())


async def test_rongque_case_completed_from_the_list_asks_what_was_supplied(station: Station, clock) -> None:
    from textual.widgets import DataTable

    clock.at = datetime(2026, 11, 24, 9, 5)
    case = cases.save_case(
        station,
        draft(station, "rongque", PROMISED_MATTER, check_id=rongque_check(station), supply_deadline=date(2026, 11, 27)),
    )
    clock.at = datetime(2026, 11, 26, 10, 0)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("o", "enter", "enter", "enter")  # nothing typed: refused at the prompt
        await settle(pilot)
        await pilot.press(*"营业执照复印件", "enter", "enter", "enter")  # date defaults to today
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0
    with station.read() as session:
        stored = session.get(Case, case.id)
    assert (stored.status, stored.supplied_note, stored.supplied_on) == (
        "completed",
        "营业执照复印件",
        date(2026, 11, 26),
    )


async def test_a_promised_case_is_rated_again_when_its_result_is_collected(station: Station, clock) -> None:
    """Rated at acceptance (the form's prompt); completed two days later; G on the detail
    rates the collection. Both ratings show, each with the visit it rates; a third is refused."""
    from textual.widgets import Static

    from clerk_tui.screens.case_detail import CaseDetailScreen

    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    ratings.rate_case(station, case.id, 3)
    clock.advance(days=2)
    case_changes.finish_pending(station, case.id, returned=False)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)
        await press("g", "5")(pilot)
        facts = str(app.screen.query_one("#detail-facts", Static).render())
        assert "评价（受理环节）：3 基本满意" in facts and "评价（办结服务）：5 非常满意" in facts
        await press("g")(pilot)
        assert app.screen.__class__.__name__ == "CaseDetailScreen"  # no prompt: the collection is rated
    with station.read() as session:
        assert sorted(r.level for r in session.execute(select(Rating).where(Rating.case_id == case.id)).scalars()) == [
            3,
            5,
        ]


async def test_the_channel_is_chosen_with_one_key_and_saved(station: Station) -> None:
    """F4 steps the channel 窗口 → 网上申报 → 自助终端 → 邮寄 → 掌上办 → 窗口 from any field,
    without leaving what is being typed; the case is saved with the channel shown, and the
    detail screen names it."""
    from textual.widgets import Input, Select

    from clerk_tui.screens.case_detail import CaseDetailScreen
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(CaseFormScreen(matter_id=matter(station).id, rate_after=False))
        await settle(pilot)
        form = app.screen
        channel = form.query_one("#f-channel", Select)
        assert channel.value == "window"
        from clerk_tui.palette import palette_commands

        offered = {(c.name, c.other_name, c.key) for c in palette_commands(app, form)}
        assert ("渠道", "Channel", "F4") in offered  # the palette offers the same key
        await pilot.press(*"王小明", "f4")
        await settle(pilot)
        assert channel.value == "online" and form.focused is form.query_one("#f-name")
        await pilot.press("f4", "f4", "f4", "f4")
        await settle(pilot)
        assert channel.value == "window"  # round the five and back
        await pilot.press("f4", "f4", "f4", "f4", "enter", *VALID_RID)
        await settle(pilot)
        assert channel.value == "mobile" and form.query_one("#f-idnumber", Input).value == VALID_RID
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CaseFormScreen)
        with station.read() as session:
            case = session.execute(select(Case)).scalar_one()
        assert (case.channel, case.applicant_name) == ("mobile", "王小明")
        pilot.app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)
        assert "渠道：掌上办" in str(app.screen.query_one("#detail-facts").render())
