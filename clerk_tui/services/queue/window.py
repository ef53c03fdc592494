"""The window itself: pause and resume (暂停服务) with a reason, and the start of a day.

A pause is a `WindowEvent`; the window is paused while its latest event today is a pause,
so the state survives a restart of the program and a new day starts unpaused.

At the first start of a new day, tickets of earlier days still waiting, called or being
served are closed (status `closed`, one event each): they never show up in today's queue
and the day's figures stay honest. `meta` remembers the last day closed, so later starts
on the same day cost one read.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, col, select

from clerk_tui.config import Settings
from clerk_tui.db import get_meta, set_meta
from clerk_tui.errors import ClerkError
from clerk_tui.models import Ticket, TicketEvent, WindowEvent
from clerk_tui.services.context import Station
from clerk_tui.services.queue.locks import locked

OPEN = ("waiting", "called", "serving")
CLOSED_THROUGH = "queue.closed_through"


def last_window_event(session: Session, settings: Settings, now: datetime) -> WindowEvent | None:
    return session.exec(
        select(WindowEvent)
        .where(
            col(WindowEvent.at) >= datetime.combine(now.date(), time()),
            col(WindowEvent.station_id) == settings.station_id,
            col(WindowEvent.window_no) == settings.window_no,
        )
        .order_by(col(WindowEvent.at).desc(), col(WindowEvent.change_seq).desc())
        .limit(1)
    ).first()


def is_paused(session: Session, settings: Settings, now: datetime) -> bool:
    last = last_window_event(session, settings, now)
    return last is not None and last.kind == "pause"


def pause(station: Station, reason: str) -> WindowEvent:
    """Stop calling at this window; the reason is required and kept."""
    if not reason.strip():
        raise ClerkError("queue.reason_required")
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        if is_paused(session, settings, now):
            raise ClerkError("queue.already_paused")
        row = WindowEvent(
            station_id=settings.station_id,
            window_no=settings.window_no,
            clerk_no=settings.clerk_no,
            kind="pause",
            reason=reason.strip(),
            at=now,
        )
        session.add(row)
        return row


def resume(station: Station) -> WindowEvent:
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        if not is_paused(session, settings, now):
            raise ClerkError("queue.not_paused")
        row = WindowEvent(
            station_id=settings.station_id,
            window_no=settings.window_no,
            clerk_no=settings.clerk_no,
            kind="resume",
            at=now,
        )
        session.add(row)
        return row


def close_leftovers(station: Station) -> int:
    """Close tickets of earlier days that were never finished; returns how many."""
    today = station.clock.today()
    with station.read() as session:
        done_through = get_meta(session.connection(), CLOSED_THROUGH)
    if done_through == today.isoformat():
        return 0
    now = station.clock.now()
    settings = station.settings
    with station.write() as session:
        conn = session.connection()
        done_through = get_meta(conn, CLOSED_THROUGH)
        if done_through == today.isoformat():
            return 0  # another program did it meanwhile
        since = date.fromisoformat(done_through) if done_through else date.min
        # Locked as read: a window still finishing one of them at midnight (on a server)
        # commits first, and its finished ticket is then no longer a leftover.
        leftovers = list(
            session.exec(
                locked(
                    select(Ticket).where(
                        col(Ticket.service_date) >= since,
                        col(Ticket.service_date) < today,
                        col(Ticket.status).in_(OPEN),
                    )
                )
            )
        )
        for ticket in leftovers:
            previous = ticket.status
            ticket.status = "closed"
            ticket.finished_at = ticket.finished_at or now
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    kind="closed",
                    at=now,
                    station_id=settings.station_id,
                    window_no=settings.window_no,
                    clerk_no=settings.clerk_no,
                    detail=f"day_end|{previous}",
                )
            )
        set_meta(conn, CLOSED_THROUGH, today.isoformat())
        return len(leftovers)
