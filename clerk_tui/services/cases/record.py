"""Recording a case (办件): its applicant, outcome and times, checked and saved at once.

Outcomes and their rules (`OUTCOMES` in models.case):
- on_the_spot 即办办结: accepted, decided and completed now.
- promised 承诺件: accepted now, on a working day; the promised deadline counts the
  matter's promised limit in working days from today (the case then waits on the pending
  list). A deadline past the calendar's last known year is saved provisional (暂定,
  `deadline_provisional`) and recomputed when that year's calendar is imported.
- rongque 容缺受理: as promised, plus the date the missing materials are due, which
  may not be after the promised deadline; completed only once what was supplied, and
  when, is recorded (`case_changes.finish_pending`).
- correction 补正告知: not accepted; the document check's correction notice is linked.
- refused 不予受理: a reason is required.
- consultation 咨询: advice only; name and ID are optional.
- forwarded 转报: where it was sent is required.

Saving writes the case and its first audit entry in one transaction. A rule broken is a
`CaseInvalid` naming the form field, so the form can show it where it belongs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, cast, func
from sqlmodel import Session, col, select

from clerk_tui.db import next_number
from clerk_tui.errors import ClerkError
from clerk_tui.models import Case, DocumentCheck, Matter, Notice, Ticket
from clerk_tui.models.case import ASSISTANCE, CHANNELS, OUTCOMES, PROMISED_OUTCOMES
from clerk_tui.models.catalog import ON_THE_SPOT_TYPE, PROMISED_TYPE
from clerk_tui.services import audit, ids
from clerk_tui.services.context import Station
from clerk_tui.services.station.calendar import Dated, WorkCalendar, load_work_calendar

APPLICANT_KINDS = ("person", "organisation")
ACCEPTED = PROMISED_OUTCOMES
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")


class CaseInvalid(ClerkError):
    """A rule the draft breaks, tied to the form field that must change."""

    def __init__(self, field: str, key: str, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field


@dataclass
class CaseDraft:
    """What the clerk entered on the case form."""

    matter_id: str
    outcome: str
    applicant_kind: str = "person"
    applicant_name: str = ""
    id_type: str = ids.RESIDENT_ID
    id_number: str = ""
    phone: str = ""
    agent_name: str = ""
    agent_id_type: str = ids.RESIDENT_ID
    agent_id_number: str = ""
    agent_phone: str = ""
    ticket_id: str | None = None
    check_id: str | None = None
    assistance: str = "none"
    channel: str = "window"  # how the case came (CHANNELS): 窗口 unless the clerk chose another
    notes: str = ""
    supply_deadline: date | None = None
    promised_deadline: date | None = None  # only for matters without a promised limit
    refusal_reason: str = ""
    forwarded_to: str = ""
    received_at: datetime | None = None

    def cleaned(self) -> CaseDraft:
        """Trimmed text without NUL characters (no keyboard types one, a reader may send one,
        and a server database cannot store it), ID numbers in their stored form."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                changes[f.name] = value.replace("\x00", "").strip()
        changes["id_number"] = ids.normalise(self.id_number)
        changes["agent_id_number"] = ids.normalise(self.agent_id_number)
        if not changes["agent_name"] and not changes["agent_id_number"] and not changes["agent_phone"]:
            changes["agent_id_type"] = ""
        return replace(self, **changes)

    @property
    def has_agent(self) -> bool:
        return bool(self.agent_name or self.agent_id_number or self.agent_phone)


def id_field_problem(id_type: str, number: str, today: date) -> str | None:
    """The message for an ID field, or None: what the form shows under the field."""
    problem = ids.id_problem(id_type, number, today)
    return None if problem is None else ClerkError(problem.key, **problem.params).message()


def _check_people(draft: CaseDraft, today: date) -> None:
    if draft.applicant_kind not in APPLICANT_KINDS:
        raise CaseInvalid("applicant_kind", "case.bad_choice", value=draft.applicant_kind)
    optional = draft.outcome == "consultation"
    if not draft.applicant_name and not optional:
        raise CaseInvalid("applicant_name", "case.name_required")
    allowed = ids.PERSON_ID_TYPES if draft.applicant_kind == "person" else ids.ORG_ID_TYPES
    if draft.id_type not in allowed:
        raise CaseInvalid("id_type", "case.bad_choice", value=draft.id_type)
    if draft.id_number or not optional:
        problem = ids.id_problem(draft.id_type, draft.id_number, today)
        if problem is not None:
            raise CaseInvalid("id_number", problem.key, **problem.params)
    if draft.phone and not _PHONE.match(draft.phone):
        raise CaseInvalid("phone", "case.bad_phone")
    if draft.has_agent:
        if not draft.agent_name:
            raise CaseInvalid("agent_name", "case.agent_name_required")
        if draft.agent_id_type not in ids.PERSON_ID_TYPES:
            raise CaseInvalid("agent_id_type", "case.bad_choice", value=draft.agent_id_type)
        problem = ids.id_problem(draft.agent_id_type, draft.agent_id_number, today)
        if problem is not None:
            raise CaseInvalid("agent_id_number", problem.key, **problem.params)
        if draft.agent_phone and not _PHONE.match(draft.agent_phone):
            raise CaseInvalid("agent_phone", "case.bad_phone")
    elif draft.applicant_kind == "organisation" and not optional:
        # Somebody stands at the window for an organisation: record who.
        raise CaseInvalid("agent_name", "case.org_needs_agent")


