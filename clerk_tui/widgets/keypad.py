"""The caller keypad: every queue key always in the same place, like a hall's keypad.

Below it, the key bar: the main screen's letters for the other screens, one line.

Keys that do nothing in the window's present state are dimmed, not hidden, so the
clerk's hand learns one layout. A key cap can be clicked too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import Static

from clerk_tui.i18n import t
from clerk_tui.keys import key_label
from clerk_tui.navigation import DESTINATIONS


class KeyCap(Static):
    def __init__(self, binding: Binding, classes: str = "keycap", key_text: str | None = None) -> None:
        super().__init__(classes=classes)
        self.binding = binding
        self.update(
            f"[b]{key_text or binding.key_display or key_label(binding.key.split(',')[0])}[/b] {binding.description}"
        )

    async def on_click(self) -> None:
        # The action, like a key press: run_action is a coroutine and does nothing unless awaited.
        await self.screen.run_action(self.binding.action)


class Keypad(Grid):
    def __init__(self, bindings: list[Binding], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        for binding in self.bindings:
            yield KeyCap(binding)

    def dim(self, available: Callable[[str], bool]) -> None:
        for cap in self.query(KeyCap):
            cap.set_class(not available(cap.binding.action), "-off")


class NavBar(Horizontal):
    """One line of the main screen's letter keys (navigation.DESTINATIONS), short labels."""

    def compose(self) -> ComposeResult:
        for d in DESTINATIONS:
            # Letter keys are shown as typed (lower case): Shift+C is another key.
            yield KeyCap(replace(d.binding(), description=t(d.short_key)), classes="navcap", key_text=d.key)
