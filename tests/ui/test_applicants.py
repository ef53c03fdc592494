"""A returning applicant found from the last digits of the ID or the name: service, query plan, screens."""

from __future__ import annotations

from sqlalchemy import event, select

from clerk_tui.app import make_app
from clerk_tui.models import AuditEntry, Case
from clerk_tui.services.cases import applicants
from clerk_tui.services.cases.applicants import cases_by_id_tail, find_applicants, lookup_kind
from clerk_tui.services.cases.history import HistoryQuery
from clerk_tui.services.cases.record import save_case
from clerk_tui.services.context import Station
from clerk_tui.services.ids import resident_check_char
from tests.case_factory import ON_THE_SPOT_MATTER, VALID_RID, draft
from tests.conftest import settle


def rid(first17: str) -> str:
    return first17 + resident_check_char(first17)


# Two people whose numbers end alike (…002X is VALID_RID's tail, not theirs), one named like 王小明.
OTHER = rid("11010519800101123")
NAMESAKE = rid("11010519900202002")


def seed(station: Station, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=-30)
    save_case(station, draft(station, phone="13800000000"))
    clock.advance(days=20)
    save_case(station, draft(station, phone=""))
    save_case(station, draft(station, applicant_name="李四", id_number=OTHER, phone=""))
    save_case(station, draft(station, applicant_name="王小明", id_number=NAMESAKE, phone="13900000000"))
    clock.advance(days=10)


def test_what_the_text_is_taken_for() -> None:
    assert [lookup_kind(x) for x in ("002X", "002x", "１２３４５６", "1234567", VALID_RID, "王小明", "  ", "12")] == [
        "tail",
        "tail",
        "tail",
        "name",
        "id",
        "name",
        "",
        "name",
    ]


def test_the_last_digits_find_the_applicant_and_the_newest_details(station: Station, clock) -> None:
    seed(station, clock)
    found = find_applicants(station, "002X")
    assert [(a.name, a.id_number, a.cases) for a in found] == [("王小明", VALID_RID, 2)]
    # The newest case had no phone: the newest phone given is kept.
    assert found[0].phone == "13800000000" and found[0].matter.name == ON_THE_SPOT_MATTER
    assert [a.id_number for a in find_applicants(station, OTHER[-6:])] == [OTHER]
    assert find_applicants(station, "9999") == []


def test_a_name_finds_every_person_of_that_name_newest_first(station: Station, clock) -> None:
    seed(station, clock)
    assert [a.id_number for a in find_applicants(station, "王小明")] == [NAMESAKE, VALID_RID]
    assert [a.id_number for a in find_applicants(station, "王小明 ")] == [NAMESAKE, VALID_RID]
    assert find_applicants(station, "王小") == []  # a name is matched whole


def test_tail_and_name_look_only_at_the_newest_cases_a_full_number_at_all(station: Station, clock, monkeypatch) -> None:
    seed(station, clock)
    monkeypatch.setattr(applicants, "RECENT_CASES", 1)  # only the newest case (the namesake's)
    assert find_applicants(station, OTHER[-4:]) == []
    assert [a.id_number for a in find_applicants(station, OTHER)] == [OTHER]  # by the index, however old


def test_the_lookup_reads_along_indexes_never_a_full_scan(station: Station, clock) -> None:
    seed(station, clock)
    statements: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "service_case" in statement:
            statements.append((statement, parameters))

    event.listen(station.engine, "before_cursor_execute", remember)
    try:
        for text in ("002X", "王小明", VALID_RID):
            find_applicants(station, text)
        cases_by_id_tail(station, "002X", HistoryQuery())
    finally:
        event.remove(station.engine, "before_cursor_execute", remember)
    assert len(statements) == 4
    with station.engine.connect() as conn:
        for statement, parameters in statements:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            scans = [step for step in plan if "service_case" in step and step.startswith("SCAN")]
            assert all("USING" in step and "INDEX" in step for step in scans), plan


def test_history_finds_cases_by_the_last_digits_of_the_id(station: Station, clock) -> None:
    seed(station, clock)
    lines = cases_by_id_tail(station, "002X", HistoryQuery())
    assert [line.applicant_name for line in lines] == ["王小明", "王小明"]
    assert all(VALID_RID not in line.id_masked and line.id_masked.endswith("002X") for line in lines)
    assert cases_by_id_tail(station, "002X", HistoryQuery(outcome="promised")) == []


async def test_history_screen_search_by_id_tail_in_full_width(station: Station, clock) -> None:
    from textual.widgets import DataTable

    seed(station, clock)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press(*OTHER[-4:])
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("ctrl+u")
        await pilot.press(*"４５６７")  # full-width digits: no such tail
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0


async def test_case_form_f3_offers_a_choice_when_several_match_and_fills_the_last_matter(
    station: Station, clock
) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    seed(station, clock)
    last_case = find_applicants(station, VALID_RID)[0].case_id
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFormScreen())  # no check, no matter: as from the history's Ctrl+N
        await settle(pilot)
        form = app.screen
        form.query_one("#f-name").focus()
        await pilot.press(*"王小明")
        await pilot.press("f3")
        await settle(pilot)
        assert type(app.screen).__name__ == "ApplicantChoice"
        await pilot.press("2")  # the one seen before the namesake
        await settle(pilot)
        assert app.screen is form
        assert (form.query_one("#f-name").value, form.query_one("#f-idnumber").value) == ("王小明", VALID_RID)
        assert form.context.matter is not None and form.context.matter.name == ON_THE_SPOT_MATTER
        assert form.query_one("#f-matter").value == ON_THE_SPOT_MATTER
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "RatingPrompt"
    with station.read() as s:
        newest = s.execute(select(Case).order_by(Case.received_at.desc(), Case.change_seq.desc())).scalars().first()
        reveals = s.execute(select(AuditEntry.entity_id).where(AuditEntry.action == "reveal")).scalars().all()
    assert (newest.id_number, newest.matter_name) == (VALID_RID, ON_THE_SPOT_MATTER)
    # Only the chosen applicant's number was shown, and that is on the trail of the case it came from.
    assert reveals == [last_case] != [newest.id]


async def test_case_form_f3_with_nothing_found_says_so_and_keeps_the_text(station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFormScreen())
        await settle(pilot)
        form = app.screen
        form.query_one("#f-name").focus()
        await pilot.press(*"8888", "f3")
        await settle(pilot)
        assert form.query_one("#f-name").value == "8888"
        assert "8888" in str(form.query_one("#e-applicant_name").render())


# --- the choice, in both languages (80x24) ----------------------------------------------


def _choice_snapshot(snap_compare, station: Station, clock, language: str) -> bool:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from clerk_tui.screens.case_form import CaseFormScreen

    seed(station, clock)
    station.settings = replace(station.settings, language=language)
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.push_screen(CaseFormScreen())
        await settle(pilot)
        pilot.app.screen.query_one("#f-name").focus()
        await pilot.press(*"王小明", "f3")
        await settle(pilot)

    return snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_applicant_choice_zh_80x24(snap_compare, station: Station, clock) -> None:
    """Two people named 王小明: masked numbers, last visit, last matter; a digit picks."""
    assert _choice_snapshot(snap_compare, station, clock, "zh")


def test_applicant_choice_en_80x24(snap_compare, station: Station, clock) -> None:
    assert _choice_snapshot(snap_compare, station, clock, "en")
