"""SIGKILL during writes: the database stays intact and every acknowledged write survives."""

from __future__ import annotations

import os

import pytest

from tests.crash_harness import run_trials

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)"),
    # Timing-heavy: on the same worker as the concurrency test, never alongside it.
    pytest.mark.xdist_group("heavy"),
]


def test_200_kills_lose_nothing_and_corrupt_nothing(settings) -> None:
    """Kills land during ticket issues, calls, case saves with ratings and bundle exports."""
    result = run_trials(settings.database_path, settings, trials=200)
    assert result.trials == 200
    assert result.acknowledged > 300, "the child must get writes done between kills"
    for kind in ("ticket", "called", "started", "finished", "service_case", "rating", "export"):
        assert result.by_kind.get(kind, 0) > 0, f"no {kind} acknowledged: the mix must cover it"
    assert result.exports > 0
    assert result.child_errors == 0, result.details[:5]
    assert (result.lost, result.corrupt, result.bad_exports) == (0, 0, 0), result.details[:5]
