"""The base of the hall's own programs (calling board, kiosk): no clerk keys, no lock.

They run as separate processes on the same station database and reuse the screens'
database workers, the stylesheet and the error reporting of the clerk's app.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import translate_bindings
from clerk_tui.services.context import Station


class HallApp(App[None]):
    CSS_PATH = "../app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True)]

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        translate_bindings(self)
        self.title = station.settings.station_name

    def show_error(self, error: BaseException | None) -> None:
        if isinstance(error, ClerkError):
            message = error.message()
        else:
            self.log.error(repr(error))
            message = t("error.unexpected", reason=type(error).__name__)
        self.notify(message, title=t("error.title"), severity="error", timeout=8)
