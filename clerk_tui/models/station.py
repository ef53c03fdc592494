"""Station-level bookkeeping: schema version, counters."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Key/value facts about this database (schema version, station id, ...)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str


class Counter(SQLModel, table=True):
    """Named monotonically increasing counters (the change sequence, bundle numbers)."""

    name: str = Field(primary_key=True, max_length=64)
    value: int = Field(default=0)
