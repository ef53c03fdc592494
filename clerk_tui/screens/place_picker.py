"""Pick the sync folder: the configured one, the one in use, or a removable drive seen now.

Opened by the Sync screen (u) and the Settings screen. Enter picks the highlighted place,
a digit picks at once, t types another folder, Esc cancels. Returns the folder or None.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.sync.removable import Place


def place_text(n: int, place: Place) -> str:
    text = t(f"usb.place.{place.kind}", path=str(place.path), label=place.label)
    return f"{n}  {text}{t('usb.place.absent') if place.absent else ''}"


class PlacePicker(ClerkModal[Path | None]):
    DIALOG_ID = "place-picker"
    DIALOG_CLASSES = "queue-dialog"
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", "usb.key_pick", show=False) for n in range(1, 10)],
        Binding("t", "type_folder", "usb.key_type", id="place-type"),
        Binding("escape", "cancel", "key.back", id="place-cancel"),
    ]

    def __init__(self, places: list[Place]) -> None:
        super().__init__()
        self.places = places

    def dialog_title(self) -> str:
        return t("usb.pick_title")

    def compose_body(self) -> ComposeResult:
        yield OptionList(*[Option(place_text(n, p), id=str(n)) for n, p in enumerate(self.places, 1)], id="place-list")
        if not any(p.kind == "drive" for p in self.places):
            yield Static(t("usb.no_drives"), classes="muted")
        yield Static(t("usb.pick_hint"), classes="muted")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.places else None
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(event.option.id or 0))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.places):
            self.dismiss(self.places[n - 1].path)

    def action_type_folder(self) -> None:
        """A folder none of the places offers (a network share, another letter): typed."""
        from clerk_tui.screens.reason import ReasonPrompt

        def typed(values: list[str] | None) -> None:
            if values:
                self.dismiss(Path(values[0].strip().strip('"').strip("'")).expanduser())

        self.app.push_screen(ReasonPrompt(t("usb.pick_title"), [t("usb.type_label")]), typed)

    def action_cancel(self) -> None:
        self.dismiss(None)
