"""Checking an applicant's documents against the matter's materials (收件核对).

Situation questions
    Each distinct material condition (情形, e.g. "委托他人代办时") becomes one yes/no
    question; a material with a condition applies only when its question is answered
    yes. A question left unanswered is *not* taken as "no": the check stays pending
    until every question is answered, because a wrong guess either asks for a document
    the applicant does not need or forgets one they do — and then they come back twice,
    which is what 一次性告知 exists to prevent.

Marks
    provided (原件/复印件 seen), e_licence (verified in the 电子证照 library; only for
    materials the catalog says an e-licence can replace), missing, not_applicable (the
    clerk's call, e.g. one of two alternatives). Every applicable material needs a mark.

Verdict (from necessity; see `material_outcome`)
    any 必要 material missing            → correction (补正 / 一次性告知书)
    only 容缺后补 materials missing       → rongque (容缺受理, supply date ≤ promised deadline)
    otherwise                             → accept
    A missing 非必要 material never blocks and is not put on a notice.

The check is stored as a snapshot (DocumentCheck + one CheckItem per catalog material,
copied, with its mark) in one transaction: a later catalog import never changes what
was checked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import col, select

from clerk_tui.errors import ClerkError
from clerk_tui.models import CheckItem, DocumentCheck, Ticket
from clerk_tui.models.case import MARKS
from clerk_tui.services.catalog.search import GuideMaterial, MatterGuide, matter_guide
from clerk_tui.services.context import Station

REQUIRED, OPTIONAL, RONGQUE = 1, 2, 3
PROVIDED, E_LICENCE, MISSING, NOT_APPLICABLE = MARKS
VERDICTS = ("pending", "accept", "rongque", "correction")


def questions(materials: Sequence[GuideMaterial]) -> list[str]:
    """The distinct conditions of the materials, in the order they first appear."""
    seen: dict[str, None] = {}
    for m in materials:
        condition = m.condition.strip()
        if condition:
            seen.setdefault(condition, None)
    return list(seen)


def applies(material: GuideMaterial, answers: Mapping[str, bool]) -> bool | None:
    """True / False, or None while the material's question is unanswered."""
    condition = material.condition.strip()
    if not condition:
        return True
    return answers.get(condition)


def effective_mark(material: GuideMaterial, answers: Mapping[str, bool], marks: Mapping[int, str]) -> str | None:
    """The mark that counts: not applicable when its situation was answered no."""
    applicable = applies(material, answers)
    if applicable is False:
        return NOT_APPLICABLE
    if applicable is None:
        return None
    return marks.get(material.position)


def material_outcome(necessity: int, mark: str) -> str:
    """What one material's mark means for the verdict: ok / correction / rongque / ignored."""
    if mark not in MARKS:
        raise ValueError(mark)
    if mark in (PROVIDED, E_LICENCE):
        return "ok"
    if mark == NOT_APPLICABLE:
        return "ignored"
    return {REQUIRED: "correction", RONGQUE: "rongque"}.get(necessity, "ignored")


def mark_allowed(material: GuideMaterial, mark: str) -> bool:
    return mark != E_LICENCE or material.e_licence


@dataclass
class Verdict:
    kind: str  # pending / accept / rongque / correction
    unanswered: list[str] = field(default_factory=list)
    unmarked: list[GuideMaterial] = field(default_factory=list)
    missing_required: list[GuideMaterial] = field(default_factory=list)
    missing_rongque: list[GuideMaterial] = field(default_factory=list)
    missing_optional: list[GuideMaterial] = field(default_factory=list)

    @property
    def to_supply(self) -> list[GuideMaterial]:
        """What the notice lists: every missing required and 容缺 material, in catalog order."""
        return sorted(self.missing_required + self.missing_rongque, key=lambda m: m.position)


def judge(materials: Sequence[GuideMaterial], answers: Mapping[str, bool], marks: Mapping[int, str]) -> Verdict:
    verdict = Verdict("pending", unanswered=[q for q in questions(materials) if q not in answers])
    for m in materials:
        mark = effective_mark(m, answers, marks)
        if mark is None:
            if applies(m, answers) is not None:
                verdict.unmarked.append(m)
            continue
        outcome = material_outcome(m.necessity, mark)
        if outcome == "correction":
            verdict.missing_required.append(m)
        elif outcome == "rongque":
            verdict.missing_rongque.append(m)
        elif mark == MISSING:
            verdict.missing_optional.append(m)
    if verdict.unanswered or verdict.unmarked:
        verdict.kind = "pending"
    elif verdict.missing_required:
        verdict.kind = "correction"
    elif verdict.missing_rongque:
        verdict.kind = "rongque"
    else:
        verdict.kind = "accept"
    return verdict


# --- deadlines -------------------------------------------------------------------------


def supply_limit(station: Station, guide: MatterGuide, today: date) -> date:
    """The latest supply date a 容缺 acceptance may promise: the matter's promised deadline.

    Counted in working days (China's holidays and 调休) from today. A 即办件 (no
    promised limit) gets `[check] instant_rongque_days` working days instead. Past the
    calendar's last year it is the provisional deadline (weekends only there), as the
    case's own deadline will be; a calendar import keeps a case's supply date within
    its final deadline.
    """
    from clerk_tui.services.station.calendar import load_work_calendar

    calendar = load_work_calendar(station)
    if guide.promised_limit:
        return calendar.deadline_of(today, guide.promised_limit, guide.promised_unit).day
    return calendar.working_days_later(today, station.settings.check.instant_rongque_days).day


