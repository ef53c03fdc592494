"""The main screen is the window's queue: the current ticket, who waits, the day so far.

Every queue action is one F-key (hall caller keypads work that way) and runs as a
database worker; the screen re-reads the queue every couple of seconds so tickets from
the kiosk and other windows appear without a key press. The service timer ticks from
the loaded picture each second without touching the database.

The common case takes one key each: Ctrl+F5 finishes the ticket in service and calls the
next (one transaction), Ctrl+F4 records a consultation on the current ticket without the
case form (then the rating, which ends the visit), Ctrl+F9 serves a walk-in at once
(issued and started, never called). See `services.walk_in`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from clerk_tui.display_text import neutral
from clerk_tui.i18n import t
from clerk_tui.navigation import nav_bindings
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.confirm import ask
from clerk_tui.screens.queue_text import (
    class_label,
    clip,
    clock_span,
    minutes,
    queue_name,
    whole_minutes,
)
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling, window
from clerk_tui.services.queue.day import load_with_day_start
from clerk_tui.services.queue.tickets import MAX_SERIAL, format_number, issue_ticket, waiting_ahead
from clerk_tui.services.queue.views import QueueView
from clerk_tui.widgets.big_text import BigText
from clerk_tui.widgets.keypad import Keypad, NavBar
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable

if TYPE_CHECKING:
    # Imported where the keys that use it run: the walk-in services bring the case and
    # catalog tables, which the queue does not need to show (`clerk_tui.warm` loads them
    # in the background after start, before a clerk's first Ctrl+F5).
    from clerk_tui.services.check import walk_in

REFRESH_SECONDS = 2
LIST_ROWS = 200
QUEUE_CELLS = 10  # the queue name in the waiting list; longer names end in "…"
# The number column holds "A001"; a day past 999 tickets in a queue ("A1000") widens it by
# the cells the queue name's column gives up, so the row still fits 80 columns.
NUMBER_CELLS = 4
WIDE_NUMBER_CELLS = len(format_number("A", MAX_SERIAL))  # "A9999"

QUEUE_BINDINGS = [
    Binding("f2", "call_next", "queue.key.call", id="queue-call", show=False),
    Binding("f3", "recall", "queue.key.recall", id="queue-recall", show=False),
    Binding("f4", "start", "queue.key.start", id="queue-start", show=False),
    Binding("f5", "finish", "queue.key.finish", id="queue-finish", show=False),
    Binding("f6", "no_show", "queue.key.no_show", id="queue-no-show", show=False),
    Binding("f7", "transfer", "queue.key.transfer", id="queue-transfer", show=False),
    Binding("f8", "pause", "queue.key.pause", id="queue-pause", show=False),
    Binding("f9", "walk_in", "queue.key.walk_in", id="queue-walk-in", show=False),
    Binding("f10", "reinstate", "queue.key.reinstate", id="queue-reinstate", show=False),
    Binding("f12", "call_specific", "queue.key.call_specific", id="queue-call-specific", show=False),
    # The common case in one key each (issue 12): Ctrl with the F-key of the step it completes.
    Binding(
        "ctrl+f5", "finish_and_next", "queue.key.finish_next", id="queue-finish-next", show=False, key_display="^F5"
    ),
    Binding("ctrl+f4", "consult", "queue.key.consult", id="queue-consult", show=False, key_display="^F4"),
    Binding("ctrl+f9", "serve_now", "queue.key.serve_now", id="queue-serve-now", show=False, key_display="^F9"),
    # Terminals that keep F10/F12 for themselves (menus, full screen): Shift+F6 / Shift+F2.
    # xterm-style terminals send Shift+F6 as F18 and Shift+F2 as F14; Windows consoles send
    # the shifted key itself, so both names are bound.
    Binding("shift+f6,f18", "reinstate", "queue.key.reinstate", show=False),
    Binding("shift+f2,f14", "call_specific", "queue.key.call_specific", show=False),
]


def cell_text(text: str) -> Text:
    """A waiting list cell (or heading) as it shows, never read as markup: a table given
    `str` cells parses each as markup with emoji codes, whose table (thousands of names)
    the queue's first picture would import (issue 15). Stored values come in neutral."""
    return Text(text, no_wrap=True, end="")


