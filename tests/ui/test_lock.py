"""The idle lock: a PIN kept as a scrypt hash, the lock screen hides everything until it is typed."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input
from typer.testing import CliRunner

from clerk_tui.app import make_app
from clerk_tui.cli import app as cli_app
from clerk_tui.db import get_meta
from clerk_tui.screens.lock import LockScreen
from clerk_tui.services.station.pin import check_pin, has_pin, set_pin
from tests.conftest import settle


def test_pin_is_stored_as_a_salted_scrypt_hash(station) -> None:
    assert not has_pin(station)
    set_pin(station, "2468")
    with station.read() as session:
        stored = get_meta(session.connection(), "lock_pin")
    assert stored.startswith("scrypt$") and "2468" not in stored
    assert check_pin(station, "2468") and not check_pin(station, "1357")
    set_pin(station, "2468")
    with station.read() as session:
        assert get_meta(session.connection(), "lock_pin") != stored  # new salt each time


def test_short_or_non_numeric_pins_are_refused(station) -> None:
    import pytest

    from clerk_tui.errors import ClerkError

    for bad in ("12", "abcd"):
        with pytest.raises(ClerkError):
            set_pin(station, bad)


async def test_lock_key_locks_and_only_the_pin_unlocks(station) -> None:
    app = make_app(station.settings, station=station)
    set_pin(station, "2468")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "示例镇" in str(app.screen.query_one(".section-title").render())
        await pilot.press("ctrl+p", "f1", "ctrl+q")  # no palette, help or quitting past the lock
        assert app.is_running
        await pilot.press(*"1111", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert app.screen.query_one(Input).value == ""
        await pilot.press(*"2468", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)


async def test_idle_time_locks_the_screen(station) -> None:
    station.settings = replace(station.settings, extra={"lock": {"idle_minutes": 1}})
    app = make_app(station.settings, station=station)
    set_pin(station, "2468")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._last_input -= 61
        app._check_idle()
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)


async def test_without_a_pin_the_lock_key_explains(station) -> None:
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)
        assert any("clerk pin" in n.message for n in app._notifications)


def test_cli_pin_asks_twice(station, settings) -> None:
    from clerk_tui.config import default_config_path
    from clerk_tui.services.station.setup import write_config

    write_config(settings, default_config_path())  # the CLI runs as this station
    runner = CliRunner()
    db = str(settings.database_path)
    result = runner.invoke(cli_app, ["--db", db, "pin"], input="2468\n1357\n")
    assert result.exit_code == 1 and "不一致" in result.output
    result = runner.invoke(cli_app, ["--db", db, "pin"], input="2468\n2468\n")
    assert result.exit_code == 0 and check_pin(station, "2468")
    assert "2468" not in result.output


async def test_with_a_pin_the_app_starts_locked(station) -> None:
    set_pin(station, "2468")
    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"2468", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, LockScreen)


def test_cli_pin_asks_for_the_current_pin_before_replacing_it(station, settings) -> None:
    from clerk_tui.config import default_config_path
    from clerk_tui.services.station.setup import write_config

    write_config(settings, default_config_path())
    runner = CliRunner()
    db = str(settings.database_path)
    set_pin(station, "2468")
    result = runner.invoke(cli_app, ["--db", db, "pin"], input="1111\n1357\n1357\n")  # a passer-by
    assert result.exit_code == 1 and "当前 PIN 不正确" in result.output and "--reset" in result.output
    assert check_pin(station, "2468") and not check_pin(station, "1357")
    result = runner.invoke(cli_app, ["--db", db, "pin"], input="2468\n1357\n1357\n")
    assert result.exit_code == 0, result.output
    assert check_pin(station, "1357") and "当前 PIN" in result.output
    assert "1357" not in result.output and "2468" not in result.output
    assert get_meta_value(station, "lock_pin_reset") is None  # a change with the old PIN is no reset


def get_meta_value(station, key: str) -> str | None:
    with station.read() as session:
        return get_meta(session.connection(), key)


async def test_cli_pin_reset_is_audited_and_said_once_at_the_next_start(station, settings) -> None:
    from sqlmodel import select

    from clerk_tui.config import default_config_path
    from clerk_tui.models import AuditEntry
    from clerk_tui.services.station.setup import write_config

    write_config(settings, default_config_path())
    set_pin(station, "2468")
    result = CliRunner().invoke(cli_app, ["--db", str(settings.database_path), "pin", "--reset"], input="1357\n1357\n")
    assert result.exit_code == 0 and "审计" in result.output, result.output
    assert check_pin(station, "1357") and not check_pin(station, "2468")
    with station.read() as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "pin_reset")).all()
    assert (entry.entity, entry.entity_id) == ("station", settings.station_id)

    app = make_app(station.settings, station=station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)  # the new PIN opens it, and the clerk is told why
        [said] = [n.message for n in app._notifications if "clerk pin --reset" in n.message]
        assert "审计" in said
    again = make_app(station.settings, station=station)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not [n for n in again._notifications if "clerk pin --reset" in n.message]  # once
