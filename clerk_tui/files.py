"""Writing files that must survive a pulled plug and that only their owner may read.

A leaf module (no imports from the rest of the program): the storage layer and the
services both use it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)


def make_private(path: Path) -> None:
    """Take away group and other access from a file or folder of ours that has any.

    For what an older version, a copy, a restore or a hand-made file left readable by
    others: the owner's own bits stay as they are (a read-only file stays read-only).
    Only on POSIX, only what the current user owns, and never an error: a read-only disk
    or another user's file is left as it is. On Windows the mode means nothing (the user
    profile folder's access rules apply), so nothing is done.
    """
    if os.name != "posix":
        return
    try:
        info = path.stat()
    except OSError:  # not there (yet), or not ours to look at
        return
    try:
        if info.st_uid != os.getuid() or not info.st_mode & 0o077:
            return
        os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError as exc:
        log.info("cannot make %s owner-only: %s", path, exc.strerror or exc)
        return
    log.info("made %s owner-only (it was %o)", path, stat.S_IMODE(info.st_mode))


def create_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parent owner-only (0700); existing ones are left."""
    missing = []
    for part in (folder, *folder.parents):
        if part.is_dir():
            break
        missing.append(part)
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:
            if not part.is_dir():
                raise
    folder.mkdir(parents=True, exist_ok=True)  # the error, with its reason, if it could not be made


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (applicants' data goes in it); a file
    already there is made owner-only (`make_private`), its content untouched.

    SQLite gives the -wal and -shm files it creates the database file's permissions. On
    Windows the mode is ignored and the user profile folder's access rules apply.
    """
    create_private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        make_private(path)
        return
    os.close(fd)


def write_private(path: Path, text: str, *, private_folder: bool = False, newline: str | None = "\n") -> None:
    """Write owner-only, through a temporary name, flushed, then renamed into place.

    `private_folder` also makes the folder owner-only (notices name applicants);
    `newline=None` writes the platform's line ends (text a Windows clerk opens in Notepad).
    """
    if private_folder:
        # Every folder made on the way too (notices/2026/11: all three name applicants).
        create_private_folder(path.parent)
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
