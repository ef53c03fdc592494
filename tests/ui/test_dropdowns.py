"""An open dropdown list (a Select) never covers the footer at 80x24: it opens below its
field while it fits above the footer, else above the field."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Select, Static
from textual.widgets._select import SelectOverlay

from clerk_tui.app import make_app
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.context import Station
from tests.case_factory import matter
from tests.conftest import settle


class LowField(ClerkScreen):
    """A choice on the last row above the footer, as a long form scrolled down has it."""

    def __init__(self, filler: int) -> None:
        super().__init__()
        self.filler = filler

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("\n".join(f"row {i}" for i in range(self.filler)))
            yield Select([(f"choice {i}", i) for i in range(6)], value=0, allow_blank=False, compact=True, id="low")
        yield Footer()


async def _open(pilot, select: Select):  # type: ignore[no-untyped-def]
    select.focus()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    overlay = select.query_one(SelectOverlay)
    assert overlay.display and pilot.app.focused is overlay
    return overlay


def _clear_of_the_footer(screen, overlay: SelectOverlay) -> bool:  # type: ignore[no-untyped-def]
    return overlay.region.bottom <= screen.query_one(Footer).region.y


async def test_a_list_with_no_room_below_opens_above_its_field(station: Station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for filler in (22, 20, 18, 12):
            screen = LowField(filler)
            app.push_screen(screen)
            await settle(pilot)
            select = screen.query_one("#low", Select)
            overlay = await _open(pilot, select)
            assert _clear_of_the_footer(screen, overlay), (filler, overlay.region)
            assert not overlay.region.overlaps(select.region)  # the field stays readable
            assert overlay.region.height >= 3  # room for at least one choice and its border
            await pilot.press("down", "enter")  # the list still works where it is
            await settle(pilot)
            assert select.value == 1
            app.pop_screen()
            await settle(pilot)


async def test_no_dropdown_of_the_case_form_history_or_catalog_covers_the_footer(station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFormScreen(matter_id=matter(station).id))
        await settle(pilot)
        await pilot.press("ctrl+s")  # every field's error shown: the longest form
        await settle(pilot)
        form = app.screen
        for outcome in ("rongque", "refused"):
            form.query_one("#f-outcome", Select).value = outcome
            await settle(pilot)
            for select in form.query(Select):
                overlay = await _open(pilot, select)
                assert _clear_of_the_footer(form, overlay), (select.id, overlay.region)
                await pilot.press("escape")
                await settle(pilot)
        app.pop_screen()
        for key in ("h", "c"):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            for select in screen.query(Select):
                overlay = await _open(pilot, select)
                assert _clear_of_the_footer(screen, overlay), (select.id, overlay.region)
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)


async def test_an_open_dropdowns_footer_key_is_in_the_clerks_language(station: Station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = LowField(3)
        app.push_screen(screen)
        await settle(pilot)
        await _open(pilot, screen.query_one("#low", Select))
        labels = {a.binding.description for a in screen.active_bindings.values() if a.binding.show}
        assert "关闭" in labels and "Dismiss menu" not in labels
