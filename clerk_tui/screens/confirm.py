"""A one-key question before something that cannot be taken back (quitting mid-service,
leaving a half-done check, marking a no-show).

One key confirms (shown on the dialog: `Y`, or the key that asked, pressed again); any
other key, Esc included, stays where the clerk was. Nothing is typed here, so a stray key
from a busy hand can only ever mean "no".
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from clerk_tui.i18n import t
from clerk_tui.keys import key_label


class ConfirmDialog(ModalScreen[bool]):
    # Textual's own modal, not a ClerkModal: no keys of its own (every key answers) and no
    # database work, so the base every screen builds on (screens/base.py) can ask it.
    def __init__(self, question: str, keys: tuple[str, ...] = ("y",)) -> None:
        super().__init__()
        self.question = question
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question, id="confirm-question")
            yield Static(t("confirm.hint", keys="/".join(key_label(k) for k in self.keys)), classes="muted")

    def on_key(self, event: events.Key) -> None:
        # Every key answers: none goes on to the app's keys (F1 would open help over the question).
        event.stop()
        event.prevent_default()
        self.dismiss(event.key in self.keys)


def ask(app: App[object], question: str, then: Callable[[], object], keys: tuple[str, ...] = ("y",)) -> None:
    """Ask `question`; run `then` only if the clerk confirms."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    app.push_screen(ConfirmDialog(question, keys), answered)
