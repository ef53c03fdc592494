"""The top line: station, window, clerk and date, always visible."""

from __future__ import annotations

from textual.widgets import Static

from clerk_tui.clock import Clock
from clerk_tui.config import Settings
from clerk_tui.i18n import t


class StationHeader(Static):
    DEFAULT_CSS = """
    StationHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, settings: Settings, clock: Clock) -> None:
        super().__init__(id="station-header")
        self.settings = settings
        self.clock = clock

    def on_mount(self) -> None:
        # No timer of its own: a cancelled asyncio timer keeps its context (and so this
        # header, with its styles and render cache) alive until it would have fired, so a
        # 60 s interval per header kept every header the clerk left for up to a minute.
        # The app refreshes the header of the screen shown once a minute, and a screen
        # refreshes its header when the clerk returns to it (the date may have turned).
        self.refresh_text()

    def refresh_text(self) -> None:
        s = self.settings
        today = self.clock.today()
        weekday = t(f"weekday.{today.weekday()}")
        clerk = t("header.clerk", no=s.clerk_no) + (f" {s.clerk_name}" if s.clerk_name else "")
        parts = [s.station_name, t("header.window", n=s.window_no), clerk, f"{today.isoformat()} {weekday}"]
        self.update("  ·  ".join(parts))
