"""Files from the centre on a stick: which are there, and importing one of them.

The Sync screen lists the receipts, catalogs, calendar updates, appointment and platform
ratings files in the chosen folder and imports one per key press. Each goes through the very
service function `clerk import receipt|catalog|calendar|appointments|ratings` calls, so the checks are the
same; a file that fails them changes nothing and comes back as lines to show, not as a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.services.context import Station
from clerk_tui.services.sync.keys import check_update

KINDS = ("receipt", "catalog", "calendar", "appointments", "ratings")
# The `format` value each kind of file declares (see the modules that read them).
FORMATS = {
    "clerk-tui-sync-receipt": "receipt",
    "clerk-tui-catalog": "catalog",
    "clerk-tui-calendar": "calendar",
    "clerk-tui-appointments": "appointments",
    "clerk-tui-ratings": "ratings",
}
# When `format` is not near the top, the name says what the file is.
NAME_HINTS = (
    ("clerk-receipt-", "receipt"),
    ("catalog", "catalog"),
    ("calendar", "calendar"),
    ("appointment", "appointments"),
    ("rating", "ratings"),
)
PEEK_BYTES = 64 * 1024
FORMAT_RE = re.compile(rb'"format"\s*:\s*"([a-z-]+)"')


@dataclass(frozen=True)
class FoundFile:
    path: Path
    kind: str
    modified: datetime


@dataclass(frozen=True)
class ImportOutcome:
    lines: list[str]
    error: bool = False


def file_kind(path: Path) -> str | None:
    """Which of the centre's files this is, from its `format` (or its name); None if none."""
    try:
        with path.open("rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError:
        return None
    match = FORMAT_RE.search(head)
    if match:
        return FORMATS.get(match.group(1).decode("ascii"))
    name = path.name.lower()
    return next((kind for hint, kind in NAME_HINTS if hint in name), None)


def scan_folder(folder: Path) -> list[FoundFile]:
    """The centre's files directly in `folder`, by kind (receipt first), newest first."""
    found = []
    try:
        candidates = [p for p in folder.iterdir() if p.suffix.lower() == ".json" and not p.name.startswith(".")]
    except OSError:
        return []
    for path in candidates:
        try:
            if not path.is_file():
                continue
            modified = datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue
        kind = file_kind(path)
        if kind is not None:
            found.append(FoundFile(path, kind, modified))
    found.sort(key=lambda f: (KINDS.index(f.kind), -f.modified.timestamp(), f.path.name))
    return found


def _seqs(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def receipt_lines(report: Any) -> tuple[list[str], bool]:
    """What a receipt did, in the words `clerk import receipt` prints; True if something was refused."""
    lines = []
    if report.acknowledged:
        lines.append(t("receipt.imported", seqs=_seqs(report.acknowledged)))
    if report.already:
        lines.append(t("receipt.already", seqs=_seqs(report.already)))
    if report.unknown:
        lines.append(t("receipt.unknown", seqs=_seqs(report.unknown)))
    if report.mismatched:
        lines.append(t("receipt.mismatched", seqs=_seqs(report.mismatched)))
    if report.not_applied:
        lines.append(t("receipt.not_applied", n=report.not_applied))
    if report.missing_seqs:
        lines.append(t("receipt.missing", seqs=_seqs(report.missing_seqs)))
    return lines, bool(report.unknown or report.mismatched)


def _catalog_lines(report: Any) -> list[str]:
    if report.already_imported:
        return [t("catalog.already", label=report.label)]
    return [
        t(
            "catalog.imported",
            label=report.label,
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            retired=report.retired,
        )
    ]


def _appointments_lines(report: Any) -> list[str]:
    return [
        t(
            "appointments.done",
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            cancelled=report.cancelled,
            issued=report.issued,
            expired=report.expired,
        )
    ]


def _ratings_lines(report: Any) -> list[str]:
    return [
        t(
            "rating_import.done",
            new=report.new,
            filled=report.filled,
            unchanged=report.unchanged,
            follow_ups=report.follow_ups,
        )
    ]


def _importer(kind: str) -> tuple[Callable[..., Any], Callable[[Any], list[str]]]:
    if kind == "receipt":
        from clerk_tui.services.sync.receipt import import_receipt

        return import_receipt, lambda r: receipt_lines(r)[0]
    if kind == "catalog":
        from clerk_tui.services.catalog.importer import import_catalog_file

        return import_catalog_file, _catalog_lines
    if kind == "calendar":
        from clerk_tui.services.station.calendar import import_calendar_file, import_lines

        return import_calendar_file, import_lines
    if kind == "appointments":
        from clerk_tui.services.sync.appointments import import_appointments_file

        return import_appointments_file, _appointments_lines
    if kind == "ratings":
        from clerk_tui.services.cases.rating_import import import_ratings_file

        return import_ratings_file, _ratings_lines
    raise ValueError(kind)


def error_lines(exc: ClerkError) -> list[str]:
    """The refusal in one line, then the file's first problems (as the CLI lists them)."""
    details: list[str] = []
    problems = getattr(exc, "problems", None)
    if problems is not None and hasattr(exc, "lines"):  # appointments, ratings
        details = exc.lines()
    elif problems:  # catalog
        from clerk_tui.services.catalog.file import describe_problem

        details = [describe_problem(p) for p in problems]
    return [exc.message()] + [f"  - {d}" for d in details[:3]]


def import_file(
    station: Station, found: FoundFile, progress: Callable[[int, int], None] | None = None
) -> ImportOutcome:
    """Import one found file with the CLI's service function; a refusal changes nothing.

    `progress(done, total)` follows the reading of the big kinds (catalog, appointments).
    """
    run, describe = _importer(found.kind)
    if not found.path.is_file():
        return ImportOutcome([t("sync.no_file", path=str(found.path))], error=True)
    try:
        if found.kind != "receipt":  # a receipt's signature is checked by import_receipt itself
            check_update(station, found.path)
        if progress is not None and found.kind in ("catalog", "appointments"):
            result = run(station, found.path, progress)
        else:
            result = run(station, found.path)
    except ClerkError as exc:
        return ImportOutcome(error_lines(exc), error=True)
    if found.kind == "receipt":
        lines, refused = receipt_lines(result)
        return ImportOutcome(lines, error=refused)
    return ImportOutcome(describe(result))


@dataclass(frozen=True)
class FolderView:
    """What the Sync screen shows about its folder: is the stick there, what files, what drives."""

    folder: Path
    absent: bool
    files: list[FoundFile]
    drives: list[Any]  # removable.Drive


def look_at_folder(folder: Path, own: Path | None = None) -> FolderView:
    """`own` is the station's exports folder: on the local disk by design, made when needed."""
    from clerk_tui.services.sync import removable

    absent = folder != own and removable.stick_absent(folder)
    files = [] if absent else scan_folder(folder)
    return FolderView(folder, absent, files, removable.removable_drives())
