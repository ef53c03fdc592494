"""Case figures of a period: outcomes, matters, 承诺件 timeliness, assistance, 好差评.

Voided cases (status `voided`) are left out of every figure; how many there were is
reported on its own line so the totals can be reconciled with the case log.
Which date puts a case in a period: received (收件) for counts, completed (办结) for
timeliness, rated for ratings, decided for 行政许可 decisions (docs/REPORTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import SQLColumnExpression, func, or_, select
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.db import day_of, month_text
from clerk_tui.models import Case, FollowUp, Matter, Rating
from clerk_tui.models.case import OUTCOMES, PROMISED_OUTCOMES
from clerk_tui.services.reports.aggregates import count_if, ratio
from clerk_tui.services.reports.period import Period

PROMISED = PROMISED_OUTCOMES
ASSISTED = ("bangban", "daiban", "home_visit")
LEVELS = (5, 4, 3, 2, 1)  # 非常满意 … 非常不满意
LICENSING = "01"  # 事项类型 行政许可
# 事项类型 whose decisions the 政务信息公开 annual report counts: 第二十条第（五）项 行政许可,
# 第二十条第（六）项 行政处罚 and 行政强制.
DECIDED_TYPES = (LICENSING, "02", "03")


@dataclass
class CaseFigures:
    total: int = 0  # non-voided cases received in the period
    voided: int = 0  # left out, shown for reconciliation
    by_outcome: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    assistance: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ASSISTED, 0))

    @property
    def on_the_spot(self) -> int:
        return self.by_outcome["on_the_spot"]

    @property
    def promised(self) -> int:
        return self.by_outcome["promised"] + self.by_outcome["rongque"]

    @property
    def handled(self) -> int:
        """办件: 即办件 + 承诺件 (the base of 即办件占比)."""
        return self.on_the_spot + self.promised

    @property
    def on_the_spot_share(self) -> float | None:
        return ratio(self.on_the_spot, self.handled)


@dataclass
class PromisedFigures:
    on_time: int = 0  # completed in the period on or before the promised deadline
    late: int = 0
    returned: int = 0  # 退件 in the period
    pending: int = 0  # open now and not yet due (received up to the period's end)
    overdue: int = 0  # open now and past the deadline
    as_of: date | None = None
    # Of the completed and open ones above, those whose deadline is still 暂定 (the
    # calendar of its year not imported yet): counted against that provisional date.
    provisional: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)


@dataclass
class CohortFigures:
    """承诺件 accepted (received) in the period, each counted where it stands now (受理口径).

    The completion-date view (`PromisedFigures`) counts a year's completions, some of them
    accepted the year before; this view follows the period's own intake, so its rows add
    up to the period's 承诺件: on_time + late + returned + pending + overdue = accepted.
    """

    accepted: int = 0
    on_time: int = 0  # completed on or before the deadline's day (提前办结 included)
    early: int = 0  # of on_time: completed before the deadline's day (提前办结)
    late: int = 0
    returned: int = 0
    pending: int = 0  # open now and not yet due
    overdue: int = 0  # open now and past the deadline
    as_of: date | None = None

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)

    @property
    def early_rate(self) -> float | None:
        """提前办结率: completed before the deadline's day, of the completed ones."""
        return ratio(self.early, self.on_time + self.late)


@dataclass
class MatterLine:
    code: str
    name: str
    total: int
    on_the_spot: int
    promised: int

    @property
    def other(self) -> int:
        return self.total - self.on_the_spot - self.promised


@dataclass
class RatingFigures:
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    not_rated: int = 0
    follow_ups_open: int = 0
    follow_ups_closed: int = 0
    follow_ups_overdue: int = 0
    follow_ups_in_time: int = 0  # closed (called back and fixed) on or before the due day

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return self.levels[5] + self.levels[4]

    @property
    def satisfaction(self) -> float | None:
        return ratio(self.satisfied, self.rated)

    @property
    def bad(self) -> int:
        """差评: 不满意 and 非常不满意, each of which needs a follow-up call."""
        return self.levels[2] + self.levels[1]

    @property
    def good(self) -> int:
        """好评: 非常满意, 满意 and 基本满意 (the 好差评 system's three upper levels)."""
        return self.levels[5] + self.levels[4] + self.levels[3]

    @property
    def good_rate(self) -> float | None:
        """好评率: 好评 / rated."""
        return ratio(self.good, self.rated)

    @property
    def fix_rate(self) -> float | None:
        """差评整改率: bad ratings whose follow-up was closed by its due day / bad ratings."""
        return ratio(self.follow_ups_in_time, self.bad)