def promised_deadline(matter: Matter, today: date, calendar: WorkCalendar, explicit: date | None = None) -> Dated:
    """The deadline promised to the applicant for this matter, accepted today.

    Counted past the calendar's last known year it is provisional (weekends only there):
    the applicant is at the window, so the case is saved and the date shown as 暂定
    until that year's calendar is imported. A date the clerk typed (a matter without a
    promised limit) was not counted, so it is never provisional.
    """
    if matter.promised_limit:
        return calendar.deadline_of(today, matter.promised_limit, matter.promised_unit)
    if explicit is None:
        raise CaseInvalid("promised_deadline", "case.deadline_required")
    if explicit < today:
        raise CaseInvalid("promised_deadline", "case.deadline_past")
    return Dated(explicit)


def _check_acceptance_day(outcome: str, today: date, calendar: WorkCalendar) -> None:
    """A 承诺件 is accepted (受理) on a working day: its promised working days count from
    the day of acceptance, which a weekend or holiday is not. On-the-spot, forwarded and
    consultation cases stay possible any day (halls open at weekends do those).

    A day in a year the calendar does not know is taken as Monday to Friday, as
    provisional deadlines are: refusing every acceptance in January would be worse.
    """
    if outcome in ACCEPTED and not calendar.provisional().is_working_day(today):
        raise CaseInvalid("outcome", "case.accept_non_working_day", date=today.isoformat())


def _check_outcome(
    session: Session, draft: CaseDraft, matter: Matter, today: date, calendar: WorkCalendar
) -> Dated | None:
    if draft.outcome not in OUTCOMES:
        raise CaseInvalid("outcome", "case.bad_choice", value=draft.outcome)
    if draft.assistance not in ASSISTANCE:
        raise CaseInvalid("assistance", "case.bad_choice", value=draft.assistance)
    if draft.channel not in CHANNELS:
        raise CaseInvalid("channel", "case.bad_choice", value=draft.channel)
    _check_acceptance_day(draft.outcome, today, calendar)
    deadline = None
    if draft.outcome in ACCEPTED:
        try:
            deadline = promised_deadline(matter, today, calendar, draft.promised_deadline)
        except CaseInvalid:
            raise
        except ClerkError as exc:
            raise CaseInvalid("outcome", exc.key, **exc.params) from exc
    if draft.outcome == "rongque":
        if draft.supply_deadline is None:
            raise CaseInvalid("supply_deadline", "case.supply_required")
        assert deadline is not None
        if not today <= draft.supply_deadline <= deadline.day:
            raise CaseInvalid("supply_deadline", "case.supply_out_of_range", deadline=deadline.day.isoformat())
    _check_matter_type(draft, matter)
    if draft.outcome == "correction" and (
        draft.check_id is None or _check_notice(session, draft.check_id, "correction") is None
    ):
        raise CaseInvalid("outcome", "case.correction_needs_notice")
    if draft.outcome == "rongque" and (
        draft.check_id is None or _check_notice(session, draft.check_id, "rongque") is None
    ):
        # 容缺受理 is a promise about named missing items: the check lists them and the
        # 容缺 notice (with the supply date) tells the applicant; a bare outcome has neither.
        raise CaseInvalid("outcome", "case.rongque_needs_notice")
    if draft.outcome == "refused" and not draft.refusal_reason:
        raise CaseInvalid("refusal_reason", "case.reason_required")
    if draft.outcome == "forwarded" and not draft.forwarded_to:
        raise CaseInvalid("forwarded_to", "case.forward_target_required")
    return deadline


def _check_matter_type(draft: CaseDraft, matter: Matter) -> None:
    """The outcome fits the matter's 办件类型 (DOMAIN.md): a 即办件 is done on the spot, so it
    is never accepted as a 承诺件 (容缺 stays possible: the check gives it
    `[check] instant_rongque_days` to supply what is missing); a 承诺件 done on the spot
    (提前办结) is allowed, as halls do, with the reason in the notes, since it counts in
    the figures as a 即办件 would. Other types (上报件, 联办件, …) take any outcome."""
    if matter.project_type == ON_THE_SPOT_TYPE and draft.outcome == "promised":
        raise CaseInvalid("outcome", "case.instant_not_pending")
    if matter.project_type == PROMISED_TYPE and draft.outcome == "on_the_spot" and not draft.notes:
        raise CaseInvalid("notes", "case.promised_on_the_spot_reason")


def _check_notice(session: Session, check_id: str, kind: str) -> Notice | None:
    return session.exec(
        select(Notice).where(Notice.check_id == check_id, Notice.kind == kind).order_by(col(Notice.change_seq).desc())
    ).first()


