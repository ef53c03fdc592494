"""`clerk import ratings`: platform ratings checked whole, one per visit (一次一评), then stored."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from clerk_tui.models import Case, FollowUp, Rating
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import ratings
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.rating_import import RatingsFileError, import_ratings_file
from clerk_tui.services.context import Station
from clerk_tui.services.reports.period import day
from clerk_tui.services.reports.report import build_report
from tests.case_factory import PROMISED_MATTER, draft

# The fixed clock stands at 2026-11-24 09:30.


def ratings_file(tmp_path: Path, rows: list[dict[str, Any]], **head: Any) -> Path:
    path = tmp_path / "ratings.json"
    doc = {"format": "clerk-tui-ratings", "format_version": 1, **head, "ratings": rows}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def row(case: Case, level: int | None, at: str = "2026-11-24T09:30", channel: str = "2", **more: Any) -> dict:
    return {"case_no": case.case_no, "level": level, "rated_at": at, "channel": channel, **more}


def stored(station: Station, case: Case) -> list[tuple[int | None, str, datetime]]:
    with station.read() as session:
        found = session.exec(select(Rating).where(Rating.case_id == case.id).order_by(Rating.rated_at)).all()
        return [(r.level, r.channel, r.rated_at) for r in found]


def test_new_ratings_fill_a_declined_one_and_an_echo_changes_nothing(station: Station, tmp_path: Path) -> None:
    fresh = cases.save_case(station, draft(station))
    declined = cases.save_case(station, draft(station))
    rated = cases.save_case(station, draft(station))
    ratings.rate_case(station, declined.id, None)  # the applicant declined at the window
    ratings.rate_case(station, rated.id, 4)  # the hall's device sent it to the platform ...
    path = ratings_file(
        tmp_path,
        [
            row(fresh, 1, points=["attitude", "efficiency"], comment=" 态度差 "),
            row(declined, 5),
            row(rated, 4, channel="4"),  # ... which returns it
        ],
        station_id=station.settings.station_id,
    )
    report = import_ratings_file(station, path)
    assert (report.new, report.filled, report.unchanged, report.follow_ups) == (1, 1, 1, 1)
    assert stored(station, fresh) == [(1, "2", datetime(2026, 11, 24, 9, 30))]
    assert [level for level, _, _ in stored(station, declined)] == [5]
    assert [level for level, _, _ in stored(station, rated)] == [4]
    with station.read() as session:
        rating = session.exec(select(Rating).where(Rating.case_id == fresh.id)).one()
        assert (rating.points, rating.comment) == ("efficiency,attitude", "态度差")
        [follow_up] = session.exec(select(FollowUp)).all()
        assert follow_up.case_id == fresh.id and follow_up.status == "open"
    # The day's figures include them: 1, 5 and 4 rated; the bad one opened a follow-up.
    figures = build_report(station, "daily", day(station.clock.today())).ratings
    assert figures is not None and figures.levels == {5: 1, 4: 1, 3: 0, 2: 0, 1: 1} and figures.not_rated == 0
    again = import_ratings_file(station, path)  # the same file twice changes nothing
    assert (again.new, again.filled, again.unchanged, again.follow_ups) == (0, 0, 3, 0)


def test_a_platform_rating_rates_the_visit_of_its_time(station: Station, tmp_path: Path, clock) -> None:
    """A pending 承诺件 rated on the platform rates its acceptance; after completion, the service."""
    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    ratings.rate_case(station, case.id, 3)  # at the window, on acceptance
    clock.advance(days=2)
    case_changes.finish_pending(station, case.id, returned=False)  # 11-26 09:30
    clock.advance(hours=1)
    done_at = "2026-11-26T10:00"
    path = ratings_file(tmp_path, [row(case, 3, "2026-11-24T09:40"), row(case, 5, done_at)])
    report = import_ratings_file(station, path)
    assert (report.new, report.unchanged) == (1, 1)  # the acceptance was rated 3 already
    assert [level for level, _, _ in stored(station, case)] == [3, 5]
    path = ratings_file(tmp_path, [row(case, 4, done_at)])
    with pytest.raises(RatingsFileError) as caught:  # the completed service is rated 5 now
        import_ratings_file(station, path)
    assert [p.key for p in caught.value.problems] == ["rating_import.differs"]


def test_every_problem_is_listed_and_nothing_is_kept(station: Station, tmp_path: Path) -> None:
    good = cases.save_case(station, draft(station))
    rated = cases.save_case(station, draft(station))
    ratings.rate_case(station, rated.id, 5)
    voided = cases.save_case(station, draft(station))
    case_changes.void_case(station, voided.id, "登记错误")
    rows = [
        row(good, 2),  # fine on its own: not kept, since other rows are bad
        {"case_no": "20990101-09-0001", "level": 5, "rated_at": "2026-11-24T09:30", "channel": "2"},
        row(voided, 5),
        row(rated, 1),  # differs from the window's 5
        row(good, 3),  # the same visit twice
        row(good, 6, points=["speed"]),
        row(good, 5, "2026-11-25T08:00"),  # after now
        row(good, 5, "2026-11-24T08:00"),  # before the case was received
        row(good, 5, channel="9"),
        {"case_no": good.case_no, "rated_at": "2026-11-24T09:30", "channel": "2"},  # no level
        "not an object",
        {"level": 4, "channel": ""},  # no case, no time, no channel: said missing, not "invalid None"
    ]
    path = ratings_file(tmp_path, rows)
    with pytest.raises(RatingsFileError) as caught:
        import_ratings_file(station, path)
    where = {(p.where, p.key) for p in caught.value.problems}
    assert where == {
        ("ratings[5].level", "rating.bad_level"),
        ("ratings[5].points", "rating.bad_point"),
        ("ratings[6].rated_at", "rating_import.in_future"),
        ("ratings[8].channel", "rating_import.bad_field"),
        ("ratings[9].level", "rating_import.missing_field"),
        ("ratings[10]", "rating_import.bad_field"),
        ("ratings[11].case_no", "rating_import.missing_field"),
        ("ratings[11].rated_at", "rating_import.missing_field"),
        ("ratings[11].channel", "rating_import.missing_field"),
    }  # rows checked on their own come first; the database is not asked while they fail
    path = ratings_file(tmp_path, rows[:5] + rows[7:8])
    with pytest.raises(RatingsFileError) as caught:
        import_ratings_file(station, path)
    assert [(p.where, p.key) for p in caught.value.problems] == [
        ("ratings[1].case_no", "rating_import.no_case"),
        ("ratings[2].case_no", "case.is_voided"),
        ("ratings[3]", "rating_import.differs"),
        ("ratings[4]", "rating_import.twice"),
        ("ratings[5].rated_at", "rating_import.before_case"),
    ]
    assert stored(station, good) == [] and [level for level, _, _ in stored(station, rated)] == [5]
    with station.read() as session:
        assert session.exec(select(FollowUp)).all() == []  # the bad row's follow-up rolled back too
    assert all(len(line) <= 78 for line in caught.value.lines())


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ({"format": "clerk-tui-appointments", "format_version": 1, "ratings": []}, "rating_import.not_ratings"),
        ({"format": "clerk-tui-ratings", "format_version": 2, "ratings": []}, "rating_import.bad_version"),
        ({"format": "clerk-tui-ratings", "format_version": 1}, "rating_import.missing_field"),
        (
            {"format": "clerk-tui-ratings", "format_version": 1, "station_id": "X", "ratings": []},
            "rating_import.other_station",
        ),
        ("[1, 2]", "rating_import.not_ratings"),
        ('{"format": "clerk-tui-ratings", ', "rating_import.unreadable"),
    ],
)
def test_a_file_that_is_not_a_ratings_file_for_this_station_is_refused(
    station: Station, tmp_path: Path, content: Any, key: str
) -> None:
    path = tmp_path / "r.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(RatingsFileError) as caught:
        import_ratings_file(station, path)
    assert [p.key for p in caught.value.problems] == [key]


def test_a_number_two_cases_hold_is_refused(station: Station, tmp_path: Path) -> None:
    """Case numbers come from a counter, but a database restored or merged by hand may hold
    one twice: the rating cannot say which case it rates."""
    from sqlalchemy import update

    first = cases.save_case(station, draft(station))
    second = cases.save_case(station, draft(station))
    with station.write() as session:
        session.execute(update(Case).where(Case.id == second.id).values(case_no=first.case_no))
    with pytest.raises(RatingsFileError) as caught:
        import_ratings_file(station, ratings_file(tmp_path, [row(first, 5)]))
    assert [(p.where, p.key) for p in caught.value.problems] == [("ratings[0].case_no", "rating_import.ambiguous")]
    assert stored(station, first) == [] and stored(station, second) == []
