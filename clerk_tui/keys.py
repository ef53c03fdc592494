"""The keys of the app, gathered once for the help screen and the command palette."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import Binding

from clerk_tui.i18n import t

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp

_KEY_NAMES = {
    "question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab",
    "plus": "+", "minus": "-", "slash": "/", "backspace": "Backspace", "delete": "Del",
    "left_square_bracket": "[", "right_square_bracket": "]", "up": "↑", "down": "↓",
}


def key_label(key: str) -> str:
    def one(k: str) -> str:
        k = k.strip()
        if k in _KEY_NAMES:
            return _KEY_NAMES[k]
        if k.startswith("ctrl+"):
            return "Ctrl+" + one(k[5:])
        if k.startswith("shift+"):
            return "Shift+" + one(k[6:])
        return k.upper() if len(k) <= 3 else k

    return ", ".join(one(k) for k in key.split(","))


def described(bindings: list[Binding]) -> list[Binding]:
    """One line per action: aliases (show=False, same action) join their keys to it."""
    by_action: dict[str, Binding] = {}
    for b in bindings:
        first = by_action.get(b.action)
        if first is None:
            if b.description:
                by_action[b.action] = b
        else:
            by_action[b.action] = replace(first, key=f"{first.key},{b.key}")
    return list(by_action.values())


def key_sections(app: ClerkApp) -> Iterator[tuple[str, list[Binding]]]:
    """(where, bindings) for the whole app, then each screen the app lists for help."""
    yield t("help.everywhere"), described(list(app.BINDINGS))  # type: ignore[arg-type]
    for title_key, screen_cls in app.help_sections():
        yield t(title_key), described(list(screen_cls.BINDINGS))  # type: ignore[arg-type]
