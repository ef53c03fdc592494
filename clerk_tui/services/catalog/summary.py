"""Reading the catalog: summaries and listings (search lives with the catalog screen's service)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

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
        label = session.execute(
            select(CatalogVersion.label).order_by(CatalogVersion.change_seq.desc()).limit(1)
        ).scalar()
        count = session.execute(select(func.count()).select_from(Matter).where(Matter.active)).scalar_one()
    return CatalogSummary(label=label, matters=count)


def list_matters(station: Station, limit: int | None = None) -> list[MatterLine]:
    materials = (
        select(Material.matter_id, func.count().label("n")).group_by(Material.matter_id).subquery()
    )
    query = (
        select(Matter.code, Matter.basic_code, Matter.name, Matter.task_type, Matter.project_type, Department.name, materials.c.n)
        .join(Department, Department.id == Matter.department_id)
        .outerjoin(materials, materials.c.matter_id == Matter.id)
        .where(Matter.active)
        .order_by(Matter.code)
        .limit(limit)
    )
    with station.read() as session:
        return [MatterLine(c, b, n, tt, pt, d, m or 0) for c, b, n, tt, pt, d, m in session.execute(query)]
