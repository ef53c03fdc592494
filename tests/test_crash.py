"""SIGKILL during writes: the database stays intact and every acknowledged write survives."""

from __future__ import annotations

import os

import pytest

from tests.crash_harness import run_trials

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")


def test_200_kills_lose_nothing_and_corrupt_nothing(settings) -> None:
    result = run_trials(settings.database_path, settings, trials=200)
    assert result.trials == 200
    assert result.acknowledged > 100, "the child must get writes done between kills"
    assert (result.lost, result.corrupt) == (0, 0), result.details[:5]
