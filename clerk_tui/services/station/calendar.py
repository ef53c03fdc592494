"""Working days: China's statutory holidays and make-up working days (调休).

Two sources, one answer:
- the bundled `chinesecalendar` package (import `chinese_calendar`), which knows the
  years the State Council had published when it was released;
- the station's `calendar_day` / `calendar_year` tables, filled from a calendar update
  file (`load_calendar_file` + `import_calendar`), which add later years and override
  single days.

A date in a year neither knows is refused with `calendar.year_unknown`, never guessed:
a promised deadline told to an applicant must be right. The one way past that refusal is
explicit: `deadline_of` / `working_days_later` return a `Dated` whose `provisional` flag
says the count crossed an unknown year, where only weekends were taken as days off. The
case is saved with that date marked 暂定 (the applicant is at the window), and
`import_calendar` recomputes every provisional date, in the same transaction, when the
year's calendar arrives.

Deadline arithmetic: `add_working_days(start, n)` is the n-th working day *after*
`start` (the day of acceptance does not count); n = 0 is `start` itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from clerk_tui.db import stamp_rows
from clerk_tui.errors import ClerkError
from clerk_tui.models import CalendarDay, CalendarYear
from clerk_tui.services.context import Station

FILE_FORMAT = "clerk-tui-calendar"
# The years a calendar update file may declare: the bundled package starts in 2004, and
# the State Council publishes one year ahead; a year outside this is a mistake.
FIRST_FILE_YEAR, LAST_FILE_YEAR = 2000, 2099
MAX_FILE_BYTES = 4 << 20  # a year is a few kilobytes
MAX_YEARS = 50  # per update file
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
    # True only in the view `provisional()` returns: an unknown year counts weekends only.
    weekends_past_end: bool = False

    @property
    def last_year(self) -> int:
        return max([self.package_last, *self.local_years])

    def knows(self, year: int) -> bool:
        return self.package_first <= year <= self.package_last or year in self.local_years

    def _check(self, day: date) -> None:
        if not self.knows(day.year):
            raise ClerkError("calendar.year_unknown", year=day.year, last=self.last_year)

    def provisional(self) -> WorkCalendar:
        """This calendar, but an unknown year counts Monday to Friday as working days."""
        return replace(self, weekends_past_end=True)

    def is_working_day(self, day: date) -> bool:
        if self.weekends_past_end and not self.knows(day.year):
            return day.weekday() < 5
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

    def _dated(self, compute: Callable[[WorkCalendar], date]) -> Dated:
        try:
            return Dated(compute(self), False)
        except ClerkError as exc:
            if exc.key != "calendar.year_unknown":
                raise
        return Dated(compute(self.provisional()), True)

    def deadline_of(self, start: date, n: int, unit: str) -> Dated:
        """`deadline()`, or when it crosses an unknown year, the provisional date."""
        return self._dated(lambda cal: cal.deadline(start, n, unit))

    def working_days_later(self, start: date, n: int) -> Dated:
        """`add_working_days()`, or when it crosses an unknown year, the provisional date."""
        return self._dated(lambda cal: cal.add_working_days(start, n))

    def on_or_after(self, day: date) -> Dated:
        """`next_working_day()`, or when `day`'s year is unknown, the provisional date."""
        return self._dated(lambda cal: cal.next_working_day(day))


@dataclass(frozen=True)
class Dated:
    """A date counted on the calendar; `provisional` when an unknown year was counted
    on weekends only (shown as 暂定 until that year's calendar is imported)."""

    day: date
    provisional: bool = False


def date_text(day: date | None, provisional: bool = False) -> str:
    """A deadline as every screen, notice and report shows it: `2027-01-05（暂定）`."""
    if day is None:
        return ""
    from clerk_tui.i18n import t

    return t("calendar.provisional_date", date=day.isoformat()) if provisional else day.isoformat()


_PACKAGE_CALENDAR = WorkCalendar(*_package_years())


def package_calendar() -> WorkCalendar:
    """The bundled package alone (no station data)."""
    return _PACKAGE_CALENDAR


def load_work_calendar(station: Station) -> WorkCalendar:
    """The bundled package plus this station's calendar table."""
    with station.read() as session:
        return _calendar_in(session)


def _calendar_in(session: Session) -> WorkCalendar:
    years = set(session.exec(select(col(CalendarYear.year))))
    days = {d: k for d, k in session.exec(select(col(CalendarDay.day), col(CalendarDay.kind)))}
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


