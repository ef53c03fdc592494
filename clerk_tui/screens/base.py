"""What every clerk-tui screen shares: translated key labels and database work off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.binding import ActiveBinding, BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._select import (
    SelectOverlay,  # the open list of a Select (not exported)
)
from textual.worker import Worker, WorkerState

from clerk_tui.i18n import t

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp
    from clerk_tui.services.context import Station

T = TypeVar("T")


def refresh_headers(screen: Screen[Any]) -> None:
    """Bring the station line (window, clerk, date) of a screen up to date."""
    from clerk_tui.widgets.station_header import StationHeader

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


def fit_dropdown(screen: Screen[Any], overlay: SelectOverlay) -> None:
    """Keep an open Select list off the footer: below the field while it fits above the
    footer, else above the field if there is more room there; scrolled within that room.

    Textual keeps the list inside the screen, and the footer is part of the screen: a
    field near the bottom got its list drawn over the keys the clerk reads."""
    footer = next(iter(screen.query(Footer)), None)
    select = overlay.parent
    if footer is None or not footer.display or select is None:
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

    app: ClerkApp
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
        done: Callable[[T], None] | None = None,
        group: str = "db",
        exclusive: bool = False,
    ) -> Worker[None]:
        def work() -> None:
            result = fn(*args)
            if done is not None:
                self.app.call_from_thread(done, result)

        # Errors surface through on_worker_state_changed below as a message to the clerk.
        return self.run_worker(  # type: ignore[attr-defined]
            work, thread=True, group=group, exclusive=exclusive, exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble, so each screen hands failures to the app.
        if event.state == WorkerState.ERROR:
            self.keys_ready()  # the load failed: the keys go on to what the screen shows
            self.app.show_error(event.worker.error)


# Footer labels of Textual's own widgets, in the clerk's language (an open dropdown's Esc).
TEXTUAL_LABELS = {"Dismiss menu": "key.close"}


def _textual_label(active: ActiveBinding) -> ActiveBinding:
    key = TEXTUAL_LABELS.get(active.binding.description)
    return active._replace(binding=replace(active.binding, description=t(key))) if key else active


class ClerkScreen(DatabaseWork, Screen[Any]):
    TITLE_KEY = ""
    # The app-wide keys (ids) this screen's footer shows. They work on every screen and F1
    # lists them; at 80 columns a sub-screen's footer needs the room for its own keys.
    FOOTER_APP_KEYS: tuple[str, ...] = ("help",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def unsaved_work(self) -> bool:
        """True while the screen holds input that leaving it would lose."""
        return False

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, SelectOverlay):  # a dropdown list has just opened
            fit_dropdown(self, event.widget)

    def on_screen_resume(self) -> None:
        refresh_headers(self)  # the date may have turned while the clerk was elsewhere

    def leave(self, question_key: str = "confirm.leave_unsaved") -> None:
        """Esc: back to the screen below, asking first (one key) if work would be lost."""
        if self.unsaved_work():
            from clerk_tui.screens.confirm import ask

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


class ClerkModal(DatabaseWork, ModalScreen[T]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
