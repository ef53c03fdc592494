"""The idle lock: hides everything on screen until the clerk's PIN is typed.

Applicants stand in front of the window; when the clerk steps away the screen must not
show their names or ID numbers. Failed attempts slow down after a few tries.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.station.pin import check_pin

FREE_TRIES = 3
PENALTY_SECONDS = 30


class LockScreen(ClerkModal[None]):
    STYLED_AT_START = True  # its rules are in app.tcss: read before the queue shows
    # Only the PIN field works here: the app refuses palette, help and quit while locked.
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self) -> None:
        super().__init__(id="lock-screen")
        self.failures = 0
        self.blocked_until = 0.0

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="lock-dialog"):
            yield Static(self.station.settings.station_name, classes="section-title")
            yield Static(t("lock.locked"))
            yield Input(password=True, placeholder=t("lock.placeholder"), id="pin", max_length=12)
            yield Static("", id="lock-message", classes="muted")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        pin = event.value
        event.input.value = ""
        if time.monotonic() < self.blocked_until:
            self.query_one("#lock-message", Static).update(t("lock.wait", seconds=PENALTY_SECONDS))
            return
        self.db_call(check_pin, self.station, pin, done=self._checked, group="lock", exclusive=True)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.dismiss(None)
            return
        self.failures += 1
        if self.failures >= FREE_TRIES:
            self.blocked_until = time.monotonic() + PENALTY_SECONDS
        self.query_one("#lock-message", Static).update(t("lock.wrong"))
