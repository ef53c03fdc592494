"""Ctrl+P finds every action of the screen the clerk is on and every destination, by its
Chinese and by its English name, and runs it; a click on a keypad key does what the key does."""

from __future__ import annotations

from sqlalchemy import select
from textual.command import CommandList, CommandPalette

from clerk_tui.app import make_app
from clerk_tui.i18n import TABLE, set_language
from clerk_tui.keys import described
from clerk_tui.models import Ticket
from clerk_tui.navigation import DESTINATIONS
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from tests.case_factory import matter
from tests.conftest import settle


async def _search(pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the palette, type `text`, return the hits as shown (name, then key and other name)."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*text)
    await settle(pilot)
    options = palette.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def _run_first(pilot) -> None:  # type: ignore[no-untyped-def]
    """Enter highlights the first hit, Enter again runs it (one Enter when it is the only hit)."""
    for _ in range(3):
        if not isinstance(pilot.app.screen, CommandPalette):
            break
        await pilot.press("enter")
        await settle(pilot)
    assert not isinstance(pilot.app.screen, CommandPalette)


def _names(description: str) -> tuple[str, str]:
    return TABLE[description]


def screen_keys(cls: type) -> list:
    return described(list(cls.BINDINGS))


def _expected(screen_cls: type) -> list[tuple[str, str]]:
    """(Chinese, English) of every action the screen declares (its destinations apart), the
    app's keys but the palette itself, and every destination."""
    names = [_names(b.description) for b in screen_keys(screen_cls) if not b.action.startswith("app.open(")]
    from clerk_tui.app import ClerkApp

    names += [_names(b.description) for b in screen_keys(ClerkApp) if b.action != "command_palette"]
    zh_open, en_open = TABLE["palette.open"]
    names += [
        (zh_open.format(title=TABLE[d.title_key][0]), en_open.format(title=TABLE[d.title_key][1])) for d in DESTINATIONS
    ]
    return names


async def _every_name_is_found(pilot, screen_cls: type) -> None:  # type: ignore[no-untyped-def]
    for zh, en in _expected(screen_cls):
        for name in (zh, en):
            hits = await _search(pilot, name)
            assert any(name in hit.split("\n")[0] for hit in hits), (name, hits)
            # The other language is named beside it: the clerk sees what the key is called either way.
            assert any({zh, en} <= set(" · ".join(hit.split("\n")).split(" · ")) for hit in hits), (name, hits)
            await pilot.press("escape")
            await settle(pilot)


async def test_every_main_screen_action_and_destination_is_found_by_both_names(station: Station) -> None:
    from clerk_tui.screens.main import MainScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _every_name_is_found(pilot, MainScreen)


async def test_every_case_form_action_is_found_by_both_names(station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseFormScreen(matter_id=matter(station).id))
        await settle(pilot)
        await _every_name_is_found(pilot, CaseFormScreen)


async def test_the_palette_runs_a_queue_action_found_by_its_english_name(station: Station) -> None:
    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hits = await _search(pilot, "Call next")
        assert hits[0].split("\n") == ["Call next", "F2 · 叫下一位"]
        await _run_first(pilot)
    with station.read() as session:
        assert session.execute(select(Ticket.status)).scalar_one() == "called"


async def test_the_palette_opens_a_destination_from_a_sub_screen_in_english(station: Station) -> None:
    from clerk_tui.screens.catalog import CatalogScreen
    from clerk_tui.screens.main import MainScreen
    from clerk_tui.screens.pending import PendingScreen

    set_language("en")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)
        hits = await _search(pilot, "承诺件")  # the Chinese name, in the English interface
        zh, en = TABLE["pending.title"]
        assert hits[0].split("\n") == [f"打开：{zh}", f"P · Open: {en}"]
        await _run_first(pilot)
        assert isinstance(app.screen, PendingScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [MainScreen, PendingScreen]  # the catalog was left


async def test_clicking_a_keypad_key_does_what_the_key_does(station: Station) -> None:
    from clerk_tui.screens.catalog import CatalogScreen
    from clerk_tui.widgets.keypad import Keypad, NavBar

    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keypad = app.screen.query_one(Keypad)
        assert await pilot.click(keypad, offset=keypad.offset_of("recall"))  # nobody called yet: nothing
        await settle(pilot)
        with station.read() as session:
            assert session.execute(select(Ticket.status)).scalar_one() == "waiting"
        assert await pilot.click(keypad, offset=keypad.offset_of("call_next"))
        await settle(pilot)
        with station.read() as session:
            assert session.execute(select(Ticket.status)).scalar_one() == "called"
        nav = app.screen.query_one(NavBar)
        assert await pilot.click(nav, offset=nav.offset_of("app.open('catalog')"))
        await settle(pilot)
        assert isinstance(app.screen, CatalogScreen)


# --- F1 -------------------------------------------------------------------------------------


def _help_groups(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The 'where' column of the help table, each run of equal values once, in order."""
    from textual.widgets import DataTable

    table = app.screen.query_one("#help-keys", DataTable)
    groups: list[str] = []
    for row in range(table.row_count):
        where = str(table.get_row_at(row)[2])
        if not groups or groups[-1] != where:
            groups.append(where)
    return groups


async def test_help_shows_the_current_screens_keys_first_then_global_then_the_others(station: Station) -> None:
    from clerk_tui.screens.case_form import CaseFormScreen

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        main, everywhere = TABLE["main.title"][0], TABLE["help.everywhere"][0]
        destinations = [TABLE[d.title_key][0] for d in DESTINATIONS]
        assert _help_groups(app) == [main, everywhere, *destinations]
        await pilot.press("escape")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        catalog = TABLE["catalog.title"][0]
        assert _help_groups(app) == [catalog, everywhere, main, *(d for d in destinations if d != catalog)]
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(CaseFormScreen(matter_id=matter(station).id))
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert _help_groups(app)[:3] == [TABLE["case_form.title"][0], everywhere, main]
        first = app.screen.query_one("#help-keys").get_row_at(0)
        assert first[0] == "Ctrl+S"  # the form's own key, at the top
