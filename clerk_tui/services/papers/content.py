"""What goes on each paper: the fields a template gets, from the case, the check behind it,
the matter's catalog entry and the station's settings.

Which papers a case has (`kinds_for`):
- acceptance 受理通知书: a 承诺件 accepted (promised or 容缺);
- pledge 容缺受理承诺书: a 容缺 case (also issued with the 容缺 notice, from the check);
- refusal 不予受理通知书: a refused case;
- collection 办结/领取通知: a 承诺件 completed;
- materials 材料接收清单: any case whose check recorded materials handed in.

Dates are written out in the paper's language; a provisional deadline carries 暂定.
Identity numbers are masked on paper as on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models import Case, Department, Matter, Ticket
from clerk_tui.models.case import PROMISED_OUTCOMES
from clerk_tui.services import ids
from clerk_tui.services.check.documents import StoredCheck
from clerk_tui.services.check.notice import LAW
from clerk_tui.services.context import Station

KINDS = ("acceptance", "pledge", "refusal", "collection", "materials")
RECEIVED_MARKS = ("provided", "e_licence")
ACCEPTED = PROMISED_OUTCOMES
# The time limits the law gives for remedies against a refusal: 《行政复议法》第二十条
# (60 days from knowing of the decision), 《行政诉讼法》第四十六条 (6 months).
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6


@dataclass(frozen=True)
class Subject:
    """What a paper is about: the check and the case. A pledge issued with the 容缺 notice
    has no case yet; a case recorded without a document check has no check (its papers
    then list no materials)."""

    check: StoredCheck | None
    case: Case | None = None
    applicant: str = ""  # typed on the notice screen when there is no case


def kinds_for(case: Case, has_received: bool) -> list[str]:
    """The papers this case has, in the order a clerk hands them over."""
    kinds: list[str] = []
    if case.outcome in ACCEPTED:
        kinds.append("acceptance")
    if case.outcome == "rongque":
        kinds.append("pledge")
    if case.outcome == "refused":
        kinds.append("refusal")
    if case.outcome in ACCEPTED and case.status == "completed":
        kinds.append("collection")
    if has_received:
        kinds.append("materials")
    return kinds


def received(check: StoredCheck) -> list[Any]:
    return [m for m in check.items if check.marks.get(m.position) in RECEIVED_MARKS]


def date_text(day: date | None, provisional: bool = False) -> str:
    if day is None:
        return ""
    text = t("notice.date", y=day.year, m=day.month, d=day.day)
    return text + t("notice.provisional_suffix") if provisional else text


def _limit_text(matter: Matter | None) -> str:
    if matter is None or not matter.promised_limit:
        return ""
    unit = (matter.promised_unit or "工作日").strip()
    if unit in ("工作日", "working_day", "working_days"):
        return t("papers.limit_working_days", n=matter.promised_limit)
    return t("papers.limit_days", n=matter.promised_limit)


def _basis_lines(basis: str) -> list[str]:
    law = t(LAW)
    return [b.strip() for b in basis.replace("；", "\n").replace(";", "\n").splitlines() if b.strip() and b != law]


def _material(m: Any, mark: str) -> dict[str, Any]:
    parts = [m.form, t("notice.copies", n=m.copies)]
    if mark == "e_licence":
        parts.append(t("papers.by_e_licence"))
    return {
        "name": m.name,
        "form": m.form,
        "copies": m.copies,
        "e_licence": mark == "e_licence",
        "condition": (m.condition or "").strip(),
        "requirements": " · ".join(p for p in parts if p),
    }


def build_fields(station: Station, session: Session, kind: str, subject: Subject, number: str) -> dict[str, Any]:
    """Every field a paper template may use (the same set for every kind)."""
    if kind not in KINDS:
        raise ClerkError("papers.unknown_kind", kind=kind)
    settings = station.settings
    papers = settings.papers
    check, case = subject.check, subject.case
    # The matter as checked when there is a check (the case was recorded from it).
    if check is not None:
        matter_id, matter_name, matter_code = check.matter_id, check.matter_name, check.matter_code
        received_day = case.received_at.date() if case is not None else check.checked_at.date()
    elif case is not None:
        matter_id, matter_name, matter_code = case.matter_id, case.matter_name, case.matter_code
        received_day = case.received_at.date()
    else:
        raise ValueError("a paper is about a check, a case or both")
    matter = session.get(Matter, matter_id)
    department = session.get(Department, matter.department_id) if matter is not None else None
    ticket_id = (case.ticket_id if case is not None else None) or (check.ticket_id if check is not None else None)
    ticket = session.exec(select(Ticket.number).where(Ticket.id == ticket_id)).first() if ticket_id else None
    clerk_no = (
        (case.clerk_no if case is not None else "")
        or (check.clerk_no if check is not None else "")
        or settings.clerk_no
    )
    window = (
        (case.window_no if case is not None else None)
        or (check.window_no if check is not None else None)
        or settings.window_no
    )
    today = station.clock.today()
    applicant = case.applicant_name if case is not None else subject.applicant.strip()
    id_type = case.id_type if case is not None else ""
    promised = case.promised_deadline if case is not None else None
    provisional = bool(case.deadline_provisional) if case is not None else False
    supply = (case.supply_deadline if case is not None else None) or (check.supply_deadline if check else None)
    return {
        "kind": kind,
        "number": number or t("notice.number_pending"),
        "case_no": case.case_no if case is not None else "",
        "office": settings.notice.office or settings.station_name,
        "station": settings.station_name,
        "contact": settings.station_contact or (matter.contact if matter is not None else ""),
        "window": t("notice.window_no", n=window),
        "clerk_no": clerk_no,
        "clerk_name": settings.clerk_name if clerk_no == settings.clerk_no else "",
        "issued": date_text(today),
        "ticket": ticket or "",
        "applicant": applicant,
        "applicant_kind": case.applicant_kind if case is not None else "",
        "id_type": t(f"idtype.{id_type}") if id_type else "",
        "id_number": ids.mask(case.id_number) if case is not None and case.id_number else "",
        "agent": case.agent_name if case is not None else "",
        "matter_name": matter_name,
        "matter_code": matter_code,
        "department": department.name if department is not None else "",
        "legal_basis": _basis_lines(matter.legal_basis if matter is not None else ""),
        "fee": (matter.fee_note or t("papers.fee_yes")) if matter is not None and matter.fee_charged else "",
        "promised_limit": _limit_text(matter),
        "promised_deadline": date_text(promised, provisional),
        "deadline_provisional": provisional,
        "supply_deadline": date_text(supply),
        "received": date_text(received_day),
        "accepted": date_text(case.accepted_at.date() if case is not None and case.accepted_at else None),
        "decided": date_text(case.decided_at.date() if case is not None and case.decided_at else None),
        "completed": date_text(case.completed_at.date() if case is not None and case.completed_at else None),
        "completion_note": case.completion_note if case is not None else "",
        "refusal_reason": case.refusal_reason if case is not None else "",
        "materials": [_material(m, check.marks.get(m.position, "")) for m in received(check)] if check else [],
        "missing": [_material(m, "") for m in check.missing] if check else [],
        "delivery": papers.delivery,
        "progress_query": papers.progress_query,
        "reconsideration_body": papers.reconsideration_body,
        "court": papers.court,
        "reconsideration_days": RECONSIDERATION_DAYS,
        "litigation_months": LITIGATION_MONTHS,
    }


SAMPLE_MATERIAL = {
    "name": "身份证",
    "form": "原件",
    "copies": 1,
    "e_licence": False,
    "condition": "委托他人代办时",
    "requirements": "原件 · 1份",
}


def sample_fields(kind: str) -> dict[str, Any]:
    """Fields of the right shape with every value set: a template's trial render on load."""
    text = "示例"
    return {
        **{
            key: text
            for key in (
                "number",
                "case_no",
                "office",
                "station",
                "contact",
                "window",
                "clerk_no",
                "clerk_name",
                "issued",
                "ticket",
                "applicant",
                "applicant_kind",
                "id_type",
                "id_number",
                "agent",
                "matter_name",
                "matter_code",
                "department",
                "fee",
                "promised_limit",
                "promised_deadline",
                "supply_deadline",
                "received",
                "accepted",
                "decided",
                "completed",
                "completion_note",
                "refusal_reason",
                "delivery",
                "progress_query",
                "reconsideration_body",
                "court",
            )
        },
        "kind": kind,
        "legal_basis": [text],
        "deadline_provisional": True,
        "materials": [SAMPLE_MATERIAL],
        "missing": [SAMPLE_MATERIAL],
        "reconsideration_days": RECONSIDERATION_DAYS,
        "litigation_months": LITIGATION_MONTHS,
    }
