"""Settings without editing TOML: the PIN, the USB folder, window and queues, language.

Written back to the config file in place (comments kept), atomically and owner-only,
and only after the config loader accepted the new text; a refused value changes nothing.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input

from clerk_tui.app import make_app
from clerk_tui.config import load_settings
from clerk_tui.errors import ClerkError
from clerk_tui.services.station.pin import change_pin, check_pin, has_pin, set_pin
from clerk_tui.services.station.settings_file import save_config
from clerk_tui.services.station.setup import write_config
from clerk_tui.services.sync import removable
from clerk_tui.services.sync.removable import Drive
from tests.conftest import settle


@pytest.fixture
def configured(station, tmp_path):  # type: ignore[no-untyped-def]
    """The station with a config file written by `clerk init`, comments and all."""
    path = tmp_path / "config" / "station.toml"
    station.settings = replace(station.settings, config_path=path)
    write_config(station.settings, path)
    return station


def test_a_change_keeps_the_comments_and_is_read_back_by_the_loader(configured) -> None:
    path = configured.settings.config_path
    before = path.read_text(encoding="utf-8")
    loaded = save_config(
        configured.settings,
        {
            ("window", "number"): 7,
            ("window", "queues"): ["A", "C"],
            ("sync", "folder"): "/media/usb",
            ("ui", "language"): "en",
        },
    )
    after = path.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    assert (loaded.window_no, loaded.window_queues, loaded.language) == (7, ("A", "C"), "en")
    assert loaded.sync_folder == Path("/media/usb") and loaded.config_path == path
    assert load_settings(path).window_no == 7
    assert not list(path.parent.glob("*.new")) and not list(path.parent.glob("*.tmp"))
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # Removing a key goes back to the default (every queue).
    assert save_config(loaded, {("window", "queues"): None}).window_queues == ()


@pytest.mark.parametrize(
    "changes, key",
    [
        ({("window", "number"): 0}, "config.bad_value"),
        ({("window", "number"): "three"}, "config.bad_value"),
        ({("window", "queues"): ["A", "Z"]}, "config.unknown_queue_in"),
        ({("ui", "language"): "fr"}, "config.bad_language"),
    ],
)
def test_a_value_the_loader_refuses_changes_nothing(configured, changes, key) -> None:
    path = configured.settings.config_path
    before = path.read_bytes()
    with pytest.raises(ClerkError) as caught:
        save_config(configured.settings, changes)
    assert caught.value.key == key
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_station_without_a_config_file_cannot_save(station) -> None:
    assert station.settings.config_path is None  # the demo
    with pytest.raises(ClerkError) as caught:
        save_config(station.settings, {("window", "number"): 2})
    assert caught.value.key == "settings.no_config_file"


def test_changing_the_pin_needs_the_current_one(station) -> None:
    change_pin(station, None, "2468")  # the first PIN needs none
    with pytest.raises(ClerkError) as caught:
        change_pin(station, "1111", "1357")
    assert caught.value.key == "pin.wrong_old"
    assert check_pin(station, "2468") and not check_pin(station, "1357")
    change_pin(station, "2468", "1357")
    assert check_pin(station, "1357")


async def _type(pilot, *values: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the dialog's fields in order, Enter after each."""
    for value in values:
        pilot.app.screen.focused.value = value
        await pilot.press("enter")
        await settle(pilot)
    await settle(pilot)


def _note(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#settings-note").render())


async def test_settings_screen_sets_the_pin_window_queues_folder_and_language(configured, monkeypatch) -> None:
    path = configured.settings.config_path
    stick = path.parent / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(removable, "removable_drives", lambda platform=None: [Drive(stick, "KINGSTON")])
    app = make_app(configured.settings, station=configured)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # First start without a PIN: the main screen says how to set one.
        assert any("尚未设置锁屏 PIN" in n.message and "按 g 进入设置" in n.message for n in app._notifications)
        await pilot.press("g")
        await settle(pilot)
        assert type(app.screen).__name__ == "SettingsScreen"
        # The PIN: first set, then changed only with the current one.
        await pilot.press("p")
        await settle(pilot)
        await _type(pilot, "12", "")  # too short: said in the dialog, nothing set
        assert "至少 4 位" in str(app.screen.query_one("#pin-error").render())
        await _type(pilot, "2468", "2468")
        assert "PIN 已设置" in _note(app) and has_pin(configured)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one("#pin-old", Input)
        await _type(pilot, "0000", "1357", "1357")
        assert "当前 PIN 不正确" in _note(app) and check_pin(configured, "2468")
        # Window number: written, shown in the header at once, used by the queue.
        await pilot.press("w")
        await settle(pilot)
        await _type(pilot, "5")
        assert "已保存" in _note(app)
        assert configured.settings.window_no == 5 and load_settings(path).window_no == 5
        assert "5号窗口" in str(app.screen.query_one("#station-header").render())
        # A value the loader refuses: one line, the file as it was.
        before = path.read_bytes()
        await pilot.press("w")
        await settle(pilot)
        await _type(pilot, "0")
        assert "window.number" in _note(app) and path.read_bytes() == before
        # Queues, typed loosely.
        await pilot.press("q")
        await settle(pilot)
        await _type(pilot, "a, c")
        assert load_settings(path).window_queues == ("A", "C") == configured.settings.window_queues
        # The USB folder, picked from the drives seen now.
        await pilot.press("u")
        await settle(pilot)
        assert type(app.screen).__name__ == "PlacePicker"
        await pilot.press("1")
        await settle(pilot)
        await settle(pilot)
        assert load_settings(path).sync_folder == stick == configured.settings.sync_folder
        await pilot.press("u")  # or typed, when it is none of the drives
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await _type(pilot, str(path.parent / "share"))
        assert load_settings(path).sync_folder == path.parent / "share"
        # Language: written now, used from the next start (and the screen says so).
        await pilot.press("l")
        await settle(pilot)
        assert "下次启动生效" in _note(app)
        assert load_settings(path).language == "en" and configured.settings.language == "zh"
    assert "# Letters this window calls" in path.read_text(encoding="utf-8")


async def test_no_pin_hint_once_a_pin_is_set(configured) -> None:
    set_pin(configured, "2468")
    app = make_app(configured.settings, station=configured)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not any("PIN" in n.message for n in app._notifications)


def _snapshot_station(station, language: str):  # type: ignore[no-untyped-def]
    station.settings = replace(
        station.settings,
        language=language,
        config_path=Path("/etc/clerk-tui/config.toml"),
        window_queues=("A", "B"),
        extra={"sync": {"folder": "/media/usb/clerk"}},
    )
    return make_app(station.settings, station=station)


async def _open_settings(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)


def test_settings_screen_zh_80x24(snap_compare, station) -> None:
    assert snap_compare(_snapshot_station(station, "zh"), terminal_size=(80, 24), run_before=_open_settings)


def test_settings_screen_en_80x24(snap_compare, station) -> None:
    set_pin(station, "2468")
    app = _snapshot_station(station, "en")
    app.lock_on_start = False  # the picture is of the screen, not of the lock
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_settings)
