"""The base of the hall's own programs (calling board, kiosk): no clerk keys, no lock.

They run as separate processes on the same station database and reuse the screens'
database workers, the stylesheet and the error reporting of the clerk's app.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen, StationApp
from clerk_tui.services.context import Station


class HallApp(StationApp):
    CSS_PATH = ["../app.tcss", "../screens.tcss"]  # the board's and kiosk's rules are in the second
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True)]

    def __init__(self, station: Station) -> None:
        super().__init__(station)
        self.title = station.settings.station_name


class HallScreen(ClerkScreen):
    """A hall display: one line naming the station and the display (`TITLE_KEY`), then
    the display itself (`compose_body`); no clerk's header, no keys shown."""

    HALL_ID = ""  # "board", "kiosk": the header line is "<HALL_ID>-header"

    def compose(self) -> ComposeResult:
        yield Static(f"{self.station.settings.station_name} · {t(self.TITLE_KEY)}", id=f"{self.HALL_ID}-header")
        yield from self.compose_body()
