"""好差评: one rating per visit (一次一评), five levels or none, follow-ups for bad ratings, the call and the fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from clerk_tui.errors import ClerkError
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import ratings
from clerk_tui.services.cases import record as cases
from clerk_tui.services.context import Station
from tests.case_factory import PROMISED_MATTER, draft


def test_a_good_rating_opens_no_follow_up(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    result = ratings.rate_case(station, case.id, 5)
    assert result.rating.level == 5 and result.follow_up is None
    assert ratings.list_follow_ups(station) == []


def test_not_rated_is_recorded(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    result = ratings.rate_case(station, case.id, None)
    assert result.rating.level is None and result.follow_up is None


@pytest.mark.parametrize("level", [1, 2])
def test_a_bad_rating_opens_a_follow_up_in_working_days(station: Station, level: int) -> None:
    case = cases.save_case(station, draft(station))
    result = ratings.rate_case(station, case.id, level, ("attitude", "efficiency"), " 等太久 ")
    assert result.rating.points == "efficiency,attitude" and result.rating.comment == "等太久"
    assert result.follow_up is not None and result.follow_up.due_date == date(2026, 12, 1)
    [line] = ratings.list_follow_ups(station)
    assert (line.case_no, line.level, line.status) == (case.case_no, level, "open")


def test_follow_up_days_are_configurable(station: Station) -> None:
    station.settings = replace(station.settings, extra={"cases": {"follow_up_days": 15}})
    case = cases.save_case(station, draft(station))
    assert ratings.rate_case(station, case.id, 2).follow_up.due_date == date(2026, 12, 15)


def test_follow_up_past_the_calendar_is_provisional(station: Station, clock) -> None:
    """5 working days from Monday 2026-12-28 reach 2027, which the calendar does not know:
    counted on weekends only (2027-01-01 taken as a working day), marked provisional."""
    clock.at = datetime(2026, 12, 28, 9, 0)
    case = cases.save_case(station, draft(station))
    result = ratings.rate_case(station, case.id, 1)
    assert result.follow_up.due_date == date(2027, 1, 4)
    assert result.follow_up.due_provisional


def test_rating_rules(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    for level, points in ((6, ()), (0, ()), (3, ("speed",))):
        with pytest.raises(ClerkError):
            ratings.rate_case(station, case.id, level, points)
    ratings.rate_case(station, case.id, 4)
    with pytest.raises(ClerkError) as caught:
        ratings.rate_case(station, case.id, 5)
    assert caught.value.key == "rating.already"
    other = cases.save_case(station, draft(station))
    case_changes.void_case(station, other.id, "登记错误")
    with pytest.raises(ClerkError) as caught:
        ratings.rate_case(station, other.id, 5)
    assert caught.value.key == "case.is_voided"


def test_a_promised_case_is_rated_once_at_acceptance_and_once_when_done(station: Station, clock) -> None:
    """A pending 承诺件's rating rates its acceptance, never the completed service."""
    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    first = ratings.rate_case(station, case.id, 4).rating
    with pytest.raises(ClerkError) as caught:  # still pending: the acceptance is rated already
        ratings.rate_case(station, case.id, 5)
    assert caught.value.key == "rating.already" and "受理环节" in caught.value.message()
    clock.advance(days=2)
    done = case_changes.finish_pending(station, case.id, returned=False, note="已发证")
    assert ratings.rating_stage(done, first.rated_at) == ratings.ACCEPTANCE
    clock.advance(minutes=5)
    second = ratings.rate_case(station, case.id, 2).rating  # collecting the result: its own visit
    assert ratings.rating_stage(done, second.rated_at) == ratings.SERVICE
    with pytest.raises(ClerkError) as caught:
        ratings.rate_case(station, case.id, 5)
    assert caught.value.key == "rating.already" and "办结服务" in caught.value.message()
    [line] = ratings.list_follow_ups(station)  # the bad rating of the service opened one
    assert line.level == 2


def test_a_case_done_at_the_window_is_one_visit(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    assert ratings.rating_stage(case, case.received_at) == ratings.SERVICE
    ratings.rate_case(station, case.id, None)  # declined: the visit is rated "not rated"
    with pytest.raises(ClerkError) as caught:
        ratings.rate_case(station, case.id, 5)
    assert caught.value.key == "rating.already"


def test_the_call_and_the_fix_close_a_follow_up(station: Station, clock) -> None:
    case = cases.save_case(station, draft(station))
    follow_up = ratings.rate_case(station, case.id, 1).follow_up
    with pytest.raises(ClerkError):
        ratings.record_follow_up(station, follow_up.id, "  ")
    clock.advance(days=1)
    called = ratings.record_follow_up(station, follow_up.id, "已电话联系，申请人反映排队久")
    assert called.status == "contacted" and called.contacted_at == datetime(2026, 11, 25, 9, 30)
    closed = ratings.record_follow_up(station, follow_up.id, "已电话联系，申请人反映排队久", "增开午间窗口")
    assert closed.status == "closed" and closed.closed_at is not None
    assert ratings.list_follow_ups(station) == []
    assert len(ratings.list_follow_ups(station, include_closed=True)) == 1
    with pytest.raises(ClerkError):
        ratings.record_follow_up(station, follow_up.id, "再次联系")
