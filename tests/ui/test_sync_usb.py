"""The Sync screen and the stick: the folder, the drives, the centre's files imported in one key.

Imports go through the same service functions as `clerk import ...`, so the results read
as the CLI's lines; a bad file gets its message and nothing is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from clerk_tui.app import make_app
from clerk_tui.db import set_meta
from clerk_tui.resources import bundled_catalog
from clerk_tui.screens.sync import SyncScreen
from clerk_tui.services.sync import keys, removable
from clerk_tui.services.sync.export import LAST_FOLDER_KEY, export_bundle
from clerk_tui.services.sync.merge import merge_bundles
from clerk_tui.services.sync.receipt import write_receipts
from clerk_tui.services.sync.removable import Drive
from tests.conftest import settle, table_counts
from tests.sync_helpers import make_centre, populate, trust


@pytest.fixture
def no_drives(monkeypatch):  # type: ignore[no-untyped-def]
    """This machine's own mounts must not show up in the tests."""
    monkeypatch.setattr(removable, "removable_drives", lambda platform=None: [])


def _centre(station, stick: Path):  # type: ignore[no-untyped-def]
    """The test's one centre: its keys kept beside the stick, the station enrolled there and
    holding its key (made again on each call: the keys stay the same)."""
    centre = make_centre(stick.parent)
    trust(centre, station)
    return centre


def _receipt(station, stick: Path) -> Path:  # type: ignore[no-untyped-def]
    centre = _centre(station, stick)
    populate(station, 2)
    bundle = export_bundle(station, stick)
    report = merge_bundles(centre, [bundle.path])
    secrets = keys.require_centre(centre.settings)
    [receipt] = write_receipts(report.bundles, report.missing, None, "CENTRE", centre.clock.now(), secrets)
    centre.close()
    return receipt


def _sign(station, stick: Path) -> None:  # type: ignore[no-untyped-def]
    """The centre signs the files it put on the stick (receipts are signed as written)."""
    centre = _centre(station, stick)
    secret = keys.require_centre(centre.settings).signing
    centre.close()
    for path in stick.glob("*.json"):
        if not path.name.startswith("clerk-receipt-") and path.name != "notes.json":
            keys.sign_file(secret, path)


