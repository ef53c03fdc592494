"""The bundle's wire format: typed JSON that this program defines, not either engine.

A station on SQLite and a hall on PostgreSQL store the same record differently (text
timestamps and 0/1 on one, native timestamps and booleans on the other). What travels is
the record's typed values, written one way:

- a timestamp: ISO 8601 text with microseconds, `2026-12-04T15:01:33.060000` (local
  time, no zone, as the stations keep it); a date: `2026-12-04`;
- a boolean: `true` / `false`; an integer: a JSON integer; an exact decimal: its text
  (`"12.50"`), never a float; text: a JSON string; no value: an explicit `null`.

Reading is strict: every value is checked against its column's type, length and null rule
before anything is written, and one that does not fit refuses the bundle whole, naming
the member, the line's record and the column (`2026-12-04 15:01:33.06000X` is no
timestamp). Bundles written by earlier versions (SQLite's text: `2026-12-04 15:01:33.060000`,
booleans as 0/1) read the same.

`content_hash` of a record is taken over this encoding, so a centre compares a record it
holds with one arriving from a station whatever engine either of them runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from itertools import chain
from operator import methodcaller
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, Numeric, String, Table

from clerk_tui.models import all_tables
from clerk_tui.services.sync.bundle import MAX_INTEGER, BundleError


class BadValue(ValueError):
    """A value that does not fit its column: `reason` says how (for the clerk's line)."""


Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


# `value.isoformat(sep="T", timespec="microseconds")`, called without a Python frame: an
# export makes hundreds of thousands of these calls.
_encode_datetime: Encode = methodcaller("isoformat", "T", "microseconds")


def _decode_datetime(value: Any) -> datetime:
    if isinstance(value, str) and 19 <= len(value) <= 26 and value[10] in "T ":
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                return parsed
    raise BadValue("timestamp")


def _decode_date(value: Any) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadValue("date")


def _decode_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # bundles written from SQLite's storage
        return bool(value)
    raise BadValue("true/false")


def _decode_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        return value
    raise BadValue("integer")


def _decode_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise BadValue("number")


def _decode_decimal(value: Any) -> Decimal:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            found = Decimal(str(value))
        except InvalidOperation:
            pass
        else:
            if found.is_finite():
                return found
    raise BadValue("decimal")


def _text_decoder(length: int | None) -> Decode:
    def decode(value: Any) -> str:
        if not isinstance(value, str):
            raise BadValue("text")
        if length is not None and len(value) > length:
            raise BadValue(f"text of at most {length} characters")
        return value

    return decode


def _same(value: Any) -> Any:
    return value


def _codec_of(column: Column[Any]) -> tuple[Encode, Decode]:
    kind = column.type
    if isinstance(kind, DateTime):
        return _encode_datetime, _decode_datetime
    if isinstance(kind, Date):
        return date.isoformat, _decode_date
    if isinstance(kind, Boolean):
        return bool, _decode_bool
    if isinstance(kind, Integer):
        return int, _decode_int
    if isinstance(kind, Float):
        return float, _decode_float
    if isinstance(kind, Numeric):
        return str, _decode_decimal
    if isinstance(kind, String):
        return str, _text_decoder(kind.length)
    return _same, _same


@dataclass(frozen=True)
class TableCodec:
    """How one table's records travel, for the columns a bundle carries (in that order)."""

    table: Table
    columns: tuple[str, ...]
    encoders: tuple[Encode, ...]
    decoders: dict[str, tuple[Decode, bool]]  # column -> (decode, may be null)

    @cached_property
    def _converted(self) -> tuple[tuple[int, Encode], ...]:
        """The columns whose values change on the way out; text travels as it is read."""
        return tuple((i, encode) for i, encode in enumerate(self.encoders) if encode is not _same)

    def encode(self, values: Sequence[Any]) -> dict[str, Any]:
        """A row's typed values (in `columns` order) as the JSON object that travels."""
        return dict(zip(self.columns, self.encode_values([values]), strict=True))

    def encode_values(self, rows: Sequence[Sequence[Any]]) -> list[Any]:
        """Many rows' values as they travel (`encode` without the keys), in one flat list:
        the first row's values in `columns` order, then the second's, and so on.

        Converted column by column, each column a stride of the list: one call to `map`
        when it holds no null; the columns that travel as read are not touched at all."""
        width = len(self.columns)
        if rows and set(map(len, rows)) != {width}:
            raise ValueError(f"a row without its {width} values")
        values = list(chain.from_iterable(rows))
        for i, encode in self._converted:
            column = values[i::width]
            if None in column:
                values[i::width] = [None if value is None else encode(value) for value in column]
            else:
                values[i::width] = list(map(encode, column))
        return values

    def encode_record(self, record: dict[str, Any]) -> dict[str, Any]:
        return self.encode([record[c] for c in self.columns])

    def decode(self, record: dict[str, Any], member: str) -> dict[str, Any]:
        """The typed values of a record as it arrived; `BundleError` naming the column and
        the record when one does not fit."""
        typed: dict[str, Any] = {}
        for name, value in record.items():
            decode, nullable = self.decoders[name]
            if value is None:
                if not nullable:
                    raise self._bad(member, record, name, "a value")
                typed[name] = None
                continue
            try:
                typed[name] = decode(value)
            except BadValue as exc:
                raise self._bad(member, record, name, str(exc)) from None
        return typed

    @staticmethod
    def _bad(member: str, record: dict[str, Any], column: str, expected: str) -> BundleError:
        shown = repr(record.get(column))
        return BundleError(
            "sync.bad_value",
            member,
            id=str(record.get("id", "?"))[:36],
            column=column,
            expected=expected,
            value=shown if len(shown) <= 40 else shown[:39] + "…",
        )


def model_table(name: str) -> Table:
    return all_tables().tables[name]


@lru_cache(maxsize=64)
def table_codec(name: str, columns: tuple[str, ...]) -> TableCodec:
    """The codec of a synced table for these of its columns (all known to the models)."""
    table = model_table(name)
    chosen = [table.c[c] for c in columns]
    pairs = [_codec_of(c) for c in chosen]
    return TableCodec(
        table=table,
        columns=columns,
        encoders=tuple(p[0] for p in pairs),
        decoders={c.name: (p[1], bool(c.nullable)) for c, p in zip(chosen, pairs, strict=True)},
    )
