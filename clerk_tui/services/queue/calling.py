"""What a window does with tickets: call, recall, start, finish, no-show, reinstate, transfer.

Each action is one write transaction (`BEGIN IMMEDIATE` takes SQLite's write lock at the
start), so reading the next waiting ticket and claiming it cannot interleave with another
window doing the same: two windows never call one ticket. Every step leaves a
`TicketEvent` saying which window and clerk did what, and when.

The window acting is `station.settings.window_no` / `clerk_no`; the CLI's `--window`
overrides them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from clerk_tui.config import Settings
from clerk_tui.errors import ClerkError
from clerk_tui.models import Ticket, TicketEvent
from clerk_tui.services.context import Station
from clerk_tui.services.queue.locks import locked
from clerk_tui.services.queue.order import (
    CLASS_NAMES,
    ORDER,
    class_expr,
    pick_next,
    ticket_class,
)
from clerk_tui.services.queue.window import is_paused

ACTIVE = ("called", "serving")


def event(session: Session, settings: Settings, ticket: Ticket, kind: str, at: datetime, detail: str = "") -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            kind=kind,
            at=at,
            station_id=settings.station_id,
            window_no=settings.window_no,
            clerk_no=settings.clerk_no,
            detail=detail,
        )
    )


def current(session: Session, settings: Settings, now: datetime, lock: bool = False) -> Ticket | None:
    """The ticket called to, or served at, this window today; `lock`: locked as it is read,
    for a write that changes it (see `locked`)."""
    query = (
        select(Ticket)
        .where(
            col(Ticket.service_date) == now.date(),
            col(Ticket.status).in_(ACTIVE),
            col(Ticket.station_id) == settings.station_id,
            col(Ticket.window_no) == settings.window_no,
        )
        # Two calls in the same instant (a fast clerk, a coarse clock): the later change first,
        # not whichever row the engine happens to meet first.
        .order_by(col(Ticket.last_called_at).desc(), col(Ticket.change_seq).desc())
        .limit(1)
    )
    return session.exec(locked(query) if lock else query).first()


def _ready_to_call(session: Session, settings: Settings, now: datetime) -> None:
    if is_paused(session, settings, now):
        raise ClerkError("queue.paused_cannot_call")
    busy = current(session, settings, now)
    if busy is not None:
        raise ClerkError("queue.busy", number=busy.number)


def _mark_called(session: Session, settings: Settings, ticket: Ticket, now: datetime, detail: str) -> Ticket:
    ticket.status = "called"
    ticket.first_called_at = ticket.first_called_at or now
    ticket.last_called_at = now
    ticket.call_count += 1
    ticket.window_no = settings.window_no
    ticket.clerk_no = settings.clerk_no
    event(session, settings, ticket, "called", now, detail)
    return ticket


def call_next(station: Station) -> Ticket:
    """Claim the next ticket in fair order for this window (one write transaction)."""
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        _ready_to_call(session, settings, now)
        picked = pick_next(session, settings, now)
        if picked is None:
            raise ClerkError("queue.nothing_waiting")
        ticket, klass = picked
        return _mark_called(session, settings, ticket, now, CLASS_NAMES[klass])


def find_waiting(session: Session, settings: Settings, number: str, now: datetime) -> Ticket:
    ticket = session.exec(
        select(Ticket)
        .where(
            col(Ticket.service_date) == now.date(),
            col(Ticket.station_id) == settings.station_id,
            col(Ticket.number) == number.strip().upper(),
            col(Ticket.status) == "waiting",
        )
        # Locked as it is read: a window calling the same number at once waits, then finds
        # it no longer waiting ("not waiting"), never both calling it.
        .with_for_update(of=Ticket)
    ).first()
    if ticket is None:
        raise ClerkError("queue.not_waiting", number=number.strip().upper())
    return ticket


def call_specific(station: Station, number: str, reason: str) -> Ticket:
    """Call a chosen waiting ticket out of order; the reason goes on record."""
    if not reason.strip():
        raise ClerkError("queue.reason_required")
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        _ready_to_call(session, settings, now)
        ticket = find_waiting(session, settings, number, now)
        klass = CLASS_NAMES[ticket_class(ticket, now, settings.queue_policy)]
        return _mark_called(session, settings, ticket, now, f"{klass}|{reason.strip()}")


def _current_or_fail(session: Session, settings: Settings, now: datetime, allowed: tuple[str, ...]) -> Ticket:
    ticket = current(session, settings, now, lock=True)
    if ticket is None:
        raise ClerkError("queue.no_current")
    if ticket.status not in allowed:
        raise ClerkError(f"queue.cannot_when_{ticket.status}", number=ticket.number)
    return ticket


def recall(station: Station) -> Ticket:
    """Call the current ticket again (the board shows and announces it again)."""
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = _current_or_fail(session, settings, now, ("called",))
        ticket.call_count += 1
        ticket.last_called_at = now
        event(session, settings, ticket, "recalled", now, str(ticket.call_count))
        return ticket


def start_service(station: Station) -> Ticket:
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = _current_or_fail(session, settings, now, ("called",))
        ticket.status = "serving"
        ticket.service_started_at = now
        event(session, settings, ticket, "started", now)
        return ticket


def finish(station: Station) -> Ticket:
    """Finish the current ticket; one never started starts now (service time zero)."""
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        return _finish(session, settings, _current_or_fail(session, settings, now, ACTIVE), now)


def _finish(session: Session, settings: Settings, ticket: Ticket, now: datetime) -> Ticket:
    if ticket.status == "called":
        ticket.service_started_at = now
        event(session, settings, ticket, "started", now, "implicit")
    ticket.status = "done"
    ticket.finished_at = now
    event(session, settings, ticket, "finished", now)
    return ticket


def finish_if_current(station: Station, ticket_id: str) -> Ticket | None:
    """Finish this ticket if it is still the one at this window (its case is recorded and rated).

    None when the window has moved on (finished, transferred, another ticket called):
    a case recorded late never finishes somebody else's ticket.
    """
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = current(session, settings, now, lock=True)
        if ticket is None or ticket.id != ticket_id:
            return None
        return _finish(session, settings, ticket, now)


def no_show(station: Station) -> Ticket:
    """The called applicant did not come (过号)."""
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = _current_or_fail(session, settings, now, ("called",))
        ticket.status = "no_show"
        event(session, settings, ticket, "no_show", now, str(ticket.call_count))
        return ticket


def reinstate(station: Station, number: str) -> Ticket:
    """A no-show came back: it waits again, placed per `[queue] reinstate`."""
    settings, now = station.settings, station.clock.now()
    policy = settings.queue_policy
    number = number.strip().upper()
    with station.write() as session:
        ticket = session.exec(
            locked(
                select(Ticket)
                .where(
                    col(Ticket.service_date) == now.date(),
                    col(Ticket.station_id) == settings.station_id,
                    col(Ticket.number) == number,
                    col(Ticket.status) == "no_show",
                )
                # Two calls in the same instant (a fast clerk, a coarse clock): the later change
                # first, not whichever row the engine happens to meet first.
                .order_by(col(Ticket.last_called_at).desc(), col(Ticket.change_seq).desc())
                .limit(1)
            )
        ).first()
        if ticket is None:
            raise ClerkError("queue.not_no_show", number=number)
        ticket.sort_at = now
        if policy.reinstate == "after":
            ticket.sort_at = _after_k(session, settings, ticket, now, policy.reinstate_after)
        ticket.status = "waiting"
        event(session, settings, ticket, "reinstated", now, policy.reinstate)
        return ticket


def _after_k(session: Session, settings: Settings, ticket: Ticket, now: datetime, k: int) -> datetime:
    """A sort time just behind the k-th ticket waiting ahead in the ticket's own line."""
    policy = settings.queue_policy
    target = col(Ticket.target_window)
    same_line = (
        select(Ticket)
        .where(
            col(Ticket.service_date) == now.date(),
            col(Ticket.status) == "waiting",
            col(Ticket.station_id) == settings.station_id,
            col(Ticket.queue) == ticket.queue,
            target.is_(None) if ticket.target_window is None else target == ticket.target_window,
            class_expr(now, policy) == ticket_class(ticket, now, policy),
        )
        .order_by(*ORDER)
    )
    line = list(session.exec(same_line))
    if k == 0:
        return line[0].sort_at - timedelta(microseconds=1) if line else now
    if len(line) <= k:
        return now
    return line[k - 1].sort_at + timedelta(microseconds=1)


