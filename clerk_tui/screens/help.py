"""The help screen (F1 / ?): every key of every screen, in the clerk's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from clerk_tui.i18n import t
from clerk_tui.keys import key_label, key_sections
from clerk_tui.screens.base import ClerkModal
from clerk_tui.widgets.table import ClerkTable


class HelpScreen(ClerkModal[None]):
    STYLED_AT_START = True  # its rules are in app.tcss: read before the queue shows
    DIALOG_ID = "help-dialog"
    BINDINGS = [
        Binding("escape", "dismiss", "key.close", id="close"),
        Binding("f1", "dismiss", "key.close", show=False),
        Binding("question_mark", "dismiss", "key.close", show=False),
    ]

    def dialog_title(self) -> str:
        return t("help.title")

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Static(t("help.footer"), classes="muted")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("help.key"), key="key")
        table.add_column(t("help.action"), key="action")
        table.add_column(t("help.where"), key="where")
        # The screen F1 was pressed on (the one under this dialog) comes first.
        sections = key_sections(type(self.app), self.app.help_sections(), self.app.screen_stack[-2])
        for where, bindings in sections:
            for binding in bindings:
                table.add_row(key_label(binding.key), t(binding.description), where)
        table.focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
