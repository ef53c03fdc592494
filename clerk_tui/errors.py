"""Errors that carry a translatable message for the clerk.

Services raise these with a translation key and its parameters; the screens and the CLI
turn them into one line in the clerk's language. Anything else is a bug.
"""

from __future__ import annotations

from typing import Any


class ClerkError(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from clerk_tui.i18n import t

        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message()
