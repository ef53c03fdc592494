"""The keys of the app, gathered once for the help screen and the command palette."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from clerk_tui.i18n import t

_KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "plus": "+",
    "minus": "-",
    "slash": "/",
    "backspace": "Backspace",
    "delete": "Del",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "up": "↑",
    "down": "↓",
}


# The names xterm-style terminals give Shift+F1..F12 (F13..F24): bound beside the shifted
# key so it works everywhere, but a clerk presses Shift+F6, not "F18", so help omits them.
_TERMINAL_ALIASES = frozenset(f"f{n}" for n in range(13, 25))


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

    return ", ".join(one(k) for k in key.split(",") if k.strip() not in _TERMINAL_ALIASES)


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


def screen_keys(node_cls: type[DOMNode]) -> list[Binding]:
    """The keys a screen (or the app) declares, one line per action: for F1 and the palette."""
    # The program declares every key as a Binding (Textual also allows tuples).
    return described([b for b in node_cls.BINDINGS if isinstance(b, Binding)])


def key_sections(
    app_cls: type[DOMNode], sections: list[tuple[str, type[Screen[Any]]]], here: Screen[Any] | None = None
) -> Iterator[tuple[str, list[Binding]]]:
    """(where, bindings): the screen the clerk is on first (what F1 is most often asked
    about), then the keys that work everywhere (the app's, `app_cls`), then every other
    screen the app lists (`sections`: title key and screen class, in the order shown)."""
    here_cls = type(here) if here is not None else None
    if here_cls is not None and screen_keys(here_cls):
        title_key = getattr(here_cls, "TITLE_KEY", "") or next(
            (key for key, cls in sections if cls is here_cls), "help.this_screen"
        )
        yield t(title_key), screen_keys(here_cls)
    yield t("help.everywhere"), screen_keys(app_cls)
    for title_key, screen_cls in sections:
        if screen_cls is not here_cls:
            yield t(title_key), screen_keys(screen_cls)
