"""The lock PIN service: changed only with the current one, or reset on the record."""

from __future__ import annotations

import pytest
from sqlmodel import select

from clerk_tui.errors import ClerkError
from clerk_tui.models import AuditEntry
from clerk_tui.services.station.pin import change_pin, check_pin, reset_pin, set_pin, take_reset_notice


def _resets(station) -> list[AuditEntry]:
    with station.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == "pin_reset")).all())


def test_change_needs_the_current_pin_once_there_is_one(station) -> None:
    change_pin(station, None, "2468")  # the first PIN: nothing to ask
    for wrong in (None, "", "1111"):
        with pytest.raises(ClerkError) as info:
            change_pin(station, wrong, "1357")
        assert info.value.key == "pin.wrong_old"
    assert check_pin(station, "2468")
    change_pin(station, "2468", "1357")
    assert check_pin(station, "1357") and not check_pin(station, "2468")
    assert _resets(station) == [] and take_reset_notice(station) is None


def test_reset_is_audited_and_noticed_once(station) -> None:
    set_pin(station, "2468")
    reset_pin(station, "1357")
    assert check_pin(station, "1357") and not check_pin(station, "2468")
    [entry] = _resets(station)
    assert entry.entity == "station" and entry.clerk_no == station.settings.clerk_no
    assert take_reset_notice(station) == station.clock.now().replace(microsecond=0)
    assert take_reset_notice(station) is None


def test_reset_without_a_pin_is_a_plain_set_and_a_bad_pin_changes_nothing(station) -> None:
    reset_pin(station, "2468")
    assert check_pin(station, "2468") and _resets(station) == [] and take_reset_notice(station) is None
    with pytest.raises(ClerkError):
        reset_pin(station, "12")
    assert check_pin(station, "2468") and _resets(station) == []
