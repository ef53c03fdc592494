"""Working days: 春节 and 调休 in February 2026, calendar-day limits, the year-end refusal, update files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.station import calendar as cal


def test_spring_festival_2026_and_its_make_up_days() -> None:
    c = cal.package_calendar()
    assert c.is_working_day(date(2026, 2, 13))  # Friday before the holiday
    assert c.is_working_day(date(2026, 2, 14))  # Saturday, 调休 working day
    assert not c.is_working_day(date(2026, 2, 16))  # Monday, 春节 holiday
    assert not c.is_working_day(date(2026, 2, 23))  # last holiday day, a Monday
    assert c.is_working_day(date(2026, 2, 28))  # Saturday, 调休 working day


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 0, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # the whole holiday is skipped
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),  # second make-up Saturday
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # National Day week (1–7 Oct)
        (date(2026, 11, 24), 5, date(2026, 12, 1)),  # an ordinary week-end in between
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert cal.add_working_days(start, n) == expected


def test_calendar_day_limits_ending_on_a_holiday_move_to_the_next_working_day() -> None:
    c = cal.package_calendar()
    assert c.deadline(date(2026, 2, 6), 10, "日") == date(2026, 2, 24)  # 2-16 is 春节
    assert c.deadline(date(2026, 3, 2), 3, "日") == date(2026, 3, 5)
    with pytest.raises(ClerkError) as caught:
        c.deadline(date(2026, 3, 2), 3, "fortnights")
    assert caught.value.key == "calendar.unknown_unit"


def test_working_days_between() -> None:
    c = cal.package_calendar()
    assert c.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert c.working_days_between(date(2026, 2, 27), date(2026, 2, 13)) == -5


def test_a_year_past_the_calendar_is_refused_not_guessed() -> None:
    with pytest.raises(ClerkError) as caught:
        cal.add_working_days(date(2026, 12, 28), 5)
    assert caught.value.key == "calendar.year_unknown"
    message = caught.value.message()
    assert "2027" in message and "2026" in message and "import calendar" in message


def calendar_2027(tmp_path: Path, **changes) -> Path:
    data = {
        "format": "clerk-tui-calendar",
        "format_version": 1,
        "years": [2027],
        "holidays": [
            {"name": "元旦", "date": "2027-01-01"},
            {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"},
        ],
        "workdays": [{"name": "春节调休", "date": "2027-02-20"}],
    }
    data.update(changes)
    path = tmp_path / "calendar-2027.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_update_file_extends_the_calendar(station: Station, tmp_path: Path) -> None:
    update = cal.import_calendar_file(station, calendar_2027(tmp_path))
    assert update.years == (2027,) and update.holidays == 9 and update.workdays == 1
    c = cal.load_work_calendar(station)
    assert c.last_year == 2027
    assert c.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)  # 1 Jan is a holiday
    assert c.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 15)
    assert c.is_working_day(date(2027, 2, 20))  # make-up Saturday
    # Importing the year again replaces it whole.
    cal.import_calendar_file(station, calendar_2027(tmp_path, workdays=[]))
    assert not cal.load_work_calendar(station).is_working_day(date(2027, 2, 20))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"format": "other"}, "calendar.file_not_calendar"),
        ({"format_version": 9}, "calendar.file_bad_version"),
        ({"years": []}, "calendar.file_bad_years"),
        ({"holidays": [{"date": "2027-02-30"}]}, "calendar.file_bad_date"),
        ({"holidays": [{"from": "2027-02-10", "to": "2027-02-01"}]}, "calendar.file_bad_range"),
        ({"holidays": [{"date": "2028-01-01"}]}, "calendar.file_day_outside_years"),
        ({"workdays": [{"date": "2027-02-17"}]}, "calendar.file_workday_not_weekend"),
        ({"workdays": [{"date": "2027-02-06"}]}, "calendar.file_conflict"),
        ({"holidays": "none"}, "calendar.file_bad_entry"),
    ],
)
def test_a_bad_update_file_is_refused_with_where(tmp_path: Path, changes: dict, key: str) -> None:
    with pytest.raises(ClerkError) as caught:
        cal.load_calendar_file(calendar_2027(tmp_path, **changes))
    assert caught.value.key == key


def test_an_unreadable_update_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ClerkError) as caught:
        cal.load_calendar_file(path)
    assert caught.value.key == "calendar.file_unreadable"


def test_provisional_counting_takes_only_weekends_off_in_an_unknown_year() -> None:
    from clerk_tui.services.station.calendar import Dated, package_calendar

    c = package_calendar()
    # Known years: the same final date, not provisional (the National Day week is skipped).
    assert c.deadline_of(date(2026, 9, 30), 3, "工作日") == Dated(c.deadline(date(2026, 9, 30), 3, "工作日"), False)
    # Crossing into 2027: 12-30, 12-31 known working days; 2027-01-01 (a Friday) counted.
    assert c.working_days_later(date(2026, 12, 29), 3) == Dated(date(2027, 1, 1), True)
    assert c.deadline_of(date(2026, 12, 29), 4, "工作日") == Dated(date(2027, 1, 4), True)  # weekend skipped
    assert c.deadline_of(date(2026, 12, 29), 5, "日") == Dated(date(2027, 1, 4), True)  # Sunday 01-03 moves on
    assert c.on_or_after(date(2027, 1, 2)) == Dated(date(2027, 1, 4), True)
    # The strict calendar still refuses; an unknown unit is still an error, not provisional.
    with pytest.raises(ClerkError):
        c.add_working_days(date(2026, 12, 29), 3)
    with pytest.raises(ClerkError) as caught:
        c.deadline_of(date(2026, 12, 29), 3, "fortnights")
    assert caught.value.key == "calendar.unknown_unit"


# --- absurd update files (issue 18) --------------------------------------------------


def _whole_years(first: int, last: int) -> dict:
    years = list(range(first, last + 1))
    return {
        "years": years,
        "holidays": [{"name": "全年", "from": f"{y}-01-01", "to": f"{y}-12-31"} for y in years],
        "workdays": [],
    }


def test_a_file_with_more_years_than_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ClerkError) as caught:
        cal.load_calendar_file(calendar_2027(tmp_path, **_whole_years(1901, 2199)), force=True)
    assert caught.value.key == "calendar.file_too_many_years"
    assert "299" in caught.value.message() and str(cal.MAX_YEARS) in caught.value.message()


def test_a_year_without_a_working_day_is_refused_unless_forced(station: Station, tmp_path: Path) -> None:
    path = calendar_2027(tmp_path, **_whole_years(2027, 2027))
    with pytest.raises(ClerkError) as caught:
        cal.import_calendar_file(station, path)
    assert caught.value.key == "calendar.file_no_working_day"
    assert "2027" in caught.value.message() and "--force" in caught.value.message()
    assert cal.load_work_calendar(station).last_year < 2027  # nothing stored
    result = cal.import_calendar_file(station, path, force=True)
    assert result.holidays == 365
    assert not cal.load_work_calendar(station).is_working_day(date(2027, 3, 3))


def test_one_make_up_saturday_is_a_working_day(tmp_path: Path) -> None:
    holidays = [
        {"name": "长假", "from": "2027-01-01", "to": "2027-03-05"},
        {"name": "长假", "from": "2027-03-07", "to": "2027-12-31"},
    ]
    workdays = [{"name": "调休", "date": "2027-03-06"}]  # a Saturday: the year's one working day
    update = cal.load_calendar_file(calendar_2027(tmp_path, holidays=holidays, workdays=workdays))
    assert update.workdays == 1 and update.holidays == 364


def test_a_file_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = calendar_2027(tmp_path, padding="x" * (cal.MAX_FILE_BYTES + 1))
    with pytest.raises(ClerkError) as caught:
        cal.load_calendar_file(path)
    assert caught.value.key == "calendar.file_too_large"
