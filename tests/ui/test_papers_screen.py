"""A case's papers: one key (P) from the case, the list with numbers and print counts, the
selected paper as printed, Enter issues and prints, a printer failure is one line."""

from __future__ import annotations

from dataclasses import replace

from clerk_tui.app import make_app
from clerk_tui.services.check import notice as notices
from clerk_tui.services.papers import store
from clerk_tui.services.station import printers
from tests.conftest import settle
from tests.unit.test_papers import promised_case


async def open_papers(pilot, case_id: str) -> None:
    from clerk_tui.screens.case_detail import CaseDetailScreen

    await settle(pilot)
    pilot.app.push_screen(CaseDetailScreen(case_id))
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)


def test_papers_80x24(snap_compare, station) -> None:
    """承诺件 with its acceptance receipt issued (printed once) and the materials list not yet."""
    case = promised_case(station)
    issued, _ = store.issue_paper(station, case.id, "acceptance")
    with station.write() as session:
        from clerk_tui.models import Notice

        session.get(Notice, issued.id).print_count = 1
    app = make_app(station.settings, station=station)

    async def run_before(pilot) -> None:
        await open_papers(pilot, case.id)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_enter_issues_and_prints_and_a_failure_leaves_it_for_reprint(station, monkeypatch) -> None:
    from clerk_tui.screens.papers import PapersScreen

    case = promised_case(station)
    station.settings = replace(
        station.settings, extra={**station.settings.extra, "papers": {"receipt_printer": "usb:0x0416:0x5011"}}
    )
    monkeypatch.setattr(printers, "open_receipt_printer", lambda spec, timeout: (_ for _ in ()).throw(OSError("x")))
    shown: list[str] = []
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(app, "notify", lambda message, **kw: shown.append(str(message)))
        await open_papers(pilot, case.id)
        assert isinstance(app.screen, PapersScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert any("受理通知书 SL-" in m for m in shown)
        assert any("小票打印机" in m and "文书已保存" in m for m in shown)  # one line, in Chinese
        assert isinstance(app.screen, PapersScreen)  # nothing blocked
    unprinted = store.list_papers(station, unprinted=True)
    assert [line.kind for line in unprinted] == ["acceptance"]
    monkeypatch.setattr(
        printers, "open_receipt_printer", lambda spec, timeout: __import__("escpos.printer").printer.Dummy()
    )
    monkeypatch.setattr(printers, "_status_problem", lambda d: None)
    assert notices.print_notice(station, unprinted[0].id) == 1  # the reprint
    assert store.list_papers(station, unprinted=True) == []


async def test_the_palette_and_help_offer_the_papers(station) -> None:
    from clerk_tui.palette import palette_commands
    from clerk_tui.screens.case_detail import CaseDetailScreen

    case = promised_case(station)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CaseDetailScreen(case.id))
        await settle(pilot)
        commands = list(palette_commands(app, app.screen))
        papers = [c for c in commands if c.name == "文书"]
        assert papers and papers[0].key == "P" and papers[0].other_name == "Print"


def test_papers_en_80x24(snap_compare, station) -> None:
    """The same screen in English: the not-yet-issued paper previewed in English."""
    from tests.ui.test_snapshots_en import english

    case = promised_case(station)
    app = make_app(english(station).settings, station=station)

    async def run_before(pilot) -> None:
        await open_papers(pilot, case.id)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_rongque_notice_is_saved_with_its_pledge(station) -> None:
    from clerk_tui.screens.notice import NoticeScreen
    from tests.unit.test_papers import COMPANY, checked

    check_id = checked(station, COMPANY, 3)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(NoticeScreen(check_id))
        await settle(pilot)
        await pilot.press(*"李四", "ctrl+s")
        await settle(pilot)
    kinds = [line.kind for line in notices.list_notices(station, check_id=check_id)]
    assert kinds == ["rongque", "pledge"]
    assert "李四" in notices.notice_text(station, store.list_papers(station)[0].id)
