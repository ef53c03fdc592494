"""Appointments booked upstream become tickets on their day (预约取号).

The appointments file (`services.sync.appointments`) stores the bookings and then issues
today's; the first start of each day issues that day's and marks earlier days' unused ones
expired. Each ticket is issued through `tickets.issue_ticket` (its own transaction) and
its appointment marked issued right after: should the program stop between the two, the
next run adopts that ticket instead of issuing a second one.

`meta` remembers the last day done, so the later starts of a day cost one read; storing
bookings clears it in their own transaction, so none is left unissued by a stop between
storing and issuing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from clerk_tui.db import get_meta, set_meta
from clerk_tui.models import Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket

if TYPE_CHECKING:
    from clerk_tui.models import Appointment

BATCH = 500  # earlier days' bookings expired per statement
ISSUED_THROUGH = "appointments.issued_through"


def issue_due_appointments(station: Station) -> tuple[int, int]:
    """Issue tickets for today's booked appointments; mark earlier days' unused ones expired.
    Returns (issued, expired); a later call on the same day, with nothing imported since,
    costs one read."""
    now = station.clock.now()
    today = datetime.combine(now.date(), time())
    with station.read() as session:
        if get_meta(session.connection(), ISSUED_THROUGH) == now.date().isoformat():
            return 0, 0
    # Only now: a later start of the day never defines the appointments' table (issue 15).
    from clerk_tui.models import Appointment

    with station.write() as session:
        expired = 0
        while True:  # by batches: a year of old bookings is not held at once
            past = session.exec(
                select(Appointment)
                .where(col(Appointment.status) == "booked", col(Appointment.slot) < today)
                .limit(BATCH)
            ).all()
            if not past:
                break
            for a in past:
                a.status = "expired"
                expired += 1
            session.flush()
            session.expunge_all()
    with station.read() as session:
        due = list(
            session.exec(
                select(Appointment)
                .where(
                    col(Appointment.status) == "booked",
                    col(Appointment.slot) >= today,
                    col(Appointment.slot) < today + timedelta(days=1),
                )
                .order_by(col(Appointment.slot))
            )
        )
    issued = 0
    for appointment in due:
        ticket_id = _orphan_ticket(station, appointment)
        if ticket_id is None:
            ticket_id = issue_ticket(
                station, appointment.queue, "appointment", appointment_at=appointment.slot, via="import"
            ).id
            issued += 1
        with station.write() as session:
            row = session.get(Appointment, appointment.id)
            if row is not None:
                row.status, row.ticket_id = "issued", ticket_id
    with station.write() as session:
        conn = session.connection()
        # The mark is written first: on a server its row lock waits for a file being stored
        # at the same time (which clears it), and the check below then sees its bookings.
        set_meta(conn, ISSUED_THROUGH, now.date().isoformat())
        left = session.exec(
            select(col(Appointment.id))
            .where(col(Appointment.status) == "booked", col(Appointment.slot) < today + timedelta(days=1))
            .limit(1)
        ).first()
        if left is not None:  # stored meanwhile, and not issued yet: the next start issues them
            set_meta(conn, ISSUED_THROUGH, "")
    return issued, expired


def _orphan_ticket(station: Station, appointment: Appointment) -> str | None:
    """A ticket issued for this appointment by a run that stopped before linking it."""
    from clerk_tui.models import Appointment

    with station.read() as session:
        linked = select(col(Appointment.ticket_id)).where(col(Appointment.ticket_id).is_not(None))
        return session.exec(
            select(col(Ticket.id))
            .where(
                col(Ticket.service_date) == station.clock.today(),
                col(Ticket.priority) == "appointment",
                col(Ticket.issued_via) == "import",
                col(Ticket.queue) == appointment.queue,
                col(Ticket.appointment_at) == appointment.slot,
                col(Ticket.id).not_in(linked),
            )
            .limit(1)
        ).first()
