"""The document check: answer the situations, mark each material, read the verdict.

Opened from the main screen or from the catalog screen with a matter chosen. It is for
the window's current ticket: one only called starts its service here (the applicant is
at the window; see `services.walk_in.begin_check`); with no current ticket the check is
standalone. Without a matter, the ticket's queue offers its configured matters (one
digit each), else the catalog search picks it. Keys act on the highlighted row: y/n
answer a situation (on a conditional material too), p/Space e x - mark a material; the
cursor then moves on, so a whole check is a run of single keys; `a` marks the rest
given. Once there is a verdict, Enter (or r) saves the check and opens the case form
pre-filled. The rules live in `services.document_check`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from clerk_tui.display_text import one_line
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.cases.form_data import MatterInfo
from clerk_tui.services.catalog.search import GuideMaterial
from clerk_tui.services.check import documents as dc
from clerk_tui.services.check.walk_in import WalkIn, begin_check
from clerk_tui.widgets.table import ClerkTable

MARK_STYLE = {
    dc.PROVIDED: "green",
    dc.E_LICENCE: "green",
    dc.MISSING: "bold red",
    dc.NOT_APPLICABLE: "dim",
}


class CheckScreen(ClerkScreen):
    TITLE_KEY = "check.title"
    TITLE_ID = "check-title"
    COMPACT_FOOTER = True
    # The legend above the verdict lists every key; the footer keeps the ones that leave the screen.
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("y", "answer(True)", "check.key.yes", id="check-yes", show=False),
        Binding("n", "answer(False)", "check.key.no", id="check-no", show=False),
        Binding("p,space", "mark('provided')", "check.key.provided", id="check-provided", show=False),
        Binding("e", "mark('e_licence')", "check.key.e_licence", id="check-e-licence", show=False),
        Binding("x", "mark('missing')", "check.key.missing", id="check-missing", show=False),
        Binding("minus", "mark('not_applicable')", "check.key.not_applicable", id="check-not-applicable", show=False),
        Binding("backspace,delete", "mark('')", "check.key.clear", id="check-clear", show=False),
        Binding("a", "rest_provided", "check.key.rest_provided", id="check-rest", show=False),
        Binding("t", "notice", "check.key.notice", id="check-notice"),
        Binding("ctrl+s", "save", "check.key.save", id="check-save"),
        Binding("r", "case", "check.key.case", id="check-case"),
        Binding("m", "other_matter", "check.key.matter", id="check-matter", show=False),
    ]

    def __init__(self, matter_id: str | None = None, ticket_id: str | None = None) -> None:
        super().__init__()
        self.matter_id = matter_id
        self.ticket_id = ticket_id
        self.start: dc.CheckStart | None = None
        self.answers: dict[str, bool] = {}
        self.marks: dict[int, str] = {}
        self.saved: tuple[tuple[Any, ...], str] | None = None  # (what was saved, check id)
        # Which table the keys act on. Kept here, not read from focus: focus moves one
        # refresh later, and a clerk typing "n p x" fast must not lose the "p".
        self.active = "#check-questions"
        self.hold_keys()  # keys typed before the matter is loaded wait for it (`loaded`)

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="check-questions", cursor_type="row", zebra_stripes=True)
        yield ClerkTable(id="check-materials", cursor_type="row", zebra_stripes=True)
        yield Static("", id="check-detail", classes="muted")
        yield Static(t("check.legend"), id="check-keys", classes="muted")
        with Horizontal(id="check-verdict-bar"):
            yield Static("", id="check-verdict")
            yield Static(t("check.supply_label"), id="check-supply-label")
            yield Input(placeholder="YYYY-MM-DD", id="check-supply", compact=True, max_length=10)

    def on_mount(self) -> None:
        questions = self.query_one("#check-questions", DataTable)
        questions.add_column(t("check.col_question"), key="q")
        questions.add_column(t("check.col_answer"), key="a")
        materials = self.query_one("#check-materials", DataTable)
        # Short columns fixed, the name takes the rest (the detail line shows it whole).
        fixed = {"check.col_mark": 11, "check.col_necessity": 8, "check.col_form": 12, "e": 2}
        name_width = max(16, self.app.size.width - 4 - sum(fixed.values()) - 2 * (len(fixed) + 1))
        materials.add_column(t("check.col_mark"), key="check.col_mark", width=fixed["check.col_mark"])
        materials.add_column(t("check.col_material"), key="check.col_material", width=name_width)
        materials.add_column(t("check.col_necessity"), key="check.col_necessity", width=fixed["check.col_necessity"])
        materials.add_column(t("check.col_form"), key="check.col_form", width=fixed["check.col_form"])
        materials.add_column("", key="e", width=fixed["e"])
        self.query_one("#check-verdict-bar").display = False
        if self.ticket_id is None:
            self.db_call(begin_check, self.station, done=self.begun, group="check-load")
        else:
            self.begun(None)

    def begun(self, walk_in: WalkIn | None) -> None:
        """The ticket is known (started now if it was only called): on to the matter."""
        matters: list[MatterInfo] = []
        if walk_in is not None and walk_in.ticket_id is not None:
            self.ticket_id = walk_in.ticket_id
            self.app.serving_ticket_id = walk_in.ticket_id
            matters = walk_in.matters
            if walk_in.started_now:
                self.notify(t("check.started_service", number=walk_in.number), timeout=3)
        if self.matter_id is not None:
            self.load()
        elif len(matters) == 1:
            self.matter_id = matters[0].id
            self.load()
        elif matters and walk_in is not None:
            self.choose_from_queue(walk_in)
        else:
            self.action_other_matter()

    def choose_from_queue(self, walk_in: WalkIn) -> None:
        from clerk_tui.screens.matter_choice import SEARCH, QueueMatterChoice
        from clerk_tui.screens.queue_text import queue_name

        def chosen(result: str | None) -> None:
            if result == SEARCH:
                self.action_other_matter()
            elif result:
                self.matter_id = result
                self.load()
            else:
                self.app.pop_screen()  # nothing to check

        label = queue_name(self.station.settings, walk_in.queue)
        self.app.push_screen(QueueMatterChoice(walk_in.number, label, walk_in.matters), chosen)

    def load(self) -> None:
        assert self.matter_id is not None
        self.db_call(dc.start_check, self.station, self.matter_id, self.ticket_id, done=self.loaded, group="check-load")

    def loaded(self, start: dc.CheckStart) -> None:
        self.start = start
        self.ticket_id = start.ticket_id
        self.answers, self.marks, self.saved = {}, {}, None
        ticket = t("check.ticket", number=start.ticket_number) if start.ticket_number else t("check.standalone")
        self.query_one("#check-title", Static).update(
            Text(one_line(f"{t('check.title')} · {start.guide.name} · {ticket}"))
        )
        self.query_one("#check-verdict-bar").display = True
        supply = self.query_one("#check-supply", Input)
        supply.value = start.supply_limit.isoformat() if start.supply_limit else ""
        questions = self.query_one("#check-questions", DataTable)
        questions.display = bool(dc.questions(start.guide.materials))
        self.redraw()
        self.activate("#check-questions" if questions.display else "#check-materials")
        self.keys_ready()

    def activate(self, table_id: str) -> None:
        self.active = table_id
        self.query_one(table_id, DataTable).focus()

    def on_descendant_focus(self, event: Any) -> None:
        if event.widget.id in ("check-questions", "check-materials"):
            self.active = f"#{event.widget.id}"

    # --- drawing --------------------------------------------------------------------------------

    @property
    def materials(self) -> list[GuideMaterial]:
        return self.start.guide.materials if self.start else []

    def _mark_cell(self, m: GuideMaterial) -> Text:
        if dc.applies(m, self.answers) is None:
            return Text(t("check.mark.unknown"), style="dim italic")
        mark = dc.effective_mark(m, self.answers, self.marks)
        if mark is None:
            return Text(t("check.mark.none"), style="yellow")
        return Text(t(f"check.mark.{mark}"), style=MARK_STYLE[mark])

    def redraw(self) -> None:
        questions = self.query_one("#check-questions", DataTable)
        q_row = questions.cursor_row
        questions.clear()
        for i, q in enumerate(dc.questions(self.materials)):
            answer = self.answers.get(q)
            label = {True: "check.answer.yes", False: "check.answer.no", None: "check.answer.none"}[answer]
            style = "bold" if answer is not None else "yellow"
            questions.add_row(Text(one_line(t("check.question", q=q))), Text(t(label), style=style), key=f"q{i}")
        if questions.row_count:
            questions.move_cursor(row=min(q_row, questions.row_count - 1))
        table = self.query_one("#check-materials", DataTable)
        m_row = table.cursor_row
        table.clear()
        for m in self.materials:
            applicable = dc.applies(m, self.answers)
            name = Text(one_line(m.name), style="dim" if applicable is False else "")
            if m.condition:
                name = Text("▸ ", style="dim") + name
            need = Text(t(f"necessity_short.{m.necessity}"), style={1: "bold", 3: "italic"}.get(m.necessity, "dim"))
            form = f"{m.form} {t('check.copies', n=m.copies)}"
            table.add_row(
                self._mark_cell(m),
                name,
                need,
                Text(one_line(form)),
                t("check.e_mark") if m.e_licence else "",
                key=str(m.position),
            )
        if table.row_count:
            table.move_cursor(row=min(m_row, table.row_count - 1))
        self.show_verdict()
        self.show_detail()

    def verdict(self) -> dc.Verdict:
        return dc.judge(self.materials, self.answers, self.marks)

    def show_verdict(self) -> None:
        v = self.verdict()
        label = self.query_one("#check-verdict", Static)
        params = {
            "pending": {"questions": len(v.unanswered), "materials": len(v.unmarked)},
            "accept": {},
            "rongque": {"n": len(v.missing_rongque)},
            "correction": {"n": len(v.missing_required)},
        }[v.kind]
        label.update(t(f"check.verdict.{v.kind}", **params))
        bar = self.query_one("#check-verdict-bar")
        for kind in dc.VERDICTS:
            bar.set_class(kind == v.kind, f"-{kind}")
        rongque = self.start if v.kind == "rongque" else None
        supply_asked = rongque is not None and rongque.supply_limit is not None
        self.query_one("#check-supply", Input).display = supply_asked
        self.query_one("#check-supply-label", Static).display = supply_asked
        if rongque is not None and rongque.supply_problem:
            label.update(Text(one_line(t("check.supply_problem", reason=rongque.supply_problem))))

    def show_detail(self) -> None:
        detail = self.query_one("#check-detail", Static)
        m = self.current_material()
        if m is None:
            detail.update("")
            return
        parts = [m.name, f"{m.form} {t('notice.copies', n=m.copies)}"]
        if m.condition:
            parts.append(t("guide.condition", condition=m.condition))
        if m.e_licence:
            parts.append(t("guide.e_licence"))
        if m.source:
            parts.append(t("guide.source", source=m.source))
        detail.update(Text(one_line(" · ".join(parts))))

    @on(DataTable.RowSelected)
    def _row_entered(self, event: DataTable.RowSelected) -> None:
        # Enter: with a verdict, on to the case form (a pending check says what is left).
        if self.start is not None:
            self.action_case()

    @on(DataTable.RowHighlighted, "#check-materials")
    def _material_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    # --- the row under the cursor ------------------------------------------------------------

    def current_material(self) -> GuideMaterial | None:
        table = self.query_one("#check-materials", DataTable)
        if not table.row_count or not self.materials:
            return None
        return self.materials[min(table.cursor_row, len(self.materials) - 1)]

    def current_question(self) -> str | None:
        questions = self.query_one("#check-questions", DataTable)
        if self.active == "#check-questions" and questions.row_count:
            return dc.questions(self.materials)[questions.cursor_row]
        m = self.current_material()
        if m is not None and m.condition.strip() and self.active == "#check-materials":
            return m.condition.strip()
        return None

    def _advance(self, table_id: str) -> None:
        table = self.query_one(table_id, DataTable)
        if table_id == "#check-materials":
            # On to the next material that still counts: rows ruled out by an answer are skipped.
            for row in range(table.cursor_row + 1, len(self.materials)):
                if dc.applies(self.materials[row], self.answers) is not False:
                    table.move_cursor(row=row)
                    return
            return
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
        elif table_id == "#check-questions":
            self.activate("#check-materials")

    # --- actions ---------------------------------------------------------------------------------

    def action_answer(self, yes: bool) -> None:
        question = self.current_question()
        if question is None:
            return
        self.answers[question] = yes
        on_questions = self.active == "#check-questions"
        self.redraw()
        if on_questions:
            self._advance("#check-questions")

    def action_mark(self, mark: str) -> None:
        if self.active != "#check-materials":
            self.activate("#check-materials")  # marks are for materials: go there
        m = self.current_material()
        if m is None:
            return
        applicable = dc.applies(m, self.answers)
        if applicable is None:
            self.notify(t("check.answer_first"), severity="warning")
            return
        if applicable is False:
            self.notify(t("check.not_applicable_by_answer"), severity="warning")
            return
        if mark and not dc.mark_allowed(m, mark):
            self.notify(t("check.only_e_licence"), severity="warning")
            return
        if mark:
            self.marks[m.position] = mark
        else:
            self.marks.pop(m.position, None)
        self.redraw()
        if mark:
            self._advance("#check-materials")

    def action_rest_provided(self) -> None:
        for m in self.materials:
            if dc.applies(m, self.answers) and m.position not in self.marks:
                self.marks[m.position] = dc.PROVIDED
        self.redraw()

    def _supply_date(self) -> date | None:
        if self.verdict().kind != "rongque":
            return None
        text = self.query_one("#check-supply", Input).value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.notify(t("check.bad_date"), severity="error")
            raise

    def save_then(self, then: Any = None) -> None:
        """Save the check (unless this very state was saved already), then call `then(check_id)`."""
        if self.start is None:
            return
        try:
            supply = self._supply_date()
        except ValueError:
            return
        verdict = self.verdict()
        if verdict.kind == "pending":
            self.notify(
                t("check.incomplete", questions=len(verdict.unanswered), materials=len(verdict.unmarked)),
                severity="warning",
            )
            return
        state = (tuple(sorted(self.answers.items())), tuple(sorted(self.marks.items())), supply)
        if self.saved is not None and self.saved[0] == state:
            if then is not None:
                then(self.saved[1])
            return

        def done(check_id: str) -> None:
            self.saved = (state, check_id)
            if then is None:
                key = "check.saved_accept" if self.verdict().kind == "accept" else "check.saved"
                self.notify(t(key))
            else:
                then(check_id)

        self.db_call(
            dc.save_check,
            self.station,
            self.start,
            dict(self.answers),
            dict(self.marks),
            supply,
            done=done,
            group="check-save",
        )

    def action_save(self) -> None:
        self.save_then()

    def action_notice(self) -> None:
        if self.start is None:
            return
        verdict = self.verdict()
        if verdict.kind == "accept":
            self.notify(t("check.accept_no_notice"))
            return
        from clerk_tui.screens.notice import NoticeScreen

        self.save_then(lambda check_id: self.app.push_screen(NoticeScreen(check_id)))

    def action_case(self) -> None:
        if self.start is None:
            return
        try:
            from clerk_tui.screens.case_form import CaseFormScreen
        except ImportError:
            self.notify(t("check.no_case_form"), severity="warning")
            return
        start = self.start
        self.save_then(
            lambda check_id: self.app.push_screen(
                CaseFormScreen(matter_id=start.guide.id, check_id=check_id, ticket_id=start.ticket_id)
            )
        )

    def action_other_matter(self) -> None:
        from clerk_tui.screens.matter_search import MatterPickScreen

        def picked(matter_id: str | None) -> None:
            if matter_id:
                self.matter_id = matter_id
                self.load()
            elif self.start is None:
                self.app.pop_screen()  # nothing to check

        self.app.push_screen(MatterPickScreen(), picked)

    def action_back(self) -> None:
        self.leave("confirm.leave_check")

    def unsaved_work(self) -> bool:
        # Answers or marks given since the check was last saved (a saved check is on record).
        state = (tuple(sorted(self.answers.items())), tuple(sorted(self.marks.items())))
        return self.start is not None and any(state) and (self.saved is None or self.saved[0][:2] != state)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters type into the supply date box while it has focus.
        return not (
            isinstance(self.focused, Input)
            and action in ("answer", "mark", "rest_provided", "notice", "case", "other_matter")
        )
