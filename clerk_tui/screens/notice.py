"""The one-time notice: preview exactly what the receipt printer will print, then save and print.

The clerk types the applicant's name (or leaves it blank: the notice then has a line to
write it by hand). Ctrl+S numbers and saves the notice (text + HTML files and a Notice
row) and sends it to the printer; Ctrl+R prints the saved notice again. A rongque notice
is printed with the applicant's pledge (services.papers), saved beside it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from clerk_tui.display_text import neutral, one_line
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.check import notice as notices
from clerk_tui.services.papers import store as paper_store


def paper(text: str) -> Text:
    """The receipt text exactly as printed (plain text: no markup in names, and nothing a
    terminal would obey: a notice merged from another station is shown inert)."""
    return Text(neutral(text.rstrip("\n")), no_wrap=True)


class NoticeScreen(ClerkScreen):
    TITLE_KEY = "notice.screen_title"
    TITLE_ID = "notice-title"
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("ctrl+s", "issue", "notice.key.issue", id="notice-issue"),
        Binding("ctrl+r", "reprint", "notice.key.reprint", id="notice-reprint"),
    ]

    def __init__(self, check_id: str) -> None:
        super().__init__()
        self.check_id = check_id
        self.issued: notices.IssuedNotice | None = None
        self.issued_for: str | None = None  # the applicant text the saved notice carries
        self.existing: notices.NoticeLine | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="notice-applicant-bar"):
            yield Static(t("notice.applicant"), id="notice-applicant-label")
            yield Input(
                placeholder=t("notice.applicant_placeholder"), id="notice-applicant", compact=True, max_length=60
            )
        with VerticalScroll(id="notice-preview-pane"):
            yield Static("", id="notice-preview", markup=False)
        yield Static(t("notice.not_issued_yet"), id="notice-status", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#notice-applicant", Input).focus()
        self.refresh_preview()
        self.db_call(
            notices.list_notices, self.station, None, self.check_id, done=self._existing, group="notice-existing"
        )

    def _existing(self, lines: list[notices.NoticeLine]) -> None:
        lines = [line for line in lines if line.kind in notices.NOTICE_KINDS]  # not the papers
        if lines and self.issued is None:
            self.existing = lines[-1]
            self.query_one("#notice-status", Static).update(
                Text(t("notice.existing", number=one_line(self.existing.number)))
            )

    def refresh_preview(self) -> None:
        applicant = self.query_one("#notice-applicant", Input).value
        self.db_call(
            notices.preview,
            self.station,
            self.check_id,
            applicant,
            done=lambda result: self._show_preview(applicant, result),
            group="notice-preview",
        )

    def _show_preview(self, applicant: str, result: tuple[notices.NoticeData, str]) -> None:
        if applicant != self.query_one("#notice-applicant", Input).value:
            return  # typed on since
        data, text = result
        self.query_one("#notice-title", Static).update(f"{t('notice.screen_title')} · {t(f'notice.title.{data.kind}')}")
        if self.issued is not None and self.issued_for == applicant:
            text = self.issued.text
        self.query_one("#notice-preview", Static).update(paper(text))

    @on(Input.Changed, "#notice-applicant")
    def _applicant_changed(self) -> None:
        self.refresh_preview()

    @on(Input.Submitted, "#notice-applicant")
    def _submitted(self) -> None:
        self.action_issue()

    def action_issue(self) -> None:
        applicant = self.query_one("#notice-applicant", Input).value
        if self.issued is not None and self.issued_for == applicant:
            self.notify(t("notice.existing", number=self.issued.number))
            return

        def done(issued: notices.IssuedNotice) -> None:
            self.issued, self.issued_for = issued, applicant
            self.query_one("#notice-preview", Static).update(paper(issued.text))
            message = t("notice.issued_msg", number=issued.number, path=str(issued.html_path.parent))
            self.query_one("#notice-status", Static).update(Text(message))
            self.notify(message)
            self._print(issued.id, issued.number, str(issued.html_path))
            if issued.kind == "rongque":
                self._issue_pledge(applicant)

        self.db_call(notices.issue_notice, self.station, self.check_id, applicant, done=done, group="notice-issue")

    def _issue_pledge(self, applicant: str) -> None:
        """The applicant's pledge goes with the rongque notice: saved, then printed."""

        def done(result: tuple[notices.IssuedNotice, bool]) -> None:
            pledge, new = result
            if new:
                self._print(pledge.id, pledge.number, str(pledge.html_path))

        self.db_call(paper_store.issue_pledge, self.station, self.check_id, applicant, done=done, group="notice-pledge")

    def _print(self, notice_id: str, number: str, path: str) -> None:
        def done(count: int | None) -> None:
            if count is None:
                self.notify(t("notice.no_printer", path=path), severity="warning", timeout=8)
            else:
                self.notify(t("notice.printed", number=number, count=count))

        self.db_call(notices.print_notice, self.station, notice_id, done=done, group="notice-print")

    def action_reprint(self) -> None:
        if self.issued is not None:
            self._print(self.issued.id, self.issued.number, str(self.issued.html_path))
        elif self.existing is not None:
            self._print(self.existing.id, self.existing.number, self.existing.file_path)
        else:
            self.notify(t("notice.not_issued_yet"), severity="warning")

    def action_back(self) -> None:
        self.app.pop_screen()
