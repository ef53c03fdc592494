"""The calling board (`clerk board`): the hall screen showing who goes to which window.

A separate process on the station database. Twice a second it reads one cheap marker
(the highest change number of tickets and window events, from their indexes) and reloads
the picture only when that moved, so a call shows within a second without loading the
database. Each new call (and each recall) rings the terminal bell and, if configured,
runs the announce command with the text filled in: without a shell, one call after the
other in a background thread, never holding up the screen. Only ticket numbers and
window numbers appear: no personal data.
"""

from __future__ import annotations

import queue as queue_mod
import shlex
import subprocess
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual.worker import get_current_worker

from clerk_tui.i18n import t
from clerk_tui.screens.hall import HallApp, HallScreen
from clerk_tui.screens.queue_text import queue_name
from clerk_tui.services.context import Station
from clerk_tui.services.queue.views import BoardView, Call, board_marker, load_board
from clerk_tui.widgets.big_text import BigText
from clerk_tui.widgets.safe_text import safe

ANNOUNCE_TIMEOUT = 60


def call_fields(settings: Any, call: Call) -> dict[str, Any]:
    return {
        "number": call.number,
        "window": call.window_no,
        "queue": call.queue,
        "queue_name": queue_name(settings, call.queue),
    }


def call_text(settings: Any, call: Call) -> str:
    template = settings.board.template or t("board.call_text", number="{number}", window="{window}")
    return template.format(**call_fields(settings, call))


def announce_args(command: str, text: str, fields: dict[str, Any]) -> list[str]:
    """The command line as a list: split first, then fill in, so the text stays one argument."""
    return [arg.format(text=text, **fields) for arg in shlex.split(command)]


class BoardScreen(HallScreen):
    TITLE_KEY = "board.title"
    HALL_ID = "board"

    def __init__(self) -> None:
        super().__init__()
        self._marker: object = None
        self._seen: set[tuple[str, int]] | None = None
        self._announcements: queue_mod.Queue[list[str]] = queue_mod.Queue()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="board-latest"):
            yield BigText(large=True, id="board-number")
            yield Static(t("board.waiting_for"), id="board-text")
        with Horizontal(id="board-lower"):
            yield Static("", id="board-recent")
            yield Static("", id="board-counts")

    def on_mount(self) -> None:
        self.query_one("#board-recent").border_title = t("board.recent")
        self.query_one("#board-counts").border_title = t("board.waiting")
        config = self.station.settings.board
        self.poll()
        self.set_interval(config.poll_seconds, self.poll)
        if config.announce_command:
            self.run_worker(self._announcer, thread=True, group="announce", exit_on_error=False)

    def poll(self) -> None:
        self.run_worker(self._poll_work, thread=True, group="board-poll", exclusive=True, exit_on_error=False)

    def _poll_work(self) -> None:
        marker = board_marker(self.station)
        if marker == self._marker:
            return
        view = load_board(self.station, self.station.settings.board.recent)
        self._marker = marker
        self.app.call_from_thread(self.show_board, view)

    def show_board(self, view: BoardView) -> None:
        settings = self.station.settings
        latest = view.calls[0] if view.calls else None
        self.query_one("#board-number", BigText).show(latest.number if latest else "")
        self.query_one("#board-text", Static).update(
            safe(call_text(settings, latest)) if latest else t("board.waiting_for")
        )
        recent = [t("board.recent_line", number=safe(c.number), window=c.window_no) for c in view.calls[1:]]
        self.query_one("#board-recent", Static).update("\n".join(recent))
        counts = [t("board.count", name=queue_name(settings, c.queue), n=c.waiting) for c in view.counts]
        counts += [t("board.window_paused", window=w) for w in sorted(view.paused_windows)]
        self.query_one("#board-counts", Static).update("\n".join(counts))
        self._announce_new(view.calls)

    def _announce_new(self, calls: list[Call]) -> None:
        keys = {c.key for c in calls}
        if self._seen is None:  # what was called before the board started is not news
            self._seen = keys
            return
        fresh = [c for c in reversed(calls) if c.key not in self._seen]
        self._seen |= keys
        if not fresh:
            return
        config = self.station.settings.board
        if config.bell:
            self.app.bell()
        if config.announce_command:
            for call in fresh:
                fields = call_fields(self.station.settings, call)
                self._announcements.put(
                    announce_args(config.announce_command, call_text(self.station.settings, call), fields)
                )

    def _announcer(self) -> None:
        """Runs the announce command for each call in turn, in this worker thread."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                args = self._announcements.get(timeout=0.5)
            except queue_mod.Empty:
                continue
            try:
                done = subprocess.run(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    timeout=ANNOUNCE_TIMEOUT,
                    check=False,
                )
                problem = done.stderr.decode(errors="replace").strip().splitlines()[-1:] if done.returncode else None
                if done.returncode:
                    reason = problem[0] if problem else f"exit {done.returncode}"
                    self.app.call_from_thread(
                        self.notify, t("board.announce_failed", reason=reason), severity="warning"
                    )
            except (OSError, subprocess.TimeoutExpired) as exc:
                self.app.call_from_thread(self.notify, t("board.announce_failed", reason=str(exc)), severity="warning")


class BoardApp(HallApp):
    def on_mount(self) -> None:
        self.push_screen(BoardScreen())


def make_board_app(station: Station) -> BoardApp:
    return BoardApp(station)