@dataclass
class LicensingFigures:
    """行政许可 decisions (事项类型 01) in the period, as the 政务信息公开 report counts them."""

    granted: int = 0
    returned: int = 0
    refused: int = 0

    @property
    def total(self) -> int:
        return self.granted + self.returned + self.refused


def _between(column: SQLColumnExpression[datetime | None], period: Period) -> list[ColumnElement[bool]]:
    return [column >= period.start_at, column < period.end_at]


def _station(station_id: str | None) -> list[ColumnElement[bool]]:
    return [col(Case.station_id) == station_id] if station_id else []


def case_figures(session: Session, period: Period, station_id: str | None = None) -> CaseFigures:
    live = col(Case.status) != "voided"
    columns = [count_if(live), count_if(col(Case.status) == "voided")]
    columns += [count_if(live & (col(Case.outcome) == o)) for o in OUTCOMES]
    columns += [count_if(live & (col(Case.assistance) == a)) for a in ASSISTED]
    row = session.execute(select(*columns).where(*_between(col(Case.received_at), period), *_station(station_id))).one()
    values = [int(v) for v in row]
    figures = CaseFigures(total=values[0], voided=values[1])
    figures.by_outcome = dict(zip(OUTCOMES, values[2 : 2 + len(OUTCOMES)], strict=False))
    figures.assistance = dict(zip(ASSISTED, values[2 + len(OUTCOMES) :], strict=False))
    return figures


def promised_figures(session: Session, period: Period, today: date, station_id: str | None = None) -> PromisedFigures:
    completed_day = day_of(col(Case.completed_at))
    deadline = col(Case.promised_deadline)
    # The status tests stay inside the counts so the planner takes the completed_at range.
    done = session.execute(
        select(
            count_if((col(Case.status) == "completed") & (completed_day <= deadline)),
            count_if((col(Case.status) == "completed") & (completed_day > deadline)),
            count_if(col(Case.status) == "returned"),
            count_if((col(Case.status) == "completed") & col(Case.deadline_provisional)),
        ).where(col(Case.outcome).in_(PROMISED), *_between(col(Case.completed_at), period), *_station(station_id))
    ).one()
    still_open = session.execute(
        select(
            count_if(deadline >= today),
            count_if(deadline < today),
            count_if(col(Case.deadline_provisional)),
        ).where(
            col(Case.status) == "pending",
            col(Case.outcome).in_(PROMISED),
            col(Case.received_at) < period.end_at,
            *_station(station_id),
        )
    ).one()
    return PromisedFigures(
        int(done[0]),
        int(done[1]),
        int(done[2]),
        int(still_open[0]),
        int(still_open[1]),
        today,
        int(done[3]) + int(still_open[2]),
    )


def cohort_figures(session: Session, period: Period, today: date, station_id: str | None = None) -> CohortFigures:
    """The period's 承诺件 intake, followed to today (see `CohortFigures`)."""
    status, deadline = col(Case.status), col(Case.promised_deadline)
    completed_day = day_of(col(Case.completed_at))
    done = status == "completed"
    row = session.execute(
        select(
            func.count(),
            count_if(done & (completed_day <= deadline)),
            count_if(done & (completed_day < deadline)),
            count_if(done & (completed_day > deadline)),
            count_if(status == "returned"),
            count_if((status == "pending") & (deadline >= today)),
            count_if((status == "pending") & (deadline < today)),
        ).where(
            col(Case.outcome).in_(PROMISED),
            status != "voided",
            *_between(col(Case.received_at), period),
            *_station(station_id),
        )
    ).one()
    accepted, on_time, early, late, returned, pending, overdue = (int(v) for v in row)
    return CohortFigures(accepted, on_time, early, late, returned, pending, overdue, today)


