"""Removable drives this PC can see, and whether a folder is on a stick that is plugged in.

The Sync and Settings screens offer these drives as places to pick; the export refuses a
folder whose stick is absent instead of writing to the local disk under the same name.

Windows: the letters of removable drives (`GetLogicalDrives` + `GetDriveTypeW`).
Linux: the mounts under /media/<user>, /run/media/<user> and /mnt (from /proc/mounts, or by
looking for mount points when that file cannot be read). macOS: /Volumes. Every probe can
be passed in, so tests run on a fake folder tree; no Textual import here.
"""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DRIVE_REMOVABLE = 2  # GetDriveTypeW's answer for USB sticks and card readers
# Where desktops and `mount` put sticks; a folder below one of these that is not on a
# mounted volume is a mount point whose stick is absent.
MOUNT_ROOTS: tuple[Path, ...] = (Path("/media"), Path("/run/media"), Path("/mnt"), Path("/Volumes"))
PROC_MOUNTS = Path("/proc/mounts")


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str  # the volume's name as the clerk knows it (the mount folder, or the letter)


def _unescape(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _below(path: Path, roots: Iterable[Path]) -> Path | None:
    """The root `path` lies strictly below, if any."""
    for root in roots:
        if path != root and path.is_relative_to(root):
            return root
    return None


def linux_drives(
    roots: tuple[Path, ...] = MOUNT_ROOTS[:3],
    mounts_file: Path = PROC_MOUNTS,
    is_mount: Callable[[str], bool] = os.path.ismount,
) -> list[Drive]:
    """Mounted volumes below /media, /run/media and /mnt."""
    points: list[Path] = []
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = None
    if lines is not None:
        for line in lines:
            fields = line.split()
            if len(fields) >= 2:
                point = Path(_unescape(fields[1]))
                if _below(point, roots):
                    points.append(point)
    else:  # no /proc (a container, another Unix): look for mount points two levels down
        for root in roots:
            for child in _children(root):
                points.extend(p for p in [child, *_children(child)] if is_mount(str(p)))
    found = sorted(set(points))
    # /media/alice is the folder holding alice's sticks, not a stick, when something is below it.
    return [Drive(p, p.name) for p in found if not any(q != p and q.is_relative_to(p) for q in found)]


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []


def mac_drives(volumes: Path = Path("/Volumes")) -> list[Drive]:
    """Volumes other than the start-up disk (which is a link to /)."""
    drives = []
    for child in _children(volumes):
        try:
            if child.resolve() == Path("/").resolve():
                continue
        except OSError:
            continue
        drives.append(Drive(child, child.name))
    return drives


def windows_drives(
    logical_drives: Callable[[], int] | None = None, drive_type: Callable[[str], int] | None = None
) -> list[Drive]:
    """Letters of removable drives (USB sticks, card readers)."""
    if logical_drives is None or drive_type is None:
        import ctypes  # only reached on Windows: windll does not exist elsewhere

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        logical_drives = logical_drives or kernel32.GetLogicalDrives
        drive_type = drive_type or (lambda root: kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))
    mask = logical_drives()
    drives = []
    for i, letter in enumerate(string.ascii_uppercase):
        root = f"{letter}:\\"
        if mask >> i & 1 and drive_type(root) == DRIVE_REMOVABLE:
            drives.append(Drive(Path(root), f"{letter}:"))
    return drives


def removable_drives(platform: str = sys.platform) -> list[Drive]:
    """The removable drives this PC sees now; none when it cannot tell (never an error)."""
    try:
        if platform == "win32":
            return windows_drives()
        if platform == "darwin":
            return mac_drives()
        return linux_drives()
    except (OSError, AttributeError, ValueError):
        return []


def under_absent_mount(
    folder: Path, roots: tuple[Path, ...] | None = None, is_mount: Callable[[str], bool] | None = None
) -> bool:
    """True when `folder` lies below a mount root (/media, /mnt, ...) with no volume mounted
    between: the mount point of a stick that is not plugged in, on the local disk."""
    if sys.platform == "win32":  # a missing stick there is a missing drive letter
        return False
    root = _below(folder, MOUNT_ROOTS if roots is None else roots)
    if root is None:
        return False
    is_mount = is_mount or os.path.ismount
    return not any(is_mount(str(p)) for p in [folder, *folder.parents] if p != root and p.is_relative_to(root))


def stick_absent(
    folder: Path, roots: tuple[Path, ...] | None = None, is_mount: Callable[[str], bool] | None = None
) -> bool:
    """True when `folder` cannot be the stick the clerk means: not there, or an empty mount point."""
    return not folder.is_dir() or under_absent_mount(folder, roots, is_mount)


@dataclass(frozen=True)
class Place:
    """A folder the clerk can pick for sync: the configured one, the one in use, a drive."""

    path: Path
    kind: str  # "config", "current" or "drive"
    label: str
    absent: bool


def sync_places(
    configured: Path | None, current: Path | None, drives: list[Drive] | None = None, own: Path | None = None
) -> list[Place]:
    """The configured `[sync] folder` first, then the folder in use, then each drive seen now.

    `own` is the station's exports folder: local by design and made when needed, never "absent".
    """
    drives = removable_drives() if drives is None else drives
    places: list[Place] = []
    for kind, path in (("config", configured), ("current", current)):
        if path is not None and all(p.path != path for p in places):
            places.append(Place(path, kind, str(path), path != own and stick_absent(path)))
    for drive in drives:
        if all(p.path != drive.path for p in places):
            places.append(Place(drive.path, "drive", drive.label, False))
    return places
