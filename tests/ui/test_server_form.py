"""The case form on a server database whose connection is lost in the middle of a save:
the clerk reads "not saved", everything typed stays on the form, and saving again works
once the server answers (issue 14, item 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from clerk_tui.app import make_app
from clerk_tui.models import Case
from clerk_tui.services.context import Station
from tests.case_factory import VALID_RID
from tests.conftest import settle, table_counts
from tests.ui.test_case_screens import open_form


@pytest.mark.parametrize("store", ["postgresql"])
async def test_a_connection_lost_during_a_save_keeps_the_form_and_says_not_saved(station: Station, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    from clerk_tui.screens.case_form import CaseFormScreen
    from clerk_tui.screens.rating import RatingPrompt

    cut: list[int] = []

    def cut_the_line(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        # The server process of the saving transaction goes away once it has begun writing
        # the case: a restarted server or a network cut, mid-save.
        if statement.lstrip().upper().startswith("INSERT INTO SERVICE_CASE") and not cut:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            cut.append(pid)
            pg_cluster.admin(f"SELECT pg_terminate_backend({pid})")

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, station)
        await pilot.press(*"王小明", "enter", *VALID_RID)
        await settle(pilot)
        before = table_counts(station.settings)
        event.listen(station.engine, "before_cursor_execute", cut_the_line)
        await pilot.press("ctrl+s")
        await settle(pilot)
        event.remove(station.engine, "before_cursor_execute", cut_the_line)
        assert cut, "the save never reached the case insert"
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        assert form.query_one("#f-name", Input).value == "王小明"
        assert form.query_one("#f-idnumber", Input).value == VALID_RID
        said = [n.message for n in app._notifications if n.severity == "error"]
        assert len(said) == 1 and "未保存" in said[0] and "已填写的内容仍在" in said[0], said
        assert table_counts(station.settings) == before
        # The server answers again: the same form saves what is on it.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RatingPrompt)
    with station.read() as session:
        case = session.execute(select(Case)).scalar_one()
    assert (case.applicant_name, case.id_number) == ("王小明", VALID_RID)
