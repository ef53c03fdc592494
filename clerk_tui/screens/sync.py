"""The Sync screen: what went to the centre, what it confirmed, the stick and its files.

It shows the last export and the last receipt, and per kind of record how many changed
since the last export and how many the centre has not confirmed yet. Beside them: the
folder in use (the remembered or configured one; u picks another or a removable drive
seen now), whether its stick is there, and the centre's files found in it (receipts,
catalogs, calendar updates, appointments). Enter (or i) imports the highlighted file with
the same service function as `clerk import`; a bad file gets its message and changes
nothing. E exports what changed (A: everything again) into the folder, with a progress
bar; the folder is remembered once an export to it succeeded. A missing stick is said
in one line and never becomes a local folder. File work runs in thread workers.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import DataTable, Input, Label, ProgressBar, Static
from textual.worker import Worker

from clerk_tui.display_text import one_line
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.sync import removable
from clerk_tui.services.sync import usb as usb_import
from clerk_tui.services.sync.bundle import SYNC_TABLES
from clerk_tui.services.sync.export import (
    ExportResult,
    SyncStatus,
    export_bundle,
    sync_status,
)
from clerk_tui.services.sync.usb import (
    FolderView,
    FoundFile,
    ImportOutcome,
    file_kind,
)
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else t("sync.never")


def _count(n: int) -> Text:
    return Text(f"{n:,}", justify="right", style="bold" if n else "")


def _places(configured: Path | None, current: Path | None, own: Path) -> list[removable.Place]:
    return removable.sync_places(configured, current, own=own)


class SyncScreen(ClerkScreen):
    TITLE_KEY = "sync.title"
    COMPACT_FOOTER = True
    BINDINGS = [
        Binding("e", "export(False)", "sync.key_export", id="sync-export"),
        Binding("a", "export(True)", "sync.key_export_all", id="sync-export-all"),
        Binding("u", "pick_folder", "usb.key_pick", id="sync-pick"),
        Binding("i", "import_file", "usb.key_import", id="sync-import"),
        Binding("r", "reload", "sync.key_refresh", id="sync-refresh"),
        Binding("escape", "back", "key.back", id="sync-back"),
    ]

    # While a bundle is written or a file imported: the keys that would start another, or
    # leave (hiding the outcome, not stopping the writing), are off (`check_action`).
    busy = var(False, bindings=True)
    BUSY_OFF = ("export", "pick_folder", "import_file", "back")

    def __init__(self) -> None:
        super().__init__()
        self.status: SyncStatus | None = None
        self.view: FolderView | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="sync-folder-row"):
            yield Label(t("sync.folder"), id="sync-folder-label")
            yield Input(id="sync-folder", compact=True)
        yield Static("", id="sync-stick", classes="muted")
        yield Static("", id="sync-last-export", classes="muted")
        yield Static("", id="sync-last-receipt", classes="muted")
        with Horizontal(id="sync-body"):
            yield ClerkTable(id="sync-table", cursor_type="none", zebra_stripes=True)
            with Vertical(id="sync-files-panel"):
                yield ClerkTable(id="sync-files", cursor_type="row", show_header=False)
                yield Static("", id="sync-no-files", classes="muted")
                yield Static("", id="sync-file-info", classes="muted")
        yield ProgressBar(id="sync-progress", show_eta=False)
        yield Static(t("sync.hint"), id="sync-note", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one("#sync-table", DataTable)
        # Fixed widths from the labels, so the files panel beside never squeezes the counts.
        names = max(cell_len(t(k)) for k in ["sync.col_table", "sync.total", *(f"sync.table.{n}" for n in SYNC_TABLES)])
        widths = [names] + [max(cell_len(t(k)), 7) for k in ("sync.col_not_exported", "sync.col_unacknowledged")]
        for key, width in zip(
            ("sync.col_table", "sync.col_not_exported", "sync.col_unacknowledged"), widths, strict=False
        ):
            table.add_column(t(key), key=key, width=width)
        table.styles.width = sum(widths) + 2 * len(widths) + 1  # cell padding and the scrollbar gap
        files = self.query_one("#sync-files", DataTable)
        files.add_column("", key="kind", width=8)
        files.add_column("", key="name")
        self.query_one("#sync-files-panel").border_title = t("usb.files_title")
        self.query_one(ProgressBar).display = False
        files.focus()
        self.action_reload()

    # --- status and folder ---------------------------------------------------------------

    def action_reload(self) -> None:
        self.db_call(sync_status, self.station, done=self.show_status, group="sync-status", exclusive=True)

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        folder = self.query_one("#sync-folder", Input)
        if not folder.value:
            folder.value = str(status.folder)
        self.look()
        last = status.last_export
        export_text = (
            t("sync.last_export_value", seq=last.bundle_seq, at=_when(last.exported_at), records=last.records)
            if last
            else t("sync.never")
        )
        self.query_one("#sync-last-export", Static).update(
            t("sync.line", label=t("sync.last_export"), value=export_text)
        )
        receipt_text = (
            t(
                "sync.last_receipt_value",
                at=_when(status.last_receipt_at),
                acked=status.acknowledged_bundles,
                exports=status.exports,
            )
            if status.last_receipt_at
            else t("sync.never")
        )
        self.query_one("#sync-last-receipt", Static).update(
            t("sync.line", label=t("sync.last_receipt"), value=receipt_text)
        )
        table = self.query_one("#sync-table", DataTable)
        table.clear()
        for name in SYNC_TABLES:
            table.add_row(
                t(f"sync.table.{name}"), _count(status.not_exported[name]), _count(status.unacknowledged[name])
            )
        table.add_row(t("sync.total"), _count(status.total_not_exported), _count(status.total_unacknowledged))

    def _folder(self) -> Path | None:
        text = self.query_one("#sync-folder", Input).value.strip().strip('"').strip("'")
        return Path(text).expanduser() if text else None

    def look(self) -> None:
        """Is the stick there, and which of the centre's files are on it (off the UI thread)."""
        folder = self._folder()
        if folder is not None:
            self.db_call(
                usb_import.look_at_folder,
                folder,
                self.station.settings.exports_path,
                done=self.show_folder,
                group="sync-look",
                exclusive=True,
            )

    def show_folder(self, view: FolderView) -> None:
        if view.folder != self._folder():
            return  # the clerk has chosen another folder meanwhile
        self.view = view
        stick = self.query_one("#sync-stick", Static)
        stick.set_class(view.absent, "field-error")
        stick.set_class(not view.absent, "muted")
        if view.absent:
            stick.update(t("usb.absent", folder=safe(view.folder)))
        elif view.drives:
            stick.update(t("usb.drives", drives=safe(", ".join(d.label for d in view.drives))))
        else:
            stick.update(t("usb.no_drives"))
        files = self.query_one("#sync-files", DataTable)
        files.clear()
        for n, found in enumerate(view.files):
            files.add_row(t(f"usb.kind.{found.kind}"), safe(found.path.name), key=str(n))
        no_files = self.query_one("#sync-no-files", Static)
        no_files.update(t("usb.no_files"))
        no_files.display = not view.files
        self.show_file_info()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "sync-files":
            self.show_file_info()

    def show_file_info(self) -> None:
        """The highlighted file's whole name and time: the list has room for their start only."""
        files = self.query_one("#sync-files", DataTable)
        found = self.view.files if self.view else []
        text = ""
        if found and files.row_count == len(found) and 0 <= files.cursor_row < len(found):
            chosen = found[files.cursor_row]
            text = t("usb.file_info", name=one_line(chosen.path.name), at=f"{chosen.modified:%Y-%m-%d %H:%M}")
        self.query_one("#sync-file-info", Static).update(Text(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.look()
        self.query_one("#sync-files", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if self.busy and action in self.BUSY_OFF else True

    def action_pick_folder(self) -> None:
        from clerk_tui.screens.place_picker import PlacePicker

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.query_one("#sync-folder", Input).value = str(folder)
                self.look()

        def show(places: list[removable.Place]) -> None:
            self.app.push_screen(PlacePicker(places), chosen)

        self.db_call(
            _places,
            self.station.settings.sync_folder,
            self._folder(),
            self.station.settings.exports_path,
            done=show,
            group="sync-places",
        )

    # --- export --------------------------------------------------------------------------

    def action_export(self, full: bool) -> None:
        self.busy = True
        folder = self._folder()
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#sync-note", Static).update(t("sync.busy"))

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        # The worker state handler below ends the busy state, whether it succeeded or not.
        self.db_call(
            export_bundle, self.station, folder, full, progress, done=self.exported, group="sync-export", exclusive=True
        )

    def exported(self, result: ExportResult | None) -> None:
        if result is None:
            self.notify(t("sync.nothing_new_screen", seq=self._last_seq()), timeout=8)
        else:
            message = t("sync.exported", seq=result.bundle_seq, records=result.records, path=str(result.path))
            self.notify(message + (t("sync.exported_full") if result.full else ""), timeout=10)
            if not result.encrypted:  # said loudly: ID numbers are readable on this stick
                self.notify(t("sync.exported_clear"), severity="warning", timeout=20)
            self.query_one("#sync-folder", Input).value = str(result.path.parent)
        self.action_reload()

    # --- importing the centre's files ----------------------------------------------------

    def action_import_file(self) -> None:
        files = self.query_one("#sync-files", DataTable)
        if self.view is not None and self.view.files and files.row_count == len(self.view.files):
            self._import(self.view.files[files.cursor_row])
            return
        self._ask_for_file()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "sync-files" and self.check_action("import_file", ()):
            self.action_import_file()  # Enter on a file, as its key

    def _ask_for_file(self) -> None:
        """No file found in the folder: the clerk types where it is (the folder filled in)."""
        from clerk_tui.screens.reason import ReasonPrompt

        folder = self._folder()
        start = str(folder) + os.sep if folder else ""

        def chosen(values: list[str] | None) -> None:
            if not values:
                return
            path = Path(values[0].strip().strip('"').strip("'")).expanduser()
            if not path.is_file():
                self.show_result(ImportOutcome([t("sync.no_file", path=str(path))], error=True))
                return
            self.db_call(file_kind, path, done=lambda kind: self._typed(path, kind), group="sync-kind")

        self.app.push_screen(ReasonPrompt(t("usb.import_title"), [t("usb.import_label")], [start]), chosen)

    def _typed(self, path: Path, kind: str | None) -> None:
        if kind is None:
            self.show_result(ImportOutcome([t("usb.unknown_file", path=str(path))], error=True))
            return
        self._import(FoundFile(path, kind, datetime.now()))

    def _import(self, found: FoundFile) -> None:
        self.busy = True
        self.query_one("#sync-note", Static).update(t("usb.importing", name=found.path.name))
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)

        shown = [-1]

        def progress(done: int, total: int) -> None:
            # A big file is read twice (checked, then stored): the export's bar shows how far,
            # redrawn once per percent.
            percent = done * 100 // max(total, 1)
            if percent != shown[0]:
                shown[0] = percent
                self.app.call_from_thread(self._import_progress, done, total)

        self.db_call(usb_import.import_file, self.station, found, progress, done=self.imported, group="sync-import")

    def _import_progress(self, done: int, total: int) -> None:
        if not self.busy:
            return  # a late update after the import ended
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)

    def imported(self, outcome: ImportOutcome) -> None:
        self.busy = False
        self.show_result(outcome)
        self.action_reload()

    def show_result(self, outcome: ImportOutcome) -> None:
        self.query_one("#sync-note", Static).update(Text("\n".join(one_line(line) for line in outcome.lines)))
        # The toast carries the first line: the note keeps the details (a bad file's problems).
        self.notify(outcome.lines[0], severity="error" if outcome.error else "information", timeout=10)

    def _last_seq(self) -> int:
        last = self.status.last_export if self.status else None
        return last.bundle_seq if last else 0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group == "sync-import" and event.worker.is_finished:
            self.busy = False
            self.query_one(ProgressBar).display = False
        if event.worker.group == "sync-export" and event.worker.is_finished:
            self.busy = False
            self.query_one(ProgressBar).display = False
            self.query_one("#sync-note", Static).update(t("sync.hint"))

    def action_back(self) -> None:
        self.app.pop_screen()
