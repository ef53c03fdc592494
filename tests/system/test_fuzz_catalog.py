"""Hostile catalog and config files: whatever the bytes, a clear error or a clean import, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
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


# --- numbers beyond any sane range (issue 18) ------------------------------------------
# A 64-bit overflow crashed the import (OverflowError) and a 10^6-working-day limit was
# accepted: every number now has a documented range (data/catalog/README.md).

OUT_OF_RANGE = [
    (("matters", 0, "promised_limit", "value"), 2**63 + 5, "matters[0].promised_limit.value"),
    (("matters", 0, "statutory_limit", "value"), 10**6, "matters[0].statutory_limit.value"),
    (("matters", 0, "promised_limit", "value"), 367, "matters[0].promised_limit.value"),
    (("matters", 0, "materials", 0, "copies"), 2**64, "matters[0].materials[0].copies"),
    (("matters", 0, "materials", 0, "copies"), 100, "matters[0].materials[0].copies"),
    (("matters", 0, "visits"), 10**9, "matters[0].visits"),
]


def _with(path: tuple, value: Any) -> bytes:
    doc = json.loads(json.dumps(BUNDLED))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return json.dumps(doc, ensure_ascii=False).encode()


@pytest.mark.parametrize(("path", "value", "where"), OUT_OF_RANGE)
def test_numbers_out_of_range_are_refused_naming_the_field(path: tuple, value: int, where: str) -> None:
    with pytest.raises(CatalogFileError) as info:
        parse_catalog(_with(path, value))
    [problem] = [p for p in info.value.problems if p.where == where]
    assert problem.key == "catalog.out_of_range"
    assert describe_problem(problem).startswith("事项「")  # the matter, the field, the range
    assert len(describe_problem(problem)) < 200  # a 20-digit number is shortened, not quoted whole


def test_numbers_at_the_edge_of_the_range_are_accepted() -> None:
    raw = _with(("matters", 0, "promised_limit", "value"), 366)
    raw = json.dumps({**json.loads(raw)}).encode()
    assert parse_catalog(raw).matters


def test_a_catalog_with_a_number_beyond_64_bits_is_refused_by_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from clerk_tui.cli import app
    from clerk_tui.db import open_database
    from tests.conftest import table_counts

    bad = tmp_path / "bad.json"
    bad.write_bytes(_with(("matters", 0, "promised_limit", "value"), 2**63 + 5))
    db = tmp_path / "s.db"
    open_database(db).dispose()
    assert CliRunner().invoke(app, ["--db", str(db), "catalog", "list"]).exit_code == 0  # the station claims it
    from tests.sync_helpers import centre_signs

    centre_signs(db, tmp_path, bad)
    before = table_counts(db)
    result = CliRunner().invoke(app, ["--db", str(db), "catalog", "import", str(bad)])
    assert result.exit_code == 1, result.output
    assert "matters[0].promised_limit.value" in result.output and "Traceback" not in result.output
    assert table_counts(db) == before


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
