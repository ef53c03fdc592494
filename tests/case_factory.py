"""Helpers for the case-log tests: matters, tickets, checks and drafts on the test station."""

from __future__ import annotations

from sqlalchemy import select

from clerk_tui.models import DocumentCheck, Matter, Notice
from clerk_tui.services.cases.record import CaseDraft
from clerk_tui.services.context import Station

VALID_RID = "11010519491231002X"
VALID_USCC = "91110108551385082Q"
ON_THE_SPOT_MATTER = "个体工商户设立登记"  # 即办件
PROMISED_MATTER = "存量房买卖转移登记（二手房过户）"  # 承诺 5 工作日


def matter(station: Station, name: str = ON_THE_SPOT_MATTER) -> Matter:
    with station.read() as session:
        return session.execute(select(Matter).where(Matter.name == name)).scalar_one()


def draft(station: Station, outcome: str = "on_the_spot", name: str = ON_THE_SPOT_MATTER, **changes) -> CaseDraft:
    values = dict(applicant_name="王小明", id_number=VALID_RID, phone="13812345678")
    values.update(changes)
    return CaseDraft(matter_id=matter(station, name).id, outcome=outcome, **values)


def document_check(
    station: Station,
    name: str = ON_THE_SPOT_MATTER,
    verdict: str = "accept",
    notice: str | None = None,
    ticket_id: str | None = None,
) -> DocumentCheck:
    m = matter(station, name)
    with station.write() as session:
        check = DocumentCheck(
            station_id=station.settings.station_id,
            ticket_id=ticket_id,
            matter_id=m.id,
            matter_code=m.code,
            matter_name=m.name,
            catalog_version_id=m.catalog_version_id,
            verdict=verdict,
            clerk_no=station.settings.clerk_no,
            window_no=station.settings.window_no,
            checked_at=station.clock.now(),
        )
        session.add(check)
        session.flush()
        if notice:
            session.add(Notice(check_id=check.id, kind=notice, number="GZ-20261124-0001", text="…"))
    return check


def rongque_check(station: Station, name: str = PROMISED_MATTER) -> str:
    """A document check that found missing items for 容缺受理, with its 容缺 notice: what a
    容缺 case must come from (`record._check_outcome`)."""
    return document_check(station, name, verdict="rongque", notice="rongque").id
