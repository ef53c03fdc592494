"""Headline figures per month or year: a period against the one before, and a multi-year summary.

Published monthly and annual reports quote each headline figure with the same figure a
period before and the change: 同比 (the same period a year before) and, for a month, also
环比 (the month before). `clerk report years` lists the headline figures one year a line.
The definitions are the hall report's own (docs/REPORTS.md, "Period comparison"): cases by
receipt, 按时办结 by completion, ratings by rating time, tickets by service day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.db import day_of, month_text
from clerk_tui.models import Case, Rating, Ticket
from clerk_tui.services.reports.aggregates import count_if, ratio
from clerk_tui.services.reports.cases import PROMISED, CaseFigures, PromisedFigures, RatingFigures
from clerk_tui.services.reports.cases import _not_voided as not_voided
from clerk_tui.services.reports.period import Period
from clerk_tui.services.reports.queue import TicketFigures

BASES = ("previous", "year")  # 环比: the period before; 同比: the same period a year before


@dataclass
class Headline:
    """The figures a comparison and the multi-year summary quote, for one month or year."""

    label: str  # '2026' or '2026-11'
    cases: int = 0
    on_the_spot: int = 0
    promised: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    satisfied: int = 0
    tickets_issued: int = 0
    tickets_served: int = 0

    @property
    def on_the_spot_share(self) -> float | None:
        return ratio(self.on_the_spot, self.on_the_spot + self.promised)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)

    @property
    def satisfaction(self) -> float | None:
        return ratio(self.satisfied, self.rated)


@dataclass
class Comparison:
    basis: str  # previous (环比) / year (同比)
    current: Headline
    previous: Headline


def headline_of(
    label: str, cases: CaseFigures, promised: PromisedFigures, ratings: RatingFigures, tickets: TicketFigures
) -> Headline:
    """The headline of the report's own period, read off figures it already counted."""
    return Headline(
        label,
        cases.total,
        cases.on_the_spot,
        cases.promised,
        promised.on_time,
        promised.late,
        ratings.rated,
        ratings.satisfied,
        tickets.total.issued,
        tickets.total.served,
    )


def _bucket(value: SQLColumnExpression[Any], unit: str) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp or a date, or its first four characters 'YYYY' (both
    engines spell substr alike)."""
    text = month_text(value)
    return (func.substr(text, 1, 4) if unit == "year" else text).label("b")


def headlines(
    session: Session, start: date, end: date, unit: str, station_id: str | None = None
) -> dict[str, Headline]:
    """{label: Headline} per month or year in [start, end): four grouped passes, one per
    table and date that places a record (received, completed, rated, service day)."""
    start_at, end_at = datetime.combine(start, time.min), datetime.combine(end, time.min)
    case_station = [col(Case.station_id) == station_id] if station_id else []
    found: dict[str, Headline] = {}

    def line(label: object) -> Headline:
        return found.setdefault(str(label), Headline(str(label)))

    received = _bucket(col(Case.received_at), unit)
    for b, n, spot, promised in session.execute(
        select(
            received,
            func.count(),
            count_if(col(Case.outcome) == "on_the_spot"),
            count_if(col(Case.outcome).in_(PROMISED)),
        )
        .where(col(Case.status) != "voided", col(Case.received_at) >= start_at, col(Case.received_at) < end_at)
        .where(*case_station)
        .group_by(received)
    ):
        h = line(b)
        h.cases, h.on_the_spot, h.promised = int(n), int(spot), int(promised)
    completed = _bucket(col(Case.completed_at), unit)
    done_day, deadline = day_of(col(Case.completed_at)), col(Case.promised_deadline)
    done = col(Case.status) == "completed"  # inside the counts: the planner takes the completed_at range
    for b, on_time, late in session.execute(
        select(completed, count_if(done & (done_day <= deadline)), count_if(done & (done_day > deadline)))
        .where(col(Case.outcome).in_(PROMISED), col(Case.completed_at) >= start_at, col(Case.completed_at) < end_at)
        .where(*case_station)
        .group_by(completed)
    ):
        h = line(b)
        h.on_time, h.late = int(on_time), int(late)
    rated_at = _bucket(col(Rating.rated_at), unit)
    for b, rated, satisfied in session.execute(
        select(rated_at, count_if(col(Rating.level).is_not(None)), count_if(col(Rating.level) >= 4))
        .where(
            col(Rating.rated_at) >= start_at,
            col(Rating.rated_at) < end_at,
            not_voided(col(Rating.case_id), station_id),
        )
        .group_by(rated_at)
    ):
        h = line(b)
        h.rated, h.satisfied = int(rated), int(satisfied)
    served_on = _bucket(col(Ticket.service_date), unit)
    ticket_station = [col(Ticket.station_id) == station_id] if station_id else []
    for b, issued, served in session.execute(
        select(served_on, count_if(col(Ticket.transferred_from_id).is_(None)), count_if(col(Ticket.status) == "done"))
        .where(col(Ticket.service_date) >= start, col(Ticket.service_date) < end, *ticket_station)
        .group_by(served_on)
    ):
        h = line(b)
        h.tickets_issued, h.tickets_served = int(issued), int(served)
    return found


def headline(session: Session, period: Period, station_id: str | None = None) -> Headline:
    """One month's or year's headline (zeros when it holds nothing)."""
    unit = "year" if period.kind == "annual" else "month"
    return headlines(session, period.start, period.end, unit, station_id).get(period.label, Headline(period.label))


def comparisons(session: Session, period: Period, current: Headline, station_id: str | None = None) -> list[Comparison]:
    """同比 (the same period a year before) and, for a month, 环比 (the month before); a
    year's period before is the year before, so an annual report has 同比 only."""
    bases = [("year", period.shifted(-12 if period.kind == "monthly" else -1))]  # 同比 first, as reports quote it
    if period.kind == "monthly":
        bases.append(("previous", period.shifted(-1)))
    return [Comparison(basis, current, headline(session, before, station_id)) for basis, before in bases]


def years(session: Session, first: int, last: int, station_id: str | None = None) -> list[Headline]:
    """The headline of every year from `first` to `last`, zeros for a year with nothing."""
    found = headlines(session, date(first, 1, 1), date(last + 1, 1, 1), "year", station_id)
    return [found.get(str(y), Headline(str(y))) for y in range(first, last + 1)]
