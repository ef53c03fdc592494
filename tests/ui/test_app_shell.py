"""The app shell: main screen and help, in Chinese at 80x24 and English at 120x36."""

from __future__ import annotations

from clerk_tui.app import make_app
from clerk_tui.services.queue.tickets import issue_ticket
from tests.conftest import settle


def test_main_screen_zh_80x24(snap_compare, station) -> None:
    """Header with station/window/clerk/date, per-queue counts with totals, catalog line."""
    issue_ticket(station, "A")
    issue_ticket(station, "B", "green")
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_help_screen_zh_80x24(snap_compare, station) -> None:
    """F1 opens the help: every key with its action and where it works."""
    app = make_app(station.settings, station=station)

    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


def test_main_screen_en_120x36(snap_compare, station) -> None:
    """The same main screen in English at a larger size."""
    from dataclasses import replace

    station.settings = replace(station.settings, language="en")
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


async def test_help_lists_every_binding_and_closes(station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from textual.widgets import DataTable

        from clerk_tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"帮助", "退出", "命令面板"} <= actions
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_worker_error_is_shown_not_raised(station) -> None:
    """A database failure in a worker reaches the clerk as a message; the app keeps running."""
    from clerk_tui.errors import ClerkError

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def boom() -> None:
            raise ClerkError("db.locked")

        app.screen.db_call(boom)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("数据库正被其他程序占用" in m for m in messages)
        assert app.is_running


def test_help_names_the_keys_a_clerk_presses_not_terminal_aliases() -> None:
    """Shift+F6 is bound twice (the name Windows sends, and F18 from xterm-style
    terminals); help shows the key on the keyboard only."""
    from clerk_tui.keys import key_label

    assert key_label("f10,shift+f6,f18") == "F10, Shift+F6"
    assert key_label("ctrl+f5") == "Ctrl+F5"
    assert key_label("f12") == "F12"


async def test_a_storage_failure_in_a_worker_is_said_in_its_own_words_and_logged(station) -> None:
    """A full disk under a worker: one notification in the clerk's words (not "unexpected
    error: OperationalError"), the traceback in the failure log, redacted (issue 18)."""
    import sqlite3

    import sqlalchemy.exc

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def full() -> None:
            raise sqlalchemy.exc.OperationalError(
                "INSERT INTO applicant -- 11010519491231002X",
                None,
                sqlite3.OperationalError("database or disk is full"),
            )

        app.screen.db_call(full)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("磁盘已满" in m for m in messages), messages
        assert app.is_running
    log = (station.settings.data_dir / "logs" / "clerk-errors.log").read_text(encoding="utf-8")
    assert "database or disk is full" in log and "11010519491231002X" not in log


async def test_a_toast_shows_once_while_a_dialog_is_open(station) -> None:
    """Textual updates only the top screen's toasts and draws the main screen beneath a
    dialog: the main screen's rack (raised above its key bar) showed every toast a second
    time beside the dialog's."""
    from textual.widgets._toast import Toast, ToastRack

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        main = app.screen
        app.notify("A003", timeout=30)
        await settle(pilot)
        await pilot.press("f9")  # the walk-in dialog, over the main screen
        await settle(pilot)
        dialog = app.screen
        assert dialog is not main

        def shown(screen) -> list[str]:  # type: ignore[no-untyped-def]
            return [
                str(toast.render())
                for rack in screen.query(ToastRack)
                if rack.display
                for toast in rack.query(Toast)
                if "A003" in str(toast.render())
            ]

        assert len(shown(dialog)) == 1 and shown(main) == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main and len(shown(main)) == 1


