"""Finding recorded cases, a case's whole story, and the promised cases still pending.

ID numbers are matched without being shown: the query's number is normalised and
compared for equality with the stored (normalised) value, and results carry only the
masked number. One search box serves the clerk: `interpret()` decides whether the text
is a ticket number, a case number, an ID number, or part of a name or matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import col, or_, select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models import AuditEntry, Case, DocumentCheck, FollowUp, Notice, Rating, Ticket, TicketEvent
from clerk_tui.services import ids
from clerk_tui.services.context import Station
from clerk_tui.services.station.calendar import load_work_calendar

_TICKET = re.compile(r"^[A-Z]{1,2}\d{3,4}$")  # A001 … A999, A1000 … A9999
_CASE_NO = re.compile(r"^\d{8}-\d{2}(-\d{1,4})?$")
DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class HistoryQuery:
    text: str = ""  # interpreted: ticket / case number / ID number / name or matter
    ticket_number: str = ""
    name: str = ""
    id_number: str = ""
    matter: str = ""
    case_no: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outcome: str = ""
    include_voided: bool = True


def interpret(query: HistoryQuery) -> HistoryQuery:
    """Turn the free text into the field it most likely means."""
    text = query.text.strip()
    if not text:
        return query
    compact = ids.normalise(text)
    if _TICKET.match(compact):
        return HistoryQuery(**{**query.__dict__, "text": "", "ticket_number": compact})
    if _CASE_NO.match(text):
        return HistoryQuery(**{**query.__dict__, "text": "", "case_no": text})
    digits = sum(c.isdigit() for c in compact)
    if len(compact) >= 8 and digits >= 6 and compact.isalnum():
        return HistoryQuery(**{**query.__dict__, "text": "", "id_number": compact})
    return query


@dataclass(frozen=True)
class CaseLine:
    id: str
    case_no: str
    received_at: datetime
    ticket_number: str
    matter_name: str
    applicant_name: str
    id_masked: str
    outcome: str
    status: str
    promised_deadline: date | None


def search(station: Station, query: HistoryQuery, limit: int = DEFAULT_LIMIT) -> list[CaseLine]:
    q = interpret(query)
    stmt = select(Case, Ticket.number).outerjoin(Ticket, col(Ticket.id) == Case.ticket_id)
    if q.ticket_number:
        stmt = stmt.where(Ticket.number == q.ticket_number.strip().upper())
    if q.case_no:
        prefix = q.case_no.strip()
        stmt = stmt.where(Case.case_no >= prefix, Case.case_no < prefix + "~")  # a range uses the index
    if q.id_number:
        number = ids.normalise(q.id_number)
        stmt = stmt.where(or_(Case.id_number == number, Case.agent_id_number == number))
    if q.name:
        stmt = stmt.where(
            or_(col(Case.applicant_name).contains(q.name.strip()), col(Case.agent_name).contains(q.name.strip()))
        )
    if q.matter:
        stmt = stmt.where(
            or_(col(Case.matter_name).contains(q.matter.strip()), col(Case.matter_code).startswith(q.matter.strip()))
        )
    if q.text:
        text = q.text.strip()
        stmt = stmt.where(
            or_(
                col(Case.applicant_name).contains(text),
                col(Case.agent_name).contains(text),
                col(Case.matter_name).contains(text),
            )
        )
    if q.date_from:
        stmt = stmt.where(Case.received_at >= datetime.combine(q.date_from, time.min))
    if q.date_to:
        stmt = stmt.where(Case.received_at < datetime.combine(q.date_to + timedelta(days=1), time.min))
    if q.outcome:
        stmt = stmt.where(Case.outcome == q.outcome)
    if not q.include_voided:
        stmt = stmt.where(Case.status != "voided")
    stmt = stmt.order_by(col(Case.received_at).desc()).limit(limit)
    with station.read() as session:
        return [
            CaseLine(
                c.id,
                c.case_no,
                c.received_at,
                number or "",
                c.matter_name,
                c.applicant_name,
                ids.mask(c.id_number),
                c.outcome,
                c.status,
                c.promised_deadline,
            )
            for c, number in session.exec(stmt)
        ]


@dataclass(frozen=True)
class TrailEvent:
    at: datetime
    action: str  # audit actions, or ticket.<kind>, or check
    field: str = ""
    old: str = ""
    new: str = ""
    reason: str = ""
    clerk_no: str = ""

    @property
    def secret(self) -> bool:
        from clerk_tui.services.audit import SECRET_FIELDS

        return self.field in SECRET_FIELDS


# The translation family of each coded field's values, so the trail reads "状态：办理中 →
# 已办结" in Chinese and "status: Pending → Completed" in English, never "pending".
_VALUE_FAMILIES = {
    "status": "case_status",
    "assistance": "assistance",
    "channel": "channel",
    "applicant_kind": "applicant_kind",
    "id_type": "idtype",
    "agent_id_type": "idtype",
    "outcome": "outcome",
}


def _known(key: str) -> bool:
    from clerk_tui.i18n import TABLE

    return key in TABLE


def field_label(name: str) -> str:
    key = f"detail.field.{name}"
    return t(key) if _known(key) else name


def value_text(name: str, value: str) -> str:
    """A stored value as the clerk reads it: coded values translated, others as stored."""
    family = _VALUE_FAMILIES.get(name)
    if family and value and _known(f"{family}.{value}"):
        return t(f"{family}.{value}")
    return value


def event_name(event: TrailEvent) -> str:
    key = f"trail.{event.action}"
    return t(key) if _known(key) else event.action


def change_text(event: TrailEvent) -> str:
    """What an event changed, in the clerk's language; ID numbers and phones masked."""
    if event.action == "create":
        return value_text("outcome", event.new)
    if event.action == "rate":
        return f"{event.new} {t(f'rating.level.{event.new}')}" if event.new else t("rating.none")
    if event.action == "check":
        return t(f"case_form.verdict.{event.new}") if event.new else ""
    if event.action == "reveal":
        return ", ".join(field_label(f) for f in event.field.split(",") if f)
    reason = event.reason
    if event.action == "recompute" and reason:
        reason = t("calendar.recomputed_reason", source=reason)
    suffix = f" ({reason})" if reason else ""
    if event.field:
        old, new = value_text(event.field, event.old), value_text(event.field, event.new)
        if event.secret:
            mask = ids.mask_phone if "phone" in event.field else ids.mask
            old, new = mask(old), mask(new)
        return f"{field_label(event.field)}: {old or '—'} → {new or '—'}{suffix}"
    return event.new + suffix


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    ticket_number: str
    check_verdict: str
    notice_number: str
    ratings: list[Rating]  # one per visit (一次一评): a 承诺件's acceptance and its completed service
    follow_ups: list[FollowUp] = field(default_factory=list)
    events: list[TrailEvent] = field(default_factory=list)


