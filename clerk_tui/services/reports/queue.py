"""Ticket figures of a period: per queue, waiting and service times, the longest queue.

Definitions (docs/REPORTS.md has the full list):
- issued: ticket slips handed out (rows that are not the second half of a transfer);
  served: tickets finished at a window (status done); no-show: status no_show at the
  time of the report; transferred: sent on to another queue.
- waiting time: first call − issue, over issued tickets that were called;
  service time: end − start of service, over served tickets.
- the longest queue: the most tickets waiting at one moment, from issue (or transfer)
  to first call (or, never called, to the ticket's end).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.db import hour_of, seconds_between
from clerk_tui.models import Ticket
from clerk_tui.services.reports.aggregates import count_if, mean_and_p90
from clerk_tui.services.reports.period import Period

ALL = ""  # the group key of the all-queues line
PER_QUEUE_PEAK_DAYS = 31


@dataclass
class QueueLine:
    queue: str  # "" = all queues
    issued: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    wait_mean: float | None = None  # seconds
    wait_p90: float | None = None
    service_mean: float | None = None
    service_p90: float | None = None
    peak: int | None = 0  # most tickets waiting at one moment (None: not counted per queue over a year)
    peak_at: datetime | None = None


@dataclass
class TicketFigures:
    lines: list[QueueLine]  # one per queue, by queue letter
    total: QueueLine
    arrivals_by_hour: list[int] = field(default_factory=lambda: [0] * 24)


def _where(period: Period, station_id: str | None) -> list[ColumnElement[bool]]:
    conditions = [col(Ticket.service_date) >= period.start, col(Ticket.service_date) < period.end]
    if station_id:
        conditions.append(col(Ticket.station_id) == station_id)
    return conditions


def _counts(session: Session, where: list[ColumnElement[bool]]) -> tuple[dict[str, QueueLine], list[int]]:
    """The per-queue counts and the issued tickets per hour of issue, in one pass.

    Grouped by queue and hour: a queue's counts are the sums of its hours, and the hall's
    arrivals in an hour the sum over the queues.
    """
    hour = hour_of(col(Ticket.issued_at)).label("h")
    rows = session.execute(
        select(
            col(Ticket.queue),
            hour,
            count_if(col(Ticket.transferred_from_id).is_(None)),
            count_if(col(Ticket.status) == "done"),
            count_if(col(Ticket.status) == "no_show"),
            count_if(col(Ticket.status) == "transferred"),
        )
        .where(*where)
        .group_by(col(Ticket.queue), hour)
    ).all()
    lines: dict[str, QueueLine] = {}
    hours = [0] * 24
    for queue, h, issued, served, no_show, transferred in rows:
        line = lines.setdefault(queue, QueueLine(queue))
        line.issued += int(issued)
        line.served += int(served)
        line.no_show += int(no_show)
        line.transferred += int(transferred)
        if h is not None and 0 <= int(h) < 24:
            hours[int(h)] += int(issued)
    return lines, hours


def _durations(session: Session, where: list[ColumnElement[bool]]) -> tuple[dict[str, tuple[float, float]], ...]:
    """{queue: (mean, p90)} of waiting and of service time, the all-queues key included."""
    waited = seconds_between(col(Ticket.first_called_at), col(Ticket.issued_at))
    wait_rows = [*where, col(Ticket.transferred_from_id).is_(None), col(Ticket.first_called_at).is_not(None)]
    served = seconds_between(col(Ticket.finished_at), col(Ticket.service_started_at))
    service_rows = [
        *where,
        col(Ticket.status) == "done",
        col(Ticket.service_started_at).is_not(None),
        col(Ticket.finished_at).is_not(None),
    ]
    results = []
    for value, conditions in ((waited, wait_rows), (served, service_rows)):
        values = select(col(Ticket.queue).label("grp"), value.label("v")).where(*conditions).subquery()
        rows = session.execute(mean_and_p90(values, ALL)).all()
        results.append({r.grp: (float(r.total) / int(r.n), float(r.s)) for r in rows if r.n})
    return tuple(results)


def _peaks(session: Session, where: list[ColumnElement[bool]], per_queue: bool) -> dict[str, tuple[int, datetime]]:
    """{queue: (most waiting, first moment)} from a running sum of +1 / −1 wait events.

    Each day is summed on its own (a leftover closed the next morning ends with its day).
    At equal times a call (−1) counts before an arrival (+1).
    """
    start = case((col(Ticket.transferred_from_id).is_(None), col(Ticket.issued_at)), else_=col(Ticket.sort_at))
    end = func.coalesce(col(Ticket.first_called_at), col(Ticket.finished_at))
    events = union_all(
        select(
            col(Ticket.service_date).label("d"),
            col(Ticket.queue).label("q"),
            start.label("at"),
            literal(1).label("delta"),
        ).where(*where),
        select(col(Ticket.service_date), col(Ticket.queue), end, literal(-1)).where(*where, end.is_not(None)),
    ).subquery()
    peaks: dict[str, tuple[int, datetime]] = {}
    for by_queue in (True, False) if per_queue else (False,):
        partition = [events.c.d, events.c.q] if by_queue else [events.c.d]
        running = select(
            (events.c.q if by_queue else literal(ALL)).label("q"),
            events.c.at,
            func.sum(events.c.delta)
            .over(partition_by=partition, order_by=[events.c.at, events.c.delta], rows=(None, 0))
            .label("waiting"),
        ).subquery()
        if by_queue:
            best = select(
                running.c.q,
                running.c.waiting,
                running.c.at,
                func.row_number()
                .over(partition_by=[running.c.q], order_by=[running.c.waiting.desc(), running.c.at])
                .label("rank"),
            ).subquery()
            query = select(best.c.q, best.c.waiting, best.c.at).where(best.c.rank == 1)
        else:  # one group: a top-1 sort instead of ranking every event
            query = (
                select(running.c.q, running.c.waiting, running.c.at)
                .order_by(running.c.waiting.desc(), running.c.at)
                .limit(1)
            )
        for q, waiting, at in session.execute(query).all():
            if waiting and waiting > 0:
                peaks[q] = (int(waiting), at if isinstance(at, datetime) else datetime.fromisoformat(str(at)))
    return peaks


def per_queue_peaks(period: Period) -> bool:
    return (period.end - period.start).days <= PER_QUEUE_PEAK_DAYS


def ticket_figures(session: Session, period: Period, station_id: str | None = None) -> TicketFigures:
    where = _where(period, station_id)
    lines, hours = _counts(session, where)
    total = QueueLine(ALL)
    for line in lines.values():
        total.issued += line.issued
        total.served += line.served
        total.no_show += line.no_show
        total.transferred += line.transferred
    if not per_queue_peaks(period):
        for line in lines.values():
            line.peak = None
    lines[ALL] = total
    waits, services = _durations(session, where)
    for key, line in lines.items():
        line.wait_mean, line.wait_p90 = waits.get(key, (None, None))
        line.service_mean, line.service_p90 = services.get(key, (None, None))
    # Per queue only up to a month: over a year that second running sum costs more than the
    # whole rest of the report, and the hall-wide peak is what an annual report quotes.
    for key, (waiting, at) in _peaks(session, where, per_queue_peaks(period)).items():
        if key in lines:
            lines[key].peak, lines[key].peak_at = waiting, at
    del lines[ALL]
    return TicketFigures(lines=[lines[k] for k in sorted(lines)], total=total, arrivals_by_hour=hours)
