"""The self-service kiosk (`clerk kiosk`): press a number, get a ticket, see it large.

A separate process on the station database. The applicant sees businesses (queues) and
how many wait, presses its number key, and the new number stays on screen for a few
seconds with how many are ahead. An optional print command gets the slip text on stdin
(run without a shell, in a worker thread, so a slow printer never freezes the screen).
"""

from __future__ import annotations

import shlex
import subprocess
from datetime import datetime, timedelta
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.timer import Timer
from textual.widgets import Static

from clerk_tui.i18n import t
from clerk_tui.screens.hall import HallApp, HallScreen
from clerk_tui.screens.queue_text import queue_name
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket, today_counts, waiting_ahead
from clerk_tui.services.queue.window import close_leftovers
from clerk_tui.widgets.big_text import BigText
from clerk_tui.widgets.safe_text import safe

PRINT_TIMEOUT = 30
REFRESH_SECONDS = 5
# Keys closer together than this are one press: a held key's autorepeat, a double press,
# a child drumming on the keypad. Each press restarts the wait, so holding a key for a
# minute still issues one ticket.
BURST_SECONDS = 0.5


def kiosk_issue(station: Station, letter: str) -> dict[str, Any]:
    ticket = issue_ticket(station, letter, via="kiosk")
    return {
        "number": ticket.number,
        "queue": letter,
        "queue_name": queue_name(station.settings, letter),
        "ahead": waiting_ahead(station, ticket),
        "time": ticket.issued_at.strftime("%Y-%m-%d %H:%M"),
    }


def print_slip(command: str, station_name: str, fields: dict[str, Any]) -> None:
    """Run the print command with the slip text on stdin; raises on failure."""
    args = [arg.format(**fields) for arg in shlex.split(command)]
    slip = t("kiosk.slip", station=station_name, **fields)
    subprocess.run(
        args,
        input=slip.encode("utf-8"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=PRINT_TIMEOUT,
        check=True,
    )


class KioskScreen(HallScreen):
    TITLE_KEY = "kiosk.title"
    HALL_ID = "kiosk"
    BINDINGS = [Binding(str(n), f"pick({n})", "kiosk.key.pick", show=False) for n in range(1, 10)]

    def __init__(self) -> None:
        super().__init__()
        settings = self.station.settings
        self.letters = list(settings.kiosk.queues) or [q.letter for q in settings.queues][:9]
        self._back: Timer | None = None
        self._busy = False
        self._last_press: datetime | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="kiosk-menu"):
            yield Static(t("kiosk.prompt"), id="kiosk-prompt")
            with Center():
                yield Static("", id="kiosk-items")
        with Vertical(id="kiosk-ticket"):
            yield Static(t("kiosk.your_number"), id="kiosk-label")
            yield BigText(large=True, id="kiosk-number")
            yield Static("", id="kiosk-queue")
            yield Static("", id="kiosk-ahead")

    def on_mount(self) -> None:
        self.query_one("#kiosk-ticket").display = False
        self.db_call(close_leftovers, self.station, done=lambda _: self.refresh_menu())
        self.set_interval(REFRESH_SECONDS, self.refresh_menu)

    def refresh_menu(self) -> None:
        self.db_call(today_counts, self.station, done=self.show_menu, group="kiosk-counts", exclusive=True)

    def show_menu(self, counts: list[Any]) -> None:
        waiting = {c.queue: c.waiting for c in counts}
        names = [queue_name(self.station.settings, letter) for letter in self.letters]
        width = max((cell_len(n) for n in names), default=0)
        lines = [
            f"[b]{i}[/b]   {safe(name)}{' ' * (width - cell_len(name))}   "
            f"[dim]{t('kiosk.item_waiting', n=waiting.get(letter, 0))}[/dim]"
            for i, (letter, name) in enumerate(zip(self.letters, names, strict=False), 1)
        ]
        self.query_one("#kiosk-items", Static).update("\n\n".join(lines))

    def _burst(self) -> bool:
        """True if this key press comes right behind another (it is then not a new press)."""
        now = self.station.clock.now()
        last, self._last_press = self._last_press, now
        return last is not None and timedelta(0) <= now - last < timedelta(seconds=BURST_SECONDS)

    def action_pick(self, n: int) -> None:
        if self._burst() or self._busy or not 1 <= n <= len(self.letters):
            return
        self._busy = True

        def issued(fields: dict[str, Any]) -> None:
            self._busy = False
            self.show_ticket(fields)
            command = self.station.settings.kiosk.print_command
            if command:
                self.run_worker(lambda: self._print(command, fields), thread=True, group="print", exit_on_error=False)

        def work(station: Station, letter: str) -> dict[str, Any]:
            try:
                return kiosk_issue(station, letter)
            finally:
                self._busy = False

        self.db_call(work, self.station, self.letters[n - 1], done=issued, group="kiosk-issue")

    def _print(self, command: str, fields: dict[str, Any]) -> None:
        try:
            print_slip(command, self.station.settings.station_name, fields)
        except (OSError, ValueError, subprocess.SubprocessError):
            self.app.call_from_thread(self.query_one("#kiosk-ahead", Static).update, t("kiosk.printing_failed"))

    def show_ticket(self, fields: dict[str, Any]) -> None:
        self.query_one("#kiosk-menu").display = False
        self.query_one("#kiosk-ticket").display = True
        self.query_one("#kiosk-number", BigText).show(fields["number"])
        self.query_one("#kiosk-queue", Static).update(safe(fields["queue_name"]))
        self.query_one("#kiosk-ahead", Static).update(t("kiosk.ahead", n=fields["ahead"]))
        if self._back is not None:
            self._back.stop()
        self._back = self.set_timer(self.station.settings.kiosk.show_seconds, self.show_menu_again)

    def show_menu_again(self) -> None:
        self.query_one("#kiosk-ticket").display = False
        self.query_one("#kiosk-menu").display = True
        self.refresh_menu()


class KioskApp(HallApp):
    def on_mount(self) -> None:
        self.push_screen(KioskScreen())


def make_kiosk_app(station: Station) -> KioskApp:
    return KioskApp(station)