def transfer(station: Station, to_queue: str | None = None, to_window: int | None = None, note: str = "") -> Ticket:
    """Send the current ticket to another queue and/or window, keeping its letter and number.

    The original row ends as `transferred`; a new waiting row links back to it and is
    called ahead of normal tickets. Returns the new row.
    """
    settings, now = station.settings, station.clock.now()
    if to_queue is not None and settings.queue(to_queue) is None:
        raise ClerkError("ticket.unknown_queue", queue=to_queue)
    if to_window is not None and (to_window < 1 or to_window == settings.window_no):
        raise ClerkError("queue.transfer_bad_window", window=to_window)
    with station.write() as session:
        original = _current_or_fail(session, settings, now, ACTIVE)
        queue = to_queue or original.queue
        if queue == original.queue and to_window is None:
            raise ClerkError("queue.transfer_nowhere")
        original.status = "transferred"
        original.finished_at = now
        moved = Ticket(
            station_id=original.station_id,
            service_date=original.service_date,
            queue=queue,
            letter=original.letter,
            serial=original.serial,
            number=original.number,
            priority=original.priority,
            appointment_at=original.appointment_at,
            issued_at=original.issued_at,
            issued_via=original.issued_via,
            sort_at=now,
            transferred_from_id=original.id,
            target_window=to_window,
            note=note.strip(),
        )
        session.add(moved)
        session.flush()
        where = f"queue={queue}" + (f" window={to_window}" if to_window else "")
        event(session, settings, original, "transferred", now, where + (f"|{note.strip()}" if note.strip() else ""))
        event(session, settings, moved, "transferred_in", now, f"from_window={settings.window_no}")
        return moved