async def test_the_warm_up_and_the_daily_backup_start_once_the_queue_is_drawn(station, monkeypatch) -> None:
    """Start-up puts both off until the queue's first picture is on screen (issue 15): they
    would hold up its loading. Each runs once, and the day's backup is still made."""
    from clerk_tui import app as app_module
    from clerk_tui.screens.main import MainScreen
    from clerk_tui.services.station import maintenance

    app = make_app(station.settings, station=station)
    seen: list[tuple[str, bool]] = []

    def drawn() -> bool:
        main = app.screen_stack[1]
        return isinstance(main, MainScreen) and main.view is not None

    daily_backup = maintenance.daily_backup
    monkeypatch.setattr(app_module, "warm_up", lambda: seen.append(("warm-up", drawn())))
    monkeypatch.setattr(maintenance, "daily_backup", lambda *a: seen.append(("backup", drawn())) or daily_backup(*a))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.refresh_view()  # later pictures start neither again
        await settle(pilot)
    assert sorted(seen) == [("backup", True), ("warm-up", True)]
    assert len(list(station.settings.backups_path.glob("clerk-*-daily.db"))) == 1


async def test_the_queue_screen_mounts_with_the_queue_read_before_the_ui(station, monkeypatch) -> None:
    """The first picture is the real queue, read by the factory before the UI runs: no
    "loading" picture first, and no worker reading it again as the screen mounts (issue 15)."""
    from clerk_tui.screens import main as main_screen
    from clerk_tui.screens.main import MainScreen

    issue_ticket(station, "A")
    app = make_app(station.settings, station=station)
    assert app.first_view is not None and [t.number for t in app.first_view.waiting] == ["A001"]
    loads: list[bool] = []
    real = main_screen.load_with_day_start
    monkeypatch.setattr(
        main_screen, "load_with_day_start", lambda st, started: loads.append(started) or real(st, started)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen_stack[1]
        assert isinstance(main, MainScreen) and main.view is not None
        assert [t.number for t in main.view.waiting] == ["A001"]
        assert loads == []  # shown as it mounted
        main.refresh_view()  # the next pictures: by the worker, the day already started
        await settle(pilot)
    assert loads == [True]
    assert app.first_view is None  # not kept: shown once


async def test_a_first_read_that_fails_is_left_to_the_screens_worker(station, monkeypatch) -> None:
    """A database kept busy at start (another program's long write) does not stop the app:
    the screen's worker reads the queue as it always has, and says so if it fails too."""
    from clerk_tui import app as app_module
    from clerk_tui.db import DatabaseBusy
    from clerk_tui.screens.main import MainScreen

    issue_ticket(station, "A")

    def busy(*args: object) -> None:
        raise DatabaseBusy("database is locked")

    monkeypatch.setattr(app_module, "load_with_day_start", busy)
    app = make_app(station.settings, station=station)
    assert app.first_view is None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen_stack[1]
        assert isinstance(main, MainScreen) and main.view is not None
        assert [t.number for t in main.view.waiting] == ["A001"]


async def test_the_other_screens_styles_wait_until_one_of_them_is_opened(station, monkeypatch) -> None:
    """The queue's first picture does not wait for the other screens' stylesheet (issue 15);
    a screen opened before the warm-up has read it reads it itself, styled as always."""
    import threading

    from clerk_tui import app as app_module
    from clerk_tui.screens.base import SCREEN_STYLES
    from clerk_tui.screens.catalog import CatalogScreen

    release = threading.Event()
    monkeypatch.setattr(app_module, "warm_up", lambda: release.wait(10))  # still warming up
    app = make_app(station.settings, station=station)
    loaded = lambda: app.stylesheet.has_source(str(SCREEN_STYLES), "")  # noqa: E731
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(20):
                await pilot.pause()
            assert app.screen_stack[1].view is not None and not loaded()
            await pilot.press("c")
            for _ in range(5):
                await pilot.pause()
            assert isinstance(app.screen, CatalogScreen) and loaded()
            assert app.screen.query_one("#catalog-bar").styles.height.value == 1  # screens.tcss
            release.set()
    finally:
        release.set()


async def test_the_warm_up_reads_the_other_screens_styles(station) -> None:
    from clerk_tui.screens.base import SCREEN_STYLES

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the warm-up included
        assert app.stylesheet.has_source(str(SCREEN_STYLES), "")
