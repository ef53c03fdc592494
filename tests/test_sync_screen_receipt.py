"""The Sync screen imports the centre's receipt: i, the file path, Enter; the result is shown."""

from __future__ import annotations

from pathlib import Path

from clerk_tui.app import make_app
from clerk_tui.screens.sync import SyncScreen
from clerk_tui.services.sync_export import export_bundle, sync_status
from clerk_tui.services.sync_merge import merge_bundles
from clerk_tui.services.sync_receipt import write_receipts
from tests.conftest import settle
from tests.sync_helpers import make_centre, populate


def _receipt(station, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "usb"
    out.mkdir()
    populate(station, 2)
    bundle = export_bundle(station, out)
    centre = make_centre(tmp_path)
    report = merge_bundles(centre, [bundle.path])
    [receipt] = write_receipts(report.bundles, report.missing, None, "CENTRE", centre.clock.now())
    centre.close()
    return receipt


async def _import(pilot, path: str) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    await pilot.press("i")
    await settle(pilot)
    prompt = pilot.app.screen
    assert type(prompt).__name__ == "ReasonPrompt"
    prompt.query_one(Input).value = path
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)


def _note(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#sync-note").render())


async def test_receipt_imported_from_the_screen(station, tmp_path) -> None:
    receipt = _receipt(station, tmp_path)
    assert sync_status(station).total_unacknowledged > 0
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await pilot.press("i")
        await settle(pilot)
        from textual.widgets import Input

        # The prompt starts in the export folder, where the receipt usually lands.
        assert app.screen.query_one(Input).value.startswith(str(receipt.parent))
        await pilot.press("escape")
        await settle(pilot)
        await _import(pilot, str(receipt))
        assert isinstance(app.screen, SyncScreen)
        assert "中心已确认第 1 批" in _note(app)
        assert app.screen.status is not None and app.screen.status.total_unacknowledged == 0
        assert not app.screen.busy
        await _import(pilot, str(receipt))  # again: nothing changes, and it says so
        assert "此前已确认" in _note(app)
    assert sync_status(station).total_unacknowledged == 0


async def test_a_bad_receipt_path_or_file_is_shown_not_imported(station, tmp_path) -> None:
    receipt = _receipt(station, tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text(receipt.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await _import(pilot, str(tmp_path / "nowhere.json"))
        assert "找不到文件" in _note(app)
        await _import(pilot, str(broken))
        assert "回执" in _note(app) and not app.screen.busy
        assert app.is_running
    assert sync_status(station).total_unacknowledged > 0
