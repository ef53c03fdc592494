"""The Sync screen: what went to the centre, what it confirmed, and the next export.

It shows the last export and the last receipt, and per kind of record how many changed
since the last export and how many the centre has not confirmed yet. E exports what
changed (A: everything again) into the folder shown, with a progress bar; the folder is
remembered once an export to it succeeded. I asks for the centre's receipt file (the
export folder filled in) and imports it: what it confirmed is shown under the table.
Export and import run in thread workers.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Static
from textual.worker import Worker

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.sync_bundle import SYNC_TABLES
from clerk_tui.services.context import Station
from clerk_tui.services.sync_export import ExportResult, SyncStatus, export_bundle, sync_status
from clerk_tui.services.sync_receipt import ReceiptReport, import_receipt
from clerk_tui.widgets.station_header import StationHeader


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else t("sync.never")


def _count(n: int) -> Text:
    return Text(f"{n:,}", justify="right", style="bold" if n else "")


def read_receipt_file(station: Station, path: Path) -> ReceiptReport | ClerkError:
    """Import a receipt; a receipt the station refuses comes back as its message, not as a crash."""
    try:
        return import_receipt(station, path)
    except ClerkError as exc:
        return exc


def receipt_lines(report: ReceiptReport) -> list[str]:
    """What a receipt did, in the words `clerk import receipt` prints."""
    seqs = lambda numbers: ", ".join(str(n) for n in numbers)  # noqa: E731
    lines = []
    if report.acknowledged:
        lines.append(t("receipt.imported", seqs=seqs(report.acknowledged)))
    if report.already:
        lines.append(t("receipt.already", seqs=seqs(report.already)))
    if report.unknown:
        lines.append(t("receipt.unknown", seqs=seqs(report.unknown)))
    if report.mismatched:
        lines.append(t("receipt.mismatched", seqs=seqs(report.mismatched)))
    if report.not_applied:
        lines.append(t("receipt.not_applied", n=report.not_applied))
    if report.missing_seqs:
        lines.append(t("receipt.missing", seqs=seqs(report.missing_seqs)))
    return lines


class SyncScreen(ClerkScreen):
    TITLE_KEY = "sync.title"
    BINDINGS = [
        Binding("e", "export(False)", "sync.key_export", id="sync-export"),
        Binding("a", "export(True)", "sync.key_export_all", id="sync-export-all"),
        Binding("i", "import_receipt", "sync.key_import", id="sync-import"),
        Binding("r", "reload", "sync.key_refresh", id="sync-refresh"),
        Binding("escape", "back", "key.back", id="sync-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.status: SyncStatus | None = None

    def compose(self) -> ComposeResult:
        yield StationHeader(self.station.settings, self.station.clock)
        yield Static(t("sync.title"), classes="section-title")
        with Horizontal(id="sync-folder-row"):
            yield Label(t("sync.folder"), id="sync-folder-label")
            yield Input(id="sync-folder")
        yield Static("", id="sync-last-export", classes="muted")
        yield Static("", id="sync-last-receipt", classes="muted")
        yield DataTable(id="sync-table", cursor_type="none", zebra_stripes=True)
        yield ProgressBar(id="sync-progress", show_eta=False)
        yield Static(t("sync.hint"), id="sync-note", classes="muted")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("sync.col_table", "sync.col_not_exported", "sync.col_unacknowledged"):
            table.add_column(t(key), key=key)
        self.query_one(ProgressBar).display = False
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.db_call(sync_status, self.station, done=self.show_status, group="sync-status", exclusive=True)

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        folder = self.query_one("#sync-folder", Input)
        if not folder.value:
            folder.value = str(status.folder)
        last = status.last_export
        export_text = (
            t("sync.last_export_value", seq=last.bundle_seq, at=_when(last.exported_at), records=last.records)
            if last else t("sync.never")
        )
        self.query_one("#sync-last-export", Static).update(t("sync.line", label=t("sync.last_export"), value=export_text))
        receipt_text = (
            t("sync.last_receipt_value", at=_when(status.last_receipt_at), acked=status.acknowledged_bundles,
              exports=status.exports)
            if status.last_receipt_at else t("sync.never")
        )
        self.query_one("#sync-last-receipt", Static).update(
            t("sync.line", label=t("sync.last_receipt"), value=receipt_text)
        )
        table = self.query_one(DataTable)
        table.clear()
        for name in SYNC_TABLES:
            table.add_row(t(f"sync.table.{name}"), _count(status.not_exported[name]), _count(status.unacknowledged[name]))
        table.add_row(t("sync.total"), _count(status.total_not_exported), _count(status.total_unacknowledged))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_export(self, full: bool) -> None:
        if self.busy:
            return
        self.busy = True
        text = self.query_one("#sync-folder", Input).value.strip()
        folder = Path(text).expanduser() if text else None
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#sync-note", Static).update(t("sync.busy"))

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        # The worker state handler below ends the busy state, whether it succeeded or not.
        self.db_call(export_bundle, self.station, folder, full, progress, done=self.exported,
                     group="sync-export", exclusive=True)

    def exported(self, result: ExportResult | None) -> None:
        if result is None:
            self.notify(t("sync.nothing_new_screen", seq=self._last_seq()), timeout=8)
        else:
            message = t("sync.exported", seq=result.bundle_seq, records=result.records, path=str(result.path))
            self.notify(message + (t("sync.exported_full") if result.full else ""), timeout=10)
            self.query_one("#sync-folder", Input).value = str(result.path.parent)
        self.action_reload()

    def action_import_receipt(self) -> None:
        if self.busy:
            return
        from clerk_tui.screens.reason import ReasonPrompt

        folder = self.query_one("#sync-folder", Input).value.strip()
        start = str(Path(folder).expanduser()) + os.sep if folder else ""

        def chosen(values: list[str] | None) -> None:
            if not values:
                return
            path = Path(values[0].strip().strip('"').strip("'")).expanduser()
            if not path.is_file():
                self.show_result([t("sync.no_file", path=str(path))], error=True)
                return
            self.busy = True
            self.query_one("#sync-note", Static).update(t("sync.importing"))
            self.db_call(read_receipt_file, self.station, path, done=self.imported, group="sync-import")

        self.app.push_screen(ReasonPrompt(t("sync.import_title"), [t("sync.import_label")], [start]), chosen)

    def imported(self, result: ReceiptReport | ClerkError) -> None:
        self.busy = False
        if isinstance(result, ClerkError):
            self.show_result([result.message()], error=True)
            return
        self.show_result(receipt_lines(result), error=bool(result.unknown or result.mismatched))
        self.action_reload()

    def show_result(self, lines: list[str], error: bool = False) -> None:
        text = "\n".join(lines)
        self.query_one("#sync-note", Static).update(Text(text))
        self.notify(text, severity="error" if error else "information", timeout=10)

    def _last_seq(self) -> int:
        last = self.status.last_export if self.status else None
        return last.bundle_seq if last else 0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group == "sync-import" and event.worker.is_finished:
            self.busy = False
        if event.worker.group == "sync-export" and event.worker.is_finished:
            self.busy = False
            self.query_one(ProgressBar).display = False
            self.query_one("#sync-note", Static).update(t("sync.hint"))

    def action_back(self) -> None:
        if not self.busy:  # leaving mid-export would hide the outcome, not stop the writing
            self.app.pop_screen()