def _next_case_no(session: Session, station: Station, today: date) -> str:
    prefix = f"{today:%Y%m%d}-{station.settings.window_no:02d}-"
    # A counter row per station, day and window (`db.next_number`), seeded from the cases
    # numbered so far. A range, not LIKE: SQLite's LIKE cannot use the index.
    last = (
        select(func.max(col(Case.case_no)))
        .where(Case.case_no >= prefix, Case.case_no < prefix + "~", Case.station_id == station.settings.station_id)
        .scalar_subquery()
    )
    used = cast(func.substr(last, len(prefix) + 1), Integer)
    name = f"case:{station.settings.station_id}:{prefix}"
    serial = next_number(session.connection(), name, select(used).scalar_subquery())
    return f"{prefix}{serial:04d}"


def _received_at(session: Session, draft: CaseDraft, now: datetime) -> datetime:
    if draft.received_at is not None:
        return min(draft.received_at, now)
    if draft.ticket_id:
        times = session.exec(
            select(col(Ticket.service_started_at), col(Ticket.last_called_at)).where(Ticket.id == draft.ticket_id)
        ).first()
        started = (times[0] or times[1]) if times is not None else None
        if started:
            return min(started, now)
    if draft.check_id:
        checked = session.exec(select(DocumentCheck.checked_at).where(DocumentCheck.id == draft.check_id)).first()
        if checked is not None:
            return min(checked, now)
    return now


def _check_links(session: Session, draft: CaseDraft) -> Matter:
    matter = session.get(Matter, draft.matter_id)
    if matter is None:
        raise CaseInvalid("matter", "case.unknown_matter")
    if draft.ticket_id and session.get(Ticket, draft.ticket_id) is None:
        raise CaseInvalid("matter", "case.unknown_ticket")
    if draft.check_id:
        check = session.get(DocumentCheck, draft.check_id)
        if check is None or check.matter_id != draft.matter_id:
            raise CaseInvalid("matter", "case.check_other_matter")
        recorded = session.exec(
            select(Case.case_no).where(Case.check_id == draft.check_id, Case.status != "voided")
        ).first()
        if recorded is not None:
            raise CaseInvalid("matter", "case.check_already_recorded", case_no=recorded)
    return matter


def validate(station: Station, draft: CaseDraft, calendar: WorkCalendar | None = None) -> Dated | None:
    """Check a draft against every rule without saving; returns the promised deadline."""
    draft = draft.cleaned()
    calendar = calendar or load_work_calendar(station)
    today = station.clock.today()
    with station.read() as session:
        matter = _check_links(session, draft)
        _check_people(draft, today)
        return _check_outcome(session, draft, matter, today, calendar)


def save_case(station: Station, draft: CaseDraft, calendar: WorkCalendar | None = None) -> Case:
    """Check and store a new case with its first audit entry, in one durable transaction."""
    draft = draft.cleaned()
    calendar = calendar or load_work_calendar(station)
    settings = station.settings
    now = station.clock.now()
    today = now.date()
    with station.write() as session:
        matter = _check_links(session, draft)
        _check_people(draft, today)
        deadline = _check_outcome(session, draft, matter, today, calendar)
        outcome = draft.outcome
        case = Case(
            station_id=settings.station_id,
            case_no=_next_case_no(session, station, today),
            ticket_id=draft.ticket_id or None,
            check_id=draft.check_id or None,
            matter_id=matter.id,
            catalog_version_id=matter.catalog_version_id,
            matter_code=matter.code,
            matter_name=matter.name,
            applicant_kind=draft.applicant_kind,
            applicant_name=draft.applicant_name,
            id_type=draft.id_type if draft.id_number else "",
            id_number=draft.id_number,
            phone=draft.phone,
            agent_name=draft.agent_name,
            agent_id_type=draft.agent_id_type if draft.has_agent else "",
            agent_id_number=draft.agent_id_number,
            agent_phone=draft.agent_phone,
            outcome=outcome,
            status=_initial_status(outcome),
            promised_deadline=deadline.day if deadline else None,
            deadline_provisional=bool(deadline and deadline.provisional),
            supply_deadline=draft.supply_deadline if outcome == "rongque" else None,
            refusal_reason=draft.refusal_reason if outcome == "refused" else "",
            forwarded_to=draft.forwarded_to if outcome == "forwarded" else "",
            assistance=draft.assistance,
            channel=draft.channel,
            notes=draft.notes,
            clerk_no=settings.clerk_no,
            window_no=settings.window_no,
            received_at=_received_at(session, draft, now),
            accepted_at=now if outcome in ("on_the_spot", "promised", "rongque", "forwarded") else None,
            decided_at=now if outcome not in ACCEPTED and outcome != "consultation" else None,
            completed_at=now if outcome in ("on_the_spot", "consultation") else None,
        )
        session.add(case)
        session.flush()
        audit.record(session, station, "case", case.id, "create", new=outcome, at=now)
    return case


def _initial_status(outcome: str) -> str:
    if outcome == "on_the_spot":
        return "completed"
    if outcome in ACCEPTED:
        return "pending"
    return "closed"
