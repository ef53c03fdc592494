"""One declaration per config key, and the one routine that checks a value against it.

A key is declared where its value lives, as a field of the frozen dataclass that holds it
(`NoticeConfig.width`, `Settings.window_no`): `width: int = key(32, "comment", low=24, high=160)`.
The field's default is the key's default and the field's metadata carries the rest (range or
choices, the comment), so the loader, `clerk init`'s commented file and the README table
(`clerk_tui/config/write.py`) all read the same declaration and cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, overload

from clerk_tui.errors import ClerkError

_T = TypeVar("_T")
_R = TypeVar("_R")
_D = TypeVar("_D")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


# No value: a key without a default (`[[queues]] letter`), or without an example.
UNSET: Any = _Unset()
_META = "clerk_tui.config.key"

# A further check of a value that has the right type: gets the value and its place
# ("notice.print_command"), returns the value to keep (it may normalise it) or raises.
Check = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Key:
    """What the program knows about one key: its TOML name, type, default, limits and comment."""

    kind: type  # str, int, float, bool, or tuple (a TOML list of text)
    default: Any  # as written in the file; UNSET: the key has no default (`[[queues]] letter`)
    comment: str = ""  # English, for the file and the README; "\n" starts another line in the file
    section: str = ""  # set by `declared`
    name: str = ""  # the TOML name; the field's name unless given
    attr: str = ""  # the field holding the value, set by `declared`
    low: float | None = None  # numbers: the smallest value; lists: unused
    high: float | None = None  # numbers: the largest value (None: no limit); lists: the most items
    choices: tuple[str, ...] = ()
    expected: str = ""  # lists: what a refusal says the items must be (default "[str]")
    example: Any = UNSET  # written commented out with this value (the key stays unset)
    check: Check | None = None
    convert: Callable[[Any], Any] | None = None  # TOML value -> the attribute's value

    @property
    def where(self) -> str:
        return f"{self.section}.{self.name}"

    def limits(self) -> str:
        """The range as the loader's refusal states it: "0..60", or "0.." with no upper limit."""

        def number(value: float | None) -> str:
            return "" if value is None else str(value)

        return f"{number(self.low)}..{number(self.high)}"

    def value_of(self, raw: Any) -> Any:
        """The attribute's value for a TOML value (for a default, or a key left out)."""
        return self.convert(raw) if self.convert is not None else raw


def _kind_of(default: Any) -> type:
    if isinstance(default, bool):
        return bool
    for kind in (int, float, str, tuple):
        if isinstance(default, kind):
            return kind
    raise TypeError(f"no config type for {default!r}")


@overload
def key(
    default: _T,
    comment: str = "",
    *,
    section: str = "",
    name: str = "",
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] = (),
    expected: str = "",
    example: Any = UNSET,
    check: Check | None = None,
) -> _T: ...


@overload
def key(
    default: Any,
    comment: str = "",
    *,
    section: str = "",
    name: str = "",
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] = (),
    expected: str = "",
    example: Any = UNSET,
    check: Check | None = None,
    convert: Callable[[Any], _R],
) -> _R: ...


def key(
    default: Any,
    comment: str = "",
    *,
    section: str = "",
    name: str = "",
    low: float | None = None,
    high: float | None = None,
    choices: tuple[str, ...] = (),
    expected: str = "",
    example: Any = UNSET,
    check: Check | None = None,
    convert: Callable[[Any], Any] | None = None,
) -> Any:
    """A dataclass field that is a config key; its type comes from `default` (the TOML value).

    With `convert`, the attribute holds `convert(value)` (a `Path` for a path, say) and its
    default is `convert(default)`, computed when the object is made (it may depend on the
    machine, like the user data folder).
    """
    spec = Key(
        _kind_of(default),
        default,
        comment,
        section,
        name,
        low=low,
        high=high,
        choices=choices,
        expected=expected,
        example=example,
        check=check,
        convert=convert,
    )
    if convert is not None:
        return field(default_factory=lambda: convert(default), metadata={_META: spec})
    return field(default=default, metadata={_META: spec})


