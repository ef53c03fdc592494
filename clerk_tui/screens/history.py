"""Case history: find cases by ticket, case number, name, ID number or matter.

One search box: a ticket number (A001), a case number, an ID number (matched exactly,
never shown: results carry masked numbers), the last 4-6 digits of an ID (among the
newest cases, see `services.applicants`), or part of a name or matter. Full-width
characters count as their ordinary forms. Dates and the
outcome narrow it. Enter opens the case; Ctrl+N records a case without a ticket (a consultation, say).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from clerk_tui.i18n import t
from clerk_tui.models.case import OUTCOMES
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.cases.history import CaseLine, HistoryQuery, search
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable


class HistoryScreen(ClerkScreen):
    TITLE_KEY = "history.title"
    BINDINGS = [
        Binding("ctrl+n", "new_case", "history.new_case", id="history-new"),
        Binding("ctrl+f", "focus_search", "history.search", id="history-search"),
        Binding("escape", "back", "key.back", id="history-back"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield Input(id="h-text", placeholder=t("history.search_hint"), compact=True)
            yield Input(id="h-from", placeholder=t("history.from"), compact=True, max_length=10)
            yield Input(id="h-to", placeholder=t("history.to"), compact=True, max_length=10)
            yield Select(
                [(t(f"outcome.{o}"), o) for o in OUTCOMES],
                prompt=t("history.any_outcome"),
                compact=True,
                id="h-outcome",
            )
        yield ClerkTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-summary", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in (
            "history.received",
            "history.ticket",
            "history.applicant",
            "history.id",
            "history.outcome",
            "history.matter",
        ):
            table.add_column(t(key), key=key)
        self.query_one("#h-text").focus()
        self.run_search()

    def on_screen_resume(self) -> None:
        self.run_search()

    def query_from_inputs(self) -> HistoryQuery | None:
        dates: list[date | None] = []
        for widget_id in ("h-from", "h-to"):
            text = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                dates.append(date.fromisoformat(text) if text else None)
            except ValueError:
                self.query_one("#history-summary", Static).update(t("case_form.bad_date"))
                return None
        outcome = self.query_one("#h-outcome", Select).value
        return HistoryQuery(
            text=self.query_one("#h-text", Input).value,
            date_from=dates[0],
            date_to=dates[1],
            outcome=outcome if isinstance(outcome, str) else "",
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def run_search(self) -> None:
        query = self.query_from_inputs()
        if query is not None:
            self.db_call(self._search, query, done=self.show, group="history", exclusive=True)

    def _search(self, query: HistoryQuery) -> tuple[HistoryQuery, list[CaseLine]]:
        from clerk_tui.services.cases.applicants import cases_by_id_tail, fold, id_tail

        tail = id_tail(query.text)
        if tail:  # the last 4-6 digits of an ID: a bounded search of the newest cases
            return query, cases_by_id_tail(self.station, tail, query)
        return query, search(self.station, replace(query, text=fold(query.text)))

    def show(self, result: tuple[HistoryQuery, list[CaseLine]]) -> None:
        query, lines = result
        if query != self.query_from_inputs():
            return  # the clerk typed on: this answer is stale
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            outcome = t(f"outcome.{line.outcome}")
            if line.status == "voided":
                outcome = t("case_status.voided")
            table.add_row(
                line.received_at.strftime("%m-%d %H:%M"),
                safe(line.ticket_number or "—"),
                safe(line.applicant_name),
                safe(line.id_masked),
                outcome,
                safe(line.matter_name),
                key=line.id,
            )
        self.query_one("#history-summary", Static).update(t("history.count", n=len(lines)))

    @on(Input.Submitted)
    def to_results(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def open_case(self, event: DataTable.RowSelected) -> None:
        from clerk_tui.screens.case_detail import CaseDetailScreen

        self.app.push_screen(CaseDetailScreen(str(event.row_key.value)))

    def action_focus_search(self) -> None:
        self.query_one("#h-text").focus()

    def action_new_case(self) -> None:
        from clerk_tui.screens.case_form import CaseFormScreen

        self.app.push_screen(CaseFormScreen(rate_after=True))

    def action_back(self) -> None:
        self.app.pop_screen()