def case_detail(station: Station, case_id: str) -> CaseDetail:
    with station.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise ClerkError("case.not_found")
        events: list[TrailEvent] = []
        ticket_number = ""
        if case.ticket_id:
            ticket = session.get(Ticket, case.ticket_id)
            ticket_number = ticket.number if ticket else ""
            for ev in session.exec(select(TicketEvent).where(TicketEvent.ticket_id == case.ticket_id)):
                events.append(TrailEvent(ev.at, f"ticket.{ev.kind}", clerk_no=ev.clerk_no or ""))
        verdict = notice_number = ""
        if case.check_id:
            check = session.get(DocumentCheck, case.check_id)
            if check is not None:
                verdict = check.verdict
                events.append(TrailEvent(check.checked_at, "check", new=check.verdict, clerk_no=check.clerk_no or ""))
            notice = session.exec(
                select(Notice.number)
                .where(Notice.check_id == case.check_id, col(Notice.kind).in_(("correction", "rongque")))
                .order_by(col(Notice.change_seq).desc())
            ).first()
            notice_number = notice or ""
        for e in session.exec(select(AuditEntry).where(AuditEntry.entity_id == case.id)):
            events.append(TrailEvent(e.at, e.action, e.field, e.old_value, e.new_value, e.reason, e.clerk_no))
        ratings = list(session.exec(select(Rating).where(Rating.case_id == case.id).order_by(col(Rating.rated_at))))
        follow_ups = list(session.exec(select(FollowUp).where(FollowUp.case_id == case.id)))
    events.sort(key=lambda e: e.at)
    return CaseDetail(case, ticket_number, verdict, notice_number, ratings, follow_ups, events)


@dataclass(frozen=True)
class PendingLine:
    id: str
    case_no: str
    matter_name: str
    applicant_name: str
    outcome: str
    promised_deadline: date
    supply_deadline: date | None
    days_left: int  # working days to the deadline; negative when overdue
    category: str  # overdue / today / soon / later
    provisional: bool = False  # the deadline is 暂定 (counted past the calendar's end)


def pending_cases(station: Station) -> list[PendingLine]:
    """Accepted promised cases not yet completed, most urgent first."""
    # Days left to a provisional deadline are counted the way it was: weekends only past
    # the calendar's end.
    calendar = load_work_calendar(station).provisional()
    today = station.clock.today()
    soon = station.settings.due_soon_days
    with station.read() as session:
        cases = list(
            session.exec(
                select(Case)
                .where(Case.status == "pending")
                .order_by(col(Case.promised_deadline), col(Case.received_at))
            )
        )
    lines = []
    for c in cases:
        deadline = c.promised_deadline or today
        left = calendar.working_days_between(today, deadline)
        category = (
            "overdue" if deadline < today else "today" if deadline == today else "soon" if left <= soon else "later"
        )
        lines.append(
            PendingLine(
                c.id,
                c.case_no,
                c.matter_name,
                c.applicant_name,
                c.outcome,
                deadline,
                c.supply_deadline,
                left,
                category,
                c.deadline_provisional,
            )
        )
    return lines
