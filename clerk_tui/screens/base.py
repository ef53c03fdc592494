"""What every clerk-tui screen shares: the app it runs in, translated key labels, database
work off the UI thread, one way to show an error, and the frame of a screen (the station
header, the title, the keys) around what the screen itself shows.

The bottom of the screens: it imports no other screen but the one-key question, and no
screen imports the app module (`clerk_tui.app`); they reach the app through `StationApp`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, getters
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, BindingsMap
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._select import (
    SelectOverlay,  # the open list of a Select (not exported)
)
from textual.widgets._toast import ToastRack
from textual.worker import Worker, WorkerState, WorkType

from clerk_tui.display_text import neutral
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.redaction import redact
from clerk_tui.screens.confirm import ask
from clerk_tui.services.context import Station
from clerk_tui.widgets.key_footer import KeyFooter
from clerk_tui.widgets.station_header import StationHeader

T = TypeVar("T")


def refresh_headers(screen: Screen[Any]) -> None:
    """Bring the station line (window, clerk, date) of a screen up to date."""
    for header in screen.query(StationHeader):
        header.refresh_text()


def translate_bindings(node: DOMNode) -> None:
    """Binding descriptions are translation keys; show them in the clerk's language."""
    node._bindings = BindingsMap.from_keys(
        {
            key: [replace(b, description=t(b.description) if b.description else "") for b in bindings]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )


@dataclass(frozen=True)
class Draft:
    """A form the clerk left half-filled, kept by the app (screens/drafts.py gives it back)."""

    key: tuple[object, ...]
    values: dict[str, Any]
    kept_at: datetime


class StationApp(App[object]):
    """The program the screens run in: the clerk's window (`clerk_tui.app.ClerkApp`) or a
    hall display (`screens/hall.py`). Screens ask the app only for what is declared here.

    `App[object]`, as Textual's own functions take an app (`CommandPalette.is_open`), and
    as `confirm.ask` does: none of the programs returns a result from `run()`.
    """

    # The clerk's window keeps these across its screens (clerk_tui.app); a hall display has none.
    # The ticket the window is serving now (set by the queue screen), so the document check
    # and the case form attach to it without asking again.
    serving_ticket_id: str | None = None
    # A half-filled form the clerk left (screens/drafts.py): given back when it opens again.
    kept_draft: Draft | None = None
    # With a PIN set, the app starts locked: quitting and restarting must not get past the lock.
    lock_on_start = False

    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        translate_bindings(self)

    def load_screen_styles(self) -> None:
        """Read the other screens' stylesheet (`SCREEN_STYLES`), once. The queue's first
        picture does not wait for it (issue 15): it is read as the first screen that needs
        it is shown (`ScreenStyles`), or earlier, once the start-up warm-up is done."""
        path = str(SCREEN_STYLES)
        if not self.stylesheet.has_source(path, ""):
            self.stylesheet.read(SCREEN_STYLES)
            self.stylesheet.parse()  # now: the app's other sources come from the parse cache

    async def deliver_keys(self) -> None:
        """Hand on the keys a screen held while it loaded (the clerk's window: `key_order`)."""

    def help_sections(self) -> list[tuple[str, type[Screen[Any]]]]:
        """Screens whose keys the help screen lists, in the order shown."""
        return []

    def first_screen_shown(self) -> None:
        """The first screen has been drawn with its data: work put off at start may begin
        (the clerk's window: `clerk_tui.warm`)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages carry names and numbers from the
        database and from other stations ("[@click=app.quit]x[/]" must read as typed, an
        escape sequence must not reach the terminal), and none of ours uses markup."""
        super().notify(
            neutral(message), title=neutral(title, one_line=True), severity=severity, timeout=timeout, markup=False
        )

    def show_error(self, error: BaseException | None) -> None:
        """The one way an error reaches the clerk: a notification in the clerk's language.
        A failure the clerk cannot act on (a bug, a broken disk) is logged too, redacted:
        database errors quote the row, and the row may hold an ID number. Storage and file
        failures (read-only, disk full) are said in their own words, the traceback logged."""
        from clerk_tui.db import clerk_error_of
        from clerk_tui.failure_log import log_failure, log_folder

        said = clerk_error_of(error) if error is not None else None
        if isinstance(error, ClerkError):
            message = error.message()
        elif said is not None and error is not None:
            log_failure(error, log_folder(self.station.settings.data_dir))
            message = said.message()
        else:
            self.log.error(redact(repr(error)))
            message = t("error.unexpected", reason=type(error).__name__)
        self.notify(message, title=t("error.title"), severity="error", timeout=8)


def fit_dropdown(screen: Screen[Any], overlay: SelectOverlay) -> None:
    """Keep an open Select list off the footer: below the field while it fits above the
    footer, else above the field if there is more room there; scrolled within that room.

    Textual keeps the list inside the screen, and the footer is part of the screen: a
    field near the bottom got its list drawn over the keys the clerk reads."""
    footer = next(iter(screen.query(Footer)), None)
    select = overlay.parent
    if footer is None or not footer.display or not isinstance(select, Widget):
        return
    field = select.region  # the closed field: its list opens right under it
    list_top = field.y + field.height
    below = footer.region.y - list_top
    above = field.y - screen.region.y
    wanted = overlay.option_count + 2  # the options and the list's border
    if below >= min(wanted, 5) or below >= above:
        overlay.styles.max_height = max(below, 3)
        overlay.styles.offset = (0, 0)
    else:
        height = min(wanted, above, 12)
        overlay.styles.max_height = height
        overlay.styles.offset = (0, -(height + field.height))


class DatabaseWork:
    """Mixin: run a service call in a thread worker and hand its result to the UI thread."""

    if TYPE_CHECKING:
        # What the screen classes below have from Textual, for the methods of this mixin.
        @property
        def app(self) -> StationApp: ...

        def run_worker(
            self,
            work: WorkType[T],
            name: str | None = "",
            group: str = "default",
            description: str = "",
            exit_on_error: bool = True,
            start: bool = True,
            exclusive: bool = False,
            thread: bool = False,
        ) -> Worker[T]: ...

    # While True, keys typed on this screen wait (in order) instead of reaching it: for a
    # screen still loading what its keys act on. See `clerk_tui.key_order`.
    keys_held = False

    def hold_keys(self) -> None:
        self.keys_held = True

    def keys_ready(self) -> None:
        """The screen shows what the keys act on: hand it the keys typed meanwhile."""
        if self.keys_held:
            self.keys_held = False
            self.app.call_later(self.app.deliver_keys)

    @property
    def station(self) -> Station:
        return self.app.station

    def db_call(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], object] | None = None,
        group: str = "db",
        exclusive: bool = False,
    ) -> Worker[None]:
        def deliver(result: T) -> None:
            # A thread cannot be stopped: an exclusive load replaced by a newer one still
            # finishes. Its older picture must not land after the newer one (the queue
            # would jump back to before the clerk's last action). Checked here, on the UI
            # thread, where the newer worker cancelled this one.
            if done is not None and not worker.is_cancelled:
                done(result)

        def work() -> None:
            result = fn(*args)
            if done is not None:
                self.app.call_from_thread(deliver, result)

        # Errors surface through on_worker_state_changed below as a message to the clerk.
        worker: Worker[None] = self.run_worker(work, thread=True, group=group, exclusive=exclusive, exit_on_error=False)
        return worker

    def show_error(self, error: BaseException | None) -> None:
        """Tell the clerk something failed: the app's one way (translated, logged redacted)."""
        self.app.show_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble, so each screen hands failures to the app.
        if event.state == WorkerState.ERROR:
            self.keys_ready()  # the load failed: the keys go on to what the screen shows
            self.show_error(event.worker.error)