class MainScreen(ClerkScreen):
    STYLED_AT_START = True  # its rules are in app.tcss: read before the queue shows
    TITLE_KEY = "main.title"
    SHOW_TITLE = False  # the queue fills the screen: the header says where the clerk is
    COMPACT_FOOTER = True
    FOOTER_APP_KEYS = ("help", "quit", "lock")
    # F-keys appear on the keypad (all of them, always), the screens' letters on the key bar
    # below it (short labels: all of them fit in 80 columns); the footer keeps the app's keys.
    BINDINGS: ClassVar[list[BindingType]] = [*QUEUE_BINDINGS, *nav_bindings(show=False)]

    def __init__(self, first_view: QueueView | None = None) -> None:
        super().__init__()
        self.view: QueueView | None = None
        # Read by the app's factory before the UI ran (`app.make_app`): shown as the screen
        # mounts, so its first picture is the real queue (None: loaded by a worker as usual).
        self._first_view = first_view
        self._day: date | None = None
        self._pending = False
        self._shown_rows: list[tuple[str, ...]] = []
        self._number_cells = NUMBER_CELLS
        self._cells_day: date | None = None
        self._away = False  # another screen is on top

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="queue-body"):
            with Vertical(id="queue-left"):
                with Vertical(id="current-panel"):
                    yield BigText(id="current-number")
                    yield Static("", id="current-meta")
                    yield Static("", id="current-times")
                    yield Static(t("main.loading"), id="window-state")
                with Vertical(id="figures-panel"):
                    yield Static("", id="queue-counts")
                    yield Static("", id="today-figures", classes="muted")
            with Vertical(id="waiting-panel"):
                yield ClerkTable(id="waiting-list", cursor_type="row", zebra_stripes=True)
        keys = [
            b
            for bindings in self._bindings.key_to_bindings.values()
            for b in bindings
            if b.id and b.id.startswith("queue-")
        ]
        yield Keypad(keys, id="keypad")
        yield NavBar(id="nav-bar")

    def on_mount(self) -> None:
        self.query_one("#current-panel").border_title = t("queue.current")
        self.query_one("#figures-panel").border_title = t("queue.counts_title")
        self._add_columns(self.query_one("#waiting-list", DataTable))
        first, self._first_view = self._first_view, None
        if first is not None:
            self._day = first.now.date()  # its day was started before it was read
            self.show_view(first)
        else:
            self.refresh_view()
        self.set_interval(REFRESH_SECONDS, self.refresh_view)
        self.set_interval(1, self.tick)

    def _add_columns(self, table: DataTable[object]) -> None:
        table.add_column(cell_text(""), key="next", width=1)
        # Fixed widths (in cells; a Chinese character takes two): the list reloads every few
        # seconds and columns that re-measure themselves would shift under the clerk's eyes.
        # The widths add up to what the panel holds at 80 columns with its scrollbar showing.
        # Only a four-digit number moves them, once in the day (see `_show_waiting`).
        for key, width in (
            ("queue.col_number", self._number_cells),
            ("queue.col_queue", self._queue_cells),
            ("queue.col_class", 9),
            ("queue.col_waited", 4),
        ):
            table.add_column(cell_text(t(key)), key=key, width=width)

    @property
    def _queue_cells(self) -> int:
        return QUEUE_CELLS - (self._number_cells - NUMBER_CELLS)

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        # Back from a walk-in's check, case and rating: show the finished ticket gone at once.
        # (Not at the first showing: on_mount's load is on its way.)
        if self._away:
            self._away = False
            self.refresh_view()

    # --- loading and showing ---------------------------------------------------------

    def refresh_view(self) -> None:
        today = self.station.clock.today()
        started = self._day == today
        self._day = today
        self.db_call(
            load_with_day_start, self.station, started, done=self.show_view, group="queue-view", exclusive=True
        )

    def show_view(self, view: QueueView) -> None:
        if self.view is None:  # the first picture: the app may go on with what it put off
            self.app.call_after_refresh(self.app.first_screen_shown)
        self.view = view
        current = view.current
        self.app.serving_ticket_id = current.id if current is not None and current.status == "serving" else None
        panel = self.query_one("#current-panel")
        panel.set_class(view.state == "paused", "-paused")
        panel.set_class(current is not None and current.priority == "green", "-green")
        self.query_one("#current-number", BigText).show(current.number if current else "")
        if current is None:
            meta = t("queue.resume_hint" if view.paused_reason is not None else "queue.no_current_hint")
        else:
            meta = t(
                "queue.meta",
                queue=queue_name(self.station.settings, current.queue),
                klass=class_label(current, view.now, self.station.settings),
            )
        self.query_one("#current-meta", Static).update(meta)
        reason = view.paused_reason or ""
        self.query_one("#window-state", Static).update(t(f"queue.state.{view.state}", reason=safe(reason)))
        self._show_waiting(view)
        self._show_figures(view)
        self.tick()
        self.query_one(Keypad).dim(self.available)

    def _show_waiting(self, view: QueueView) -> None:
        settings = self.station.settings
        # Past A999 the number column widens (A1000) and stays wide for the rest of the day,
        # so the columns move once, not each time a four-digit number comes and goes.
        widest = max((len(ticket.number) for ticket in view.waiting[:LIST_ROWS]), default=0)
        number_cells = NUMBER_CELLS if self._cells_day != view.now.date() else self._number_cells
        number_cells = min(max(number_cells, widest), WIDE_NUMBER_CELLS)
        columns_change, self._cells_day = number_cells != self._number_cells, view.now.date()
        self._number_cells = number_cells
        rows: list[tuple[str, ...]] = [
            (
                ticket.id,
                "▶" if ticket.id == view.next_id else "",
                neutral(ticket.number, one_line=True),
                clip(neutral(queue_name(settings, ticket.queue), one_line=True), self._queue_cells),
                class_label(ticket, view.now, settings, short=True),
                minutes(view.now - ticket.issued_at),
            )
            for ticket in view.waiting[:LIST_ROWS]
        ]
        # The view reloads every few seconds; rebuilding an unchanged table would only
        # flicker and lose the clerk's place in it.
        if rows != self._shown_rows or columns_change:
            self._shown_rows = rows
            table = self.query_one("#waiting-list", DataTable)
            selected = table.cursor_row
            table.clear(columns=columns_change)
            if columns_change:
                self._add_columns(table)
            for row_id, *cells in rows:
                table.add_row(*(cell_text(cell) for cell in cells), key=row_id)
            if table.row_count:
                table.move_cursor(row=min(selected, table.row_count - 1))
        oldest = min((tk.issued_at for tk in view.waiting), default=None)
        self.query_one("#waiting-panel").border_title = t(
            "queue.waiting_title", n=len(view.waiting), wait=minutes(view.now - oldest) if oldest else "—"
        )

    def _show_figures(self, view: QueueView) -> None:
        lines = []
        for count in view.counts:
            wait = minutes(view.now - count.oldest_waiting) if count.oldest_waiting else "—"
            lines.append(
                t(
                    "queue.count_line",
                    queue=f"{count.queue} {queue_name(self.station.settings, count.queue)}",
                    waiting=count.waiting,
                    wait=wait,
                )
            )
        self.query_one("#queue-counts", Static).update("\n".join(lines))
        s = view.stats
        dash = "—"
        self.query_one("#today-figures", Static).update(
            t("queue.today_title")
            + "\n"
            + t("queue.today_line1", served=s.served, no_show=s.no_show, transferred=s.transferred)
            + "\n"
            + t(
                "queue.today_line2",
                wait=minutes(s.avg_wait) if s.avg_wait else dash,
                service=minutes(s.avg_service) if s.avg_service else dash,
            )
        )

    def tick(self) -> None:
        """The live timers, from the last picture and the clock: no database work."""
        view = self.view
        times = self.query_one("#current-times", Static)
        if view is None or view.current is None:
            times.update("")
            return
        now, ticket = self.station.clock.now(), view.current
        waited = whole_minutes((ticket.first_called_at or now) - ticket.issued_at)
        if ticket.status == "serving" and ticket.service_started_at:
            times.update(
                t("queue.waited", n=waited) + " · " + t("queue.timer", time=clock_span(now - ticket.service_started_at))
            )
        else:
            since = clock_span(now - (ticket.last_called_at or now))
            times.update(t("queue.called_times", n=ticket.call_count) + f" · {since}")

    # --- which keys make sense now ---------------------------------------------------

    def available(self, action: str) -> bool:
        view = self.view
        if view is None:
            return True
        current = view.current
        if action in ("call_next", "call_specific", "serve_now"):
            return current is None and view.paused_reason is None
        if action == "finish_and_next":
            return current is not None and current.status == "serving" and view.paused_reason is None
        if action in ("recall", "no_show", "start"):
            return current is not None and current.status == "called"
        if action in ("finish", "transfer", "consult"):
            return current is not None
        if action == "reinstate":
            return bool(view.no_shows)
        return True

    # --- actions ---------------------------------------------------------------------

    def _act(self, fn: Callable[..., Any], *args: Any, message: Callable[[Any], str] | None = None) -> None:
        if self._pending:
            return
        self._pending = True

        def done(result: Any) -> None:
            if message is not None:
                self.notify(message(result), timeout=4)
            self.refresh_view()

        def work(*a: Any) -> Any:
            try:
                return fn(*a)
            finally:
                self._pending = False

        self.db_call(work, *args, done=done, group="queue-action")

    def action_call_next(self) -> None:
        w = self.station.settings.window_no
        self._act(calling.call_next, self.station, message=lambda tk: t("queue.called", number=tk.number, window=w))

    def action_recall(self) -> None:
        self._act(
            calling.recall, self.station, message=lambda tk: t("queue.recalled", number=tk.number, n=tk.call_count)
        )

    def action_start(self) -> None:
        self._act(calling.start_service, self.station, message=lambda tk: t("queue.started", number=tk.number))

    def action_finish(self) -> None:
        self._act(calling.finish, self.station, message=lambda tk: t("queue.finished", number=tk.number))

    def action_no_show(self) -> None:
        def mark() -> None:
            self._act(calling.no_show, self.station, message=lambda tk: t("queue.marked_no_show", number=tk.number))

        current = self.view.current if self.view else None
        if current is None:
            mark()  # nothing to ask about: the service says why not
            return
        # The applicant may be walking up: a no-show is asked once (F6 again or Y).
        ask(self.app, t("queue.confirm_no_show", number=current.number), mark, keys=("f6", "y"))

    def action_transfer(self) -> None:
        current = self.view.current if self.view else None
        if current is None:
            self.notify(t("queue.no_current"), severity="warning")
            return

        def chosen(result: tuple[str, int | None, str] | None) -> None:
            if result is None:
                return
            queue, to_window, note = result

            def message(tk: Any) -> str:
                target = (
                    t("queue.target_window", window=to_window) if to_window else t("queue.target_queue", queue=queue)
                )
                return t("queue.transferred", number=tk.number, target=target)

            self._act(calling.transfer, self.station, queue, to_window, note, message=message)

        from clerk_tui.screens.queue_dialogs import TransferDialog

        self.app.push_screen(TransferDialog(current.number, current.queue), chosen)

    def action_pause(self) -> None:
        if self.view is not None and self.view.paused_reason is not None:
            self._act(window.resume, self.station, message=lambda _: t("queue.resumed"))
            return

        def chosen(reason: str | None) -> None:
            if reason:
                self._act(window.pause, self.station, reason, message=lambda _: t("queue.paused"))

        from clerk_tui.screens.queue_dialogs import PauseDialog

        self.app.push_screen(PauseDialog(), chosen)

    def action_walk_in(self) -> None:
        def chosen(result: tuple[str, str, datetime | None] | None) -> None:
            if result is None:
                return

            def issue(station: Station, queue: str, priority: str, at: datetime | None) -> tuple[str, int]:
                ticket = issue_ticket(station, queue, priority, at, via="window")
                return ticket.number, waiting_ahead(station, ticket)

            self._act(issue, self.station, *result, message=lambda r: t("queue.issued", number=r[0], ahead=r[1]))

        from clerk_tui.screens.queue_dialogs import WalkInDialog

        self.app.push_screen(WalkInDialog(), chosen)

    def action_call_specific(self) -> None:
        view = self.view
        tickets = view.waiting if view else []
        w = self.station.settings.window_no

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._act(
                    calling.call_specific,
                    self.station,
                    *result,
                    message=lambda tk: t("queue.called", number=tk.number, window=w),
                )

        now = view.now if view else self.station.clock.now()
        from clerk_tui.screens.queue_dialogs import TicketPicker

        self.app.push_screen(TicketPicker("queue.dialog.call_specific", tickets, now, need_reason=True), chosen)

    def action_reinstate(self) -> None:
        view = self.view
        tickets = view.no_shows if view else []
        now = view.now if view else self.station.clock.now()

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._act(
                    calling.reinstate,
                    self.station,
                    result[0],
                    message=lambda tk: t("queue.reinstated", number=tk.number),
                )

        from clerk_tui.screens.queue_dialogs import TicketPicker

        self.app.push_screen(TicketPicker("queue.dialog.reinstate", tickets, now, need_reason=False), chosen)

    # --- the common case in fewer keys ------------------------------------------------

    def action_finish_and_next(self) -> None:
        from clerk_tui.services.check import walk_in

        w = self.station.settings.window_no

        def message(result: walk_in.FinishedAndCalled) -> str:
            if result.called is None:
                return t("queue.finished_none_waiting", finished=result.finished)
            return t("queue.finished_called", finished=result.finished, number=result.called, window=w)

        self._act(walk_in.finish_and_call_next, self.station, message=message)

    def action_serve_now(self) -> None:
        from clerk_tui.services.check import walk_in

        def chosen(result: tuple[str, str, datetime | None] | None) -> None:
            if result is not None:
                self._act(
                    walk_in.serve_now,
                    self.station,
                    *result,
                    message=lambda number: t("queue.serving_now", number=number),
                )

        from clerk_tui.screens.queue_dialogs import WalkInDialog

        self.app.push_screen(WalkInDialog("queue.dialog.serve_now"), chosen)

    def action_consult(self) -> None:
        """Record a consultation on the current ticket without the case form, then the rating."""
        from clerk_tui.services.check import walk_in

        if self._pending:
            return
        self._pending = True

        def begun(consultation: walk_in.Consultation) -> None:
            self._pending = False
            ticket = consultation.walk_in
            self.app.serving_ticket_id = ticket.ticket_id
            if consultation.matter is not None:
                self._record_consultation(ticket, consultation.matter.id)
                return

            def picked(matter_id: str | None) -> None:
                if matter_id:
                    self._record_consultation(ticket, matter_id)
                else:
                    self.refresh_view()  # started, nothing recorded: the ticket stays in service

            self._choose_matter(ticket, consultation.choices, picked)

        def work(station: Any) -> Any:
            try:
                return walk_in.begin_consultation(station)
            finally:
                self._pending = False

        self.db_call(work, self.station, done=begun, group="queue-action")

    def _choose_matter(self, ticket: walk_in.WalkIn, choices: list[Any], picked: Callable[[str | None], None]) -> None:
        from clerk_tui.screens.matter_choice import SEARCH, QueueMatterChoice
        from clerk_tui.screens.matter_search import MatterPickScreen

        def chosen(result: str | None) -> None:
            if result == SEARCH:
                self.app.push_screen(MatterPickScreen(), picked)
            else:
                picked(result)

        if not choices:
            self.app.push_screen(MatterPickScreen(), picked)
            return
        label = queue_name(self.station.settings, ticket.queue)
        self.app.push_screen(
            QueueMatterChoice(ticket.number, label, choices, title_key="matter_choice.consult_title"), chosen
        )

    def _record_consultation(self, ticket: walk_in.WalkIn, matter_id: str) -> None:
        from clerk_tui.screens.rating import RatingPrompt
        from clerk_tui.services.check import walk_in
        from clerk_tui.services.queue.calling import finish_if_current

        def finished(tk: Any) -> None:
            if tk is not None:
                self.notify(t("queue.finished", number=tk.number), timeout=4)
            self.refresh_view()

        def rated(_result: Any) -> None:
            # As after a case from the form: the rating ends the visit, the ticket is finished.
            self.db_call(finish_if_current, self.station, ticket.ticket_id, done=finished, group="queue-action")

        def recorded(case: Any) -> None:
            self.notify(
                t("queue.consult_recorded", number=ticket.number, matter=case.matter_name, case_no=case.case_no),
                timeout=4,
            )
            self.app.push_screen(RatingPrompt(case.id, case.case_no), rated)

        self.db_call(walk_in.record_consultation, self.station, ticket.ticket_id, matter_id, done=recorded)
