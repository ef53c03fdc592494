"""Removable drives on a fake folder tree, and the export refusing a stick that is absent."""

from __future__ import annotations

import sys

import pytest

from clerk_tui.errors import ClerkError
from clerk_tui.services.sync import removable
from clerk_tui.services.sync.export import export_bundle, sync_status
from clerk_tui.services.sync.removable import Drive, linux_drives, mac_drives, stick_absent, windows_drives
from tests.sync_helpers import populate


def test_linux_drives_come_from_proc_mounts_below_the_mount_roots(tmp_path) -> None:
    media, run_media, mnt = tmp_path / "media", tmp_path / "run" / "media", tmp_path / "mnt"
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/sda1 / ext4 rw 0 0\n"
        f"/dev/sdb1 {media}/alice/KINGSTON vfat rw 0 0\n"
        f"/dev/sdc1 {run_media}/alice/MY\\040STICK exfat rw 0 0\n"
        f"/dev/sdd1 {mnt}/usb vfat rw 0 0\n"
        f"tmpfs {tmp_path}/elsewhere tmpfs rw 0 0\n",
        encoding="utf-8",
    )
    drives = linux_drives((media, run_media, mnt), mounts)
    assert drives == [
        Drive(media / "alice" / "KINGSTON", "KINGSTON"),
        Drive(mnt / "usb", "usb"),
        Drive(run_media / "alice" / "MY STICK", "MY STICK"),
    ]


def test_linux_drives_without_proc_look_for_mount_points(tmp_path) -> None:
    media = tmp_path / "media"
    (media / "alice" / "STICK").mkdir(parents=True)
    (media / "alice" / "old").mkdir()  # a leftover folder, nothing mounted
    mounted = {str(media / "alice" / "STICK")}
    drives = linux_drives((media,), tmp_path / "no-such-file", is_mount=lambda p: p in mounted)
    assert drives == [Drive(media / "alice" / "STICK", "STICK")]


def test_windows_drives_are_the_removable_letters_only() -> None:
    types = {"C:\\": 3, "D:\\": 5, "E:\\": 2, "G:\\": 2}
    mask = sum(1 << (ord(root[0]) - ord("A")) for root in types)
    drives = windows_drives(lambda: mask, lambda root: types[root])
    assert [d.label for d in drives] == ["E:", "G:"]
    assert [str(d.path) for d in drives] == ["E:\\", "G:\\"]


def test_mac_drives_skip_the_start_up_disk(tmp_path) -> None:
    volumes = tmp_path / "Volumes"
    (volumes / "USB").mkdir(parents=True)
    (volumes / "Macintosh HD").symlink_to("/")
    assert mac_drives(volumes) == [Drive(volumes / "USB", "USB")]


def test_drive_discovery_imports_and_answers_on_any_platform() -> None:
    assert isinstance(removable.removable_drives(), list)
    if sys.platform != "win32":  # ctypes.windll is missing here: the guard turns that into "none"
        assert removable.removable_drives("win32") == []


def test_a_mount_point_without_its_stick_is_absent(tmp_path) -> None:
    media = tmp_path / "media"
    point = media / "alice" / "STICK"
    point.mkdir(parents=True)
    assert stick_absent(point, (media,), is_mount=lambda p: False)
    assert not stick_absent(point, (media,), is_mount=lambda p: p == str(point))
    assert stick_absent(point / "clerk", (media,), is_mount=lambda p: p == str(point))  # not made yet
    assert stick_absent(media / "alice" / "GONE", (media,), is_mount=lambda p: False)
    assert not stick_absent(tmp_path, (media,))  # a folder elsewhere that exists


@pytest.mark.skipif(sys.platform == "win32", reason="mount roots are a Unix idea")
def test_export_to_an_absent_stick_refuses_and_makes_no_folder(station, tmp_path, monkeypatch) -> None:
    media = tmp_path / "media"
    (media / "alice").mkdir(parents=True)  # what a desktop leaves when the stick is out
    monkeypatch.setattr(removable, "MOUNT_ROOTS", (media,))
    populate(station, 1)
    target = media / "alice" / "KINGSTON"
    with pytest.raises(ClerkError) as caught:
        export_bundle(station, target)
    assert caught.value.key == "sync.folder_missing"
    assert not target.exists()
    target.mkdir()  # a mount point left behind, still no stick in it
    with pytest.raises(ClerkError):
        export_bundle(station, target)
    assert list(target.iterdir()) == []
    assert sync_status(station).last_export is None
    # With the stick mounted there, the same folder works (and a new folder on it is made).
    monkeypatch.setattr(removable.os.path, "ismount", lambda p: p == str(target))
    result = export_bundle(station, target / "clerk")
    assert result is not None and result.path.parent == target / "clerk"