def required(kind: type, comment: str = "", *, check: Check | None = None) -> Any:
    """A config key without a default: the field must be given (`[[queues]] letter`)."""
    return field(metadata={_META: Key(kind, UNSET, comment, check=check)})


_declared: dict[tuple[type, str], tuple[Key, ...]] = {}


def declared(holder: type, section: str = "") -> tuple[Key, ...]:
    """The keys declared by `holder`'s fields, in field order, with their place filled in.

    `section` names the TOML section for keys that do not name their own (a feature
    section's dataclass); `Settings` declares keys of several sections, each naming its own.
    """
    if (holder, section) not in _declared:
        _declared[holder, section] = tuple(
            dataclasses.replace(spec, attr=f.name, name=spec.name or f.name, section=spec.section or section)
            for f in fields(holder)
            if isinstance(spec := f.metadata.get(_META), Key)
        )
    return _declared[holder, section]


def table(raw: Any, where: str) -> dict[str, Any]:
    """A section as a TOML table; anything else is refused with where it was."""
    if not isinstance(raw, dict):
        raise ClerkError("config.bad_value", where=where, expected="table")
    return raw


def read_value(spec: Key, value: Any, where: str) -> Any:
    """`value` checked against `spec` (type, then `check`, choices, range), converted for the attribute.

    `where` is the key's place for the refusal ("notice.width", "queues[2].name").
    """
    if spec.kind is float:
        # A number in the file may be written 1 or 1.0; the refusal gives the range, which
        # tells a clerk more than "float".
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ClerkError("config.bad_value", where=where, expected=spec.limits())
        value = float(value)
    elif spec.kind is tuple:
        if not isinstance(value, list):
            raise ClerkError("config.bad_value", where=where, expected="list")
        if not all(isinstance(v, str) for v in value) or (spec.high is not None and len(value) > spec.high):
            raise ClerkError("config.bad_value", where=where, expected=spec.expected or "[str]")
        value = tuple(value)
    elif not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
        raise ClerkError("config.bad_value", where=where, expected=spec.kind.__name__)
    if spec.check is not None:
        value = spec.check(value, where)
    if spec.choices and value not in spec.choices:
        raise ClerkError("config.bad_value", where=where, expected=" / ".join(spec.choices))
    if spec.kind in (int, float) and not (
        (spec.low is None or value >= spec.low) and (spec.high is None or value <= spec.high)
    ):
        raise ClerkError("config.bad_value", where=where, expected=spec.limits())
    return spec.value_of(value)


def read_keys(specs: tuple[Key, ...], values: dict[str, Any], where: str) -> dict[str, Any]:
    """The attributes for the keys of `specs` present in the table `values` (at `where`);
    a key left out is not in the result, so the dataclass's default applies."""
    return {s.attr: read_value(s, values[s.name], f"{where}.{s.name}") for s in specs if s.name in values}


def read_section(holder: type[_D], section: str, raw: Any) -> _D:
    """A feature section (`[notice]`, ...) read into its dataclass: every key checked."""
    return holder(**read_keys(declared(holder, section), table(raw, section), section))


# --- conversions and checks shared by several keys ------------------------------------


def optional_path(value: str) -> Path | None:
    """A path key: empty means "not set" (the program's default place)."""
    return Path(value).expanduser() if value else None


def command_check(fields_: dict[str, Any]) -> Check:
    """A command line run without a shell: it must split, and its placeholders must be `fields_`
    (or `{text}`, the board's announcement)."""

    def check(value: str, where: str) -> str:
        import shlex

        if not value:
            return value
        try:
            for arg in shlex.split(value):
                arg.format(text="x", **fields_)
        except ValueError as exc:
            raise ClerkError("config.bad_command", where=where, reason=str(exc)) from exc
        except (KeyError, IndexError) as exc:
            raise ClerkError("config.bad_placeholder", where=where, name=str(exc).strip("'")) from exc
        return value

    return check
