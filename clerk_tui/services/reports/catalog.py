"""Catalog indicators (事项指标) of the active matters, as halls' annual reports give them.

Every share is over ALL active matters, whatever their 办件类型: a county's catalog also
holds 上报件, 联办件 and others (seed 002: 1,635 = 907 即办件 + 645 承诺件 + 83 others).

- 即办件占比: matters of 办件类型 1 among all active matters (seed 002: 907 / 1,635 = 55.47%);
  承诺件 (type 2) and the other types likewise, each type also counted on its own.
- 网办率: matters that can be handled online among all active matters.
- 最多跑一次: matters with 到办事现场次数 ≤ 1 among all active matters (unknown visits do
  not count as at most once).
- 减时限 compression: 1 − Σ promised limit / Σ statutory limit, over matters with both
  limits, a statutory limit above zero, and both in the same unit (an empty unit counts as
  工作日, a promised limit of 0 fits any unit). Matters whose units differ are left out
  and counted, since working days and calendar days do not convert exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import SQLColumnExpression, case, func, or_, select
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.models import Department, Matter
from clerk_tui.models.catalog import ON_THE_SPOT_TYPE, PROJECT_TYPES, PROMISED_TYPE
from clerk_tui.services.reports.aggregates import count_if, ratio

WORKING_DAY = "工作日"


@dataclass
class CatalogLine:
    """The indicators of one department, or of the whole catalog (department "")."""

    department: str
    matters: int = 0
    on_the_spot: int = 0  # 办件类型 1 即办件
    promised: int = 0  # 办件类型 2 承诺件
    other: int = 0  # any other 办件类型: 3 上报件, 4 联办件, 9 其他
    online: int = 0
    at_most_once: int = 0
    licensing: int = 0  # 事项类型 01 行政许可

    @property
    def on_the_spot_share(self) -> float | None:
        return ratio(self.on_the_spot, self.matters)

    @property
    def promised_share(self) -> float | None:
        return ratio(self.promised, self.matters)

    @property
    def other_share(self) -> float | None:
        return ratio(self.other, self.matters)

    @property
    def online_share(self) -> float | None:
        return ratio(self.online, self.matters)

    @property
    def at_most_once_share(self) -> float | None:
        return ratio(self.at_most_once, self.matters)


@dataclass
class CatalogFigures:
    total: CatalogLine
    departments: list[CatalogLine] = field(default_factory=list)
    by_type: dict[int, int] = field(default_factory=dict)  # active matters per 办件类型 (every known type)
    limits_compared: int = 0  # matters in the 减时限 sums
    units_differ: int = 0  # left out: statutory and promised limits in different units
    statutory_sum: int = 0
    promised_sum: int = 0

    @property
    def compression(self) -> float | None:
        if not self.statutory_sum:
            return None
        return 1 - self.promised_sum / self.statutory_sum


def _unit(column: SQLColumnExpression[str]) -> ColumnElement[str]:
    return func.coalesce(func.nullif(func.trim(column), ""), WORKING_DAY)


def catalog_figures(session: Session) -> CatalogFigures:
    """One pass over the active matters, counted per department id, then named; the
    matters per 办件类型 in a second, small one.

    The 减时限 sums are taken in the same pass: the catalog's are the sums of its
    departments' (a matter whose department row is missing counts there, in no line).
    """
    active = col(Matter.active).is_(True)
    statutory, promised = col(Matter.statutory_limit), col(Matter.promised_limit)
    both = statutory.is_not(None) & promised.is_not(None) & (statutory > 0)
    same_unit = or_(promised == 0, _unit(col(Matter.statutory_unit)) == _unit(col(Matter.promised_unit)))
    compared = both & same_unit
    project_type = col(Matter.project_type)
    counted = (
        select(
            col(Matter.department_id).label("department_id"),
            func.count().label("matters"),
            count_if(project_type == ON_THE_SPOT_TYPE).label("on_the_spot"),
            count_if(project_type == PROMISED_TYPE).label("promised"),
            count_if(project_type.not_in((ON_THE_SPOT_TYPE, PROMISED_TYPE))).label("other"),
            count_if(col(Matter.online).is_(True)).label("online"),
            count_if(col(Matter.visits) <= 1).label("at_most_once"),
            count_if(col(Matter.task_type) == "01").label("licensing"),
            count_if(compared).label("compared"),
            count_if(both & ~same_unit).label("units_differ"),
            func.coalesce(func.sum(case((compared, statutory), else_=0)), 0).label("statutory_sum"),
            func.coalesce(func.sum(case((compared, promised), else_=0)), 0).label("promised_sum"),
        )
        .where(active)
        .group_by(col(Matter.department_id))
        .subquery()
    )
    line_fields = ("matters", "on_the_spot", "promised", "other", "online", "at_most_once", "licensing")
    limit_fields = ("compared", "units_differ", "statutory_sum", "promised_sum")
    name: ColumnElement[str] = col(Department.name).label("department")
    rows = session.execute(
        select(name, *(func.sum(counted.c[f]).label(f) for f in (*line_fields, *limit_fields)))
        .select_from(counted)
        .outerjoin(Department, col(Department.id) == counted.c.department_id)
        .group_by(name)
        .order_by(func.sum(counted.c.matters).desc(), name)
    ).all()
    departments = [
        CatalogLine(r.department, *(int(r._mapping[f]) for f in line_fields)) for r in rows if r.department is not None
    ]
    total = CatalogLine("", *(sum(getattr(d, f) for d in departments) for f in line_fields))
    limits = (sum(int(r._mapping[f]) for r in rows) for f in limit_fields)
    by_type = dict.fromkeys(PROJECT_TYPES, 0)
    for kind, count in session.execute(select(project_type, func.count()).where(active).group_by(project_type)).all():
        by_type[int(kind)] = int(count)
    return CatalogFigures(total, departments, dict(sorted(by_type.items())), *limits)
