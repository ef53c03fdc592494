"""Issuing tickets and reading today's queue.

Numbers are the queue letter plus a daily serial (`A001`): the serial is taken inside a
write transaction (which holds SQLite's write lock from BEGIN), and a unique index on
(day, letter, serial) backs it up, so a number is never handed out twice in a day even
with several programs issuing at once.

The serial has three digits and widens to four when a queue passes 999 tickets in a day
(`A999`, `A1000`). Order is always by the serial, never by the number's text (as text,
"A1000" sorts before "A999"). A queue issues at most `MAX_SERIAL` tickets a day: four
digits is what the board's and kiosk's big letters and the main screen's waiting list are
laid out for at 80 columns, and 9,999 is a ticket every 3.6 seconds for ten hours in one
queue, beyond any hall; the next one is refused with `ticket.day_full`, nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from clerk_tui.config import Settings
from clerk_tui.db import next_number
from clerk_tui.errors import ClerkError
from clerk_tui.models import Ticket, TicketEvent
from clerk_tui.services.context import Station

MAX_SERIAL = 9999  # the most tickets a queue issues in a day (see above)


def format_number(letter: str, serial: int) -> str:
    """`A001` … `A999`, then `A1000` … `A9999`: three digits at least, four past 999."""
    return f"{letter}{serial:03d}"


def issue_ticket(
    station: Station,
    queue: str,
    priority: str = "normal",
    appointment_at: datetime | None = None,
    via: str = "window",
) -> Ticket:
    settings = station.settings
    check_issue(settings, queue, priority, appointment_at)
    now = station.clock.now()
    with station.write() as session:
        ticket = issue_in(session, settings, queue, priority, appointment_at, via, now)
    return ticket


def check_issue(settings: Settings, queue: str, priority: str, appointment_at: datetime | None) -> None:
    """Refuse a ticket this station cannot issue: a queue it does not have, an appointment
    without its time."""
    if settings.queue(queue) is None:
        raise ClerkError("ticket.unknown_queue", queue=queue)
    if priority == "appointment" and appointment_at is None:
        raise ClerkError("ticket.appointment_needs_time")


def issue_in(
    session: Session,
    settings: Settings,
    queue: str,
    priority: str,
    appointment_at: datetime | None,
    via: str,
    now: datetime,
) -> Ticket:
    """Issue a ticket inside the caller's write transaction (see `issue_ticket`)."""
    today = now.date()
    # A counter row per station, day and letter: windows issuing at once on a shared server
    # never get the same number (`db.next_number`); seeded from the day's tickets so far.
    used = (
        select(func.max(col(Ticket.serial)))
        .where(
            col(Ticket.station_id) == settings.station_id,
            col(Ticket.service_date) == today,
            col(Ticket.letter) == queue,
            col(Ticket.transferred_from_id).is_(None),
        )
        .scalar_subquery()
    )
    serial = next_number(session.connection(), f"ticket:{settings.station_id}:{today:%Y%m%d}:{queue}", used)
    if serial > MAX_SERIAL:
        raise ClerkError("ticket.day_full", queue=queue, max=MAX_SERIAL, last=format_number(queue, MAX_SERIAL))
    ticket = Ticket(
        station_id=settings.station_id,
        service_date=today,
        queue=queue,
        letter=queue,
        serial=serial,
        number=format_number(queue, serial),
        priority=priority,
        appointment_at=appointment_at,
        issued_at=now,
        issued_via=via,
        sort_at=appointment_at if priority == "appointment" and appointment_at else now,
    )
    session.add(ticket)
    session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind="issued",
            at=now,
            station_id=settings.station_id,
            window_no=settings.window_no if via == "window" else None,
            clerk_no=settings.clerk_no if via == "window" else None,
            detail=via,
        )
    )
    return ticket


@dataclass(frozen=True)
class QueueCount:
    queue: str
    waiting: int
    served: int
    no_show: int
    oldest_waiting: datetime | None


def today_counts(station: Station, day: date | None = None) -> list[QueueCount]:
    """Per configured queue: waiting, served and no-show tickets of the day."""
    day = day or station.clock.today()
    status = col(Ticket.status)
    # Five columns: SQLModel's `select` is typed for four at most, so SQLAlchemy's.
    query = (
        sql_select(
            col(Ticket.queue),
            func.sum(case((status == "waiting", 1), else_=0)),
            func.sum(case((status == "done", 1), else_=0)),
            func.sum(case((status == "no_show", 1), else_=0)),
            func.min(case((status == "waiting", col(Ticket.issued_at)), else_=None)),
        )
        .where(col(Ticket.service_date) == day)
        .group_by(col(Ticket.queue))
    )
    with station.read() as session:
        rows: dict[str, tuple[int, int, int, object]] = {
            q: (w or 0, s or 0, n or 0, o) for q, w, s, n, o in session.execute(query)
        }
    result = []
    for q in station.settings.queues:
        waiting, served, no_show, oldest = rows.pop(q.letter, (0, 0, 0, None))
        result.append(QueueCount(q.letter, waiting, served, no_show, _as_datetime(oldest)))
    # Tickets of a queue since removed from the config still count.
    for letter, (waiting, served, no_show, oldest) in sorted(rows.items()):
        result.append(QueueCount(letter, waiting, served, no_show, _as_datetime(oldest)))
    return result


def _as_datetime(value: object) -> datetime | None:
    # Aggregates over a CASE lose the column type, so SQLite hands back text.
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def waiting_ahead(station: Station, ticket: Ticket) -> int:
    """How many tickets wait in the ticket's queue ahead of it (what the slip and kiosk say)."""
    from clerk_tui.services.queue.order import class_expr, ticket_class

    now = station.clock.now()
    policy = station.settings.queue_policy
    klass, mine = class_expr(now, policy), ticket_class(ticket, now, policy)
    with station.read() as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(Ticket)
                .where(
                    col(Ticket.service_date) == ticket.service_date,
                    col(Ticket.queue) == ticket.queue,
                    col(Ticket.status) == "waiting",
                    col(Ticket.id) != ticket.id,
                    or_(klass < mine, and_(klass == mine, col(Ticket.sort_at) <= ticket.sort_at)),
                )
            ).first()
            or 0
        )


def list_tickets(station: Station, everything: bool = False) -> list[Ticket]:
    """Today's tickets: waiting ones in call order, or (everything) all of them by number."""
    from clerk_tui.services.queue.order import ORDER, class_expr

    now = station.clock.now()
    where = [col(Ticket.service_date) == now.date(), col(Ticket.station_id) == station.settings.station_id]
    if everything:
        query = (
            select(Ticket)
            .where(*where)
            .order_by(col(Ticket.issued_at), col(Ticket.letter), col(Ticket.serial), col(Ticket.sort_at))
        )
    else:
        query = (
            select(Ticket)
            .where(*where, col(Ticket.status) == "waiting")
            .order_by(class_expr(now, station.settings.queue_policy), *ORDER)
        )
    with station.read() as session:
        return list(session.exec(query))
