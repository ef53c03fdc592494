"""A one-line prompt for a reason or a note (void, return, the follow-up call). Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal


class ReasonPrompt(ClerkModal[list[str] | None]):
    """Asks one or more lines; returns them (Enter on the last) or None (Esc)."""

    DIALOG_ID = "reason-dialog"
    BINDINGS = [Binding("escape", "cancel", "key.back", id="reason-cancel")]

    def __init__(self, title: str, labels: list[str], values: list[str] | None = None, required: int = 1) -> None:
        super().__init__()
        self.title_text, self.labels = title, labels
        self.values = values or [""] * len(labels)
        self.required = required  # how many leading lines must not be empty

    def dialog_title(self) -> str:
        return self.title_text

    def compose_body(self) -> ComposeResult:
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=False)):
            yield Static(label, classes="muted")
            yield Input(value=value, id=f"reason-{i}", compact=True)
        yield Static(t("reason.hint"), classes="muted")
        yield Static("", id="reason-error", classes="field-error")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
            return
        values = [i.value.strip() for i in inputs]
        missing = next((i for i in range(self.required) if not values[i]), None)
        if missing is not None:
            self.query_one("#reason-error", Static).update(t("reason.required"))
            inputs[missing].focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
