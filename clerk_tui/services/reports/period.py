"""Report periods and the few SQL expressions whose spelling differs between databases.

Every report figure is a SQL aggregate. SQLite (the station) and PostgreSQL (a possible
centre) spell time arithmetic differently, so the handful of expressions that need it
are compiled per dialect here; everything else is plain SQLAlchemy Core.

Percentiles use the nearest-rank method: the p-th percentile of n values is the value of
rank ceil(p·n/100) in ascending order. For p90 that rank is (9n + 9) div 10, which both
databases compute in integer arithmetic.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Float, Integer, String, cast, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

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


# --- dialect-specific expressions -------------------------------------------------------


class seconds_between(FunctionElement[float]):
    """Seconds from `start` to `end` (both timestamps)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)})) * 86400.0)"


@compiles(seconds_between)
def _seconds_default(element: Any, compiler: Any, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)}))"


class hour_of(FunctionElement[int]):
    type = Integer()
    inherit_cache = True
    name = "hour_of"


@compiles(hour_of, "sqlite")
def _hour_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(hour_of)
def _hour_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(HOUR FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class day_of(FunctionElement[str]):
    """The calendar day of a timestamp, comparable with stored dates (text in SQLite)."""

    type = String()
    inherit_cache = True
    name = "day_of"


@compiles(day_of, "sqlite")
def _day_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(day_of)
def _day_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class month_text(FunctionElement[str]):
    """'YYYY-MM' of a timestamp."""

    type = String()
    inherit_cache = True
    name = "month_text"


@compiles(month_text, "sqlite")
def _month_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_text)
def _month_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"TO_CHAR({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition` (0 for no rows, never NULL)."""
    from sqlalchemy import case

    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def mean_and_p90(values: Any, all_key: str) -> Any:
    """A select of (grp, n, mean, p90) per group of `values` (columns `grp`, `v`) and over all.

    Values are first counted per whole second (a GROUP BY, much cheaper than ranking every
    row); a running sum over those counts finds the second that holds rank ceil(0.9·n),
    the nearest-rank p90. Rounding is monotonic, so this is the exact p90 rounded to the
    second. Means use the unrounded sums.
    """
    second = cast(func.round(values.c.v), Integer).label("s")
    buckets = select(values.c.grp, second, func.count().label("c"), func.sum(values.c.v).label("t")) \
        .group_by(values.c.grp, second).cte("buckets")
    overall = select(literal(all_key).label("grp"), buckets.c.s, func.sum(buckets.c.c).label("c"),
                     func.sum(buckets.c.t).label("t")).group_by(buckets.c.s).subquery()
    parts = []
    for source, partition in ((buckets, [buckets.c.grp]), (overall, None)):
        ranked = select(
            source.c.grp, source.c.s, source.c.c,
            func.sum(source.c.c).over(partition_by=partition, order_by=source.c.s, rows=(None, 0)).label("cum"),
            func.sum(source.c.c).over(partition_by=partition).label("n"),
            func.sum(source.c.t).over(partition_by=partition).label("total"),
        ).subquery()
        rank = (ranked.c.n * 9 + 9) // 10
        parts.append(select(ranked.c.grp, ranked.c.n, ranked.c.total, ranked.c.s)
                     .where(ranked.c.cum >= rank, ranked.c.cum - ranked.c.c < rank))
    return union_all(*parts)


def ratio(numerator: int, denominator: int) -> float | None:
    """A share, or None (shown as a dash) when there is nothing to divide by."""
    return numerator / denominator if denominator else None
