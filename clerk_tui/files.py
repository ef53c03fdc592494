"""Writing files that must survive a pulled plug and that only their owner may read.

A leaf module (no imports from the rest of the program): the storage layer and the
services both use it.
"""

from __future__ import annotations

import os
from pathlib import Path


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (applicants' data goes in it).

    SQLite gives its -wal and -shm files the database file's permissions. On Windows the
    mode is ignored and the user profile folder's access rules apply.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return
    os.close(fd)


def write_private(path: Path, text: str, *, private_folder: bool = False, newline: str | None = "\n") -> None:
    """Write owner-only, through a temporary name, flushed, then renamed into place.

    `private_folder` also makes the folder owner-only (notices name applicants);
    `newline=None` writes the platform's line ends (text a Windows clerk opens in Notepad).
    """
    if private_folder:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows and some USB file systems cannot, and need not."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
