"""Promised cases still open: overdue first, then due today, due soon, later.

From here the clerk completes a case (O) or returns it (R, with the reason);
Enter opens the case's detail.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases.history import PendingLine, pending_cases
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable

CATEGORY_STYLE = {"overdue": "bold red", "today": "bold yellow", "soon": "yellow", "later": ""}


def due_text(line: PendingLine) -> Text:
    if line.category == "overdue":
        label = t("pending.overdue", n=-line.days_left if line.days_left < 0 else 0)
    elif line.category == "today":
        label = t("pending.today")
    else:
        label = t("pending.in_days", n=line.days_left)
    return Text(label, style=CATEGORY_STYLE[line.category])


class PendingScreen(ClerkScreen):
    TITLE_KEY = "pending.title"
    BINDINGS = [
        Binding("o", "finish(False)", "pending.complete", id="pending-complete"),
        Binding("r", "finish(True)", "pending.return", id="pending-return"),
        Binding("enter", "detail", "pending.detail", id="pending-detail"),
        Binding("escape", "app.pop_screen", "key.back", id="pending-back"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="pending-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pending-summary", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("pending.due", "pending.deadline", "pending.case_no", "pending.applicant", "pending.matter"):
            table.add_column(t(key), key=key)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.db_call(pending_cases, self.station, done=self.show, group="pending", exclusive=True)

    def show(self, lines: list[PendingLine]) -> None:
        self.lines = {line.id: line for line in lines}
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            deadline = line.promised_deadline.strftime("%m-%d") + (t("pending.provisional") if line.provisional else "")
            if line.supply_deadline:
                deadline += t("pending.supply", date=line.supply_deadline.strftime("%m-%d"))
            table.add_row(
                due_text(line),
                deadline,
                safe(line.case_no),
                safe(line.applicant_name),
                safe(line.matter_name),
                key=line.id,
            )
        counts = {c: sum(1 for x in lines if x.category == c) for c in CATEGORY_STYLE}
        self.query_one("#pending-summary", Static).update(
            t(
                "pending.summary",
                overdue=counts["overdue"],
                today=counts["today"],
                soon=counts["soon"],
                total=len(lines),
            )
            if lines
            else t("pending.none")
        )

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        # The table takes Enter before the screen's binding sees it.
        self.action_detail()

    def action_detail(self) -> None:
        case_id = self._selected()
        if case_id:
            from clerk_tui.screens.case_detail import CaseDetailScreen

            self.app.push_screen(CaseDetailScreen(case_id))

    def action_finish(self, returned: bool) -> None:
        case_id = self._selected()
        if case_id is None:
            return
        from clerk_tui.screens.reason import ReasonPrompt

        line = self.lines[case_id]
        key = "pending.return_title" if returned else "pending.complete_title"
        label = t("pending.return_reason") if returned else t("pending.complete_note")

        if line.outcome == "rongque" and not returned:
            # 容缺: what was supplied and when first (required), then the optional note.
            def chosen_supplied(values: list[str] | None) -> None:
                if values is not None:
                    self.db_call(self._finish, case_id, returned, values[2], values[0], values[1], done=self._finished)

            self.app.push_screen(
                ReasonPrompt(
                    t(key, case_no=line.case_no),
                    [t("pending.supplied_note"), t("pending.supplied_on"), label],
                    ["", self.station.clock.today().isoformat(), ""],
                    required=2,
                ),
                chosen_supplied,
            )
            return

        def chosen(values: list[str] | None) -> None:
            if values is not None:
                self.db_call(self._finish, case_id, returned, values[0], done=self._finished)

        self.app.push_screen(ReasonPrompt(t(key, case_no=line.case_no), [label], required=1 if returned else 0), chosen)

    def _finish(self, case_id: str, returned: bool, note: str, *supplied: str) -> Any:
        try:
            return case_changes.finish_pending(self.station, case_id, returned, note, *supplied)
        except ClerkError as exc:
            return exc

    def _finished(self, result: Any) -> None:
        if isinstance(result, ClerkError):
            self.show_error(result)
        else:
            self.app.notify(t(f"case_status.{result.status}") + f" · {result.case_no}")
        self.reload()
