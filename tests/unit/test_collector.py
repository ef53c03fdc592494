"""The collector held at start (clerk_tui.collector): only a `clerk` process that starts the
clerk's window keeps it held; every other command and every importer collects as usual.

Whether an object was frozen is asked of the object itself (the collector's generations
list every tracked object but the frozen), not of `gc.get_freeze_count()`, which drops
whenever a frozen object is freed (another test's thread may free one at any moment).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from clerk_tui import collector


@pytest.fixture(autouse=True)
def restore_collector() -> Iterator[None]:
    yield
    collector.resume()
    collector._state = None
    gc.unfreeze()
    gc.enable()


def _frozen(obj: object) -> bool:
    return not any(o is obj for o in gc.get_objects())


def test_settle_in_a_process_that_did_not_hold_changes_nothing() -> None:
    built: list[object] = []
    gc.disable()  # as a test or a script may have it
    collector.settle()
    assert not gc.isenabled()
    assert not _frozen(built)


def test_the_window_freezes_once_at_its_first_screen_and_once_after_the_warm_up() -> None:
    collector.hold()
    started: list[object] = []
    collector.warmed_up()  # not before the first screen
    assert not gc.isenabled()
    assert not _frozen(started)
    collector.settle()
    assert gc.isenabled()
    assert _frozen(started)
    loaded: list[object] = []  # what the warm-up loads
    collector.settle()  # the app's fallback timer, later: nothing more
    assert not _frozen(loaded)
    collector.warmed_up()
    assert _frozen(loaded)
    later: list[object] = []  # what the clerk opens afterwards
    collector.warmed_up()  # once only
    assert not _frozen(later)


def test_a_command_without_a_window_collects_as_usual() -> None:
    from clerk_tui.cli import app

    collector.hold()
    assert not gc.isenabled()
    result = CliRunner().invoke(app, ["catalog", "--help"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    built: list[object] = []
    collector.settle()  # nothing held any more: nothing frozen
    assert not _frozen(built)
