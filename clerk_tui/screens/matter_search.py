"""Searching the matter catalog: search as you type, filters, and the matter guide beside the list.

The search index loads once in a worker; each key press searches it in a worker too, and
a result is shown only if the search box and the filters still say what it was for, so a
slow answer to "g" never overwrites the answer to "gtgsh".

Two screens search: the catalog (screens/catalog.py, key C: Enter starts a document check
of the matter), and the matter picker below (Enter hands the matter back: to the check
screen, for another matter, or to the queue screen, for a walk-in's matter).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from clerk_tui.display_text import neutral, one_line
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.catalog.search import (
    MatterGuide,
    SearchIndex,
    SearchResult,
    load_index,
    matter_guide,
)
from clerk_tui.widgets.table import ClerkTable


def _limit(n: int | None, unit: str) -> str:
    if n is None:
        return t("guide.none")
    return t("guide.limit", n=n, unit=unit or "")


def guide_text(g: MatterGuide) -> Text:
    """Every field of the guide and every material, for the guide panel."""
    text = Text()
    text.append(one_line(g.name), style="bold")
    if not g.active:
        text.append(" " + t("catalog.inactive"), style="italic")
    text.append("\n")

    def row(label: str, value: str) -> None:
        if value:
            text.append(f"{label}  ", style="dim")
            text.append(f"{neutral(value)}\n")

    def yes_no(flag: bool) -> str:
        return t("guide.yes") if flag else t("guide.no")

    row(t("guide.code"), g.code)
    row(t("guide.basic_code"), g.basic_code)
    row(t("guide.task_type"), t(f"task_type.{g.task_type}"))
    row(t("guide.department"), g.department)
    row(t("guide.level"), g.level)
    row(
        t("guide.objects"),
        t("catalog.list_sep").join(t(f"service_object.{o.strip()}") for o in g.service_objects.split(",") if o.strip()),
    )
    row(t("guide.project_type"), t(f"project_type.{g.project_type}"))
    row(t("guide.statutory"), _limit(g.statutory_limit, g.statutory_unit))
    row(t("guide.promised"), _limit(g.promised_limit, g.promised_unit))
    row(t("guide.visits"), t("guide.visits_n", n=g.visits) if g.visits is not None else t("guide.none"))
    row(t("guide.fee"), (g.fee_note or t("guide.yes")) if g.fee_charged else t("guide.free"))
    row(t("guide.online"), yes_no(g.online))
    row(t("guide.appointment"), yes_no(g.appointment))
    row(t("guide.scope"), g.scope)
    row(t("guide.basis"), g.legal_basis)
    row(t("guide.contact"), g.contact)
    row(t("guide.note"), g.note)
    text.append("\n" + t("guide.materials", n=len(g.materials)) + "\n", style="bold")
    for n, m in enumerate(g.materials, 1):
        text.append(f"{n}. {one_line(m.name)}\n")
        need_style = {1: "bold", 3: "italic"}.get(m.necessity, "dim")
        text.append("   ")
        text.append(t(f"necessity.{m.necessity}"), style=need_style)
        text.append(
            f" · {one_line(m.form)} · {t('guide.copies', n=m.copies)} · {t(f'material_type.{m.material_type}')}\n"
        )
        if m.condition:
            text.append("   " + t("guide.condition", condition=neutral(m.condition)) + "\n", style="italic")
        extras = []
        if m.e_licence:
            extras.append(t("guide.e_licence"))
        if m.source:
            extras.append(t("guide.source", source=one_line(m.source)))
        if extras:
            text.append("   " + " · ".join(extras) + "\n", style="dim")
        if m.note:
            text.append(f"   {neutral(m.note)}\n", style="dim")
    return text


class MatterSearchScreen(ClerkScreen):
    """The search; a subclass declares the keys (Esc runs its `action_back`) and says what
    Enter does with the highlighted matter (`choose_matter`)."""

    TITLE_KEY = "catalog.title"
    SHOW_TITLE = False  # the search bar is the first line: at 24 rows the list needs the room
    ENTER_HINT = "catalog.enter_hint"  # what Enter does, after the count of matters found

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.index: SearchIndex | None = None
        self.result: SearchResult | None = None
        self.guide_id: str | None = None
        self.hold_keys()  # a search typed (and Enter) before the index is loaded waits for it

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="catalog-bar"):
            # Not selected on focus: letters typed in the list come back here one by one, and
            # a selection would let the next letter replace the search typed so far.
            yield Input(
                self.initial_query,
                placeholder=t("catalog.search_placeholder"),
                id="catalog-query",
                compact=True,
                select_on_focus=False,
            )
            yield Select[str]([], prompt=t("catalog.all_departments"), id="catalog-dept", compact=True)
            yield Select[str]([], prompt=t("catalog.all_types"), id="catalog-type", compact=True)
        yield Static(t("catalog.loading_index"), id="catalog-status", classes="muted")
        with Horizontal(id="catalog-body"):
            yield ClerkTable(id="catalog-results", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="catalog-guide-pane"):
                yield Static(t("catalog.guide_empty"), id="catalog-guide", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one("#catalog-results", DataTable)
        table.add_column(t("catalog.col_kind_short"), key="kind")
        table.add_column(t("catalog.col_name"), key="name")
        self.query_one("#catalog-query", Input).focus()
        self.db_call(load_index, self.station, done=self._index_loaded, group="catalog-index")

    def _index_loaded(self, index: SearchIndex) -> None:
        self.index = index
        depts = self.query_one("#catalog-dept", Select)
        depts.set_options([(name, code) for code, name in index.departments])
        types = self.query_one("#catalog-type", Select)
        types.set_options([(t(f"task_type.{tt}"), tt) for tt in index.task_types])
        self.run_search()
        self.keys_ready()

    # --- searching ---------------------------------------------------------------------------

    def _filters(self) -> tuple[str | None, str | None]:
        dept = self.query_one("#catalog-dept", Select).value
        ttype = self.query_one("#catalog-type", Select).value
        return (dept if isinstance(dept, str) else None, ttype if isinstance(ttype, str) else None)

    def run_search(self) -> None:
        if self.index is None:
            return
        query = self.query_one("#catalog-query", Input).value
        dept, ttype = self._filters()
        self.db_call(self.index.search, query, dept, ttype, done=self.show_result, group="catalog-search")

    @on(Input.Changed, "#catalog-query")
    @on(Select.Changed)
    def _criteria_changed(self, event: Any) -> None:
        self.run_search()

    def show_result(self, result: SearchResult) -> None:
        # Drop stale answers: only show a result for what the clerk sees typed and chosen now.
        if (
            result.query != self.query_one("#catalog-query", Input).value
            or (result.department, result.task_type) != self._filters()
        ):
            return
        self.result = result
        table = self.query_one("#catalog-results", DataTable)
        table.clear()
        for hit in result.hits:
            e = hit.entry
            table.add_row(t(f"project_type_short.{e.project_type}"), Text(one_line(e.name)), key=e.id)
        status = self.query_one("#catalog-status", Static)
        shown = len(result.hits)
        if result.empty:
            if self.index is not None and self.index.size == 0:
                status.update(Text(t("catalog.no_matters")))
            elif result.department or result.task_type:
                status.update(Text(t("catalog.nothing_found_filtered", query=one_line(result.query.strip()))))
            else:
                status.update(Text(t("catalog.nothing_found", query=one_line(result.query.strip()))))
            status.set_class(True, "-empty")
            self.show_guide(None)
            return
        status.set_class(False, "-empty")
        if result.capped:
            count = t("catalog.count_capped", n=result.total, shown=shown)
        elif shown < result.total:
            count = t("catalog.count_limited", n=result.total, shown=shown)
        else:
            count = t("catalog.count", n=result.total)
        hint = t(self.ENTER_HINT)
        status.update(Text(count) + Text(f"  ·  {hint}", style="dim"))
        table.move_cursor(row=0)
        self._load_guide(result.hits[0].entry.id)

    # --- the guide -------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#catalog-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._load_guide(event.row_key.value)

    def _load_guide(self, matter_id: str) -> None:
        if matter_id == self.guide_id:
            return
        self.guide_id = matter_id
        self.db_call(matter_guide, self.station, matter_id, done=self.show_guide, group="catalog-guide")

    def show_guide(self, guide: MatterGuide | None) -> None:
        pane = self.query_one("#catalog-guide", Static)
        if guide is None:
            self.guide_id = None
            pane.update(t("catalog.guide_empty"))
            pane.add_class("muted")
            return
        if guide.id != self.guide_id:
            return  # the clerk has moved on to another row
        pane.remove_class("muted")
        pane.update(guide_text(guide))
        self.query_one("#catalog-guide-pane", VerticalScroll).scroll_home(animate=False)

    # --- keys --------------------------------------------------------------------------------------

    def on_key(self, event: Any) -> None:
        query = self.query_one("#catalog-query", Input)
        table = self.query_one("#catalog-results", DataTable)
        if event.key == "down" and query.has_focus and table.row_count:
            table.focus()
            event.stop()
        elif event.key == "up" and table.has_focus and table.cursor_row == 0:
            query.focus()
            event.stop()
        elif table.has_focus and event.character and event.character.isprintable() and len(event.character) == 1:
            # Typing in the list goes on with the search.
            query.focus()
            query.insert_text_at_cursor(event.character)
            event.stop()

    def selected_id(self) -> str | None:
        table = self.query_one("#catalog-results", DataTable)
        if not table.row_count or self.result is None or self.result.empty:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # Enter in the search box or on a row chooses the highlighted matter.
    @on(Input.Submitted, "#catalog-query")
    @on(DataTable.RowSelected, "#catalog-results")
    def _enter(self, event: Any) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        query = self.query_one("#catalog-query", Input).value
        if self.index is not None and (self.result is None or self.result.query != query):
            # Enter pressed before the answer to the last key arrived: search now (a few ms).
            dept, ttype = self._filters()
            self.show_result(self.index.search(query, dept, ttype))
        matter_id = self.selected_id()
        if matter_id is not None:
            self.choose_matter(matter_id)

    def choose_matter(self, matter_id: str) -> None:
        raise NotImplementedError

    def action_focus_search(self) -> None:
        self.query_one("#catalog-query", Input).focus()

    def action_focus_guide(self) -> None:
        self.query_one("#catalog-guide-pane", VerticalScroll).focus()


class MatterPickScreen(MatterSearchScreen, inherit_bindings=False):
    """The same search, choosing the matter for a document check: Enter hands it back."""

    ENTER_HINT = "catalog.enter_hint_pick"
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("enter", "choose", "catalog.key.pick", id="catalog-pick"),
        Binding("ctrl+f", "focus_search", "catalog.key.search", id="catalog-search"),
        Binding("ctrl+g", "focus_guide", "catalog.key.guide", id="catalog-guide"),
    ]

    def choose_matter(self, matter_id: str) -> None:
        self.dismiss(matter_id)

    def action_back(self) -> None:
        self.dismiss(None)
