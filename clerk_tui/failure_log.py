"""The failure log: the whole story of a failure the clerk saw as one line.

A storage or file failure (a read-only database, a full or failing disk) reaches the
clerk as one line in their language; the traceback goes here, for whoever supports the
hall. Redacted: the engine's messages may quote a row, and a row may hold an ID number.
The log is `logs/clerk-errors.log` in the data folder, owner-only, kept under 1 MiB (the
one before kept as `clerk-errors.log.1`). A log that cannot be written (the disk is the
problem) is skipped: the clerk's line has been said already.

A leaf module (no imports from the rest of the program but `redaction`).
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from clerk_tui.redaction import redact

LOG_NAME = "clerk-errors.log"
MAX_BYTES = 1 << 20


def log_folder(data_dir: Path) -> Path:
    return data_dir / "logs"


def log_failure(exc: BaseException, folder: Path, context: str = "") -> Path | None:
    """Append `exc` with its traceback to the log in `folder`; the log's path, or None."""
    text = redact("".join(traceback.format_exception(exc)))
    entry = f"--- {datetime.now():%Y-%m-%d %H:%M:%S} {redact(context)}\n{text}\n"
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(entry)
    except OSError:
        return None
    return path
