"""Copies of a live database through the engine's online backup: consistent while the
app, the board and the kiosk keep writing. The caller creates the target file (with the
permissions it wants) and verifies the copy."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from clerk_tui.db.readonly import open_readonly


def write_backup(source: Path, target: Path) -> None:
    """Copy the database at `source` into `target` as one self-contained file.

    Raises `StorageError` when the engine refuses (a damaged source, a full disk).
    """
    with open_readonly(source) as src, closing(sqlite3.connect(target)) as dst:
        src.dbapi.backup(dst, pages=4096)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file


def restore_backup(backup: Path, target: Path) -> None:
    """Write the backup at `backup` over the database at `target`, ready to be opened as one.

    Raises `StorageError` when the engine refuses.
    """
    with open_readonly(backup) as src, closing(sqlite3.connect(target)) as dst:
        src.dbapi.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
