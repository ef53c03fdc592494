"""The aggregates report figures are built from: conditional counts, mean and p90, shares.

Every report figure is a SQL aggregate written in plain SQLAlchemy Core, the same on
every database; the few expressions whose spelling differs between databases (time
arithmetic) come from `clerk_tui.db`.

Percentiles use the nearest-rank method: the p-th percentile of n values is the value of
rank ceil(p·n/100) in ascending order. For p90 that rank is (9n + 9) div 10, which both
databases compute in integer arithmetic.
"""

from __future__ import annotations

from sqlalchemy import (
    CTE,
    CompoundSelect,
    Integer,
    Select,
    SQLColumnExpression,
    Subquery,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql.expression import ColumnElement


def count_if(condition: SQLColumnExpression[bool]) -> ColumnElement[int]:
    """How many rows meet `condition` (0 for no rows, never NULL)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def mean_and_p90(values: Subquery, all_key: str) -> CompoundSelect[str, int, float, int]:
    """Rows (grp, n, total, s) per group of `values` (columns `grp`, `v`) and over all (`all_key`).

    n is the group's count, total the sum of its values (the mean is total / n) and s its
    p90, in whole seconds.

    Values are first counted per whole second (a GROUP BY, much cheaper than ranking every
    row); a running sum over those counts finds the second that holds rank ceil(0.9·n),
    the nearest-rank p90. Rounding is monotonic, so this is the exact p90 rounded to the
    second. Means use the unrounded sums.
    """
    second = cast(func.round(values.c.v), Integer).label("s")
    buckets = (
        select(values.c.grp, second, func.count().label("c"), func.sum(values.c.v).label("t"))
        .group_by(values.c.grp, second)
        .cte("buckets")
    )
    overall = (
        select(
            literal(all_key).label("grp"),
            buckets.c.s,
            func.sum(buckets.c.c).label("c"),
            func.sum(buckets.c.t).label("t"),
        )
        .group_by(buckets.c.s)
        .subquery()
    )
    sources: tuple[tuple[CTE | Subquery, list[ColumnElement[str]] | None], ...] = (
        (buckets, [buckets.c.grp]),
        (overall, None),
    )
    parts: list[Select[str, int, float, int]] = []
    for source, partition in sources:
        ranked = select(
            source.c.grp,
            source.c.s,
            source.c.c,
            # Cast: PostgreSQL sums integers as numeric, and n·9+9 divided by 10 must stay whole.
            cast(func.sum(source.c.c).over(partition_by=partition, order_by=source.c.s, rows=(None, 0)), Integer).label(
                "cum"
            ),
            cast(func.sum(source.c.c).over(partition_by=partition), Integer).label("n"),
            func.sum(source.c.t).over(partition_by=partition).label("total"),
        ).subquery()
        rank = (ranked.c.n * 9 + 9) // 10
        parts.append(
            select(ranked.c.grp, ranked.c.n, ranked.c.total, ranked.c.s).where(
                ranked.c.cum >= rank, ranked.c.cum - ranked.c.c < rank
            )
        )
    return union_all(*parts)


def ratio(numerator: int, denominator: int) -> float | None:
    """A share, or None (shown as a dash) when there is nothing to divide by."""
    return numerator / denominator if denominator else None
