"""Numbers handed out in order (ticket serials, case, notice and bundle numbers): counter rows.

A number is never `max() + 1` over the records: two windows on a shared server database
would both read the same maximum and hand out the same number (on SQLite only its single
writer prevents it). Each sequence is one row of `counter`, raised with
`UPDATE … RETURNING` in the caller's transaction: the row stays locked until that
transaction ends, so the next window gets the next number, and a rolled-back transaction
gives its number back.

A counter that does not exist yet (a new day's queue, a database made before counters)
is first seeded from the records already there (`seed`, e.g. the day's highest serial),
with `INSERT … ON CONFLICT DO NOTHING`, so two programs creating it at once agree.
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import Connection, ScalarSelect, func, literal, select, update

from clerk_tui.models.station import Counter


def next_number(conn: Connection, name: str, seed: ScalarSelect[Any] | None = None, step: int = 1) -> int:
    """The next number of the sequence `name` (the first of `step` reserved); `seed` gives
    the number already used when the counter is made (None: start after 0)."""
    start = select(func.coalesce(seed, 0)).scalar_subquery() if seed is not None else literal(0)
    # The INSERT … ON CONFLICT of the connection's own dialect (sqlite or postgresql, both
    # spell it `insert`): a station on SQLite does not import PostgreSQL's dialect for it.
    insert = importlib.import_module(f"sqlalchemy.dialects.{conn.dialect.name}").insert
    conn.execute(
        insert(Counter)
        .from_select(["name", "value"], select(literal(name), start))
        .on_conflict_do_nothing(index_elements=["name"])
    )
    table = Counter.__table__  # type: ignore[attr-defined]
    value = conn.execute(
        update(table).where(table.c.name == name).values(value=table.c.value + step).returning(table.c.value)
    ).scalar_one()
    return int(value) - step + 1
