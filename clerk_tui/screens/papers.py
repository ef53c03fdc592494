"""A case's papers (P on the case): which it has, each one's number and times printed, and
the selected one exactly as the receipt printer prints it.

Enter issues the selected paper (numbered and saved first) and prints it; a paper already
issued is printed again with Ctrl+R. A printer that fails says so in one line; the paper
stays saved, in the reprint list, and the case is never touched.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.notice import paper
from clerk_tui.services.check import notice as notices
from clerk_tui.services.papers import store
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable


class PapersScreen(ClerkScreen):
    TITLE_KEY = "papers.screen_title"
    TITLE_ID = "papers-title"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", id="papers-back"),
        Binding("enter", "issue", "papers.key.issue", id="papers-issue", priority=True),
        Binding("ctrl+r", "reprint", "papers.key.reprint", id="papers-reprint"),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.papers: store.CasePapers | None = None

    def title_text(self) -> str:
        return t("papers.screen_title", case_no="")

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="papers-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="papers-preview-pane"):
            yield Static("", id="papers-preview", markup=False)
        yield Static(t("papers.hint"), id="papers-hint", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("papers.col_paper", "papers.col_number", "papers.col_printed"):
            table.add_column(t(key), key=key)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.db_call(store.case_papers, self.station, self.case_id, done=self.show, group="papers", exclusive=True)

    def selected(self) -> store.PaperLine | None:
        if self.papers is None or not self.papers.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.papers.lines[min(max(row, 0), len(self.papers.lines) - 1)]

    def show(self, papers: store.CasePapers) -> None:
        self.papers = papers
        self.query_one("#papers-title", Static).update(t("papers.screen_title", case_no=safe(papers.case_no)))
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for line in papers.lines:
            table.add_row(
                t(f"notice.title.{line.kind}"),
                safe(line.number) or t("papers.not_issued"),
                t("papers.printed_times", n=line.print_count) if line.issued else "—",
            )
        if not papers.lines:
            self.query_one("#papers-preview", Static).update(Text(t("papers.none")))
            return
        table.move_cursor(row=min(max(row, 0), len(papers.lines) - 1))
        self.refresh_preview()

    @on(DataTable.RowHighlighted, "#papers-table")
    def _moved(self) -> None:
        self.refresh_preview()

    def refresh_preview(self) -> None:
        line = self.selected()
        if line is None:
            return
        self.db_call(
            store.preview,
            self.station,
            self.case_id,
            line.kind,
            done=lambda text: self.query_one("#papers-preview", Static).update(paper(text)),
            group="papers-preview",
            exclusive=True,
        )

    def action_issue(self) -> None:
        line = self.selected()
        if line is None:
            return
        title = t(f"notice.title.{line.kind}")

        def done(result: tuple[notices.IssuedNotice, bool]) -> None:
            issued, new = result
            if not new:
                self.notify(t("papers.already_issued", paper=title, number=issued.number))
                self.reload()
                return
            self.notify(t("papers.issued_msg", paper=title, number=issued.number, path=str(issued.html_path.parent)))
            self.reload()
            self._print(issued.id, title, issued.number, str(issued.html_path))

        self.db_call(store.issue_paper, self.station, self.case_id, line.kind, done=done, group="papers-issue")

    def _print(self, notice_id: str, title: str, number: str, path: str) -> None:
        def done(count: int | None) -> None:
            if count is None:
                self.notify(t("papers.no_printer", path=path), severity="warning", timeout=8)
            else:
                self.notify(t("papers.printed", paper=title, number=number, count=count))
            self.reload()

        # A printer's failure is one line (ClerkError through the worker); the paper is saved.
        self.db_call(notices.print_notice, self.station, notice_id, done=done, group="papers-print")

    def action_reprint(self) -> None:
        line = self.selected()
        if line is None:
            return
        if line.notice_id is None:
            self.notify(t("papers.not_issued"), severity="warning")
            return
        self._print(line.notice_id, t(f"notice.title.{line.kind}"), line.number, line.file_path)
