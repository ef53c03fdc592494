"""A returning applicant found from a few characters: the last digits of the ID, or the name.

The case form fills name, ID, phone (and, when it has no matter yet, the matter of the
applicant's last case) from the most recent case of the applicant the clerk names.

A full ID number is an indexed equality lookup (`service_case.id_number` is indexed).
A tail of the number or a name has no index to use, and a centre's table holds over a
million cases, so they are looked for only among the newest `RECENT_CASES` cases, read
newest first along the `received_at` index: a bounded query, run in a worker by the
screens. An applicant whose last visit is older than that is typed in full once, and is
found again from then on.

Lists show the numbers masked; taking an applicant's details into the form is a reveal
of their last case and is recorded in its trail like any other (`take_over`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Mapped
from sqlmodel import col

from clerk_tui.models import Case, Matter, Ticket
from clerk_tui.services import ids
from clerk_tui.services.cases.form_data import MatterInfo
from clerk_tui.services.cases.history import CaseLine, HistoryQuery
from clerk_tui.services.context import Station

RECENT_CASES = 200_000  # how far back a tail or a name is looked for (newest first)
CHOICES = 9  # one digit each
TAIL_MIN, TAIL_MAX = 4, 6
_TAIL = re.compile(rf"^\d{{{TAIL_MIN - 1},{TAIL_MAX - 1}}}[\dX]$")
_FULL_ID = re.compile(r"^[0-9A-Z]{8,}$")


@dataclass(frozen=True)
class Applicant:
    case_id: str  # their most recent case: what the form takes the details from
    name: str
    kind: str
    id_type: str
    id_number: str
    phone: str
    matter: MatterInfo | None  # the matter of their last case (if still in the catalog)
    last_seen: datetime
    cases: int  # how many of their cases the lookup saw

    @property
    def id_masked(self) -> str:
        return ids.mask(self.id_number)


def fold(text: str) -> str:
    """What the clerk typed, as stored: full-width folded (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def id_tail(text: str) -> str | None:
    """The last 4-6 characters of an ID number (digits, perhaps a final X), or None."""
    compact = ids.normalise(text)
    return compact if _TAIL.match(compact) else None


def lookup_kind(text: str) -> str:
    """'tail', 'id' (a whole number), 'name', or '' (nothing to look up)."""
    if id_tail(text):
        return "tail"
    compact = ids.normalise(text)
    if _FULL_ID.match(compact) and sum(c.isdigit() for c in compact) >= 6:
        return "id"
    return "name" if fold(text) else ""


def _recent(*columns: Mapped[Any]) -> Subquery:
    """The newest RECENT_CASES cases with an ID number: the bounded set a tail or name searches."""
    # SQLAlchemy's `select` in this module: SQLModel's types at most four columns and no subquery.
    return (
        select(*columns)
        .where(col(Case.id_number) != "", col(Case.status) != "voided")
        .order_by(col(Case.received_at).desc())
        .limit(RECENT_CASES)
        .subquery()
    )


_COLUMNS = (
    col(Case.id),
    col(Case.applicant_name),
    col(Case.applicant_kind),
    col(Case.id_type),
    col(Case.id_number),
    col(Case.phone),
    col(Case.matter_id),
    col(Case.received_at),
)


def find_applicants(station: Station, text: str, limit: int = CHOICES) -> list[Applicant]:
    """Applicants matching the text, most recently seen first (at most `limit`)."""
    kind = lookup_kind(text)
    if not kind:
        return []
    if kind == "id":
        stmt = (
            select(*_COLUMNS)
            .where(col(Case.id_number) == ids.normalise(text), col(Case.status) != "voided")
            .order_by(col(Case.received_at).desc())
            .limit(200)
        )
    else:
        recent = _recent(*_COLUMNS)
        if kind == "tail":
            tail = id_tail(text) or ""
            condition = func.substr(recent.c.id_number, -len(tail)) == tail
        else:
            condition = recent.c.applicant_name == fold(text)
        stmt = select(recent).where(condition).order_by(recent.c.received_at.desc()).limit(2000)
    found: dict[str, dict[str, Any]] = {}
    with station.read() as session:
        for case_id, name, a_kind, id_type, number, phone, matter_id, received in session.execute(stmt):
            seen = found.get(number)
            if seen is None:
                if len(found) >= limit:
                    continue
                found[number] = {
                    "case_id": case_id,
                    "name": name,
                    "kind": a_kind,
                    "id_type": id_type,
                    "id_number": number,
                    "phone": phone,
                    "matter_id": matter_id,
                    "last_seen": received,
                    "cases": 1,
                }
            else:
                seen["cases"] += 1
                seen["phone"] = seen["phone"] or phone  # the newest phone given
        matters = {}
        for matter_id in {a["matter_id"] for a in found.values()}:
            matter = session.get(Matter, matter_id)
            if matter is not None and matter.active:
                matters[matter_id] = MatterInfo.of(matter)
    return [
        Applicant(
            a["case_id"],
            a["name"],
            a["kind"],
            a["id_type"],
            a["id_number"],
            a["phone"],
            matters.get(a["matter_id"]),
            a["last_seen"],
            a["cases"],
        )
        for a in found.values()
    ]


def take_over(station: Station, applicant: Applicant) -> Applicant:
    """The applicant chosen for the form: the reveal of their last case goes on its trail."""
    from clerk_tui.services.cases.changes import reveal

    reveal(station, applicant.case_id)
    return applicant


def cases_by_id_tail(station: Station, tail: str, query: HistoryQuery, limit: int = 200) -> list[CaseLine]:
    """The history screen's search by the last digits of an ID (the applicant's or the agent's)."""
    columns = (
        col(Case.id),
        col(Case.case_no),
        col(Case.received_at),
        col(Case.ticket_id),
        col(Case.matter_name),
        col(Case.applicant_name),
        col(Case.id_number),
        col(Case.agent_id_number),
        col(Case.outcome),
        col(Case.status),
        col(Case.promised_deadline),
    )
    recent = select(*columns).order_by(col(Case.received_at).desc()).limit(RECENT_CASES).subquery()
    size = len(tail)
    stmt = (
        select(recent, col(Ticket.number))
        .outerjoin(Ticket, col(Ticket.id) == recent.c.ticket_id)
        .where(
            (func.substr(recent.c.id_number, -size) == tail) | (func.substr(recent.c.agent_id_number, -size) == tail)
        )
    )
    if query.date_from:
        stmt = stmt.where(recent.c.received_at >= datetime.combine(query.date_from, time.min))
    if query.date_to:
        stmt = stmt.where(recent.c.received_at < datetime.combine(query.date_to + timedelta(days=1), time.min))
    if query.outcome:
        stmt = stmt.where(recent.c.outcome == query.outcome)
    stmt = stmt.order_by(recent.c.received_at.desc()).limit(limit)
    with station.read() as session:
        return [
            CaseLine(
                r.id,
                r.case_no,
                r.received_at,
                r.number or "",
                r.matter_name,
                r.applicant_name,
                ids.mask(r.id_number if r.id_number.endswith(tail) else r.agent_id_number),
                r.outcome,
                r.status,
                r.promised_deadline,
            )
            for r in session.execute(stmt)
        ]


def recent_matters(station: Station, limit: int = CHOICES) -> list[MatterInfo]:
    """The matters this window recorded cases for lately, the last one first (bounded read)."""
    settings = station.settings
    recent = (
        select(col(Case.matter_id), col(Case.window_no), col(Case.received_at))
        .where(col(Case.station_id) == settings.station_id)
        .order_by(col(Case.received_at).desc())
        .limit(500)
        .subquery()
    )
    stmt = (
        select(recent.c.matter_id).where(recent.c.window_no == settings.window_no).order_by(recent.c.received_at.desc())
    )
    result: list[MatterInfo] = []
    with station.read() as session:
        seen: set[str] = set()
        for (matter_id,) in session.execute(stmt):
            if matter_id in seen:
                continue
            seen.add(matter_id)
            matter = session.get(Matter, matter_id)
            if matter is not None and matter.active:
                result.append(MatterInfo.of(matter))
            if len(result) >= limit:
                break
    return result
