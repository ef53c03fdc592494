"""Working days: China's statutory holidays and make-up working days (调休).

Two sources, one answer:
- the bundled `chinesecalendar` package (import `chinese_calendar`), which knows the
  years the State Council had published when it was released;
- the station's `calendar_day` / `calendar_year` tables, filled from a calendar update
  file (`load_calendar_file` + `import_calendar`), which add later years and override
  single days.

A date in a year neither knows is refused with `calendar.year_unknown`, never guessed:
a promised deadline told to an applicant must be right.

Deadline arithmetic: `add_working_days(start, n)` is the n-th working day *after*
`start` (the day of acceptance does not count); n = 0 is `start` itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from clerk_tui.errors import ClerkError
from clerk_tui.models import CalendarDay, CalendarYear
from clerk_tui.services.context import Station

FILE_FORMAT = "clerk-tui-calendar"
# Units in the catalog's time limits.
WORKING_DAY_UNITS = ("工作日", "working_day", "working_days")
CALENDAR_DAY_UNITS = ("日", "天", "自然日", "day", "days")


def _package_years() -> tuple[int, int]:
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays] + [d.year for d in constants.workdays]
    return min(years), max(years)


@dataclass
class WorkCalendar:
    """Which days are working days, for the years this station knows."""

    package_first: int
    package_last: int
    local_years: set[int] = field(default_factory=set)
    local_days: dict[date, str] = field(default_factory=dict)  # day -> holiday / workday

    @property
    def last_year(self) -> int:
        return max([self.package_last, *self.local_years])

    def knows(self, year: int) -> bool:
        return self.package_first <= year <= self.package_last or year in self.local_years

    def _check(self, day: date) -> None:
        if not self.knows(day.year):
            raise ClerkError("calendar.year_unknown", year=day.year, last=self.last_year)

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        kind = self.local_days.get(day)
        if kind is not None:
            return kind == "workday"
        if day.year in self.local_years or not (self.package_first <= day.year <= self.package_last):
            return day.weekday() < 5
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def deadline(self, start: date, n: int, unit: str) -> date:
        """The promised completion date of a limit `n` `unit` counted from `start`.

        Calendar-day limits that end on a holiday move to the next working day (the
        rule for periods under the Administrative Licensing Law).
        """
        unit = (unit or "工作日").strip()
        if unit in WORKING_DAY_UNITS:
            return self.add_working_days(start, n)
        if unit in CALENDAR_DAY_UNITS:
            return self.next_working_day(start + timedelta(days=n))
        raise ClerkError("calendar.unknown_unit", unit=unit)


_PACKAGE_CALENDAR = WorkCalendar(*_package_years())


def package_calendar() -> WorkCalendar:
    """The bundled package alone (no station data)."""
    return _PACKAGE_CALENDAR


def load_work_calendar(station: Station) -> WorkCalendar:
    """The bundled package plus this station's calendar table."""
    with station.read() as session:
        years = set(session.execute(select(CalendarYear.year)).scalars())
        days = {d: k for d, k in session.execute(select(CalendarDay.day, CalendarDay.kind))}
    return WorkCalendar(_PACKAGE_CALENDAR.package_first, _PACKAGE_CALENDAR.package_last, years, days)


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """The n-th working day after `start`; the bundled calendar unless one is given."""
    return (calendar or _PACKAGE_CALENDAR).add_working_days(start, n)


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or _PACKAGE_CALENDAR).is_working_day(day)


# --- calendar update files -----------------------------------------------------------

@dataclass(frozen=True)
class CalendarUpdate:
    """A validated update file: the years it declares and every special day in them."""

    years: tuple[int, ...]
    days: dict[date, tuple[str, str]]  # day -> (kind, name)
    source: str

    @property
    def holidays(self) -> int:
        return sum(1 for kind, _ in self.days.values() if kind == "holiday")

    @property
    def workdays(self) -> int:
        return sum(1 for kind, _ in self.days.values() if kind == "workday")


def _parse_day(text: Any, where: str) -> date:
    if not isinstance(text, str):
        raise ClerkError("calendar.file_bad_date", where=where, value=str(text))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ClerkError("calendar.file_bad_date", where=where, value=text) from None


def parse_calendar(data: Any, source: str = "") -> CalendarUpdate:
    """Check an update file's content; every problem names where it is.

    The format (JSON):
        {"format": "clerk-tui-calendar", "format_version": 1, "years": [2027],
         "holidays": [{"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}, ...],
         "workdays": [{"name": "春节调休", "date": "2027-02-20"}, ...]}
    A year is declared whole: days not listed are working days Monday to Friday.
    """
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise ClerkError("calendar.file_not_calendar", expected=FILE_FORMAT)
    if data.get("format_version") != 1:
        raise ClerkError("calendar.file_bad_version", found=str(data.get("format_version")))
    years = data.get("years")
    if not isinstance(years, list) or not years or not all(isinstance(y, int) and 1900 < y < 2200 for y in years):
        raise ClerkError("calendar.file_bad_years")
    days: dict[date, tuple[str, str]] = {}
    for kind, section in (("holiday", "holidays"), ("workday", "workdays")):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise ClerkError("calendar.file_bad_entry", where=section)
        for i, entry in enumerate(entries, 1):
            where = f"{section}[{i}]"
            if not isinstance(entry, dict):
                raise ClerkError("calendar.file_bad_entry", where=where)
            name = str(entry.get("name", ""))
            if "date" in entry:
                first = last = _parse_day(entry["date"], where)
            else:
                first, last = _parse_day(entry.get("from"), where), _parse_day(entry.get("to"), where)
                if last < first:
                    raise ClerkError("calendar.file_bad_range", where=where)
            day = first
            while day <= last:
                if day.year not in years:
                    raise ClerkError("calendar.file_day_outside_years", where=where, day=day.isoformat())
                if kind == "workday" and day.weekday() < 5:
                    raise ClerkError("calendar.file_workday_not_weekend", where=where, day=day.isoformat())
                if day in days and days[day][0] != kind:
                    raise ClerkError("calendar.file_conflict", day=day.isoformat())
                days[day] = (kind, name)
                day += timedelta(days=1)
    return CalendarUpdate(tuple(sorted(set(years))), days, source)


def load_calendar_file(path: Path) -> CalendarUpdate:
    """Read and validate a calendar update file (nothing is stored)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClerkError("calendar.file_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, too deep, a 5000-digit number
        raise ClerkError("calendar.file_unreadable", path=str(path), reason=str(exc)) from exc
    return parse_calendar(data, source=path.name)


def import_calendar(station: Station, update: CalendarUpdate) -> CalendarUpdate:
    """Store an update in one transaction; a year already stored is replaced whole."""
    now = station.clock.now()
    with station.write() as session:
        for year in update.years:
            session.execute(
                delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            )
            existing = session.execute(select(CalendarYear).where(CalendarYear.year == year)).scalar_one_or_none()
            if existing is None:
                session.add(CalendarYear(year=year, source=update.source, imported_at=now))
            else:
                existing.source, existing.imported_at = update.source, now
        for day, (kind, name) in sorted(update.days.items()):
            session.add(CalendarDay(day=day, kind=kind, name=name))
    return update


def import_calendar_file(station: Station, path: Path) -> CalendarUpdate:
    return import_calendar(station, load_calendar_file(path))
