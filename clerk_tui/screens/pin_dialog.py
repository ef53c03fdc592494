"""Set or change the lock PIN: the current one first (once a PIN exists), the new one twice.

Enter moves to the next field; on the last, the new PIN is checked (digits, length, both
entries equal) here, and the answer (current, new) goes back to the caller, which asks
the station. Esc cancels. Nothing typed is shown.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.station.pin import MIN_LENGTH, check_new_pin


class PinDialog(ClerkModal[tuple[str | None, str] | None]):
    DIALOG_ID = "pin-dialog"
    DIALOG_CLASSES = "queue-dialog"
    BINDINGS = [Binding("escape", "cancel", "key.back", id="pin-cancel")]

    def __init__(self, has_pin: bool) -> None:
        super().__init__()
        self.has_pin = has_pin

    def dialog_title(self) -> str:
        return t("pin.dialog_title")

    def compose_body(self) -> ComposeResult:
        if self.has_pin:
            yield Static(t("pin.old"), classes="muted")
            yield Input(password=True, id="pin-old", max_length=12, compact=True)
        yield Static(t("pin.new", n=MIN_LENGTH), classes="muted")
        yield Input(password=True, id="pin-new", max_length=12, compact=True)
        yield Static(t("pin.again"), classes="muted")
        yield Input(password=True, id="pin-again", max_length=12, compact=True)
        yield Static("", id="pin-error", classes="field-error")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
            return
        new, again = self.query_one("#pin-new", Input), self.query_one("#pin-again", Input)
        error = self.query_one("#pin-error", Static)
        try:
            check_new_pin(new.value)
        except ClerkError as exc:
            error.update(exc.message())
            new.value = again.value = ""
            new.focus()
            return
        if new.value != again.value:
            error.update(t("pin.mismatch"))
            again.value = ""
            again.focus()
            return
        old = self.query_one("#pin-old", Input).value if self.has_pin else None
        self.dismiss((old, new.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
