"""Report periods: a day, a month or a year, as a half-open range of dates."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from clerk_tui.errors import ClerkError

KINDS = ("daily", "monthly", "annual")


@dataclass(frozen=True)
class Period:
    kind: str  # daily / monthly / annual
    start: date  # first day
    end: date  # first day after the period

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.min)

    @property
    def label(self) -> str:
        if self.kind == "daily":
            return self.start.isoformat()
        if self.kind == "monthly":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y}"

    def shifted(self, steps: int) -> Period:
        """The period `steps` before (negative) or after this one, of the same kind."""
        if self.kind == "daily":
            return day(self.start + timedelta(days=steps))
        if self.kind == "monthly":
            index = self.start.year * 12 + self.start.month - 1 + steps
            return month(index // 12, index % 12 + 1)
        return year(self.start.year + steps)

    def containing(self, kind: str) -> Period:
        """The period of another kind that contains this one's first day."""
        return period_for(kind, self.start)


def day(d: date) -> Period:
    return Period("daily", d, d + timedelta(days=1))


def month(y: int, m: int) -> Period:
    last = calendar.monthrange(y, m)[1]
    return Period("monthly", date(y, m, 1), date(y, m, last) + timedelta(days=1))


def year(y: int) -> Period:
    return Period("annual", date(y, 1, 1), date(y + 1, 1, 1))


def period_for(kind: str, d: date) -> Period:
    if kind == "daily":
        return day(d)
    if kind == "monthly":
        return month(d.year, d.month)
    if kind == "annual":
        return year(d.year)
    raise ClerkError("report.bad_kind", value=kind)


def parse_period(kind: str, value: str | None, today: date) -> Period:
    """`--date 2026-11-24`, `--month 2026-11`, `--year 2026`; missing means the current one."""
    if not value:
        return period_for(kind, today)
    value = value.strip()
    try:
        if kind == "daily":
            return day(date.fromisoformat(value))
        if kind == "monthly":
            y, m = value.split("-")
            return month(int(y), int(m))
        if kind == "annual":
            return year(int(value))
    except ValueError:
        pass
    raise ClerkError("report.bad_period", value=value, kind=kind)
