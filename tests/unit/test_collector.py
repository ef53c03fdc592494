"""The collector held at start (clerk_tui.collector): only a `clerk` process that starts the
clerk's window keeps it held; every other command and every importer collects as usual."""

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
    gc.enable()


def test_settle_in_a_process_that_did_not_hold_changes_nothing() -> None:
    frozen = gc.get_freeze_count()
    gc.disable()  # as a test or a script may have it
    collector.settle()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_the_window_freezes_once_at_its_first_screen_and_once_after_the_warm_up() -> None:
    collector.hold()
    collector.warmed_up()  # not before the first screen
    assert not gc.isenabled()
    frozen = gc.get_freeze_count()
    collector.settle()
    assert gc.isenabled()
    settled = gc.get_freeze_count()
    assert settled > frozen
    kept = [[] for _ in range(1000)]  # what the warm-up loads
    collector.settle()  # the app's fallback timer, later: nothing more
    assert gc.get_freeze_count() == settled
    collector.warmed_up()
    assert gc.get_freeze_count() >= settled + len(kept)
    more = [[] for _ in range(1000)]
    collector.warmed_up()  # once only
    assert gc.get_freeze_count() < settled + len(kept) + len(more)
    gc.unfreeze()


def test_a_command_without_a_window_collects_as_usual() -> None:
    from clerk_tui.cli import app

    collector.hold()
    assert not gc.isenabled()
    result = CliRunner().invoke(app, ["catalog", "--help"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    collector.settle()  # nothing held any more: nothing frozen
    assert gc.get_freeze_count() == frozen
