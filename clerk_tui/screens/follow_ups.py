"""Follow-ups (call-backs) that bad ratings opened: who to call, by when, and what was done.

Enter records the call and, once known, the fix (which closes the follow-up). A switches
between open follow-ups and all of them; phone numbers are masked (the detail reveals them).
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
from clerk_tui.services import ids
from clerk_tui.services.cases import ratings
from clerk_tui.services.cases.ratings import FollowUpLine
from clerk_tui.services.station.calendar import date_text
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable


class FollowUpsScreen(ClerkScreen):
    TITLE_KEY = "follow_ups.title"
    TITLE_ID = "follow-ups-title"
    BINDINGS = [
        Binding("enter", "record", "follow_ups.record", id="follow-up-record"),
        Binding("a", "toggle_all", "follow_ups.toggle_all", id="follow-up-all"),
        Binding("d", "detail", "follow_ups.detail", id="follow-up-detail"),
        Binding("escape", "app.pop_screen", "key.back", id="follow-up-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.lines: dict[str, FollowUpLine] = {}

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="follow-ups-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="follow-up-note", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in (
            "follow_ups.due",
            "follow_ups.status",
            "follow_ups.rating",
            "follow_ups.applicant",
            "follow_ups.phone",
            "follow_ups.case_no",
        ):
            table.add_column(t(key), key=key)
        self.reload()

    def reload(self) -> None:
        self.db_call(ratings.list_follow_ups, self.station, self.show_all, done=self.show, group="fu", exclusive=True)

    def show(self, lines: list[FollowUpLine]) -> None:
        self.lines = {line.id: line for line in lines}
        today = self.station.clock.today()
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            late = line.status != "closed" and line.due_date < today
            due = Text(date_text(line.due_date, line.due_provisional), style="bold red" if late else "")
            level = t(f"rating.level.{line.level}") if line.level else t("rating.none")
            table.add_row(
                due,
                t(f"follow_up.status.{line.status}"),
                f"{line.level} {level}",
                safe(line.applicant_name),
                safe(ids.mask_phone(line.phone)),
                safe(line.case_no),
                key=line.id,
            )
        self.query_one("#follow-up-note", Static).update(t("follow_ups.none") if not lines else self._note(lines[0]))

    @staticmethod
    def _note(line: FollowUpLine) -> str:
        points = t("detail.sep").join(t(f"rating.point.{p}") for p in line.points.split(",") if p)
        return t("follow_ups.about", points=points or "—", comment=safe(line.comment or "—"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        line = self.lines.get(str(event.row_key.value))
        if line is not None:
            self.query_one("#follow-up-note", Static).update(self._note(line))

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        # The table takes Enter before the screen's binding sees it.
        self.action_record()

    def _selected(self) -> FollowUpLine | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self.lines.get(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.reload()

    def action_detail(self) -> None:
        line = self._selected()
        if line is not None:
            from clerk_tui.screens.case_detail import CaseDetailScreen

            self.app.push_screen(CaseDetailScreen(line.case_id))

    def action_record(self) -> None:
        line = self._selected()
        if line is None or line.status == "closed":
            return
        from clerk_tui.screens.reason import ReasonPrompt

        def chosen(values: list[str] | None) -> None:
            if values is not None:
                self.db_call(self._record, line.id, values[0], values[1], done=self._recorded)

        self.app.push_screen(
            ReasonPrompt(
                t("follow_ups.record_title", case_no=line.case_no),
                [t("follow_ups.contact_note"), t("follow_ups.fix_note")],
                [line.contact_note, line.fix_note],
            ),
            chosen,
        )

    def _record(self, follow_up_id: str, contact: str, fix: str) -> Any:
        try:
            return ratings.record_follow_up(self.station, follow_up_id, contact, fix)
        except ClerkError as exc:
            return exc

    def _recorded(self, result: Any) -> None:
        if isinstance(result, ClerkError):
            self.show_error(result)
        else:
            self.app.notify(t(f"follow_up.status.{result.status}"))
        self.reload()
