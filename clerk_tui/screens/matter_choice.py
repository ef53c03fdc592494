"""The matters of the ticket's queue, one digit each: the check's matter without typing a search.

A quick consultation (Ctrl+F4 on the queue screen) uses it too, offering the queue's
matters or, for a queue taking any matter, those this window recorded lately (last first).

Opened by the document check when the ticket's queue is configured with matters or
departments (see `services.walk_in`). A digit picks a matter at once, Enter the
highlighted one; `/` goes to the full catalog search instead; Esc cancels. Returns the
matter id, `SEARCH`, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.cases.form_data import MatterInfo
from clerk_tui.widgets.safe_text import safe

SEARCH = "search"


class QueueMatterChoice(ClerkModal[str | None]):
    DIALOG_ID = "matter-choice"
    DIALOG_CLASSES = "queue-dialog"
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", "matter_choice.key.pick", show=False) for n in range(1, 10)],
        Binding("slash,ctrl+f", "search", "matter_choice.key.search", id="matter-choice-search"),
        Binding("escape", "cancel", "key.back", id="matter-choice-cancel"),
    ]

    def __init__(
        self, number: str, queue_label: str, matters: list[MatterInfo], title_key: str = "matter_choice.title"
    ) -> None:
        super().__init__()
        self.number, self.queue_label, self.matters = number, queue_label, matters
        self.title_key = title_key  # a check's matter, or a quick consultation's

    def dialog_title(self) -> str:
        return t(self.title_key, number=safe(self.number), queue=safe(self.queue_label))

    def compose_body(self) -> ComposeResult:
        yield OptionList(
            *[
                Option(
                    safe(f"{n}  {t(f'project_type_short.{m.project_type}')}  {m.name}"),
                    id=m.id,
                )
                for n, m in enumerate(self.matters, 1)
            ],
            id="matter-choice-list",
        )
        yield Static(t("matter_choice.hint"), classes="muted")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.matters):
            self.dismiss(self.matters[n - 1].id)

    def action_search(self) -> None:
        self.dismiss(SEARCH)

    def action_cancel(self) -> None:
        self.dismiss(None)
