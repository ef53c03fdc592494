"""The walk-in's hand-offs: which ticket a document check is for, and which matters it offers.

Checking documents means the applicant is at the window. So a document check begun
while this window has a ticket *called* (F2 pressed, F4 not yet) starts that ticket's
service there and then (a `started` event with detail "check"), and the check is for
that ticket: a clerk who called A001 and presses `d` expects the check to be for A001,
and the service timer then counts the check as service time. A ticket already being
served is simply taken; with no current ticket the check is standalone.

The ticket's queue narrows the matters offered: a queue configured with `matters`
(implementation or basic codes) or `departments` (department codes or names) offers
just those, so the clerk picks one with a digit instead of typing a search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from clerk_tui.models import Department, Matter
from clerk_tui.services import queue_calling
from clerk_tui.services.case_form_data import MatterInfo
from clerk_tui.services.context import Station

QUEUE_MATTERS_LIMIT = 9  # one digit key each


@dataclass(frozen=True)
class WalkIn:
    ticket_id: str | None = None
    number: str = ""
    queue: str = ""
    started_now: bool = False  # this call started the ticket's service
    matters: list[MatterInfo] = field(default_factory=list)  # the queue's matters; [] = any


def begin_check(station: Station) -> WalkIn:
    """The ticket a document check is for (starting its service if only called), one transaction."""
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = queue_calling.current(session, settings, now)
        if ticket is None:
            return WalkIn()
        started = ticket.status == "called"
        if started:
            ticket.status = "serving"
            ticket.service_started_at = now
            queue_calling.event(session, settings, ticket, "started", now, "check")
        ticket_id, number, queue = ticket.id, ticket.number, ticket.queue
    return WalkIn(ticket_id, number, queue, started, queue_matters(station, queue))


def queue_matters(station: Station, letter: str) -> list[MatterInfo]:
    """The active matters a queue is configured for (at most nine), or [] when it takes any."""
    config = station.settings.queue(letter)
    if config is None or not (config.matters or config.departments):
        return []
    conditions = []
    if config.matters:
        conditions += [Matter.code.in_(config.matters), Matter.basic_code.in_(config.matters)]
    if config.departments:
        conditions += [Department.code.in_(config.departments), Department.name.in_(config.departments)]
    query = (
        select(Matter)
        .join(Department, Department.id == Matter.department_id)
        .where(Matter.active, or_(*conditions))
        .order_by(Matter.name)
        .limit(QUEUE_MATTERS_LIMIT)
    )
    with station.read() as session:
        return [MatterInfo.of(m) for m in session.execute(query).scalars()]
