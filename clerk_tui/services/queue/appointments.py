"""Appointments booked upstream become tickets on their day (预约取号).

The appointments file (`services.sync.appointments`) stores the bookings and then issues
today's; the first start of each day issues that day's and marks earlier days' unused ones
expired. Each appointment is claimed (locked), its ticket issued and the appointment marked
issued in one transaction: two programs doing it at once issue each ticket once, and a stop
halfway leaves no ticket without its appointment.

`meta` remembers the last day done, so the later starts of a day cost one read; storing
bookings clears it in their own transaction, so none is left unissued by a stop between
storing and issuing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import col, select

from clerk_tui.db import get_meta, set_meta
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import check_issue, issue_in

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
        due = session.exec(
            select(col(Appointment.id))
            .where(
                col(Appointment.status) == "booked",
                col(Appointment.slot) >= today,
                col(Appointment.slot) < today + timedelta(days=1),
            )
            .order_by(col(Appointment.slot))
        ).all()
    settings, issued = station.settings, 0
    for appointment_id in due:
        # Claimed, issued and marked in one transaction: two windows starting at once on a
        # server (or a file stored beside a start) never both issue it, as the second one's
        # locked read waits for the first and then finds it issued; and a stop halfway
        # leaves it booked, with no ticket. The appointment is locked before the ticket's
        # counters, as every writer of appointments does (storing them updates rows first).
        with station.write() as session:
            row = session.exec(
                select(Appointment)
                .where(col(Appointment.id) == appointment_id, col(Appointment.status) == "booked")
                .with_for_update()
            ).first()
            if row is None:
                continue  # issued or cancelled meanwhile
            check_issue(settings, row.queue, "appointment", row.slot)
            ticket = issue_in(session, settings, row.queue, "appointment", row.slot, "import", now)
            row.status, row.ticket_id = "issued", ticket.id
            issued += 1
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
