"""Per-department, per-window and per-clerk figures of a period (星级窗口 ratings, 分部门办件量).

A window is rated on its workload, its satisfaction and its overdue cases; halls publish
case counts per department. Each line carries the same figures as the hall-wide report,
by the same definitions (docs/REPORTS.md, "By department, window and clerk"):
- cases, 即办件, 承诺件: non-voided cases received in the period;
- 按时办结 / 超期办结: 承诺件 completed in the period (the completion-date view);
- 逾期未办结（当前）: 承诺件 pending now, received up to the period's end, past the deadline;
- rated / satisfied: ratings given in the period to the line's non-voided cases;
- tickets served and their mean service time (windows and clerks only: a ticket has no
  matter, so no department).

A case belongs to the window and clerk that received it (`window_no`, `clerk_no`) and to
the department of its matter; a ticket to the window and clerk that finished it. Every
line's figures sum to the hall's (a case without a window number has its own line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import CTE, Integer, Select, String, cast, func, literal, null, select, union_all
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.db import day_of, seconds_between
from clerk_tui.models import Case, Department, Matter, Rating, Ticket
from clerk_tui.services.reports.aggregates import count_if, ratio
from clerk_tui.services.reports.cases import PROMISED
from clerk_tui.services.reports.period import Period

FIGURES = ("cases", "on_the_spot", "promised", "on_time", "late", "overdue", "rated", "satisfied")


@dataclass
class GroupLine:
    """One department, window or clerk. `key` is the department's name, the window number
    or the clerk number; None when the cases did not record it."""

    key: str | int | None
    cases: int = 0
    on_the_spot: int = 0
    promised: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    served: int = 0  # tickets finished (windows and clerks)
    service_n: int = 0  # of those, with a start and an end of service
    service_total: float = 0.0  # seconds, summed over service_n

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)

    @property
    def satisfaction(self) -> float | None:
        return ratio(self.satisfied, self.rated)

    @property
    def service_mean(self) -> float | None:
        return self.service_total / self.service_n if self.service_n else None


@dataclass
class Breakdown:
    departments: list[GroupLine]
    windows: list[GroupLine]
    clerks: list[GroupLine]

    @property
    def windows_served(self) -> int:
        """窗口数: windows that received a case or finished a ticket in the period."""
        return sum(1 for line in self.windows if line.key is not None)

    @property
    def clerks_served(self) -> int:
        return sum(1 for line in self.clerks if line.key is not None)


def _facts(period: Period, today: date, station_id: str | None) -> CTE:
    """The case figures per (window, clerk, matter): four grouped parts, one per date that
    puts a case in a figure, stacked so the outer query sums them once per dimension."""
    case_station = [col(Case.station_id) == station_id] if station_id else []
    keys: tuple[ColumnElement[Any], ...] = (
        col(Case.window_no).label("w"),
        col(Case.clerk_no).label("c"),
        col(Case.matter_id).label("m"),
    )

    def part(**values: ColumnElement[int]) -> Select[Any]:
        """One pass: the given figures, 0 for the others (a stacked row adds nothing to them)."""
        return select(*keys, *(values.get(name, literal(0)).label(name) for name in FIGURES))

    received = part(
        cases=func.count(),
        on_the_spot=count_if(col(Case.outcome) == "on_the_spot"),
        promised=count_if(col(Case.outcome).in_(PROMISED)),
    ).where(
        col(Case.status) != "voided",
        col(Case.received_at) >= period.start_at,
        col(Case.received_at) < period.end_at,
        *case_station,
    )
    done_day, deadline = day_of(col(Case.completed_at)), col(Case.promised_deadline)
    # The status test stays inside the counts so the planner takes the completed_at range
    # (as in cases.promised_figures), not the index on status.
    done = col(Case.status) == "completed"
    completed = part(
        on_time=count_if(done & (done_day <= deadline)), late=count_if(done & (done_day > deadline))
    ).where(
        col(Case.outcome).in_(PROMISED),
        col(Case.completed_at) >= period.start_at,
        col(Case.completed_at) < period.end_at,
        *case_station,
    )
    overdue = part(overdue=func.count()).where(
        col(Case.status) == "pending",
        col(Case.outcome).in_(PROMISED),
        col(Case.received_at) < period.end_at,
        deadline < today,
        *case_station,
    )
    rated = (
        # Each rating is looked up in its case (its window, clerk and matter): the costliest
        # pass of a year. Ratings without a level count nowhere here, so they are not looked up.
        part(rated=func.count(), satisfied=count_if(col(Rating.level) >= 4))
        .select_from(Rating)
        .join(Case, col(Case.id) == col(Rating.case_id))
        .where(
            col(Rating.level).is_not(None),
            col(Case.status) != "voided",
            col(Rating.rated_at) >= period.start_at,
            col(Rating.rated_at) < period.end_at,
            *case_station,
        )
    )
    parts = [q.group_by(*keys) for q in (received, completed, overdue, rated)]
    return union_all(*parts).cte("facts")


def _cases(session: Session, period: Period, today: date, station_id: str | None) -> tuple[list[Any], list[Any]]:
    """Rows (window, clerk, figures…) and (department, figures…) of one statement: the
    stacked parts summed per window and clerk, and per department of the matter."""
    facts = _facts(period, today, station_id)
    sums = [func.sum(facts.c[name]) for name in FIGURES]
    by_window_and_clerk = select(
        facts.c.w, facts.c.c, cast(null(), String).label("d"), cast(null(), String).label("name"), *sums
    ).group_by(facts.c.w, facts.c.c)
    by_department = (
        select(
            cast(null(), Integer),
            cast(null(), String),
            col(Department.id),
            col(Department.name),
            *sums,
        )
        .select_from(facts)
        .join(Matter, col(Matter.id) == facts.c.m)
        .join(Department, col(Department.id) == col(Matter.department_id))
        .group_by(col(Department.id), col(Department.name))
    )
    rows = session.execute(union_all(by_window_and_clerk, by_department)).all()
    return [r for r in rows if r[2] is None], [r for r in rows if r[2] is not None]


def _tickets(session: Session, period: Period, station_id: str | None) -> list[Any]:
    """Served tickets per (window, clerk): count, how many have both service times, their seconds."""
    seconds = seconds_between(col(Ticket.finished_at), col(Ticket.service_started_at))
    conditions = [
        col(Ticket.service_date) >= period.start,
        col(Ticket.service_date) < period.end,
        col(Ticket.status) == "done",
    ]
    if station_id:
        conditions.append(col(Ticket.station_id) == station_id)
    return list(
        session.execute(
            select(col(Ticket.window_no), col(Ticket.clerk_no), func.count(), func.count(seconds), func.sum(seconds))
            .where(*conditions)
            .group_by(col(Ticket.window_no), col(Ticket.clerk_no))
        ).all()
    )


def _add(line: GroupLine, values: list[Any]) -> None:
    for name, value in zip(FIGURES, values, strict=True):
        setattr(line, name, getattr(line, name) + int(value or 0))


def breakdown(session: Session, period: Period, today: date, station_id: str | None = None) -> Breakdown:
    """The period's lines per department, window and clerk.

    The window and clerk lines are sums of (window, clerk) groups: a window is served by a
    few clerks over a period, so those groups are few (the figure is the sum of its groups).
    """
    case_rows, department_rows = _cases(session, period, today, station_id)
    windows: dict[int | None, GroupLine] = {}
    clerks: dict[str | None, GroupLine] = {}
    for w, c, _d, _name, *values in case_rows:
        _add(windows.setdefault(w, GroupLine(w)), values)
        _add(clerks.setdefault(c, GroupLine(c)), values)
    for w, c, served, measured, seconds in _tickets(session, period, station_id):
        for line in (windows.setdefault(w, GroupLine(w)), clerks.setdefault(c, GroupLine(c))):
            line.served += int(served)
            line.service_n += int(measured)
            line.service_total += float(seconds or 0.0)
    departments = []
    for _w, _c, _d, name, *values in department_rows:
        line = GroupLine(name)
        _add(line, values)
        departments.append(line)
    departments.sort(key=lambda line: (-line.cases, str(line.key)))
    return Breakdown(
        departments=departments,
        windows=[windows[k] for k in sorted(windows, key=lambda k: (k is None, k or 0))],
        clerks=[clerks[k] for k in sorted(clerks, key=lambda k: (k is None, k or ""))],
    )
