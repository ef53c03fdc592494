"""The window's flow at 80x24: search → check → notice, driven by keys; snapshots of each screen."""

from __future__ import annotations

from sqlalchemy import select

from clerk_tui.app import make_app
from clerk_tui.models import DocumentCheck, Notice
from tests.conftest import settle


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        await pilot.press(ch)


async def test_search_check_notice_flow(station) -> None:
    from clerk_tui.services.queue.calling import call_next, start_service
    from clerk_tui.services.queue.tickets import issue_ticket

    issue_ticket(station, "A")
    call_next(station)
    ticket = start_service(station)  # the window is serving A001: the check attaches to it
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.serving_ticket_id == ticket.id
        await pilot.press("c")
        await settle(pilot)
        from clerk_tui.screens.catalog import CatalogScreen
        from clerk_tui.screens.check import CheckScreen
        from clerk_tui.screens.notice import NoticeScreen

        assert isinstance(app.screen, CatalogScreen)
        await type_text(pilot, "zzzz")
        await settle(pilot)
        assert "没有找到" in str(app.screen.query_one("#catalog-status").render())
        for _ in range(4):
            await pilot.press("backspace")
        await type_text(pilot, "gtgsh")
        await pilot.press("enter")  # straight away: Enter does not wait for the worker
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen)
        assert app.screen.start.guide.name == "个体工商户设立登记"
        # Situations: agent yes, prior licence no; then the marks, fast, one key each.
        await pilot.press("y", "n", "p", "x", "x", "x")
        await settle(pilot)
        assert app.screen.verdict().kind == "correction"
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, NoticeScreen)
        await type_text(pilot, "Li")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.issued is not None
        messages = " ".join(n.message for n in app._notifications)
        assert app.screen.issued.number in messages
    with station.read() as session:
        check = session.execute(select(DocumentCheck)).scalar_one()
        assert check.ticket_id == ticket.id and check.verdict == "correction"
        notice = session.execute(select(Notice)).scalar_one()
        assert notice.check_id == check.id and "Li" in notice.text


async def test_check_standalone_picks_the_matter_first(station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        from clerk_tui.screens.check import CheckScreen
        from clerk_tui.screens.matter_search import MatterPickScreen

        assert isinstance(app.screen, MatterPickScreen)
        await type_text(pilot, "jzz")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen)
        assert app.screen.start.guide.name == "居住证办理（首次申领）" and app.screen.start.ticket_id is None
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")  # nothing picked: back to the main screen
        await settle(pilot)
        assert not isinstance(app.screen, (CheckScreen, MatterPickScreen))


# --- snapshots ---------------------------------------------------------------------------------------


def test_catalog_screen_zh_80x24(snap_compare, station) -> None:
    """Search "gtgsh": one result, the count, and the guide of 个体工商户设立登记 beside it."""
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "gtgsh")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def open_check_for_business_licence(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the main screen: catalog, search gtgsh, Enter on 个体工商户设立登记."""
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    await type_text(pilot, "gtgsh")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def test_check_screen_zh_80x24(snap_compare, station) -> None:
    """Questions answered (agent yes, prior licence no), marks set: the correction verdict in red."""
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_check_for_business_licence(pilot)
        await pilot.press("y", "n", "p", "e", "x")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_notice_preview_zh_80x24(snap_compare, station) -> None:
    """The receipt text at 32 cells, centred, with the applicant's name typed in."""
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_check_for_business_licence(pilot)
        await pilot.press("y", "n", "p", "x", "x", "x", "t")
        await settle(pilot)
        await type_text(pilot, "Zhang San")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
