"""The queue's picture with the day started first.

The first load of a day (at start, or past midnight) closes earlier days' leftovers
(`window.close_leftovers`) and issues the tickets of today's booked appointments
(`appointments.issue_due_appointments`). Both are idempotent (another window or the CLI
may have done them already) and remember the day they were done, so a later start of the
same day costs two small reads before the picture.
"""

from __future__ import annotations

from clerk_tui.services.context import Station
from clerk_tui.services.queue import window
from clerk_tui.services.queue.appointments import issue_due_appointments
from clerk_tui.services.queue.views import QueueView, load_queue_view


def load_with_day_start(station: Station, day_started: bool) -> QueueView:
    """The queue picture; unless `day_started`, the day's start is made sure of first."""
    if not day_started:
        window.close_leftovers(station)
        issue_due_appointments(station)
    return load_queue_view(station)
