"""Where the clerk can go from the main screen: one registry for keys, help and palette.

Each destination names its key (a plain letter, pressed on the main screen), its title's
translation key, and where its screen class lives. Screens are imported only when first
opened, so start-up does not pay for screens the clerk has not used yet.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.screen import Screen


@dataclass(frozen=True)
class Destination:
    name: str  # action suffix: the binding runs `app.open('<name>')`
    key: str
    title_key: str  # translation key of the screen's title (also the key's label)
    target: str  # "module:Class" below clerk_tui.screens

    def screen_class(self) -> type[Screen[Any]]:
        module, cls = self.target.split(":")
        screen_class: type[Screen[Any]] = getattr(importlib.import_module(f"clerk_tui.screens.{module}"), cls)
        return screen_class

    @property
    def short_key(self) -> str:
        """Translation key of the short label on the main screen's key bar (a word or two)."""
        return f"nav.{self.name}"

    def binding(self, show: bool = True) -> Binding:
        return Binding(self.key, f"app.open('{self.name}')", self.title_key, id=f"open-{self.name}", show=show)


# Add a line here for each new screen reachable from the main screen.
DESTINATIONS: list[Destination] = [
    Destination("catalog", "c", "catalog.title", "catalog:CatalogScreen"),
    Destination("check", "d", "check.title", "check:CheckScreen"),
    Destination("history", "h", "history.title", "history:HistoryScreen"),
    Destination("pending", "p", "pending.title", "pending:PendingScreen"),
    Destination("follow_ups", "f", "follow_ups.title", "follow_ups:FollowUpsScreen"),
    Destination("sync", "s", "sync.title", "sync:SyncScreen"),
    Destination("reports", "r", "reports.title", "reports:ReportsScreen"),
    Destination("settings", "g", "settings.title", "settings:SettingsScreen"),
]


def destination(name: str) -> Destination:
    return next(d for d in DESTINATIONS if d.name == name)


def nav_bindings(show: bool = True) -> list[Binding]:
    return [d.binding(show) for d in DESTINATIONS]
