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

Fewer keys for the common case (each one write transaction, reusing the queue's own
steps so the rules stay those of `queue_calling`): finish the ticket served and call the
next; serve a walk-in at once (issued and started, never waiting where another window
could call it); a quick consultation recorded on the current ticket without the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import col, or_, select

from clerk_tui.errors import ClerkError
from clerk_tui.models import Case, Department, DocumentCheck, Matter
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.form_data import MatterInfo
from clerk_tui.services.context import Station
from clerk_tui.services.queue import calling as queue_calling
from clerk_tui.services.queue.order import CLASS_NAMES, pick_next
from clerk_tui.services.queue.tickets import check_issue, issue_in
from clerk_tui.services.queue.window import is_paused

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
        ticket = queue_calling.current(session, settings, now, lock=True)
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
    conditions: list[ColumnElement[bool]] = []
    if config.matters:
        conditions += [col(Matter.code).in_(config.matters), col(Matter.basic_code).in_(config.matters)]
    if config.departments:
        conditions += [col(Department.code).in_(config.departments), col(Department.name).in_(config.departments)]
    query = (
        select(Matter)
        .join(Department, col(Department.id) == Matter.department_id)
        .where(Matter.active, or_(*conditions))
        .order_by(col(Matter.name))
        .limit(QUEUE_MATTERS_LIMIT)
    )
    with station.read() as session:
        return [MatterInfo.of(m) for m in session.exec(query)]


# --- fewer keys for the common case ------------------------------------------------------


@dataclass(frozen=True)
class FinishedAndCalled:
    finished: str  # the number finished
    called: str | None  # the number called next, None when nobody waits


def finish_and_call_next(station: Station) -> FinishedAndCalled:
    """Finish the ticket being served and call the next, in one write transaction.

    Only a ticket in service is finished: one merely called (the applicant may not have
    come) is refused, so the key never passes over somebody unseen; a paused window
    refuses too. With nobody waiting the ticket is still finished, and the answer says so.
    """
    settings, now = station.settings, station.clock.now()
    with station.write() as session:
        ticket = queue_calling._current_or_fail(session, settings, now, ("called", "serving"))
        if ticket.status != "serving":
            raise ClerkError("queue.finish_next_not_started", number=ticket.number)
        if is_paused(session, settings, now):
            raise ClerkError("queue.paused_cannot_call")
        finished = queue_calling._finish(session, settings, ticket, now).number
        picked = pick_next(session, settings, now)
        if picked is None:
            return FinishedAndCalled(finished, None)
        following, klass = picked
        return FinishedAndCalled(
            finished, queue_calling._mark_called(session, settings, following, now, CLASS_NAMES[klass]).number
        )


def serve_now(station: Station, queue: str, priority: str = "normal", appointment_at: datetime | None = None) -> str:
    """Issue a ticket and start its service at this window at once: a walk-in served without calling.

    One transaction, so no other window can call the new ticket in between. The window
    must be free (and not paused), as for a call. Returns the number.
    """
    settings, now = station.settings, station.clock.now()
    check_issue(settings, queue, priority, appointment_at)
    with station.write() as session:
        queue_calling._ready_to_call(session, settings, now)
        ticket = issue_in(session, settings, queue, priority, appointment_at, "window", now)
        ticket.status = "serving"
        ticket.first_called_at = ticket.last_called_at = ticket.service_started_at = now
        ticket.window_no, ticket.clerk_no = settings.window_no, settings.clerk_no
        queue_calling.event(session, settings, ticket, "started", now, "walk_in")
        return ticket.number


@dataclass(frozen=True)
class Consultation:
    """What a quick consultation needs: the ticket, and its matter or the matters to choose from."""

    walk_in: WalkIn
    matter: MatterInfo | None  # known: record at once
    choices: list[MatterInfo] = field(default_factory=list)  # else one step: pick one (last used first)


def begin_consultation(station: Station) -> Consultation:
    """The current ticket (started if only called) and the consultation's matter, if it is certain.

    Certain means: the matter of a document check already made for this ticket, or the only
    matter of its queue. Otherwise the clerk picks in one step from the queue's matters, or,
    for a queue that takes any matter, from the matters this window recorded lately.
    """
    walk_in = begin_check(station)
    if walk_in.ticket_id is None:
        raise ClerkError("queue.no_current")
    with station.read() as session:
        checked = session.exec(
            select(Matter)
            .join(DocumentCheck, col(DocumentCheck.matter_id) == Matter.id)
            .where(DocumentCheck.ticket_id == walk_in.ticket_id, Matter.active)
            .order_by(col(DocumentCheck.checked_at).desc())
            .limit(1)
        ).first()
        if checked is not None:
            return Consultation(walk_in, MatterInfo.of(checked))
    if len(walk_in.matters) == 1:
        return Consultation(walk_in, walk_in.matters[0])
    from clerk_tui.services.cases.applicants import recent_matters

    return Consultation(walk_in, None, walk_in.matters or recent_matters(station))


def record_consultation(station: Station, ticket_id: str, matter_id: str) -> Case:
    """A consultation case (咨询) for the ticket: no applicant details needed."""
    return cases.save_case(station, cases.CaseDraft(matter_id=matter_id, outcome="consultation", ticket_id=ticket_id))
