"""The local working-day calendar: years an update file declared, and their special days.

A day listed here overrides the bundled `chinesecalendar` package; a year listed in
`calendar_year` is "known" even when the package does not cover it yet.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field

from clerk_tui.models.base import Record

DAY_KINDS = ("holiday", "workday")


class CalendarYear(Record, table=True):
    __tablename__ = "calendar_year"

    year: int = Field(unique=True)
    source: str = Field(default="")
    imported_at: NaiveDatetime


class CalendarDay(Record, table=True):
    __tablename__ = "calendar_day"

    day: date = Field(unique=True)
    kind: str = Field(max_length=16)  # holiday / workday (a make-up working day, 调休)
    name: str = Field(default="")
