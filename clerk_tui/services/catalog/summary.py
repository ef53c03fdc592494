"""Reading the catalog: summaries and listings (search lives with the catalog screen's service)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from clerk_tui.models import CatalogVersion, Department, Material, Matter
from clerk_tui.services.context import Station


@dataclass(frozen=True)
class CatalogSummary:
    label: str | None
    matters: int


@dataclass(frozen=True)
class MatterLine:
    code: str
    basic_code: str
    name: str
    task_type: str
    project_type: int
    department: str
    materials: int


def summary(station: Station) -> CatalogSummary:
    with station.read() as session:
        label = session.exec(
            select(col(CatalogVersion.label)).order_by(col(CatalogVersion.change_seq).desc()).limit(1)
        ).first()
        count = session.exec(select(func.count()).select_from(Matter).where(col(Matter.active))).one()
    return CatalogSummary(label=label, matters=count)


def list_matters(station: Station, limit: int | None = None) -> list[MatterLine]:
    materials = select(col(Material.matter_id), func.count().label("n")).group_by(col(Material.matter_id)).subquery()
    # Seven columns: SQLModel's `select` is typed for four at most, so SQLAlchemy's.
    query = (
        sql_select(
            col(Matter.code),
            col(Matter.basic_code),
            col(Matter.name),
            col(Matter.task_type),
            col(Matter.project_type),
            col(Department.name),
            materials.c.n,
        )
        .join(Department, col(Department.id) == col(Matter.department_id))
        .outerjoin(materials, materials.c.matter_id == col(Matter.id))
        .where(col(Matter.active))
        .order_by(col(Matter.code))
        .limit(limit)
    )
    with station.read() as session:
        return [MatterLine(c, b, n, tt, pt, d, m or 0) for c, b, n, tt, pt, d, m in session.execute(query)]
