"""The Settings screen: what a clerk or station head changes without editing the TOML file.

The lock PIN (kept in the station database; changing it asks for the current one), the
USB folder (`[sync] folder`, picked from the configured folder and the drives seen now),
the window number and the queues it calls (`[window]`), and the language (`[ui]`). Each
change is written to the config file at once, comments kept, and checked by the config
loader first (services.settings_file): a value it refuses changes nothing and is shown
in one line. Window, queues and folder apply at once; the language at the next start,
as the screen says (every screen built so far is already in the old language).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from clerk_tui.config import Settings
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.queue_text import queue_name
from clerk_tui.services.station.pin import change_pin, has_pin
from clerk_tui.services.station.settings_file import Changes, save_config
from clerk_tui.services.sync import removable
from clerk_tui.widgets.station_header import StationHeader
from clerk_tui.widgets.table import ClerkTable

ROWS = ("pin", "folder", "window", "queues", "language")


def _guarded(fn: Any, *args: Any) -> Any:
    """Run a service call; a refusal comes back as the error, to show in one line."""
    try:
        return fn(*args)
    except ClerkError as exc:
        return exc


def _places(configured: Path | None, current: Path | None, own: Path) -> list[removable.Place]:
    return removable.sync_places(configured, current, own=own)


class SettingsScreen(ClerkScreen):
    TITLE_KEY = "settings.title"
    COMPACT_FOOTER = True
    BINDINGS = [
        Binding("enter", "edit", "settings.key.edit", id="settings-edit", show=False),
        Binding("p", "pin", "settings.key.pin", id="settings-pin"),
        Binding("u", "folder", "settings.key.folder", id="settings-folder"),
        Binding("w", "window", "settings.key.window", id="settings-window"),
        Binding("q", "queues", "settings.key.queues", id="settings-queues"),
        Binding("l", "language", "settings.key.language", id="settings-language"),
        Binding("escape", "app.pop_screen", "key.back", id="settings-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pin_set: bool | None = None
        # The language written for the next start (the running one stays until then).
        self.next_language = ""

    def compose_body(self) -> ComposeResult:
        yield ClerkTable(id="settings-table", cursor_type="row", show_header=False)
        path = self.station.settings.config_path
        yield Static(
            t("settings.config_file", path=str(path)) if path else t("settings.no_config_file"),
            id="settings-file",
            classes="muted",
        )
        yield Static(t("settings.hint"), id="settings-note", classes="muted")

    def on_mount(self) -> None:
        self.next_language = self.next_language or self.station.settings.language
        table = self.query_one(DataTable)
        table.add_column("", key="label", width=18)
        table.add_column("", key="value")
        for row in ROWS:
            table.add_row(t(f"settings.row.{row}"), "", key=row)
        table.focus()
        self.show_values()
        self.db_call(has_pin, self.station, done=self._pin_known, group="settings-pin")

    def _pin_known(self, value: bool) -> None:
        self.pin_set = value
        self.show_values()

    def show_values(self) -> None:
        s = self.station.settings
        queues = [q.letter for q in s.queues if q.letter in s.window_queues]
        values = {
            "pin": "" if self.pin_set is None else t("settings.pin_set" if self.pin_set else "settings.pin_none"),
            "folder": str(s.sync_folder) if s.sync_folder else t("settings.folder_none", path=str(s.exports_path)),
            "window": str(s.window_no),
            "queues": "  ".join(f"{q} {queue_name(s, q)}" for q in queues) if queues else t("settings.all_queues"),
            "language": t(f"settings.language.{self.next_language}")
            + (t("settings.next_start") if self.next_language != s.language else ""),
        }
        table = self.query_one(DataTable)
        for row, value in values.items():
            table.update_cell(row, "value", Text(value), update_width=True)

    def say(self, text: str, error: bool = False) -> None:
        self.query_one("#settings-note", Static).update(Text(text))
        self.notify(text, severity="error" if error else "information", timeout=8)

    # --- the rows ------------------------------------------------------------------------

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        getattr(self, f"action_{ROWS[table.cursor_row]}")()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_pin(self) -> None:
        if self.pin_set is None:
            return
        from clerk_tui.screens.pin_dialog import PinDialog

        def chosen(answer: tuple[str | None, str] | None) -> None:
            if answer is not None:
                self.db_call(_guarded, change_pin, self.station, *answer, done=self._pin_changed, group="settings-pin")

        self.app.push_screen(PinDialog(self.pin_set), chosen)

    def _pin_changed(self, result: ClerkError | None) -> None:
        if isinstance(result, ClerkError):
            self.say(result.message(), error=True)
            return
        self.pin_set = True
        self.app.lock_on_start = True
        self.show_values()
        self.say(t("pin.changed", minutes=self.station.settings.lock_idle_minutes))

    def action_folder(self) -> None:
        from clerk_tui.screens.place_picker import PlacePicker

        s = self.station.settings

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.save({("sync", "folder"): str(folder)}, t("settings.row.folder"))

        def show(places: list[removable.Place]) -> None:
            self.app.push_screen(PlacePicker(places), chosen)

        self.db_call(_places, s.sync_folder, None, s.exports_path, done=show, group="settings-places")

    def action_window(self) -> None:
        from clerk_tui.screens.reason import ReasonPrompt

        def chosen(values: list[str] | None) -> None:
            if values:
                text = values[0].strip()
                # Digits become a number; anything else goes to the loader as typed, which says why not.
                self.save({("window", "number"): int(text) if text.isdigit() else text}, t("settings.row.window"))

        self.app.push_screen(
            ReasonPrompt(
                t("settings.window_title"), [t("settings.window_label")], [str(self.station.settings.window_no)]
            ),
            chosen,
        )

    def action_queues(self) -> None:
        from clerk_tui.screens.reason import ReasonPrompt

        s = self.station.settings
        every = " ".join(f"{q.letter} {queue_name(s, q.letter)}" for q in s.queues)

        def chosen(values: list[str] | None) -> None:
            if values is None:
                return
            letters = values[0].replace(",", " ").replace("，", " ").upper().split()
            # Empty: the key is removed, which means every queue (as `clerk init` leaves it).
            self.save({("window", "queues"): letters or None}, t("settings.row.queues"))

        self.app.push_screen(
            ReasonPrompt(
                t("settings.queues_title"),
                [t("settings.queues_label", queues=every)],
                [" ".join(s.window_queues)],
                required=0,
            ),
            chosen,
        )

    def action_language(self) -> None:
        other = "en" if self.next_language == "zh" else "zh"
        self.save({("ui", "language"): other}, t("settings.row.language"), language=other)

    # --- writing -------------------------------------------------------------------------

    def save(self, changes: Changes, what: str, language: str | None = None) -> None:
        def done(result: Settings | ClerkError) -> None:
            if isinstance(result, ClerkError):
                self.say(result.message(), error=True)
                return
            if language is not None:
                self.next_language = language
                self.show_values()
                self.say(t("settings.saved_next_start", what=what))
                return
            self.apply(result)
            self.say(t("settings.saved", what=what))

        self.db_call(
            _guarded, save_config, self.station.settings, changes, done=done, group="settings-save", exclusive=True
        )

    def apply(self, loaded: Settings) -> None:
        """Window, queues and folder apply now; the running settings keep their command-line overrides."""
        running = self.station.settings
        extra = {**running.extra, "sync": loaded.section("sync")}
        self.station.settings = replace(
            running, window_no=loaded.window_no, window_queues=loaded.window_queues, extra=extra
        )
        for screen in self.app.screen_stack:
            for header in screen.query(StationHeader):
                header.settings = self.station.settings
                header.refresh_text()
        self.show_values()
