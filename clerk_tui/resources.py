"""Files shipped with the program: the bundled catalog and other `data/`."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """`clerk_tui/data` in an installed wheel, the repository's `data/` in a checkout."""
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent / "data"


def bundled_catalog() -> Path:
    return data_dir() / "catalog" / "catalog.json"