def parse_calendar(data: Any, source: str = "", force: bool = False) -> CalendarUpdate:
    """Check an update file's content; every problem names where it is.

    The format (JSON):
        {"format": "clerk-tui-calendar", "format_version": 1, "years": [2027],
         "holidays": [{"name": "春节", "from": "2027-02-06", "to": "2027-02-13"}, ...],
         "workdays": [{"name": "春节调休", "date": "2027-02-20"}, ...]}
    A year is declared whole: days not listed are working days Monday to Friday. A file
    holds at most MAX_YEARS years; a year without a single working day is refused unless
    `force` (such a file is almost certainly wrong).
    """
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise ClerkError("calendar.file_not_calendar", expected=FILE_FORMAT)
    if data.get("format_version") != 1:
        raise ClerkError("calendar.file_bad_version", found=str(data.get("format_version")))
    years = data.get("years")
    if (
        not isinstance(years, list)
        or not years
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    ):
        raise ClerkError("calendar.file_bad_years")
    if len(set(years)) > MAX_YEARS:
        raise ClerkError("calendar.file_too_many_years", count=len(set(years)), limit=MAX_YEARS)
    for year in years:
        if not FIRST_FILE_YEAR <= year <= LAST_FILE_YEAR:
            shown = str(year) if len(str(year)) <= 24 else str(year)[:20] + "…"
            raise ClerkError("calendar.file_year_out_of_range", value=shown, first=FIRST_FILE_YEAR, last=LAST_FILE_YEAR)
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
    for year in sorted(set(years)):
        if not force and not _has_working_day(year, days):
            raise ClerkError("calendar.file_no_working_day", year=year)
    return CalendarUpdate(tuple(sorted(set(years))), days, source)


def _has_working_day(year: int, days: dict[date, tuple[str, str]]) -> bool:
    day = date(year, 1, 1)
    while day.year == year:
        special = days.get(day)
        if (special[0] == "workday") if special else day.weekday() < 5:
            return True
        day += timedelta(days=1)
    return False


