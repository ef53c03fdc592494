"""Which returning applicant: several people match the name or the last digits typed.

Opened by the case form's F3 when the lookup finds more than one applicant. Each line
shows the name, the masked ID, when they were last seen and their last matter; a digit
picks one at once, Enter the highlighted one, Esc keeps what was typed. Returns the
index of the chosen applicant, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.cases.applicants import Applicant
from clerk_tui.widgets.safe_text import safe


class ApplicantChoice(ClerkModal[int | None]):
    DIALOG_ID = "applicant-choice"
    DIALOG_CLASSES = "queue-dialog"
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", "applicant_choice.key.pick", show=False) for n in range(1, 10)],
        Binding("escape", "cancel", "key.back", id="applicant-choice-cancel"),
    ]

    def __init__(self, applicants: list[Applicant]) -> None:
        super().__init__()
        self.applicants = applicants

    def dialog_title(self) -> str:
        return t("applicant_choice.title", n=len(self.applicants))

    def compose_body(self) -> ComposeResult:
        yield OptionList(
            *[
                Option(
                    safe(f"{n}  {a.name}  {a.id_masked}  {a.last_seen:%Y-%m-%d}  {a.matter.name if a.matter else ''}"),
                    id=str(n - 1),
                )
                for n, a in enumerate(self.applicants, 1)
            ],
            id="applicant-choice-list",
        )
        yield Static(t("applicant_choice.hint"), classes="muted")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.applicants):
            self.dismiss(n - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)
