"""The caller keypad: every queue key always in the same place, like a hall's keypad.

Keys that do nothing in the window's present state are dimmed, not hidden, so the
clerk's hand learns one layout. A key cap can be clicked too.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from clerk_tui.keys import key_label


class KeyCap(Static):
    def __init__(self, binding: Binding) -> None:
        super().__init__(classes="keycap")
        self.binding = binding
        self.update(f"[b]{key_label(binding.key.split(',')[0])}[/b] {binding.description}")

    def on_click(self) -> None:
        self.screen.run_action(self.binding.action)  # type: ignore[arg-type]


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
