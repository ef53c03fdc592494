"""One case, whole: applicant (ID masked), outcome, times, rating, follow-ups and its trail.

V reveals the ID numbers and phones (the reveal is recorded in the trail); E edits (the
trail records old → new); X voids with a reason; O / R complete or return a pending case;
P opens the case's papers (acceptance receipt, refusal notice ...) to issue and print.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services import ids
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases.history import (
    CaseDetail,
    case_detail,
    change_text,
    event_name,
)
from clerk_tui.services.cases.ratings import rating_stage
from clerk_tui.services.station.calendar import date_text
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable

REMASK_SECONDS = 30


def when(moment: Any) -> str:
    return moment.strftime("%m-%d %H:%M") if moment else "—"


class CaseDetailScreen(ClerkScreen):
    TITLE_KEY = "detail.title"
    TITLE_ID = "detail-title"
    COMPACT_FOOTER = True  # seven keys and F1 in 80 columns
    BINDINGS = [
        Binding("v", "reveal", "detail.reveal", id="detail-reveal"),
        Binding("e", "edit", "detail.edit", id="detail-edit"),
        Binding("x", "void", "detail.void", id="detail-void"),
        Binding("o", "finish(False)", "pending.complete", id="detail-complete"),
        Binding("r", "finish(True)", "pending.return", id="detail-return"),
        Binding("p", "papers", "detail.papers", id="detail-papers"),
        # 一次一评: the visit now (a 承诺件's collection, or a rating the applicant gives later). F1 lists it.
        Binding("g", "rate", "detail.rate", id="detail-rate", show=False),
        Binding("escape", "app.pop_screen", "key.back", id="detail-back"),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.revealed: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-facts")
            yield Static(t("detail.trail"), classes="section-title")
            yield ClerkTable(id="detail-trail", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("detail.when", "detail.event", "detail.change", "detail.clerk"):
            table.add_column(t(key), key=key)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.db_call(case_detail, self.station, self.case_id, done=self.show, group="detail", exclusive=True)

    def _secret(self, field: str, value: str, phone: bool = False) -> str:
        if not value:
            return "—"
        if field in self.revealed:
            return self.revealed[field]
        return ids.mask_phone(value) if phone else ids.mask(value)

    def show(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.refresh_bindings()
        c = detail.case
        status = t(f"case_status.{c.status}")
        self.query_one("#detail-title", Static).update(
            t("detail.heading", case_no=safe(c.case_no), outcome=t(f"outcome.{c.outcome}"), status=status)
        )
        lines = [
            t("detail.matter", name=safe(c.matter_name)),
            t(
                "detail.applicant",
                kind=t(f"applicant_kind.{c.applicant_kind}"),
                name=safe(c.applicant_name or "—"),
                id_type=t(f"idtype.{c.id_type}") if c.id_type else "",
                number=safe(self._secret("id_number", c.id_number)),
                phone=safe(self._secret("phone", c.phone, phone=True)),
            ),
        ]
        if c.agent_name:
            lines.append(
                t(
                    "detail.agent",
                    name=safe(c.agent_name),
                    number=safe(self._secret("agent_id_number", c.agent_id_number)),
                    phone=safe(self._secret("agent_phone", c.agent_phone, phone=True)),
                )
            )
        lines.append(
            t(
                "detail.times",
                received=when(c.received_at),
                accepted=when(c.accepted_at),
                decided=when(c.decided_at),
                completed=when(c.completed_at),
            )
        )
        extra = []
        if c.promised_deadline:
            extra.append(t("detail.deadline", date=date_text(c.promised_deadline, c.deadline_provisional)))
        if c.supply_deadline:
            extra.append(t("detail.supply", date=c.supply_deadline.isoformat()))
        if c.supplied_on:
            extra.append(t("detail.supplied", date=c.supplied_on.isoformat(), text=safe(c.supplied_note)))
        if c.refusal_reason:
            extra.append(t("detail.reason", text=safe(c.refusal_reason)))
        if c.forwarded_to:
            extra.append(t("detail.forwarded", text=safe(c.forwarded_to)))
        if detail.notice_number:
            extra.append(t("detail.notice", number=safe(detail.notice_number)))
        extra.append(t("detail.assistance", text=t(f"assistance.{c.assistance}")))
        extra.append(t("detail.channel", text=t(f"channel.{c.channel}")))
        lines.append("  ".join(extra))
        lines.append(
            t("detail.who", ticket=safe(detail.ticket_number or "—"), clerk=safe(c.clerk_no), window=c.window_no or "—")
        )
        for r in detail.ratings:
            points = t("detail.sep").join(t(f"rating.point.{p}") for p in r.points.split(",") if p)
            level = f"{r.level} {t(f'rating.level.{r.level}')}" if r.level else t("rating.none")
            text = dict(level=level, points=points or "—", comment=safe(r.comment or "—"))
            if len(detail.ratings) > 1:  # a 承诺件 may hold two (一次一评): say which visit each one rates
                stage = t(f"rating.stage.{rating_stage(c, r.rated_at)}")
                lines.append(t("detail.rating_of_stage", stage=stage, **text))
            else:
                lines.append(t("detail.rating", **text))
        for f in detail.follow_ups:
            lines.append(
                t(
                    "detail.follow_up",
                    due=date_text(f.due_date, f.due_provisional),
                    status=t(f"follow_up.status.{f.status}"),
                    note=safe(f.fix_note or f.contact_note or "—"),
                )
            )
        if c.notes:
            lines.append(t("detail.notes", text=safe(c.notes)))
        if c.void_reason:
            lines.append(t("detail.void_reason", text=safe(c.void_reason)))
        self.query_one("#detail-facts", Static).update("\n".join(lines))
        table = self.query_one(DataTable)
        table.clear()
        for event in detail.events:
            table.add_row(when(event.at), safe(event_name(event)), safe(change_text(event)), safe(event.clerk_no))

    def action_reveal(self) -> None:
        def got(values: dict[str, str]) -> None:
            self.revealed = values
            self.reload()
            # Shown for a moment, for the clerk who asked: then masked again.
            self.set_timer(REMASK_SECONDS, self.remask)

        self.db_call(case_changes.reveal, self.station, self.case_id, done=got)

    def remask(self) -> None:
        if self.revealed:
            self.revealed = {}
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Greys out keys that do not apply to this case (pending-only, not when voided)."""
        if self.detail is None:
            return True
        status = self.detail.case.status
        if action == "finish":
            return True if status == "pending" else None
        if action in ("edit", "void"):
            return True if status != "voided" else None
        return True

    def action_edit(self) -> None:
        if self.detail is None or self.detail.case.status == "voided":
            return
        from clerk_tui.screens.case_form import CaseFormScreen

        self.revealed = {}
        self.app.push_screen(CaseFormScreen(case_id=self.case_id))

    def action_papers(self) -> None:
        """The case's papers (acceptance receipt, refusal notice ...): issue, print, reprint."""
        from clerk_tui.screens.papers import PapersScreen

        self.revealed = {}
        self.app.push_screen(PapersScreen(self.case_id))

    def action_void(self) -> None:
        if self.detail is None or self.detail.case.status == "voided":
            return
        from clerk_tui.screens.reason import ReasonPrompt

        def chosen(values: list[str] | None) -> None:
            if values is not None:
                self.db_call(self._guard, case_changes.void_case, values[0], done=self._changed)

        self.app.push_screen(
            ReasonPrompt(t("detail.void_title", case_no=self.detail.case.case_no), [t("detail.void_reason_label")]),
            chosen,
        )

    def action_finish(self, returned: bool) -> None:
        if self.detail is None or self.detail.case.status != "pending":
            return
        from clerk_tui.screens.reason import ReasonPrompt

        case_no = self.detail.case.case_no
        title = t("pending.return_title" if returned else "pending.complete_title", case_no=case_no)
        label = t("pending.return_reason" if returned else "pending.complete_note")
        if self.detail.case.outcome == "rongque" and not returned:
            # 容缺: what was supplied and when first (required), then the optional note.
            def chosen_supplied(values: list[str] | None) -> None:
                if values is not None:
                    self.db_call(
                        self._guard,
                        case_changes.finish_pending,
                        False,
                        values[2],
                        values[0],
                        values[1],
                        done=self._changed,
                    )

            self.app.push_screen(
                ReasonPrompt(
                    title,
                    [t("pending.supplied_note"), t("pending.supplied_on"), label],
                    ["", self.station.clock.today().isoformat(), ""],
                    required=2,
                ),
                chosen_supplied,
            )
            return

        def chosen(values: list[str] | None) -> None:
            if values is not None:
                self.db_call(self._guard, case_changes.finish_pending, returned, values[0], done=self._changed)

        self.app.push_screen(ReasonPrompt(title, [label], required=1 if returned else 0), chosen)

    def action_rate(self) -> None:
        if self.detail is None or self.detail.case.status == "voided":
            return
        case = self.detail.case
        stage = rating_stage(case, self.station.clock.now())
        if any(rating_stage(case, r.rated_at) == stage for r in self.detail.ratings):
            self.show_error(ClerkError("rating.already", case_no=case.case_no, stage=t(f"rating.stage.{stage}")))
            return
        from clerk_tui.screens.rating import RatingPrompt

        self.app.push_screen(RatingPrompt(case.id, case.case_no), lambda _result: self.reload())

    def _guard(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(self.station, self.case_id, *args)
        except ClerkError as exc:
            return exc

    def _changed(self, result: Any) -> None:
        if isinstance(result, ClerkError):
            self.show_error(result)
        self.reload()
