"""The case form: who applied, with which ID, and what came of it.

Opened pre-filled from a document check (matter, ticket, suggested outcome), or empty
from the history screen (the clerk types a matter). ID numbers are checked at the field
as soon as they are complete or the clerk leaves the field; a rule the service refuses
on saving is shown under its field too. Nothing typed is ever cleared by an error.
Saving a new case goes on to the rating prompt; after the rating the ticket is finished.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from clerk_tui.display_text import one_line
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models.case import ASSISTANCE, CHANNELS, OUTCOMES
from clerk_tui.screens.drafts import KeepsDraft
from clerk_tui.services import ids
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.form_data import (
    FormContext,
    MatterInfo,
    find_matters,
    form_context,
)
from clerk_tui.widgets.safe_text import safe

# Service field name -> the widget the clerk fixes it in.
FIELD_WIDGETS = {
    "matter": "f-matter",
    "applicant_kind": "f-kind",
    "applicant_name": "f-name",
    "id_type": "f-idtype",
    "id_number": "f-idnumber",
    "phone": "f-phone",
    "agent_name": "f-agent-name",
    "agent_phone": "f-agent-phone",
    "agent_id_type": "f-agent-idtype",
    "agent_id_number": "f-agent-idnumber",
    "outcome": "f-outcome",
    "supply_deadline": "f-supply",
    "promised_deadline": "f-deadline",
    "refusal_reason": "f-reason",
    "forwarded_to": "f-forward",
    "assistance": "f-assistance",
    "channel": "f-channel",
    "notes": "f-notes",
}
ERROR_ROWS = (
    "matter",
    "applicant_name",
    "id_number",
    "phone",
    "agent_name",
    "agent_id_number",
    "outcome",
    "supply_deadline",
    "promised_deadline",
    "refusal_reason",
    "forwarded_to",
)
ID_FIELDS = {"f-idnumber": ("f-idtype", "id_number"), "f-agent-idnumber": ("f-agent-idtype", "agent_id_number")}


def _id_options(kind: str) -> list[tuple[str, str]]:
    types = ids.PERSON_ID_TYPES if kind == "person" else ids.ORG_ID_TYPES
    return [(t(f"idtype.{k}"), k) for k in types]


def parse_date(text: str) -> date | None:
    text = text.strip()
    return date.fromisoformat(text) if text else None


class CaseFormScreen(KeepsDraft):
    TITLE_KEY = "case_form.title"
    TITLE_ID = "case-form-title"
    BINDINGS = [
        Binding("ctrl+s", "save", "case_form.save", id="case-save", priority=True),
        Binding("escape", "back", "key.back", id="case-back"),  # keeps a half-filled form as a draft
        Binding("f3", "find_applicant", "case_form.find_applicant", id="case-find-applicant"),
        # Most cases come to the window (the default); one key steps to the next channel.
        Binding("f4", "next_channel", "case_form.next_channel", id="case-next-channel"),
        # Enter in a text field moves on at once, before the next key arrives: a fast typist
        # (or a card reader typing the ID) must not land in the field just left.
        Binding("enter", "next_field", "case_form.next_field", show=False, priority=True),
    ]

    def __init__(
        self,
        matter_id: str | None = None,
        check_id: str | None = None,
        ticket_id: str | None = None,
        case_id: str | None = None,
        rate_after: bool = True,
    ) -> None:
        super().__init__()
        self.matter_id, self.check_id, self.ticket_id, self.case_id = matter_id, check_id, ticket_id, case_id
        self.rate_after = rate_after and case_id is None
        self.context = FormContext()
        self.saving = False
        self.hold_keys()  # what is typed before the form fills in waits for it (`fill`)
        self.draft_key = ("case", case_id, ticket_id, matter_id)

    # --- layout ------------------------------------------------------------------
    def title_text(self) -> str:
        return t("case_form.loading")  # the matter and the applicant, once they are loaded

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="case-form"):
            yield from self._row(
                "case_form.matter", "matter", Input(id="f-matter", placeholder=t("case_form.matter_hint"), compact=True)
            )
            yield from self._row(
                "case_form.applicant",
                "applicant_name",
                Select(
                    [(t(f"applicant_kind.{k}"), k) for k in cases.APPLICANT_KINDS],
                    value="person",
                    allow_blank=False,
                    compact=True,
                    id="f-kind",
                ),
                Input(id="f-name", placeholder=t("case_form.name_hint"), compact=True),
            )
            yield from self._row(
                "case_form.id",
                "id_number",
                Select(_id_options("person"), value=ids.RESIDENT_ID, allow_blank=False, compact=True, id="f-idtype"),
                Input(id="f-idnumber", placeholder=t("case_form.id_hint"), compact=True, max_length=64),
            )
            yield from self._row("case_form.phone", "phone", Input(id="f-phone", compact=True, max_length=32))
            yield from self._row(
                "case_form.agent",
                "agent_name",
                Input(id="f-agent-name", placeholder=t("case_form.agent_hint"), compact=True),
                Input(id="f-agent-phone", placeholder=t("case_form.phone"), compact=True, max_length=32),
            )
            yield from self._row(
                "case_form.agent_id",
                "agent_id_number",
                Select(
                    _id_options("person"), value=ids.RESIDENT_ID, allow_blank=False, compact=True, id="f-agent-idtype"
                ),
                Input(id="f-agent-idnumber", placeholder=t("case_form.id_hint"), compact=True, max_length=64),
            )
            yield from self._row(
                "case_form.outcome",
                "outcome",
                Select(
                    [(t(f"outcome.{o}"), o) for o in OUTCOMES],
                    value="on_the_spot",
                    allow_blank=False,
                    compact=True,
                    id="f-outcome",
                ),
                Static("", id="deadline-info"),
            )
            yield from self._row(
                "case_form.deadline",
                "promised_deadline",
                Input(id="f-deadline", placeholder="YYYY-MM-DD", compact=True),
                row_id="row-deadline",
            )
            yield from self._row(
                "case_form.supply",
                "supply_deadline",
                Input(id="f-supply", placeholder="YYYY-MM-DD", compact=True),
                row_id="row-supply",
            )
            yield from self._row(
                "case_form.reason", "refusal_reason", Input(id="f-reason", compact=True), row_id="row-reason"
            )
            yield from self._row(
                "case_form.forward", "forwarded_to", Input(id="f-forward", compact=True), row_id="row-forward"
            )
            yield from self._row(
                "case_form.assistance",
                "assistance",
                Select(
                    [(t(f"assistance.{a}"), a) for a in ASSISTANCE],
                    value="none",
                    allow_blank=False,
                    compact=True,
                    id="f-assistance",
                ),
            )
            yield from self._row(
                "case_form.channel",
                "channel",
                Select(
                    [(t(f"channel.{c}"), c) for c in CHANNELS],
                    value="window",
                    allow_blank=False,
                    compact=True,
                    id="f-channel",
                ),
            )
            yield from self._row("case_form.notes", "notes", Input(id="f-notes", compact=True))
        yield Static("", id="case-form-error", classes="field-error")

    def _row(self, label_key: str, field: str, *widgets: Widget, row_id: str | None = None) -> ComposeResult:
        with Horizontal(classes="form-row", id=row_id):
            yield Label(t(label_key), classes="form-label")
            yield from widgets
        if field in ERROR_ROWS:
            yield Static("", id=f"e-{field}", classes="field-error form-error-row")

    def on_mount(self) -> None:
        for field in ERROR_ROWS:
            self.query_one(f"#e-{field}").display = False
        self._show_outcome_rows("on_the_spot")
        self.db_call(
            form_context, self.station, self.matter_id, self.check_id, self.ticket_id, self.case_id, done=self.fill
        )

    # --- filling -----------------------------------------------------------------
    def fill(self, context: FormContext) -> None:
        self.context = context
        self._show_title()
        matter_input = self.query_one("#f-matter", Input)
        if context.matter is not None:
            matter_input.value = one_line(context.matter.name)
            matter_input.disabled = True
        self.query_one("#f-outcome", Select).value = context.suggested_outcome
        if context.check_supply:
            self.query_one("#f-supply", Input).value = context.check_supply.isoformat()
        case = context.case
        if case is not None:
            self._fill_case(case)
        self._show_outcome_rows(context.suggested_outcome)
        self.mark_clean()
        self.restore_draft()
        self.query_one("#f-matter" if context.matter is None else "#f-name").focus()
        self.keys_ready()

    def _fill_case(self, case: Any) -> None:
        self.query_one("#f-kind", Select).value = case.applicant_kind
        self._set_id_types(case.applicant_kind)
        values = {
            "f-name": case.applicant_name,
            "f-idnumber": case.id_number,
            "f-phone": case.phone,
            "f-agent-name": case.agent_name,
            "f-agent-idnumber": case.agent_id_number,
            "f-agent-phone": case.agent_phone,
            "f-reason": case.refusal_reason,
            "f-forward": case.forwarded_to,
            "f-notes": case.notes,
            "f-supply": case.supply_deadline.isoformat() if case.supply_deadline else "",
        }
        for widget_id, value in values.items():
            # Shown inert: a value merged with an escape sequence in it must not reach the
            # terminal (ordinary text is unchanged; saving keeps what the clerk sees).
            self.query_one(f"#{widget_id}", Input).value = one_line(value)
        if case.id_type:
            self.query_one("#f-idtype", Select).value = case.id_type
        if case.agent_id_type:
            self.query_one("#f-agent-idtype", Select).value = case.agent_id_type
        self.query_one("#f-assistance", Select).value = case.assistance
        self.query_one("#f-channel", Select).value = case.channel
        outcome = self.query_one("#f-outcome", Select)
        outcome.value, outcome.disabled = case.outcome, True
        self.query_one("#f-supply", Input).disabled = True

    def _show_title(self) -> None:
        c = self.context
        parts = [t("case_form.edit_title", case_no=safe(c.case.case_no)) if c.case else t("case_form.title")]
        if c.ticket_number:
            parts.append(t("case_form.ticket", number=safe(c.ticket_number)))
        if c.check_verdict:
            parts.append(t("case_form.checked", verdict=t(f"case_form.verdict.{c.check_verdict}")))
        if c.notice_number:
            parts.append(safe(c.notice_number))
        self.query_one("#case-form-title", Static).update("  ·  ".join(parts))

    def _show_outcome_rows(self, outcome: str) -> None:
        has_limit = bool(self.context.matter and self.context.matter.promised_limit)
        accepted = outcome in cases.ACCEPTED
        self.query_one("#row-deadline").display = accepted and self.context.matter is not None and not has_limit
        self.query_one("#row-supply").display = outcome == "rongque"
        self.query_one("#row-reason").display = outcome == "refused"
        self.query_one("#row-forward").display = outcome == "forwarded"
        info = ""
        if accepted and has_limit:
            from clerk_tui.services.station.calendar import date_text

            c = self.context
            info = c.deadline_problem or t(
                "case_form.deadline_info", date=date_text(c.deadline, c.deadline_provisional)
            )
        self.query_one("#deadline-info", Static).update(info)
        self.query_one("#deadline-info", Static).set_class(bool(self.context.deadline_problem), "-error")

    def before_restoring(self, values: dict[str, Any]) -> None:
        self._set_id_types(str(values.get("f-kind", "person")))  # an organisation's ID types

    def action_back(self) -> None:
        self.leave_keeping_draft()

    def _set_id_types(self, kind: str) -> None:
        select = self.query_one("#f-idtype", Select)
        current = select.value
        select.set_options(_id_options(kind))
        allowed = ids.PERSON_ID_TYPES if kind == "person" else ids.ORG_ID_TYPES
        select.value = current if current in allowed else allowed[0]

    # --- reacting ----------------------------------------------------------------
    @on(Select.Changed, "#f-kind")
    def kind_changed(self, event: Select.Changed) -> None:
        if event.value in cases.APPLICANT_KINDS:
            self._set_id_types(str(event.value))

    @on(Select.Changed, "#f-outcome")
    def outcome_changed(self, event: Select.Changed) -> None:
        self._show_outcome_rows(str(event.value))

    @on(Input.Changed, "#f-idnumber, #f-agent-idnumber")
    def id_typed(self, event: Input.Changed) -> None:
        # Judge a number once it is complete (or already marked wrong): not at every key.
        shown = self.query_one(f"#e-{ID_FIELDS[event.input.id or ''][1]}").display
        if shown or len(ids.normalise(event.value)) >= 18:
            self._check_id_field(event.input.id or "")

    @on(Input.Blurred, "#f-idnumber, #f-agent-idnumber")
    def id_left(self, event: Input.Blurred) -> None:
        self._check_id_field(event.input.id or "")

    @on(Select.Changed, "#f-idtype, #f-agent-idtype")
    def id_type_changed(self, event: Select.Changed) -> None:
        number_id = "f-idnumber" if event.select.id == "f-idtype" else "f-agent-idnumber"
        if self.query_one(f"#{number_id}", Input).value:
            self._check_id_field(number_id)

    def _check_id_field(self, input_id: str) -> None:
        type_id, field = ID_FIELDS[input_id]
        value = self.query_one(f"#{input_id}", Input).value
        id_type = self.query_one(f"#{type_id}", Select).value
        problem = None
        if value.strip():
            problem = cases.id_field_problem(str(id_type), value, self.station.clock.today())
        self._set_error(field, problem or "")

    @on(Input.Changed, "#f-matter")
    def matter_typed(self, event: Input.Changed) -> None:
        if self.context.matter is None and event.value.strip():
            self.db_call(
                find_matters, self.station, event.value, done=self._show_matches, group="matters", exclusive=True
            )

    def _show_matches(self, matches: list[MatterInfo]) -> None:
        self._matches = matches
        text = (
            t("case_form.matter_matches", names=" / ".join(m.name for m in matches))
            if matches
            else t("case_form.no_matter")
        )
        self._set_error("matter", text, error=not matches)

    @on(Input.Submitted, "#f-matter")
    def matter_chosen(self, event: Input.Submitted) -> None:
        matches = getattr(self, "_matches", [])
        if not matches:
            return
        self.matter_id = matches[0].id
        self._set_error("matter", "")
        self.db_call(form_context, self.station, self.matter_id, self.check_id, self.ticket_id, None, done=self.fill)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find_applicant":
            return self.case_id is None  # a recorded case keeps its applicant
        if action == "next_field":  # only from a text field; elsewhere Enter is the widget's own
            focused = self.focused
            return isinstance(focused, Input) and (focused.id or "").startswith("f-") and focused.id != "f-matter"
        return True

    def action_next_field(self) -> None:
        """Enter goes to the next text field (Tab reaches the choices in between)."""
        current = self.focused
        inputs = [
            i
            for i in self.query("#case-form Input").results(Input)
            if i.display and not i.disabled and i.parent is not None and i.parent.display
        ]
        later = inputs[inputs.index(current) + 1 :] if current in inputs else []
        if later:
            self.set_focus(later[0])  # now, not after the keys already typed (Widget.focus waits)

    def action_next_channel(self) -> None:
        """F4: the next channel (window → online → kiosk → post → mobile → window)."""
        select = self.query_one("#f-channel", Select)
        current = str(select.value)
        select.value = CHANNELS[(CHANNELS.index(current) + 1) % len(CHANNELS)] if current in CHANNELS else CHANNELS[0]

    # --- a returning applicant (F3) ------------------------------------------------
    def action_find_applicant(self) -> None:
        """Name or the ID's last 4-6 digits typed, F3: fill the applicant from their last case."""
        from clerk_tui.services.cases.applicants import find_applicants, lookup_kind

        source = "f-idnumber" if self.focused is self.query_one("#f-idnumber") else "f-name"
        text = self.query_one(f"#{source}", Input).value
        if not lookup_kind(text):
            self._set_error("applicant_name", t("case_form.find_hint"), error=False)
            return
        self.db_call(
            find_applicants,
            self.station,
            text,
            done=lambda found: self._applicants_found(source, text, found),
            group="applicants",
            exclusive=True,
        )

    def _applicants_found(self, source: str, text: str, found: list[Any]) -> None:
        if self.query_one(f"#{source}", Input).value != text:
            return  # the clerk typed on: this answer is for something else
        if not found:
            self._set_error("applicant_name", t("case_form.applicant_not_found", text=text))
            return
        if len(found) == 1:
            self._fill_applicant(found[0])
            return
        from clerk_tui.screens.applicant_choice import ApplicantChoice

        def chosen(index: int | None) -> None:
            if index is not None:
                self._fill_applicant(found[index])

        self.app.push_screen(ApplicantChoice(found), chosen)

    def _fill_applicant(self, applicant: Any) -> None:
        from clerk_tui.services.cases.applicants import take_over

        # Filling shows the full number: a reveal, recorded like the case detail's V.
        self.db_call(take_over, self.station, applicant, done=self._show_applicant, group="applicants")

    def _show_applicant(self, applicant: Any) -> None:
        self.query_one("#f-kind", Select).value = applicant.kind
        self._set_id_types(applicant.kind)  # now: Select.Changed would come after the ID type is set
        self.query_one("#f-name", Input).value = one_line(applicant.name)
        if applicant.id_type:
            self.query_one("#f-idtype", Select).value = applicant.id_type
        self.query_one("#f-idnumber", Input).value = one_line(applicant.id_number)
        if applicant.phone:
            self.query_one("#f-phone", Input).value = one_line(applicant.phone)
        self._check_id_field("f-idnumber")
        last = applicant.matter.name if applicant.matter else ""
        self._set_error(
            "applicant_name",
            t(
                "case_form.applicant_found",
                date=f"{applicant.last_seen:%Y-%m-%d}",
                matter=safe(last),
                n=applicant.cases,
            ),
            error=False,
        )
        if self.context.matter is None and applicant.matter is not None:
            self.matter_id = applicant.matter.id  # their last matter: the clerk may still type another
            self.db_call(
                form_context, self.station, self.matter_id, self.check_id, self.ticket_id, None, done=self.fill
            )

    def _set_error(self, field: str, text: str, error: bool = True) -> None:
        row = self.query_one(f"#e-{field}", Static)
        row.update(text)
        row.display = bool(text)
        row.set_class(not error, "-hint")

    # --- saving ------------------------------------------------------------------
    def draft(self) -> cases.CaseDraft:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value

        def choice(widget_id: str) -> str:
            return str(self.query_one(f"#{widget_id}", Select).value)

        c = self.context
        return cases.CaseDraft(
            matter_id=c.matter.id if c.matter else "",
            outcome=choice("f-outcome"),
            applicant_kind=choice("f-kind"),
            applicant_name=value("f-name"),
            id_type=choice("f-idtype"),
            id_number=value("f-idnumber"),
            phone=value("f-phone"),
            agent_name=value("f-agent-name"),
            agent_id_type=choice("f-agent-idtype"),
            agent_id_number=value("f-agent-idnumber"),
            agent_phone=value("f-agent-phone"),
            ticket_id=c.ticket_id,
            check_id=c.check_id,
            assistance=choice("f-assistance"),
            channel=choice("f-channel"),
            notes=value("f-notes"),
            supply_deadline=self._date("f-supply", "supply_deadline"),
            promised_deadline=self._date("f-deadline", "promised_deadline"),
            refusal_reason=value("f-reason"),
            forwarded_to=value("f-forward"),
        )

    def _date(self, widget_id: str, field: str) -> date | None:
        try:
            return parse_date(self.query_one(f"#{widget_id}", Input).value)
        except ValueError:
            raise cases.CaseInvalid(field, "case_form.bad_date") from None

    def action_save(self) -> None:
        if self.saving:
            return
        for field in ERROR_ROWS:
            if field != "matter" or self.context.matter is not None:
                self._set_error(field, "")
        self.query_one("#case-form-error", Static).update("")
        try:
            draft = self.draft()
        except cases.CaseInvalid as exc:
            self.show_problem(exc)
            return
        self.saving = True
        case_id = self.case_id

        def attempt() -> Any:
            try:
                if case_id is not None:
                    return case_changes.edit_case(self.station, case_id, draft)
                return cases.save_case(self.station, draft)
            except ClerkError as exc:
                return exc

        self.db_call(attempt, done=self.saved, group="case-save")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A save that failed outside the clerk's words (a connection lost mid-save: the
        # toast says it was not saved) leaves the form as typed, and ready to save again.
        # (Textual calls the base class's handler too: it shows the error.)
        if event.state == WorkerState.ERROR and event.worker.group == "case-save":
            self.saving = False

    def saved(self, result: Any) -> None:
        self.saving = False
        if isinstance(result, ClerkError):
            self.show_problem(result)
            return
        self.drop_draft()
        if self.case_id is not None:
            self.app.notify(t("case_form.edited", n=result))
            self.dismiss(True)
            return
        self.app.notify(t("case_form.saved", case_no=result.case_no, outcome=t(f"outcome.{result.outcome}")))
        if self.rate_after:
            from clerk_tui.screens.rating import RatingPrompt

            self.app.push_screen(RatingPrompt(result.id, result.case_no), self.rated)
        else:
            self.dismiss(result.id)

    def rated(self, _result: Any) -> None:
        """After the rating: finish the case's ticket if it is still this window's (the walk-in is over)."""
        ticket_id = self.context.ticket_id
        if ticket_id is None:
            self.dismiss(None)
            return
        from clerk_tui.services.queue import calling as queue_calling

        def finished(ticket: Any) -> None:
            if ticket is not None:
                self.app.notify(t("queue.finished", number=ticket.number), timeout=4)
            self._back_to_queue()

        self.db_call(queue_calling.finish_if_current, self.station, ticket_id, done=finished)

    def _back_to_queue(self) -> None:
        if self.app.serving_ticket_id == self.context.ticket_id:
            self.app.serving_ticket_id = None
        # A walk-in is over: back to the queue (ready for F2); the form and the check behind it are done with.
        while len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def show_problem(self, error: ClerkError) -> None:
        field = getattr(error, "field", "")
        if field in ERROR_ROWS:
            self._set_error(field, error.message())
        else:
            self.query_one("#case-form-error", Static).update(error.message())
        widget_id = FIELD_WIDGETS.get(field)
        if widget_id:
            widget = self.query_one(f"#{widget_id}")
            if widget.display and not widget.disabled:
                widget.focus()