def _calendar(folder: Path) -> Path:
    path = folder / "calendar-2027.json"
    path.write_text(
        json.dumps(
            {
                "format": "clerk-tui-calendar",
                "format_version": 1,
                "years": [2027],
                "holidays": [{"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}],
                "workdays": [{"name": "春节调休", "date": "2027-02-20"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def _appointments(folder: Path) -> Path:
    path = folder / "appointments-1124.json"
    path.write_text(
        json.dumps(
            {
                "format": "clerk-tui-appointments",
                "format_version": 1,
                "appointments": [{"id": "YY-0001", "queue": "A", "slot": "2026-11-24T10:30", "name": "王芳"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def _ratings(folder: Path) -> Path:
    """The platform returns a rating the hall's device gave (populate's second case, 2 at acceptance)."""
    rating = {"case_no": "20261124-03-0002", "level": 2, "rated_at": "2026-11-24T09:30", "channel": "4"}
    path = folder / "ratings-1124.json"
    path.write_text(
        json.dumps({"format": "clerk-tui-ratings", "format_version": 1, "ratings": [rating]}), encoding="utf-8"
    )
    return path


async def _open(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await settle(pilot)
    assert isinstance(pilot.app.screen, SyncScreen)


def _note(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#sync-note").render())


def _listed(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    files = app.screen.query_one("#sync-files", DataTable)
    return [(str(files.get_row_at(i)[0]), str(files.get_row_at(i)[1])) for i in range(files.row_count)]


async def _choose(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    files = pilot.app.screen.query_one("#sync-files", DataTable)
    row = [str(files.get_row_at(i)[1]) for i in range(files.row_count)].index(name)
    files.move_cursor(row=row)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)


async def test_the_centres_files_are_listed_and_each_imported_in_one_key(station, tmp_path, no_drives) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    receipt = _receipt(station, stick)
    _calendar(stick)
    _appointments(stick)
    _ratings(stick)
    shutil.copy(bundled_catalog(), stick / "catalog-2026.json")
    (stick / "notes.json").write_text("{}", encoding="utf-8")  # not the centre's: not listed
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        # The folder of the last export is filled in, and its files listed by kind.
        assert app.screen.query_one("#sync-folder", Input).value == str(stick)
        assert _listed(app) == [
            ("回执", receipt.name),
            ("目录", "catalog-2026.json"),
            ("日历", "calendar-2027.json"),
            ("预约", "appointments-1124.json"),
            ("评价", "ratings-1124.json"),
        ]
        assert "U盘不在" not in str(app.screen.query_one("#sync-stick").render())
        await _choose(pilot, receipt.name)
        assert "中心已确认第 1 批" in _note(app)
        assert app.screen.status is not None and app.screen.status.total_unacknowledged == 0
        await _choose(pilot, receipt.name)  # again: nothing changes, and it says so
        assert "此前已确认" in _note(app)
        await _choose(pilot, "calendar-2027.json")
        assert "工作日历已导入：2027" in _note(app)
        await _choose(pilot, "appointments-1124.json")
        assert "预约已导入：新增 1" in _note(app)
        await _choose(pilot, "ratings-1124.json")
        assert "评价已导入：新增 0，补录未评价 0，已有 1" in _note(app)
        await _choose(pilot, "catalog-2026.json")
        assert "已导入过，未作任何更改" in _note(app)  # the bundled catalog is in already
        assert not app.screen.busy
    from clerk_tui.services.station.calendar import load_work_calendar

    assert load_work_calendar(station).knows(2027)


async def test_a_bad_file_gets_one_line_and_changes_nothing(station, tmp_path, no_drives) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    receipt = _receipt(station, stick)
    receipt.write_text(receipt.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    bad_calendar = _calendar(stick)
    bad_calendar.write_text(
        bad_calendar.read_text(encoding="utf-8").replace("2027-02-20", "2027-02-22"), encoding="utf-8"
    )  # a Monday cannot be a make-up working day
    bad_appointments = _appointments(stick)
    bad_appointments.write_text(bad_appointments.read_text(encoding="utf-8").replace('"A"', '"Z"'), encoding="utf-8")
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)  # (the main screen's start of day writes its mark first)
        before = table_counts(station.settings.database_path)
        for name, words in (
            (receipt.name, "签名与文件内容不符"),  # cut short after the centre signed it
            ("calendar-2027.json", "不是周末"),
            ("appointments-1124.json", "有 1 处问题"),
        ):
            await _choose(pilot, name)
            assert words in _note(app), _note(app)
            toast = list(app._notifications)[-1]
            assert toast.severity == "error" and "\n" not in toast.message
        assert not app.screen.busy and app.is_running
        assert table_counts(station.settings.database_path) == before


async def test_an_absent_stick_is_said_and_the_folder_is_picked_from_the_drives(station, tmp_path, monkeypatch) -> None:
    stick = tmp_path / "media" / "KINGSTON"
    stick.mkdir(parents=True)
    _calendar(stick)
    monkeypatch.setattr(removable, "removable_drives", lambda platform=None: [Drive(stick, "KINGSTON")])
    with station.write() as session:
        set_meta(session.connection(), LAST_FOLDER_KEY, str(tmp_path / "gone" / "usb"))
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        line = str(app.screen.query_one("#sync-stick").render())
        assert "U盘不在" in line and str(tmp_path / "gone" / "usb") in line
        assert _listed(app) == []
        await pilot.press("u")
        await settle(pilot)
        picker = app.screen
        assert type(picker).__name__ == "PlacePicker"
        assert [p.kind for p in picker.places] == ["current", "drive"] and picker.places[0].absent
        await pilot.press("2")
        await settle(pilot)
        await settle(pilot)
        assert app.screen.query_one("#sync-folder", Input).value == str(stick)
        assert "KINGSTON" in str(app.screen.query_one("#sync-stick").render())
        assert _listed(app) == [("日历", "calendar-2027.json")]
        await pilot.press("i")
        await settle(pilot)
        await settle(pilot)
        assert "工作日历已导入" in _note(app)
    assert not (tmp_path / "gone").exists()


async def test_a_file_elsewhere_is_typed_when_the_folder_has_none(station, tmp_path, no_drives) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    receipt = _receipt(station, stick)
    elsewhere = tmp_path / "desk"
    elsewhere.mkdir()
    moved = receipt.rename(elsewhere / receipt.name)
    receipt.with_name(receipt.name + ".sig").rename(elsewhere / (receipt.name + ".sig"))  # its signature with it
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        assert _listed(app) == []
        for path, words in ((tmp_path / "nowhere.json", "找不到文件"), (moved, "中心已确认第 1 批")):
            await pilot.press("i")
            await settle(pilot)
            prompt = app.screen
            assert type(prompt).__name__ == "ReasonPrompt"
            assert prompt.query_one(Input).value.startswith(str(stick))  # starts in the folder
            prompt.query_one(Input).value = str(path)
            await pilot.press("enter")
            await settle(pilot)
            await settle(pilot)
            assert words in _note(app)


async def test_a_calendar_from_the_stick_lists_the_deadlines_it_moved(station, clock, tmp_path, no_drives) -> None:
    """In December a 20-working-day case is saved with a provisional deadline (2027-01-01,
    weekends only); the 2027 calendar imported from the sync screen moves it past 元旦, and
    the screen names the case and both dates, as `clerk import calendar` does."""
    from datetime import datetime

    from clerk_tui.services.cases import record as cases
    from tests.case_factory import draft

    clock.at = datetime(2026, 12, 4, 9, 30)
    case = cases.save_case(station, draft(station, "promised", "公共租赁住房申请资格审核认定（保障性住房配租）"))
    assert case.deadline_provisional
    stick = tmp_path / "usb"
    stick.mkdir()
    (stick / "calendar-2027.json").write_text(
        json.dumps(
            {
                "format": "clerk-tui-calendar",
                "format_version": 1,
                "years": [2027],
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                "workdays": [],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    with station.write() as session:
        set_meta(session.connection(), LAST_FOLDER_KEY, str(stick))
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await _choose(pilot, "calendar-2027.json")
        note = _note(app)
    assert "工作日历已导入：2027" in note
    assert f"{case.case_no} 承诺办结日：2027-01-01（暂定） → 2027-01-04" in note


async def test_a_big_file_shows_how_far_its_import_is(station, tmp_path, no_drives, monkeypatch) -> None:
    """The catalog and appointments importers report the bytes read, twice (check, store):
    the export's progress bar shows it, and goes away when the import ends."""
    from textual.widgets import ProgressBar

    stick = tmp_path / "usb"
    stick.mkdir()
    catalog = json.loads(bundled_catalog().read_text(encoding="utf-8"))
    catalog["label"] = "2026.12"
    path = stick / "catalog-2026.json"
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    with station.write() as session:
        set_meta(session.connection(), LAST_FOLDER_KEY, str(stick))
    shown: list[tuple[int, int]] = []
    real = SyncScreen._import_progress

    def spy(self, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        shown.append((done, total))
        real(self, done, total)

    monkeypatch.setattr(SyncScreen, "_import_progress", spy)
    app = make_app(station.settings, station=station)
    _sign(station, stick)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await _choose(pilot, "catalog-2026.json")
        assert "已导入目录 2026.12" in _note(app), _note(app)
        size = path.stat().st_size
        assert (size, 2 * size) in shown and shown[-1] == (2 * size, 2 * size)
        assert not app.screen.query_one(ProgressBar).display