# --- loading and storing -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckStart:
    """What the check screen needs to begin: the matter as it stands, the served ticket."""

    guide: MatterGuide
    ticket_id: str | None
    ticket_number: str
    today: date
    supply_limit: date | None
    supply_problem: str  # why no supply date can be offered (a message), else ""


def start_check(station: Station, matter_id: str, ticket_id: str | None = None) -> CheckStart:
    guide = matter_guide(station, matter_id)
    if guide is None:
        raise ClerkError("check.unknown_matter")
    number = ""
    if ticket_id:
        with station.read() as session:
            number = session.exec(select(Ticket.number).where(Ticket.id == ticket_id)).first() or ""
        if not number:
            ticket_id = None
    today = station.clock.today()
    limit, problem = None, ""
    if any(m.necessity == RONGQUE for m in guide.materials):
        try:
            limit = supply_limit(station, guide, today)
        except ClerkError as exc:
            problem = exc.message()
    return CheckStart(guide, ticket_id, number, today, limit, problem)


def save_check(
    station: Station,
    start: CheckStart,
    answers: Mapping[str, bool],
    marks: Mapping[int, str],
    supply_date: date | None = None,
) -> str:
    """Store the check as a snapshot in one transaction; returns its id."""
    materials = start.guide.materials
    for m in materials:
        mark = marks.get(m.position)
        if mark is not None and mark not in MARKS:
            raise ValueError(mark)
        if mark is not None and not mark_allowed(m, mark) and applies(m, answers):
            raise ClerkError("check.no_e_licence", name=m.name)
    verdict = judge(materials, answers, marks)
    if verdict.kind == "pending":
        raise ClerkError("check.incomplete", questions=len(verdict.unanswered), materials=len(verdict.unmarked))
    today = station.clock.today()
    if verdict.kind == "rongque":
        limit = supply_limit(station, start.guide, today)
        if supply_date is None:
            raise ClerkError("check.supply_required", limit=limit.isoformat())
        if not today <= supply_date <= limit:
            raise ClerkError("check.supply_out_of_range", limit=limit.isoformat(), today=today.isoformat())
    else:
        supply_date = None
    settings = station.settings
    guide = start.guide
    with station.write() as session:
        check = DocumentCheck(
            station_id=settings.station_id,
            ticket_id=start.ticket_id,
            matter_id=guide.id,
            matter_code=guide.code,
            matter_name=guide.name,
            catalog_version_id=guide.catalog_version_id,
            answers=json.dumps({q: bool(answers[q]) for q in questions(materials)}, ensure_ascii=False),
            verdict=verdict.kind,
            supply_deadline=supply_date,
            clerk_no=settings.clerk_no,
            window_no=settings.window_no,
            checked_at=station.clock.now(),
        )
        session.add(check)
        session.flush()
        for m in materials:
            session.add(
                CheckItem(
                    check_id=check.id,
                    position=m.position,
                    name=m.name,
                    material_type=m.material_type,
                    form=m.form,
                    copies=m.copies,
                    necessity=m.necessity,
                    source=m.source,
                    condition=m.condition,
                    e_licence=m.e_licence,
                    mark=effective_mark(m, answers, marks) or "",
                )
            )
        return check.id


@dataclass(frozen=True)
class StoredCheck:
    """A saved check as it was stored (never re-read from the catalog)."""

    id: str
    ticket_id: str | None
    matter_id: str
    matter_code: str
    matter_name: str
    catalog_version_id: str
    answers: dict[str, bool]
    verdict: str
    supply_deadline: date | None
    clerk_no: str
    window_no: int | None
    checked_at: datetime
    items: list[GuideMaterial]
    marks: dict[int, str]

    @property
    def missing(self) -> list[GuideMaterial]:
        """Materials to supply (required and 容缺), each once, in catalog order."""
        return judge(self.items, self.answers, self.marks).to_supply


def load_check(station: Station, check_id: str) -> StoredCheck:
    with station.read() as session:
        check = session.get(DocumentCheck, check_id)
        if check is None:
            raise ClerkError("check.not_found")
        items = session.exec(
            select(CheckItem).where(CheckItem.check_id == check_id).order_by(col(CheckItem.position))
        ).all()
        return StoredCheck(
            id=check.id,
            ticket_id=check.ticket_id,
            matter_id=check.matter_id,
            matter_code=check.matter_code,
            matter_name=check.matter_name,
            catalog_version_id=check.catalog_version_id,
            answers=json.loads(check.answers or "{}"),
            verdict=check.verdict,
            supply_deadline=check.supply_deadline,
            clerk_no=check.clerk_no or "",
            window_no=check.window_no,
            checked_at=check.checked_at,
            items=[
                GuideMaterial(
                    i.position,
                    i.name,
                    i.material_type,
                    i.form,
                    i.copies,
                    i.necessity,
                    i.source,
                    i.condition,
                    i.e_licence,
                    "",
                )
                for i in items
            ],
            marks={i.position: i.mark for i in items if i.mark},
        )
