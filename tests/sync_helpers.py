"""Station data for the sync tests: every synced table gets realistic rows."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clerk_tui.clock import FixedClock
from clerk_tui.config import Settings
from clerk_tui.db import open_database
from clerk_tui.models import (
    AuditEntry,
    Case,
    CheckItem,
    DocumentCheck,
    FollowUp,
    Matter,
    Notice,
    Rating,
    WindowEvent,
)
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.sync.bundle import SYNC_TABLES


def populate(station: Station, visits: int = 2) -> list[str]:
    """`visits` applicants: ticket, check with items and notice, case, bad rating, follow-up, audit."""
    now = station.clock.now()
    s = station.settings
    with station.read() as session:
        matter = session.execute(select(Matter).order_by(Matter.code)).scalars().first()
    case_ids = []
    for i in range(visits):
        ticket = issue_ticket(station, "A")
        with station.write() as session:
            check = DocumentCheck(
                station_id=s.station_id,
                ticket_id=ticket.id,
                matter_id=matter.id,
                matter_code=matter.code,
                matter_name=matter.name,
                catalog_version_id=matter.catalog_version_id,
                verdict="correction",
                answers='{"委托他人代办时": true}',
                supply_deadline=date(2026, 11, 30),
                clerk_no=s.clerk_no,
                window_no=s.window_no,
                checked_at=now,
            )
            session.add(check)
            session.flush()
            session.add(
                CheckItem(
                    check_id=check.id,
                    position=0,
                    name="居民身份证",
                    material_type=1,
                    form="原件",
                    copies=1,
                    necessity=1,
                    mark="provided",
                )
            )
            session.add(
                CheckItem(
                    check_id=check.id,
                    position=1,
                    name="营业执照复印件",
                    material_type=1,
                    form="复印件",
                    copies=2,
                    necessity=3,
                    mark="missing",
                    e_licence=True,
                )
            )
            session.add(
                Notice(check_id=check.id, kind="correction", number=f"BZ-{i}", text="请补正：营业执照复印件 2 份")
            )
            case = Case(
                station_id=s.station_id,
                ticket_id=ticket.id,
                matter_id=matter.id,
                catalog_version_id=matter.catalog_version_id,
                check_id=check.id,
                matter_code=matter.code,
                matter_name=matter.name,
                applicant_name=f"王芳{i}",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800001234",
                outcome="promised",
                status="pending",
                promised_deadline=date(2026, 12, 8),
                clerk_no=s.clerk_no,
                window_no=s.window_no,
                received_at=now - timedelta(minutes=7),
                accepted_at=now,
                case_no=f"20261124-03-{i + 1:04d}",
            )
            session.add(case)
            session.flush()
            rating = Rating(case_id=case.id, level=2, points="efficiency", comment="等得太久", rated_at=now)
            session.add(rating)
            session.flush()
            session.add(FollowUp(case_id=case.id, rating_id=rating.id, due_date=date(2026, 12, 1)))
            session.add(
                AuditEntry(
                    entity="case",
                    entity_id=case.id,
                    action="create",
                    new_value="promised",
                    clerk_no=s.clerk_no,
                    station_id=s.station_id,
                    at=now,
                )
            )
            session.add(
                WindowEvent(
                    station_id=s.station_id,
                    window_no=s.window_no,
                    clerk_no=s.clerk_no,
                    kind="pause",
                    reason="休息",
                    at=now,
                )
            )
            case_ids.append(case.id)
    return case_ids


def edit_case(station: Station, case_id: str, **changes: Any) -> None:
    with station.write() as session:
        case = session.get(Case, case_id)
        for key, value in changes.items():
            setattr(case, key, value)


def rows(db: Path | Station, table: str) -> dict[str, dict[str, Any]]:
    """Every row, without the database-local change_seq: as stored (exact text) for a
    database file, as typed values for a station's database on either engine."""
    if isinstance(db, Station):
        from sqlmodel import SQLModel

        model = SQLModel.metadata.tables[table]
        with db.engine.connect() as conn:
            return {
                r.id: {k: v for k, v in r._mapping.items() if k != "change_seq"} for r in conn.execute(model.select())
            }
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        result = {
            r["id"]: {k: v for k, v in zip(r.keys(), r, strict=True) if k != "change_seq"}
            for r in conn.execute(f"SELECT * FROM {table}")
        }
    conn.close()
    return result


def same_data(a: Path | Station, b: Path | Station) -> bool:
    return all(rows(a, t) == rows(b, t) for t in SYNC_TABLES)


def make_centre(tmp: Path, clock: FixedClock | None = None, database: Path | str | None = None) -> Station:
    """A centre on its own database: a file in `tmp`, or the server `database` URL given."""
    database = database or tmp / "centre.db"
    settings = replace(Settings(station_id="CENTRE-5101"), data_dir=tmp / "centre", database=database)
    return Station(open_database(database), settings, clock or FixedClock(FIXED_CENTRE))


from datetime import datetime  # noqa: E402

FIXED_CENTRE = datetime(2026, 11, 26, 10, 0)
