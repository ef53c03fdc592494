"""A big hall's day: a queue that has already issued hundreds of tickets (issue 18, item 4).

The tickets are issued through the service's own `issue_in`, in one transaction, so the
serials are what the hall would have handed out; all at the clock's moment, so the call
order of any two of them comes down to their serials.
"""

from __future__ import annotations

from clerk_tui.models import Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_in


def fill(station: Station, queue: str, n: int, status: str = "waiting") -> list[Ticket]:
    """Issue `n` tickets of `queue` now; `status` "done" leaves them served (off the queue)."""
    now = station.clock.now()
    issued = []
    with station.write() as session:
        for _ in range(n):
            ticket = issue_in(session, station.settings, queue, "normal", None, "kiosk", now)
            if status != "waiting":
                ticket.status = status
                ticket.first_called_at = ticket.finished_at = now
            issued.append(ticket)
    return issued
