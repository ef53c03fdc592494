"""The order in which a window calls waiting tickets.

Classes, best first (the order a deployed hall system uses, see DOMAIN.md):

0. green channel (绿色通道)
1. transferred in from another queue or window
2. appointments whose slot has started: from `appointment_early_minutes` before the slot
   until `appointment_grace_minutes` after it; later they wait as normal tickets, placed
   by their slot time; earlier they are not called by "next" at all (the holder may not
   be in the hall yet), only when the clerk picks them
3. everyone else, first come, first served

Within a class the order is `sort_at` (issue time, transfer time or re-entry time), then
issue time, then serial and letter (tickets of the same millisecond): strictly first come, first served. After `priority_streak`
calls of classes 0-2 in a row at this window, the oldest class-3 ticket goes next.

The order is one SQL `ORDER BY ... LIMIT 1` on today's waiting tickets (an index covers
day and status), run inside the caller's transaction, so a claim is one write.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, or_
from sqlmodel import Session, col, select

from clerk_tui.config import QueuePolicy, Settings
from clerk_tui.models import Ticket

GREEN, TRANSFER, APPOINTMENT, NORMAL = 0, 1, 2, 3
CLASS_NAMES = ("green", "transfer", "appointment", "normal")


def class_expr(now: datetime, policy: QueuePolicy) -> ColumnElement[int]:
    late = now - timedelta(minutes=policy.appointment_grace_minutes)
    return case(
        (col(Ticket.priority) == "green", GREEN),
        (col(Ticket.transferred_from_id).is_not(None), TRANSFER),
        (and_(col(Ticket.priority) == "appointment", col(Ticket.appointment_at) >= late), APPOINTMENT),
        else_=NORMAL,
    )


def ticket_class(ticket: Ticket, now: datetime, policy: QueuePolicy) -> int:
    """The same rule as `class_expr`, for one ticket already loaded."""
    if ticket.priority == "green":
        return GREEN
    if ticket.transferred_from_id is not None:
        return TRANSFER
    late = now - timedelta(minutes=policy.appointment_grace_minutes)
    if ticket.priority == "appointment" and ticket.appointment_at is not None and ticket.appointment_at >= late:
        return APPOINTMENT
    return NORMAL


def not_due(ticket: Ticket, now: datetime, policy: QueuePolicy) -> bool:
    """An appointment whose slot is still too far off for "call next"."""
    early = now + timedelta(minutes=policy.appointment_early_minutes)
    return ticket.priority == "appointment" and ticket.appointment_at is not None and ticket.appointment_at > early


def for_window(settings: Settings, day: date) -> ColumnElement[bool]:
    """Today's waiting tickets this window may call (due or not)."""
    return and_(
        col(Ticket.service_date) == day,
        col(Ticket.status) == "waiting",
        col(Ticket.station_id) == settings.station_id,
        or_(
            col(Ticket.target_window) == settings.window_no,
            and_(col(Ticket.target_window).is_(None), col(Ticket.queue).in_(settings.served_queues())),
        ),
    )


def due(now: datetime, policy: QueuePolicy) -> ColumnElement[bool]:
    early = now + timedelta(minutes=policy.appointment_early_minutes)
    return or_(
        col(Ticket.priority) != "appointment", col(Ticket.appointment_at).is_(None), col(Ticket.appointment_at) <= early
    )


ORDER = (col(Ticket.sort_at), col(Ticket.issued_at), col(Ticket.serial), col(Ticket.letter), col(Ticket.id))


def priority_streak(session: Session, settings: Settings, day: date, limit: int) -> int:
    """How many of this window's latest calls today, in a row, were priority calls.

    Read from the tickets themselves (their class at their last call), not from the event
    trail: today's tickets are a few hundred rows under the day index, while the events
    of ten years are millions.
    """
    policy = settings.queue_policy
    latest = session.exec(
        select(Ticket)
        .where(
            col(Ticket.service_date) == day,
            col(Ticket.station_id) == settings.station_id,
            col(Ticket.window_no) == settings.window_no,
            col(Ticket.last_called_at).is_not(None),
        )
        .order_by(col(Ticket.last_called_at).desc(), col(Ticket.change_seq).desc())
        .limit(limit)
    )
    streak = 0
    for ticket in latest:
        if ticket_class(ticket, ticket.last_called_at or datetime.min, policy) == NORMAL:
            break
        streak += 1
    return streak


def pick_next(session: Session, settings: Settings, now: datetime) -> tuple[Ticket, int] | None:
    """The ticket "call next" takes at this window now, and its class; None if none waits.

    The ticket is claimed as it is found: `FOR UPDATE SKIP LOCKED` on a server database,
    the way PostgreSQL-backed job queues take work, so two windows calling at once get two
    different tickets and neither waits for the other (a ticket another window is claiming
    is passed over; one it has just called no longer matches "waiting" when re-read). On
    SQLite the write transaction already holds the database's one write lock.
    """
    policy = settings.queue_policy
    day = now.date()
    klass = class_expr(now, policy)
    base = (
        select(Ticket, klass)
        .where(for_window(settings, day), due(now, policy))
        .with_for_update(skip_locked=True, of=Ticket)
    )
    limit = policy.priority_streak
    if limit and priority_streak(session, settings, day, limit) >= limit:
        row = session.exec(base.where(klass == NORMAL).order_by(*ORDER).limit(1)).first()
        if row is not None:
            return row[0], NORMAL
    row = session.exec(base.order_by(klass, *ORDER).limit(1)).first()
    return (row[0], int(row[1])) if row is not None else None


def waiting_in_order(session: Session, settings: Settings, now: datetime, limit: int = 500) -> list[Ticket]:
    """This window's waiting tickets in call order; appointments not yet due come last."""
    policy = settings.queue_policy
    early = now + timedelta(minutes=policy.appointment_early_minutes)
    later = case((and_(col(Ticket.priority) == "appointment", col(Ticket.appointment_at) > early), 1), else_=0)
    query = (
        select(Ticket)
        .where(for_window(settings, now.date()))
        .order_by(later, class_expr(now, policy), *ORDER)
        .limit(limit)
    )
    return list(session.exec(query))