# Footer labels of Textual's own widgets, in the clerk's language (an open dropdown's Esc).
TEXTUAL_LABELS = {"Dismiss menu": "key.close"}


def _textual_label(active: ActiveBinding) -> ActiveBinding:
    key = TEXTUAL_LABELS.get(active.binding.description)
    return active._replace(binding=replace(active.binding, description=t(key))) if key else active


# The rules of every screen but the queue and what shows over it from the start (help,
# lock, questions), which are in the app's own stylesheet (`app.tcss`).
SCREEN_STYLES = Path(__file__).resolve().parent.parent / "screens.tcss"


class ScreenStyles:
    """A screen (or dialog) styled by `SCREEN_STYLES`: read, if it is not yet, as the
    screen is registered, before its styles are applied. The queue's own screens set
    `STYLED_AT_START`."""

    STYLED_AT_START: ClassVar[bool] = False

    def _post_register(self, app: App[Any]) -> None:
        # Textual's hook as a node joins the app, before its styles are applied.
        if not self.STYLED_AT_START and isinstance(app, StationApp):
            app.load_screen_styles()
        super()._post_register(app)  # type: ignore[misc]


class ClerkScreen(ScreenStyles, DatabaseWork, Screen[Any]):
    """A full screen of the clerk's window: the station header, the title, the screen's
    own body (`compose_body`), the keys. A subclass composes only its body."""

    if TYPE_CHECKING:
        app = getters.app(StationApp)  # Textual's way to type `self.app` as the program's app

    # Translation key of the title: the line under the header, and the screen's name in F1.
    TITLE_KEY = ""
    # The title line's id, for a screen that adds to its title once it has loaded.
    TITLE_ID: str | None = None
    # False where the screen's first line says what it is (the queue, the catalog's search).
    SHOW_TITLE = True
    # Compact keys (no gaps): for a screen whose footer has many keys at 80 columns.
    COMPACT_FOOTER = False
    # The app-wide keys (ids) this screen's footer shows. They work on every screen and F1
    # lists them; at 80 columns a sub-screen's footer needs the room for its own keys.
    FOOTER_APP_KEYS: tuple[str, ...] = ("help",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield StationHeader(self.station.settings, self.station.clock)
        if self.SHOW_TITLE:
            yield Static(self.title_text(), id=self.TITLE_ID, classes="section-title")
        yield from self.compose_body()
        yield KeyFooter(compact=self.COMPACT_FOOTER)

    def title_text(self) -> str:
        """The title shown before the screen has loaded what it is about."""
        return t(self.TITLE_KEY)

    def compose_body(self) -> ComposeResult:
        """What the screen shows between its title and its keys."""
        yield from ()

    def unsaved_work(self) -> bool:
        """True while the screen holds input that leaving it would lose."""
        return False

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, SelectOverlay):  # a dropdown list has just opened
            fit_dropdown(self, event.widget)

    def on_screen_resume(self) -> None:
        refresh_headers(self)  # the date may have turned while the clerk was elsewhere

    def on_screen_suspend(self) -> None:
        # Textual keeps only the top screen's toasts up to date and shows a dialog's screen
        # beneath it: this screen's rack would show the same toasts again beside the
        # dialog's (the main screen's sits above its key bar, so they would not even
        # overlap). Hidden here; Textual shows it again when this screen is back on top.
        for rack in self.query(ToastRack):
            rack.display = False

    def leave(self, question_key: str = "confirm.leave_unsaved") -> None:
        """Esc: back to the screen below, asking first (one key) if work would be lost."""
        if self.unsaved_work():
            ask(self.app, t(question_key), self.app.pop_screen)
        else:
            self.app.pop_screen()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        return {
            key: active._replace(binding=replace(active.binding, show=False))
            if active.node is self.app and active.binding.id not in self.FOOTER_APP_KEYS and active.binding.show
            else _textual_label(active)
            for key, active in bindings.items()
        }


class ClerkModal(ScreenStyles, DatabaseWork, ModalScreen[T]):
    """A dialog over a screen. The usual one is a box (`DIALOG_ID`, `DIALOG_CLASSES`) with a
    title line (`dialog_title`) over the dialog's own body (`compose_body`); a dialog of
    another shape overrides `compose`."""

    if TYPE_CHECKING:
        app = getters.app(StationApp)

    DIALOG_ID: str | None = None
    DIALOG_CLASSES = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id=self.DIALOG_ID, classes=self.DIALOG_CLASSES):
            yield Static(self.dialog_title(), classes="section-title")
            yield from self.compose_body()

    def dialog_title(self) -> str:
        return ""

    def compose_body(self) -> ComposeResult:
        """What the dialog shows under its title."""
        yield from ()
