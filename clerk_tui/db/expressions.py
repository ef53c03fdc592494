"""SQL expressions whose spelling differs between database engines.

SQLite (the station) and PostgreSQL (a possible centre) spell time arithmetic
differently. Each expression here is one SQL function element compiled per dialect:
SQLite's spelling for "sqlite", the standard (PostgreSQL) one for every other dialect.
Callers get a typed `ColumnElement` and never write either spelling themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, SQLColumnExpression, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

# A timestamp column or expression; NULL gives NULL, as in SQL.
Timestamp = SQLColumnExpression[datetime | None]


def seconds_between(end: Timestamp, start: Timestamp) -> ColumnElement[float]:
    """Seconds from `start` to `end` (both timestamps)."""
    return _SecondsBetween(end, start)


def hour_of(timestamp: Timestamp) -> ColumnElement[int]:
    """The hour (0–23) of a timestamp."""
    return _HourOf(timestamp)


def day_of(timestamp: Timestamp) -> ColumnElement[str]:
    """The calendar day of a timestamp, comparable with stored dates (text in SQLite)."""
    return _DayOf(timestamp)


def month_text(timestamp: Timestamp) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp."""
    return _MonthText(timestamp)


def time_of_day(timestamp: Timestamp) -> ColumnElement[str]:
    """'HH:MM' of a timestamp (24-hour clock), comparable with opening hours written so."""
    return _TimeOfDay(timestamp)


# --- the elements and their spellings ---------------------------------------------------
# `name` is only what SQLAlchemy shows when an element is printed without a compiler;
# the functions below decide the SQL.


class _SecondsBetween(FunctionElement[float]):
    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(_SecondsBetween, "sqlite")
def _seconds_sqlite(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)})) * 86400.0)"


@compiles(_SecondsBetween)
def _seconds_default(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)}))"


class _HourOf(FunctionElement[int]):
    type = Integer()
    inherit_cache = True
    name = "hour_of"


@compiles(_HourOf, "sqlite")
def _hour_sqlite(element: _HourOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%H', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(_HourOf)
def _hour_default(element: _HourOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(HOUR FROM {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class _DayOf(FunctionElement[str]):
    type = String()
    inherit_cache = True
    name = "day_of"


@compiles(_DayOf, "sqlite")
def _day_sqlite(element: _DayOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(_DayOf)
def _day_default(element: _DayOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class _MonthText(FunctionElement[str]):
    type = String()
    inherit_cache = True
    name = "month_text"


@compiles(_MonthText, "sqlite")
def _month_sqlite(element: _MonthText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(_MonthText)
def _month_default(element: _MonthText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"TO_CHAR({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class _TimeOfDay(FunctionElement[str]):
    type = String()
    inherit_cache = True
    name = "time_of_day"


@compiles(_TimeOfDay, "sqlite")
def _time_sqlite(element: _TimeOfDay, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%H:%M', {compiler.process(element.clauses, **kw)})"


@compiles(_TimeOfDay)
def _time_default(element: _TimeOfDay, compiler: SQLCompiler, **kw: Any) -> str:
    return f"TO_CHAR({compiler.process(element.clauses, **kw)}, 'HH24:MI')"
