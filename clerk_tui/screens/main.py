"""The main screen: today's queue at this window at a glance.

It loads its figures in a thread worker and refreshes them every few seconds, so the
clerk sees tickets issued at the kiosk without pressing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from clerk_tui.i18n import get_language, t
from clerk_tui.navigation import nav_bindings
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services import catalog, tickets
from clerk_tui.services.context import Station
from clerk_tui.widgets.station_header import StationHeader

REFRESH_SECONDS = 3


@dataclass(frozen=True)
class MainFigures:
    counts: list[tickets.QueueCount]
    catalog: catalog.CatalogSummary


def load_figures(station: Station) -> MainFigures:
    return MainFigures(tickets.today_counts(station), catalog.summary(station))


class MainScreen(ClerkScreen):
    TITLE_KEY = "main.title"
    BINDINGS: list[Binding] = [*nav_bindings()]

    def compose(self) -> ComposeResult:
        yield StationHeader(self.station.settings, self.station.clock)
        with Vertical(id="main-body"):
            yield Static(t("main.title"), classes="section-title")
            yield DataTable(id="queue-summary", cursor_type="none", zebra_stripes=True)
            yield Static(t("main.loading"), id="catalog-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue-summary", DataTable)
        for key in ("main.queue", "main.waiting", "main.served", "main.no_show", "main.longest_wait"):
            table.add_column(t(key), key=key)
        self.refresh_figures()
        self.set_interval(REFRESH_SECONDS, self.refresh_figures)

    def refresh_figures(self) -> None:
        self.db_call(load_figures, self.station, done=self.show_figures, group="main-figures", exclusive=True)

    def show_figures(self, figures: MainFigures) -> None:
        now = self.station.clock.now()
        table = self.query_one("#queue-summary", DataTable)
        table.clear()
        for c in figures.counts:
            table.add_row(self._queue_label(c.queue), c.waiting, c.served, c.no_show, self._wait(now, c.oldest_waiting))
        oldest = [c.oldest_waiting for c in figures.counts if c.oldest_waiting]
        table.add_row(
            t("main.total"),
            sum(c.waiting for c in figures.counts),
            sum(c.served for c in figures.counts),
            sum(c.no_show for c in figures.counts),
            self._wait(now, min(oldest) if oldest else None),
        )
        info = self.query_one("#catalog-info", Static)
        if figures.catalog.label:
            info.update(t("main.catalog_info", version=figures.catalog.label, count=figures.catalog.matters))
        else:
            info.update(t("main.no_catalog"))

    def _queue_label(self, letter: str) -> str:
        queue = self.station.settings.queue(letter)
        if queue is None:
            return letter
        name = queue.name_en if get_language() == "en" and queue.name_en else queue.name
        return f"{letter} {name}"

    @staticmethod
    def _wait(now: datetime, since: datetime | None) -> str:
        if since is None:
            return "—"
        return t("main.minutes", n=max(0, int((now - since).total_seconds() // 60)))
