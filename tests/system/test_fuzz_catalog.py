"""Hostile catalog and config files: whatever the bytes, a clear error or a clean import, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.config import parse_settings
from clerk_tui.errors import ClerkError
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.catalog.file import CatalogFileError, describe_problem, parse_catalog

BUNDLED = json.loads(bundled_catalog().read_text(encoding="utf-8"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(BUNDLED) if p]


def _check(raw: bytes) -> None:
    try:
        doc = parse_catalog(raw)
    except CatalogFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert describe_problem(problem)  # every problem renders as a sentence
        return
    assert doc.matters is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    _check(raw)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=json_values)
def test_one_field_replaced_by_anything(path: tuple, value: Any) -> None:
    doc = json.loads(json.dumps(BUNDLED))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    _check(json.dumps(doc, ensure_ascii=False).encode())


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(bundled_catalog().read_bytes())))
def test_truncated_file(cut: int) -> None:
    _check(bundled_catalog().read_bytes()[:cut])


@settings(max_examples=1000, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from(["station", "window", "clerk", "ui", "paths", "queues", "backup", "lock"]),
        json_values,
        max_size=5,
    )
)
def test_config_values_of_any_shape(data: dict[str, Any]) -> None:
    try:
        parse_settings(data, Path("x.toml"))
    except ClerkError as exc:
        assert exc.message()


def test_numbers_too_long_for_python_and_json_too_deep() -> None:
    for raw in (b'{"format": ' + b"9" * 5000 + b"}", b"[" * 100_000 + b"]" * 100_000):
        _check(raw)


def _absurd_catalogs() -> dict[str, bytes]:
    from clerk_tui.services.catalog.file import MAX_MATTER_CHARS, MAX_MATTERS

    many = {**BUNDLED, "matters": [{}] * (MAX_MATTERS + 1)}
    long = json.loads(json.dumps(BUNDLED))
    long["matters"][0]["materials"] = long["matters"][0]["materials"] * (MAX_MATTER_CHARS // 100)
    head = json.dumps({k: v for k, v in BUNDLED.items() if k != "matters"}, ensure_ascii=False)[:-1]
    matters = json.dumps(BUNDLED["matters"], ensure_ascii=False)
    return {
        "more matters than the limit": json.dumps(many).encode(),
        "a matter longer than the limit": json.dumps(long, ensure_ascii=False).encode(),
        "matters given twice": f'{head}, "matters": {matters}, "matters": []}}'.encode(),
        "a member no catalog has (skipped piece by piece)": b'{"x": [' + b"[1]," * 100_000 + b'[1]], "format": 1}',
    }


def test_absurd_catalogs_stay_refused() -> None:
    """Issue 18: big files are read as a stream; what no catalog needs is refused by its limit."""
    for name, raw in _absurd_catalogs().items():
        try:
            parse_catalog(raw)
        except CatalogFileError as exc:
            assert all(describe_problem(p) for p in exc.problems), name
        else:
            raise AssertionError(f"{name}: accepted")