def load_calendar_file(path: Path, force: bool = False) -> CalendarUpdate:
    """Read and validate a calendar update file (nothing is stored); see `parse_calendar`."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ClerkError("calendar.file_too_large", path=str(path), mb=MAX_FILE_BYTES >> 20)
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClerkError("calendar.file_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, too deep, a 5000-digit number
        raise ClerkError("calendar.file_unreadable", path=str(path), reason=str(exc)) from exc
    return parse_calendar(data, source=path.name, force=force)


@dataclass(frozen=True)
class Recomputed:
    """A provisional date recomputed by a calendar import."""

    case_id: str
    case_no: str
    what: str  # promised_deadline / follow_up_due
    old: date
    new: date
    provisional: bool  # still provisional: the update did not cover every year it crosses

    @property
    def moved(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class CalendarImport:
    """What an import stored, and every provisional date it recomputed."""

    update: CalendarUpdate
    recomputed: tuple[Recomputed, ...] = ()

    # The update's own figures, so callers that printed an update keep working.
    years = property(lambda self: self.update.years)
    holidays = property(lambda self: self.update.holidays)
    workdays = property(lambda self: self.update.workdays)
    source = property(lambda self: self.update.source)

    @property
    def moved(self) -> tuple[Recomputed, ...]:
        return tuple(r for r in self.recomputed if r.moved)


def import_calendar(station: Station, update: CalendarUpdate) -> CalendarImport:
    """Store an update and recompute every provisional date, in one transaction.

    A year already stored is replaced whole. A provisional date is only ever replaced
    together with the calendar that makes it final: nobody sees the new calendar with
    old provisional dates, or final dates without the calendar behind them.
    """
    now = station.clock.now()
    with station.write() as session:
        before = _calendar_in(session).provisional()
        for year in update.years:
            session.exec(
                delete(CalendarDay).where(
                    col(CalendarDay.day) >= date(year, 1, 1), col(CalendarDay.day) <= date(year, 12, 31)
                )
            )
            existing = session.exec(select(CalendarYear).where(col(CalendarYear.year) == year)).one_or_none()
            if existing is None:
                session.add(CalendarYear(year=year, source=update.source, imported_at=now))
            else:
                existing.source, existing.imported_at = update.source, now
        session.flush()
        conn = session.connection()
        rows = [{"day": day, "kind": kind, "name": name} for day, (kind, name) in sorted(update.days.items())]
        for start in range(0, len(rows), 1000):  # in bulk: a row object per day would cost far more
            conn.execute(insert(CalendarDay), stamp_rows(conn, rows[start : start + 1000], now))
        recomputed = _recompute(session, station, before, _calendar_in(session), update.source)
    return CalendarImport(update, tuple(recomputed))


def _recompute(
    session: Session, station: Station, before: WorkCalendar, after: WorkCalendar, source: str
) -> list[Recomputed]:
    """Count every provisional date again on the updated calendar; audit each change.

    The stored date was counted on `before` (its provisional view), so counting the
    working days between the start and that date gives back the limit it was promised
    with, even if the catalog's limit changed since. A calendar-day limit (or a matter
    no longer in the catalog) keeps its date, moved to the next working day if needed.
    """
    from clerk_tui.models import Case, FollowUp, Matter, Rating
    from clerk_tui.services import audit

    done: list[Recomputed] = []
    cases = session.exec(
        select(Case).where(col(Case.deadline_provisional), col(Case.status) != "voided").order_by(col(Case.case_no))
    ).all()
    for case in cases:
        old = case.promised_deadline
        if old is None:
            continue
        start = (case.accepted_at or case.received_at).date()
        matter = session.get(Matter, case.matter_id)
        if (
            matter is not None
            and matter.promised_limit
            and (matter.promised_unit or "工作日").strip() in WORKING_DAY_UNITS
        ):
            new = after.working_days_later(start, before.working_days_between(start, old))
        else:
            new = after.on_or_after(old)
        if new.provisional and new.day == old:
            continue  # the update did not reach this date's years
        audit.record(
            session,
            station,
            "case",
            case.id,
            "recompute",
            field="promised_deadline",
            old=old,
            new=new.day,
            reason=source,
        )
        case.promised_deadline, case.deadline_provisional = new.day, new.provisional
        if case.supply_deadline is not None and case.supply_deadline > new.day:
            # 容缺 materials are due no later than the promised deadline.
            audit.record(
                session,
                station,
                "case",
                case.id,
                "recompute",
                field="supply_deadline",
                old=case.supply_deadline,
                new=new.day,
                reason=source,
            )
            case.supply_deadline = new.day
        done.append(Recomputed(case.id, case.case_no, "promised_deadline", old, new.day, new.provisional))
    follow_ups = session.exec(
        select(FollowUp, col(Rating.rated_at), col(Case.case_no))
        .join(Rating, col(Rating.id) == FollowUp.rating_id)
        .join(Case, col(Case.id) == FollowUp.case_id)
        .where(col(FollowUp.due_provisional))
        .order_by(col(Case.case_no))
    ).all()
    for follow_up, rated_at, case_no in follow_ups:
        old, start = follow_up.due_date, rated_at.date()
        new = after.working_days_later(start, before.working_days_between(start, old))
        if new.provisional and new.day == old:
            continue
        audit.record(
            session,
            station,
            "case",
            follow_up.case_id,
            "recompute",
            field="follow_up_due",
            old=old,
            new=new.day,
            reason=source,
        )
        follow_up.due_date, follow_up.due_provisional = new.day, new.provisional
        done.append(Recomputed(follow_up.case_id, case_no, "follow_up_due", old, new.day, new.provisional))
    return done


def import_calendar_file(station: Station, path: Path, force: bool = False) -> CalendarImport:
    """Validate and import an update file; the sync screen's one call (see `CalendarImport`)."""
    return import_calendar(station, load_calendar_file(path, force))


def import_lines(result: CalendarImport) -> list[str]:
    """What an import did, in the clerk's language, for `clerk import calendar` and the sync
    screen alike: the years stored, then every provisional date recomputed with its case."""
    from clerk_tui.i18n import t

    update = result.update
    lines = [
        t(
            "import.calendar_done",
            years=", ".join(map(str, update.years)),
            holidays=update.holidays,
            workdays=update.workdays,
        )
    ]
    if result.recomputed:
        lines.append(t("import.calendar_recomputed", count=len(result.recomputed)))
    lines.extend(
        t(
            "import.calendar_recomputed_line",
            case_no=r.case_no,
            what=t(f"detail.field.{r.what}"),
            old=r.old.isoformat(),
            new=date_text(r.new, r.provisional),
        )
        for r in result.recomputed
    )
    return lines
