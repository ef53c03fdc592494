"""CSV copies of a bundle's records for a spreadsheet, written at the centre after the
bundle is opened: on the stick they would be clear text (personal data) for anyone who
finds it. A station writes them into a bundle only on explicit request (`--csv`)."""

from __future__ import annotations

import re
from pathlib import Path

from clerk_tui.errors import ClerkError
from clerk_tui.files import make_private
from clerk_tui.services.sync.bundle import Bundle
from clerk_tui.services.sync.export import csv_rows, csv_writer


def write_csv_copies(bundle: Bundle, folder: Path) -> Path:
    """One CSV per table of a verified (and, when sealed, opened) bundle, in an owner-only
    folder named after the bundle file; returns that folder."""
    name = re.sub(r"[^0-9A-Za-z_.-]+", "_", bundle.path.stem).strip("._") or "bundle"
    target = folder / name
    try:
        target.mkdir(parents=True, exist_ok=True)
        make_private(target)
        for table, info in bundle.manifest.tables.items():
            path = target / f"{table}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                make_private(path)
                writer = csv_writer(handle, info.columns)
                rows = ([record.get(c) for c in info.columns] for record in bundle.records(table))
                writer.writerows(csv_rows(info.columns, rows))
    except OSError as exc:
        raise ClerkError("sync.csv_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
    return target
