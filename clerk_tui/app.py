"""The Textual application and the one factory that builds it for the CLI and the tests."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from clerk_tui import collector
from clerk_tui.clock import Clock
from clerk_tui.config import Settings
from clerk_tui.db import open_database
from clerk_tui.i18n import set_language, t
from clerk_tui.key_order import InOrderKeys
from clerk_tui.navigation import DESTINATIONS, destination
from clerk_tui.palette import ClerkCommands
from clerk_tui.screens.base import ClerkScreen, StationApp, refresh_headers
from clerk_tui.screens.confirm import ConfirmDialog, ask
from clerk_tui.screens.drafts import KeepsDraft, fresh_draft
from clerk_tui.screens.help import HelpScreen
from clerk_tui.screens.lock import LockScreen
from clerk_tui.screens.main import MainScreen
from clerk_tui.services.context import Station
from clerk_tui.services.queue.day import load_with_day_start
from clerk_tui.services.queue.views import QueueView
from clerk_tui.services.station.pin import has_pin, take_reset_notice
from clerk_tui.warm import warm_up

SETTLE_AFTER_S = 10


class ClerkApp(InOrderKeys, StationApp):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {ClerkCommands}
    BINDINGS = [
        Binding("f1", "help", "key.help", id="help"),
        Binding("question_mark", "help", "key.help", show=False),
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True, id="palette"),
        Binding("ctrl+l", "lock", "lock.key", id="lock", priority=True),
    ]
    # When the PIN was reset without the old one (`clerk pin --reset`), to be said at start.
    pin_reset_at: datetime | None = None
    # The queue's first picture, read by `make_app` before the UI runs (None: not read).
    first_view: QueueView | None = None

    def __init__(self, station: Station) -> None:
        super().__init__(station)
        self._key_order_init()
        self.title = t("app.title")
        self.sub_title = station.settings.station_name

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        minutes = self.station.settings.lock_idle_minutes
        if minutes and time.monotonic() - self._last_input >= minutes * 60:
            self.action_lock(quiet=True)

    def action_lock(self, quiet: bool = False) -> None:
        if self.locked:
            return

        def work() -> None:
            if has_pin(self.station):
                self.call_from_thread(self._show_lock)
            elif not quiet:
                self.call_from_thread(
                    self.notify, t("lock.no_pin", letter=destination("settings").key), severity="warning"
                )

        self.run_worker(work, thread=True, exit_on_error=False, group="lock", exclusive=True)

    def _show_lock(self) -> None:
        if not self.locked:
            self.push_screen(LockScreen())

    def first_screen_shown(self) -> None:
        # Once per app: the queue screen is made once, and is never left for good. Both run
        # after the queue's first picture, not beside its loading: the backup's modules
        # (maintenance, the sync's keys, libsodium) would hold up the queue a clerk waits for.
        collector.settle()
        self.run_worker(self._warm_up, thread=True, exit_on_error=False, group="warm-up")
        if self.station.settings.backup_keep > 0:
            self.run_worker(self._daily_backup, thread=True, exit_on_error=False, group="backup")

    def _warm_up(self) -> None:
        warm_up()
        collector.warmed_up()
        self.call_from_thread(self.load_screen_styles)  # before the clerk's first other screen

    def on_mount(self) -> None:
        first, self.first_view = self.first_view, None  # shown once: later pictures are newer
        self.push_screen(MainScreen(first))
        # Should the first screen never show its data (a database that stays locked), the
        # collector runs again all the same.
        self.set_timer(SETTLE_AFTER_S, collector.settle)
        if self.lock_on_start:
            self.push_screen(LockScreen())
        if self.pin_reset_at is not None:  # said once, over the lock too: the old PIN no longer opens it
            at = f"{self.pin_reset_at:%Y-%m-%d %H:%M}"
            self.notify(t("pin.reset_notice", at=at), severity="warning", timeout=60)
        self._last_input = time.monotonic()
        settings = self.station.settings
        if (
            not self.lock_on_start
            and settings.lock_idle_minutes
            and settings.config_path
            and settings.config_path.is_file()
        ):
            # A configured station without a PIN cannot lock: say so, with the key that fixes it.
            self.notify(t("settings.pin_hint", letter=destination("settings").key), severity="warning", timeout=15)
        if self.station.settings.lock_idle_minutes:
            self.set_interval(15, self._check_idle)
        self.set_interval(60, lambda: refresh_headers(self.screen))  # the date turns at midnight

    def _daily_backup(self) -> None:
        # The first start of a day keeps a copy: a dead disk or a bad restore costs a day at most.
        from clerk_tui.services.station.maintenance import daily_backup

        settings = self.station.settings
        if settings.database_url is not None:
            return  # a server database is backed up on the server (pg_dump: `clerk backup`)
        daily_backup(settings.database_path, settings.backups_path, settings.backup_keep, self.station.clock.today())
        from clerk_tui.services.sync.keys import back_up_keys

        back_up_keys(settings)  # the station signs as itself after a restore

    def help_sections(self) -> list[tuple[str, type[Screen[Any]]]]:
        """Screens whose keys the help screen lists, in the order shown."""
        return [("main.title", MainScreen)] + [(d.title_key, d.screen_class()) for d in DESTINATIONS]

    def action_open(self, name: str) -> None:
        """Open a screen from the navigation registry (from the main screen or the palette)."""
        target = destination(name).screen_class()
        if isinstance(self.screen, target):
            return
        # Going elsewhere from a sub-screen returns to the main screen first: one level deep.
        # Forms on the way keep their drafts; a half-done check is not left without asking.
        leaving = [s for s in self.screen_stack[2:] if isinstance(s, ClerkScreen)]

        def go() -> None:
            for screen in leaving:
                if isinstance(screen, KeepsDraft) and screen.keep_draft():
                    self.notify(t("draft.kept"), timeout=5)
            while len(self.screen_stack) > 2 and not isinstance(self.screen, HelpScreen):
                self.pop_screen()
            self.push_screen(target())

        if any(s.unsaved_work() for s in leaving if not isinstance(s, KeepsDraft)):
            ask(self, t("confirm.leave_unsaved"), go)
        else:
            go()

    def action_command_palette(self) -> None:
        if not self.locked and self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"), id="--command-palette"))

    @property
    def locked(self) -> bool:
        return isinstance(self.screen, LockScreen)

    async def action_quit(self) -> None:
        # Quitting past the lock and starting again would show the queue without a PIN.
        if self.locked:
            return
        if isinstance(self.screen, ConfirmDialog) and "ctrl+q" in self.screen.keys:
            self.screen.dismiss(True)  # Ctrl+Q again answers the quit question
            return
        question = self.quit_question()
        if question:
            ask(self, question, self.exit, keys=("y", "ctrl+q"))
        else:
            await super().action_quit()

    def quit_question(self) -> str:
        """Why quitting now needs a yes (a ticket in service, work not saved), or ""."""
        if self.serving_ticket_id is not None:
            main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
            current = main.view.current if main is not None and main.view is not None else None
            number = current.number if current is not None and current.id == self.serving_ticket_id else "—"
            return t("confirm.quit_serving", number=number)
        if fresh_draft(self) is not None or any(
            s.unsaved_work() for s in self.screen_stack if isinstance(s, ClerkScreen)
        ):
            return t("confirm.quit_unsaved")
        return ""

    def action_help(self) -> None:
        if not isinstance(self.screen, (HelpScreen, LockScreen)):
            self.push_screen(HelpScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed background task of the app's own reaches the clerk as one message; the app runs on.
        if event.state == WorkerState.ERROR:
            self.show_error(event.worker.error)


def make_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    database: Path | str | None = None,
    station: Station | None = None,
) -> ClerkApp:
    """Build the app on a station database (opened and migrated here, before the UI runs)."""
    set_language(settings.language)
    if station is None:
        engine = open_database(database or settings.database_target)
        station = Station(engine, settings, clock or Clock())
    app = ClerkApp(station)
    app.lock_on_start = has_pin(station)  # read before the UI runs, like the schema check
    app.pin_reset_at = take_reset_notice(station)  # a `clerk pin --reset` since the last start
    app.first_view = _first_view(station)
    return app


def _first_view(station: Station) -> QueueView | None:
    """The queue's first picture (the day started first), read before the UI runs like the
    checks above. Loaded by the screen's worker instead, it would wait on the interpreter
    while the screen mounts and draws itself a first time without it: the clerk's first
    sight of the real queue would come about 50 ms later on the bench machine (issue 15).
    Should the read fail (a database kept busy or read-only, a server gone), the screen's
    worker loads it as usual, and says what went wrong the app's one way."""
    try:
        return load_with_day_start(station, day_started=False)
    except Exception:  # reported by the worker's load, which meets it again
        return None