def matter_lines(session: Session, period: Period, station_id: str | None = None) -> list[MatterLine]:
    # Grouped by matter id (the report index covers it), named from the catalog's matter row.
    counted = (
        select(
            col(Case.matter_id).label("matter_id"),
            func.count().label("total"),
            count_if(col(Case.outcome) == "on_the_spot").label("spot"),
            count_if(col(Case.outcome).in_(PROMISED)).label("promised"),
        )
        .where(col(Case.status) != "voided", *_between(col(Case.received_at), period), *_station(station_id))
        .group_by(col(Case.matter_id))
        .subquery()
    )
    rows = session.execute(
        select(col(Matter.code), col(Matter.name), counted.c.total, counted.c.spot, counted.c.promised)
        .join(counted, counted.c.matter_id == col(Matter.id))
        .order_by(counted.c.total.desc(), col(Matter.code))
    ).all()
    return [MatterLine(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]


def cases_per(session: Session, period: Period, unit: str, station_id: str | None = None) -> dict[str, int]:
    """Non-voided cases received per day ('YYYY-MM-DD') or per month ('YYYY-MM')."""
    received = col(Case.received_at)
    bucket = (day_of(received) if unit == "day" else month_text(received)).label("b")
    rows = session.execute(
        select(bucket, func.count())
        .where(col(Case.status) != "voided", *_between(received, period), *_station(station_id))
        .group_by(bucket)
    ).all()
    return {str(b): int(n) for b, n in rows}


def _not_voided(case_id: SQLColumnExpression[str], station_id: str | None) -> ColumnElement[bool]:
    """The case is not voided (and of the station): a short NOT IN list, not a join per rating."""
    if station_id:
        return case_id.in_(select(col(Case.id)).where(col(Case.status) != "voided", col(Case.station_id) == station_id))
    return case_id.not_in(select(col(Case.id)).where(col(Case.status) == "voided"))


def rating_figures(session: Session, period: Period, today: date, station_id: str | None = None) -> RatingFigures:
    row = session.execute(
        select(*[count_if(col(Rating.level) == k) for k in LEVELS], count_if(col(Rating.level).is_(None))).where(
            *_between(col(Rating.rated_at), period), _not_voided(col(Rating.case_id), station_id)
        )
    ).one()
    figures = RatingFigures(levels=dict(zip(LEVELS, (int(v) for v in row[:5]), strict=False)), not_rated=int(row[5]))
    follow = session.execute(
        select(
            count_if(col(FollowUp.status) != "closed"),
            count_if(col(FollowUp.status) == "closed"),
            count_if((col(FollowUp.status) != "closed") & (col(FollowUp.due_date) < today)),
            count_if((col(FollowUp.status) == "closed") & (day_of(col(FollowUp.closed_at)) <= col(FollowUp.due_date))),
        )
        .select_from(FollowUp)
        .join(Rating, col(Rating.id) == col(FollowUp.rating_id))
        .where(*_between(col(Rating.rated_at), period), _not_voided(col(FollowUp.case_id), station_id))
    ).one()
    (
        figures.follow_ups_open,
        figures.follow_ups_closed,
        figures.follow_ups_overdue,
        figures.follow_ups_in_time,
    ) = (int(v) for v in follow)
    return figures


def decision_figures(session: Session, period: Period, station_id: str | None = None) -> dict[str, LicensingFigures]:
    """Decisions of the period per 事项类型 in `DECIDED_TYPES` (行政许可, 行政处罚, 行政强制)."""
    # Counted per matter first (the decided index covers it), then summed per 事项类型 of
    # the matters: the catalog is asked once per matter, not once per case.
    decided = (
        select(
            col(Case.matter_id).label("matter_id"),
            count_if(col(Case.status) == "completed").label("granted"),
            count_if(col(Case.status) == "returned").label("returned"),
            count_if(col(Case.outcome) == "refused").label("refused"),
        )
        .where(
            col(Case.status) != "voided",
            or_(col(Case.status).in_(("completed", "returned")), col(Case.outcome) == "refused"),
            *_between(col(Case.decided_at), period),
            *_station(station_id),
        )
        .group_by(col(Case.matter_id))
        .subquery()
    )
    rows = session.execute(
        select(
            col(Matter.task_type),
            func.sum(decided.c.granted),
            func.sum(decided.c.returned),
            func.sum(decided.c.refused),
        )
        .select_from(decided)
        .join(Matter, col(Matter.id) == decided.c.matter_id)
        .where(col(Matter.task_type).in_(DECIDED_TYPES))
        .group_by(col(Matter.task_type))
    ).all()
    figures = {kind: LicensingFigures() for kind in DECIDED_TYPES}
    for kind, granted, returned, refused in rows:
        figures[kind] = LicensingFigures(int(granted), int(returned), int(refused))
    return figures
