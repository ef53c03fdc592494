"""Stored text on the screen is data (issue 17, item 8): a name and notes holding escape
sequences, control characters, a bidi override and markup show inert and literally in the
case detail, the history and pending lists, the papers preview and notifications; a case
merged from another station's bundle too."""

from __future__ import annotations

from sqlalchemy import select

from clerk_tui.app import make_app
from clerk_tui.models import Case
from clerk_tui.services.context import Station
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.merge import merge_bundles
from tests.conftest import settle
from tests.sync_helpers import edit_case, make_centre, populate, trust
from tests.system.test_stored_text import HOSTILE, inert
from tests.ui.test_ticket_numbers_wide import screen_lines
from tests.unit.test_papers import promised_case


def shown(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(screen_lines(app))


async def _open(pilot, screen) -> str:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return shown(pilot.app)


async def test_case_detail_lists_and_papers_show_a_hostile_name_literally(station: Station) -> None:
    from clerk_tui.screens.case_detail import CaseDetailScreen
    from clerk_tui.screens.history import HistoryScreen
    from clerk_tui.screens.papers import PapersScreen
    from clerk_tui.screens.pending import PendingScreen

    case = promised_case(station, applicant_name=HOSTILE, notes=HOSTILE)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(160, 40)) as pilot:
        text = await _open(pilot, CaseDetailScreen(case.id))
        assert inert(text) and "[red]张三[/]" in text and "[@click=app.quit]x[/]" in text
        assert "pwned" not in text and "evil.example" not in text
        app.pop_screen()
        text = await _open(pilot, PendingScreen())
        assert inert(text) and "[red]张三[/]" in text
        app.pop_screen()
        text = await _open(pilot, HistoryScreen())
        assert inert(text) and "[red]张三[/]" in text
        app.pop_screen()
        text = await _open(pilot, PapersScreen(case.id))
        assert inert(text) and "[red]张三[/]" in text
        # A notification quoting the name: inert, not markup (no link that quits the app).
        app.notify(f"saved {HOSTILE}")
        await settle(pilot)
        toast = list(app._notifications)[-1]
        assert not toast.markup and inert(toast.message) and "[@click=app.quit]x[/]" in toast.message
        assert app.is_running


async def test_a_case_merged_from_a_station_shows_inert_at_the_centre(station: Station, tmp_path) -> None:
    from clerk_tui.screens.case_detail import CaseDetailScreen

    populate(station, 1)
    with station.read() as session:
        case_id = session.execute(select(Case.id)).scalars().first()
    edit_case(station, case_id, applicant_name=HOSTILE, notes=HOSTILE, refusal_reason=HOSTILE)
    centre = make_centre(tmp_path)
    trust(centre, station)
    out = tmp_path / "usb"
    out.mkdir()
    result = export_bundle(station, out)
    assert result is not None
    try:
        assert merge_bundles(centre, [result.path]).ok
        app = make_app(centre.settings, station=centre)
        async with app.run_test(size=(160, 40)) as pilot:
            text = await _open(pilot, CaseDetailScreen(case_id))
            assert inert(text) and "[red]张三[/]" in text and "pwned" not in text
    finally:
        centre.close()
