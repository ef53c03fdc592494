"""Fast input: a card reader's burst (18 characters, then Tab or Enter, then the next
field's text, no pause between keys) lands every key in the field it was typed for, in
order, on every text field of the case form, the document check and the catalog search."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from clerk_tui.app import make_app
from clerk_tui.services.context import Station
from tests.burst import burst, send_at_once
from tests.case_factory import VALID_RID, matter
from tests.conftest import settle

# A distinct value for each text field: an ID where an ID goes, a date where a date goes.
VALUES = {
    "f-matter": "个体工商户设立登记",
    "f-name": "王小明",
    "f-idnumber": VALID_RID,
    "f-phone": "13812345678",
    "f-agent-name": "李四",
    "f-agent-phone": "13998765432",
    "f-agent-idnumber": "110101199003074530",
    "f-deadline": "2026-12-04",
    "f-supply": "2026-12-01",
    "f-reason": "材料不全且超出受理范围",
    "f-forward": "县市场监管局",
    "f-notes": "身份证复印件已留存123456789012345678",
}


def _form_keys(form) -> tuple[list[str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """From the first text field to the last: each field's text then Tab, every choice
    passed with Tab; and what each field must hold afterwards."""
    chain = form.focus_chain
    first = next(i for i, w in enumerate(chain) if isinstance(w, Input))
    keys: list[str] = []
    expected: dict[str, str] = {}
    for widget in chain[first:]:
        if isinstance(widget, Input):
            expected[widget.id] = VALUES[widget.id]
            keys.extend(VALUES[widget.id])
        keys.append("tab")
    return keys, expected


async def _open_form(pilot, station: Station, with_matter: bool = True):  # type: ignore[no-untyped-def]
    from clerk_tui.screens.case_form import CaseFormScreen

    await settle(pilot)
    pilot.app.push_screen(CaseFormScreen(matter_id=matter(station).id if with_matter else None))
    await settle(pilot)
    return pilot.app.screen


@pytest.mark.parametrize("outcome", ["rongque", "refused", "forwarded", None])
async def test_a_burst_through_the_whole_case_form_lands_every_key(station: Station, outcome: str | None) -> None:
    """Every text field of the form, shown by one outcome or another (None: the empty form
    opened from the history screen, where the matter is typed)."""
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, station, with_matter=outcome is not None)
        if outcome is not None:
            form.query_one("#f-outcome", Select).value = outcome
            await settle(pilot)
        keys, expected = _form_keys(form)
        form.set_focus(next(w for w in form.focus_chain if isinstance(w, Input)))
        await settle(pilot)
        await burst(pilot, *keys)
        got = {field: form.query_one(f"#{field}", Input).value for field in expected}
        assert got == expected
        assert sum(len(v) for v in got.values()) == sum(len(VALUES[f]) for f in expected)


async def test_every_case_form_text_field_is_shown_by_some_outcome(station: Station) -> None:
    """The parametrised burst above covers every text field the form has."""
    app = make_app(station.settings, station=station)
    covered: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, station)
        for outcome in ("rongque", "refused", "forwarded"):
            form.query_one("#f-outcome", Select).value = outcome
            await settle(pilot)
            covered |= set(_form_keys(form)[1])
        every = {i.id for i in form.query("#case-form Input").results(Input)}
    assert every - covered == {"f-matter"}  # the matter is typed on the empty form only
    assert every <= set(VALUES)


async def test_a_reader_burst_with_enter_goes_on_to_the_next_field(station: Station) -> None:
    """The reader ends the ID with Enter: the phone typed straight after goes to the phone."""
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, station)
        await burst(pilot, *"王小明", "enter", *VALID_RID, "enter", *"13812345678", "enter", *"李四")
        values = {f: form.query_one(f"#{f}", Input).value for f in ("f-name", "f-idnumber", "f-phone", "f-agent-name")}
        assert values == {"f-name": "王小明", "f-idnumber": VALID_RID, "f-phone": "13812345678", "f-agent-name": "李四"}


async def test_keys_typed_while_the_form_opens_wait_for_it(station: Station) -> None:
    """The clerk (or the reader) types before the form has filled in: nothing is overwritten
    by the form filling in, nothing lands in the matter box, nothing is dropped."""
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFormScreen(matter_id=matter(station).id))
        await burst(pilot, *"王小明", "tab", "tab", *VALID_RID, "tab", *"13812345678")
        form = app.screen
        assert form.query_one("#f-matter", Input).value == VALUES["f-matter"]
        values = {f: form.query_one(f"#{f}", Input).value for f in ("f-name", "f-idnumber", "f-phone")}
        assert values == {"f-name": "王小明", "f-idnumber": VALID_RID, "f-phone": "13812345678"}


# --- the document check ---------------------------------------------------------------------


async def _open_check(pilot, station: Station):  # type: ignore[no-untyped-def]
    from clerk_tui.screens.check import CheckScreen

    await settle(pilot)
    pilot.app.push_screen(CheckScreen(matter_id=matter(station).id))
    await settle(pilot)
    return pilot.app.screen


async def test_a_burst_through_the_checks_supply_date_lands_every_key(station: Station) -> None:
    """A 容缺 verdict shows the supply date box: Tab into it, a date, Tab on to the
    situations, Down: the date is exactly what was typed and the Down moved the list."""
    from clerk_tui.services.check import documents as dc

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        check = await _open_check(pilot, station)
        check.answers = {q: False for q in dc.questions(check.materials)}
        optional = next(m for m in check.materials if m.necessity == 3 and dc.applies(m, check.answers))
        check.marks = {m.position: dc.PROVIDED for m in check.materials if dc.applies(m, check.answers)}
        check.marks[optional.position] = dc.MISSING
        check.redraw()
        check.activate("#check-materials")
        await settle(pilot)
        assert check.verdict().kind == "rongque"
        supply = check.query_one("#check-supply", Input)
        questions = check.query_one("#check-questions", DataTable)
        assert supply.display and questions.cursor_row == 0 and questions.row_count > 1
        await burst(pilot, "tab", *"2026-11-27", "tab", "down")
        assert supply.value == "2026-11-27"
        assert check.focused is questions and questions.cursor_row == 1
        assert check.verdict().kind == "rongque"  # no digit or '-' was taken for a mark


async def test_keys_typed_while_the_check_loads_wait_for_it(station: Station) -> None:
    """The clerk opens the check and answers at once: the answers are not dropped."""
    from clerk_tui.screens.check import CheckScreen
    from clerk_tui.services.check import documents as dc

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CheckScreen(matter_id=matter(station).id))
        await burst(pilot, "y", "n", "a")
        check = app.screen
        questions = dc.questions(check.materials)
        assert check.answers == {questions[0]: True, questions[1]: False}
        assert check.verdict().kind == "accept"


# --- the catalog search -------------------------------------------------------------------


async def test_a_search_typed_while_the_catalog_opens_is_kept_and_enter_chooses(station: Station) -> None:
    """`c`, the pinyin initials and Enter in one burst from the main screen: the search box
    holds every letter and Enter opens the check of the matter found."""
    from clerk_tui.screens.check import CheckScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "c", *"gtgsh", "enter")
        assert isinstance(app.screen, CheckScreen)
        assert app.screen.start is not None and app.screen.start.guide.name == VALUES["f-matter"]
        catalog = app.screen_stack[-2]
        assert catalog.query_one("#catalog-query", Input).value == "gtgsh"


async def test_typing_in_the_result_list_goes_on_with_the_search_in_order(station: Station) -> None:
    """From the list, letters go back to the search box: all of them, in order."""
    from clerk_tui.screens.catalog import CatalogScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CatalogScreen())
        await settle(pilot)
        catalog = app.screen
        await burst(pilot, *"gt", "down", *"gsh", "backspace", "h", "down", "up", "up", "end", "z")
        query = catalog.query_one("#catalog-query", Input)
        assert query.value == "gtgshz"
        assert catalog.focused is query


async def test_keys_held_by_a_screen_that_never_gets_ready_go_on_in_the_end(station: Station) -> None:
    """A load that never answers must not swallow the keys: after a while they go on, in order."""

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, station)
        form.hold_keys()  # as if the form were still loading
        send_at_once(app, *"王小明", "tab", "tab", *"123")
        for _ in range(20):  # the app has taken them all in (well before the hold gives up)
            await pilot.pause()
            if len(app._pending_keys) == 8:
                break
        assert len(app._pending_keys) == 8 and form.query_one("#f-name", Input).value == ""
        await app._unstall(app._keys_delivered)  # what the stall timer does when it fires
        await burst(pilot)
        assert (form.query_one("#f-name", Input).value, form.query_one("#f-idnumber", Input).value) == ("王小明", "123")
