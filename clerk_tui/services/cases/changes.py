"""Changing a recorded case: edits, voiding, completing a promised case, revealing an ID.

Every change appends to the audit trail in the same transaction as the change itself,
so the trail can never miss one. Nothing is deleted: a wrong case is voided with a
reason and stays on record.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from clerk_tui.errors import ClerkError
from clerk_tui.models import Case
from clerk_tui.models.case import CHANNELS
from clerk_tui.services import audit
from clerk_tui.services.cases.record import CaseDraft, CaseInvalid, _check_people
from clerk_tui.services.context import Station

# Fields an edit may change; the outcome and its dates are fixed once recorded (void and
# record again instead), so reports never see a case change its kind silently.
EDITABLE = (
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "agent_name",
    "agent_id_type",
    "agent_id_number",
    "agent_phone",
    "assistance",
    "channel",
    "notes",
    "refusal_reason",
    "forwarded_to",
)
REVEALABLE = ("id_number", "agent_id_number", "phone", "agent_phone")


def _open_case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise ClerkError("case.not_found")
    if case.status == "voided":
        raise ClerkError("case.is_voided", case_no=case.case_no)
    return case


def edit_case(station: Station, case_id: str, draft: CaseDraft, reason: str = "") -> int:
    """Apply the form's values to a recorded case; returns how many fields changed."""
    draft = draft.cleaned()
    with station.write() as session:
        case = _open_case(session, case_id)
        if draft.outcome != case.outcome:
            raise CaseInvalid("outcome", "case.outcome_fixed")
        if case.outcome == "refused" and not draft.refusal_reason:
            raise CaseInvalid("refusal_reason", "case.reason_required")
        if case.outcome == "forwarded" and not draft.forwarded_to:
            raise CaseInvalid("forwarded_to", "case.forward_target_required")
        _check_people(draft, station.clock.today())
        if draft.channel not in CHANNELS:
            raise CaseInvalid("channel", "case.bad_choice", value=draft.channel)
        new_values = {name: getattr(draft, name) for name in EDITABLE}
        if not draft.id_number:
            new_values["id_type"] = ""
        if not draft.has_agent:
            new_values["agent_id_type"] = ""
        changes = [(name, getattr(case, name), new_values[name]) for name in EDITABLE]
        changed = audit.record_changes(session, station, "case", case.id, changes, reason)
        for name, _old, new in changes:
            setattr(case, name, new)
    return changed


def void_case(station: Station, case_id: str, reason: str) -> Case:
    reason = reason.strip()
    if not reason:
        raise ClerkError("case.void_reason_required")
    with station.write() as session:
        case = _open_case(session, case_id)
        audit.record(
            session, station, "case", case.id, "void", field="status", old=case.status, new="voided", reason=reason
        )
        case.status, case.void_reason = "voided", reason
    return case


def finish_pending(
    station: Station,
    case_id: str,
    returned: bool,
    note: str = "",
    supplied_note: str = "",
    supplied_on: date | str | None = None,
) -> Case:
    """办结 (completed) or 退件 (returned, with the reason) a promised case from the pending list.

    A 容缺 case is completed only with what the applicant supplied and when (a day from
    its acceptance to today), recorded on the case and in the trail: the acceptance was
    a promise to bring those materials.
    """
    note = note.strip()
    if returned and not note:
        raise ClerkError("case.return_reason_required")
    now = station.clock.now()
    with station.write() as session:
        case = _open_case(session, case_id)
        if case.status != "pending":
            raise ClerkError("case.not_pending", case_no=case.case_no)
        if case.outcome == "rongque" and not returned:
            supplied = _supplied(case, supplied_note, supplied_on, now.date())
            audit.record_changes(
                session,
                station,
                "case",
                case.id,
                [("supplied_note", case.supplied_note, supplied[0]), ("supplied_on", case.supplied_on, supplied[1])],
            )
            case.supplied_note, case.supplied_on = supplied
        new_status = "returned" if returned else "completed"
        audit.record(
            session,
            station,
            "case",
            case.id,
            "return" if returned else "complete",
            field="status",
            old=case.status,
            new=new_status,
            reason=note,
            at=now,
        )
        case.status, case.completion_note = new_status, note
        case.decided_at, case.completed_at = now, now
    return case


def _supplied(case: Case, note: str, day: date | str | None, today: date) -> tuple[str, date]:
    note = note.strip()
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day.strip()) if day.strip() else None
        except ValueError:
            raise ClerkError("case.supplied_date_bad", today=today.isoformat()) from None
    if not note or day is None:
        raise ClerkError("case.supplied_required")
    accepted = (case.accepted_at or case.received_at).date()
    if not accepted <= day <= today:
        raise ClerkError("case.supplied_date_bad", today=today.isoformat())
    return note, day


def reveal(station: Station, case_id: str) -> dict[str, str]:
    """The unmasked ID numbers and phones, for the clerk who asked.

    The asking is recorded (which fields, who, when), never the numbers themselves.
    """
    with station.write() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise ClerkError("case.not_found")
        values = {name: getattr(case, name) for name in REVEALABLE if getattr(case, name)}
        audit.record(session, station, "case", case.id, "reveal", field=",".join(values))
        return values
