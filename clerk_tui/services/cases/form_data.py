"""What the case form needs before the clerk types: the matter, ticket, check and deadline.

Loaded in one read so the form opens pre-filled: the outcome the check suggests (an
accepted check of a 即办件 → 即办办结, of a 承诺件 → 承诺件; 容缺 → 容缺受理 with the
check's supply date; a correction → 补正告知), and the deadline that outcome would promise.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, or_, select

from clerk_tui.errors import ClerkError
from clerk_tui.models import Case, DocumentCheck, Matter, Notice, Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.station.calendar import Dated, load_work_calendar


@dataclass(frozen=True)
class MatterInfo:
    id: str
    code: str
    name: str
    project_type: int
    promised_limit: int | None
    promised_unit: str

    @classmethod
    def of(cls, m: Matter) -> MatterInfo:
        return cls(m.id, m.code, m.name, m.project_type, m.promised_limit, m.promised_unit)


@dataclass(frozen=True)
class FormContext:
    matter: MatterInfo | None = None
    ticket_id: str | None = None
    ticket_number: str = ""
    check_id: str | None = None
    check_verdict: str = ""
    check_supply: date | None = None
    notice_number: str = ""
    suggested_outcome: str = "on_the_spot"
    deadline: date | None = None  # what a promised outcome would promise today
    deadline_provisional: bool = False  # 暂定: counted past the calendar's last year
    deadline_problem: str = ""  # why no deadline can be computed (a message)
    case: Case | None = None  # editing a recorded case


def suggest_outcome(matter: MatterInfo | None, verdict: str) -> str:
    if verdict == "rongque":
        return "rongque"
    if verdict == "correction":
        return "correction"
    if matter is not None and matter.project_type == 2 and matter.promised_limit:
        return "promised"
    return "on_the_spot"


def matter_deadline(station: Station, matter: MatterInfo | None) -> tuple[Dated | None, str]:
    if matter is None or not matter.promised_limit:
        return None, ""
    try:
        calendar = load_work_calendar(station)
        return calendar.deadline_of(station.clock.today(), matter.promised_limit, matter.promised_unit), ""
    except ClerkError as exc:
        return None, exc.message()


def form_context(
    station: Station,
    matter_id: str | None = None,
    check_id: str | None = None,
    ticket_id: str | None = None,
    case_id: str | None = None,
) -> FormContext:
    with station.read() as session:
        case = session.get(Case, case_id) if case_id else None
        if case is not None:
            matter_id, check_id, ticket_id = case.matter_id, case.check_id, case.ticket_id
        check = session.get(DocumentCheck, check_id) if check_id else None
        if check is not None:
            matter_id = matter_id or check.matter_id
            ticket_id = ticket_id or check.ticket_id
        matter = session.get(Matter, matter_id) if matter_id else None
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        notice = None
        if check is not None:
            notice = session.exec(
                select(Notice.number)
                .where(Notice.check_id == check.id, col(Notice.kind).in_(("correction", "rongque")))
                .order_by(col(Notice.change_seq).desc())
            ).first()
    info = MatterInfo.of(matter) if matter is not None else None
    deadline, problem = matter_deadline(station, info)
    verdict = check.verdict if check is not None else ""
    return FormContext(
        matter=info,
        ticket_id=ticket.id if ticket else None,
        ticket_number=ticket.number if ticket else "",
        check_id=check.id if check else None,
        check_verdict=verdict,
        check_supply=check.supply_deadline if check else None,
        notice_number=notice or "",
        suggested_outcome=case.outcome if case is not None else suggest_outcome(info, verdict),
        deadline=deadline.day if deadline else None,
        deadline_provisional=bool(deadline and deadline.provisional),
        deadline_problem=problem,
        case=case,
    )


def find_matters(station: Station, text: str, limit: int = 5) -> list[MatterInfo]:
    """Active matters whose code, name, pinyin or initials match what the clerk typed."""
    raw = text.strip()
    text = unicodedata.normalize("NFKC", raw)  # ＡＢＣ１２３ typed in full-width mode
    if not text:
        return []
    lowered = text.lower()
    query = (
        select(Matter)
        .where(
            Matter.active,
            or_(
                col(Matter.code).startswith(text),
                col(Matter.basic_code).startswith(text),
                col(Matter.name).contains(text),
                col(Matter.name).contains(raw),  # names keep their full-width brackets （…）
                col(Matter.name_initials).startswith(lowered),
                col(Matter.name_pinyin).contains(lowered),
            ),
        )
        .order_by(col(Matter.name))
        .limit(limit)
    )
    with station.read() as session:
        return [MatterInfo.of(m) for m in session.exec(query)]
