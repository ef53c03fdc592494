"""The Sync screen: last export and receipt, what the centre lacks, export with progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from clerk_tui.app import make_app
from clerk_tui.db import set_meta
from clerk_tui.screens.sync import SyncScreen
from clerk_tui.services.sync import keys, removable
from clerk_tui.services.sync import usb as usb_import
from clerk_tui.services.sync.export import LAST_FOLDER_KEY, export_bundle
from clerk_tui.services.sync.merge import merge_bundles
from clerk_tui.services.sync.receipt import import_receipt, write_receipts
from clerk_tui.services.sync.removable import Drive
from clerk_tui.services.sync.usb import FolderView, FoundFile
from tests.conftest import settle
from tests.sync_helpers import edit_case, make_centre, populate, trust


def _prepare(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One bundle exported and confirmed, one exported and not yet, one case changed since."""
    out = tmp_path / "usb"
    out.mkdir()
    centre = make_centre(tmp_path)
    trust(centre, station)
    [case_id, _] = populate(station, 2)
    first = export_bundle(station, out)
    station.clock.advance(hours=1)
    populate(station, 1)
    export_bundle(station, out)
    report = merge_bundles(centre, [first.path])
    secrets = keys.require_centre(centre.settings)
    [receipt] = write_receipts(report.bundles, report.missing, None, "CENTRE", centre.clock.now(), secrets)
    centre.close()
    station.clock.advance(minutes=20)
    import_receipt(station, receipt)
    edit_case(station, case_id, notes="补充说明")
    with station.write() as session:  # a fixed folder, so the picture does not show a temp path
        set_meta(session.connection(), LAST_FOLDER_KEY, "/media/usb/clerk")


async def _open_sync(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


def test_sync_screen_zh_80x24(snap_compare, station, tmp_path, monkeypatch) -> None:
    """Folder line, the stick absent, last export (bundle 2), last receipt (1 of 2 confirmed), per-table counts."""
    _prepare(station, tmp_path)
    monkeypatch.setattr(removable, "removable_drives", lambda platform=None: [])
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_sync)


def test_sync_screen_en_80x24(snap_compare, station, tmp_path, monkeypatch) -> None:
    """English, a stick present with the centre's files listed beside the counts."""
    _prepare(station, tmp_path)
    stick = Path("/media/usb/clerk")
    at = datetime(2026, 11, 24, 8, 5)
    files = [
        FoundFile(stick / name, kind, at)
        for name, kind in (
            ("clerk-receipt-DEMO-510199-01-000001-000001-20261124-080500.json", "receipt"),
            ("catalog-2026-11.json", "catalog"),
            ("calendar-2027.json", "calendar"),
            ("appointments-20261124.json", "appointments"),
        )
    ]
    # A fixed picture: the folder's files and the drive as the screen's service would report them.
    monkeypatch.setattr(
        usb_import,
        "look_at_folder",
        lambda folder, own=None: FolderView(folder, False, files, [Drive(Path("/media/usb"), "usb")]),
    )
    station.settings = replace(station.settings, language="en")
    app = make_app(station.settings, station=station)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_sync)


async def test_export_from_the_screen_remembers_the_folder(station, tmp_path) -> None:
    populate(station, 1)
    stick = tmp_path / "stick"
    stick.mkdir()
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_sync(pilot)
        assert isinstance(app.screen, SyncScreen)
        from textual.widgets import Input

        folder = app.screen.query_one("#sync-folder", Input)
        folder.value = str(stick)
        await pilot.press("e")
        await settle(pilot)
        await settle(pilot)
        assert len(list(stick.glob("clerk-sync-*.zip"))) == 1
        assert any("已导出第 1 批" in n.message for n in app._notifications)
        assert app.screen.status is not None and app.screen.status.total_not_exported == 0
        assert app.screen.status.folder == stick
        assert not app.screen.busy
        await pilot.press("e")  # nothing new: a message, no file
        await settle(pilot)
        await settle(pilot)
        assert len(list(stick.glob("clerk-sync-*.zip"))) == 1
        assert any("没有新的或修改的记录" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SyncScreen)


async def test_an_export_error_reaches_the_clerk(station, tmp_path) -> None:
    populate(station, 1)
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_sync(pilot)
        from textual.widgets import Input

        app.screen.query_one("#sync-folder", Input).value = str(tmp_path / "gone" / "usb")
        await pilot.press("e")
        await settle(pilot)
        await settle(pilot)
        assert any("U盘" in n.message for n in app._notifications)
        assert not app.screen.busy and app.is_running
