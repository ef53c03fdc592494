"""Hostile receipts, appointments and calendar files: a clear ClerkError, and nothing written.

Each file kind gets random bytes, truncations, wrong encodings and a valid file with any
value put in any field (receipts also re-signed, so the body checks are reached). A file
refused must leave the station database exactly as it was (row counts of every table and
the change counter); a file accepted must import without an unexpected exception.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.clock import FixedClock
from clerk_tui.errors import ClerkError
from clerk_tui.services.station.calendar import import_calendar, load_calendar_file
from clerk_tui.services.station.setup import DEMO_SETTINGS, ensure_catalog, open_station
from clerk_tui.services.sync.appointments import apply_appointments, load_appointments_file
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.receipt import _body_hash, import_receipt
from tests.conftest import table_counts
from tests.sync_helpers import populate

NOW = datetime(2026, 11, 24, 9, 30)
ENCODINGS = ["gbk", "gb18030", "utf-16", "utf-32", "big5", "latin-1", "utf-8-sig", "shift_jis"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=10,
)


def fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("files")
    station = open_station(
        replace(DEMO_SETTINGS, data_dir=tmp / "station", database=tmp / "station.db"), FixedClock(NOW)
    )
    ensure_catalog(station)
    populate(station, 1)
    exported = export_bundle(station, tmp / "out")
    assert exported is not None
    body = {
        "format": "clerk-tui-sync-receipt",
        "format_version": 1,
        "station_id": station.settings.station_id,
        "centre": "市中心",
        "created_at": NOW.isoformat(),
        "bundles": [
            {
                "bundle_seq": exported.bundle_seq,
                "sha256": exported.sha256,
                "file_name": exported.path.name,
                "change_seq": {"from": exported.seq_from, "to": exported.seq_to},
                "full": False,
                "records": exported.records,
                "counts": {},
            }
        ],
        "not_applied": [
            {"bundle_seq": exported.bundle_seq, "table": "ticket", "id": "x" * 36, "version": 1, "reason": "conflict"}
        ],
        "missing_seqs": [],
    }
    appointments = {
        "format": "clerk-tui-appointments",
        "format_version": 1,
        "station_id": station.settings.station_id,
        "appointments": [
            {
                "id": "YY20261124-0007",
                "queue": "A",
                "slot": "2026-11-24T10:30",
                "name": "王芳",
                "phone": "13800000000",
                "matter_code": "11510100MB1234567X",
                "note": "带原件",
            },
            {"id": "YY20261125-0001", "queue": "B", "slot": "2026-11-25T09:00", "name": "李雷"},
            {"id": "YY20261124-0008", "queue": "C", "slot": "2026-11-24T15:00", "cancelled": True},
        ],
    }
    calendar = {
        "format": "clerk-tui-calendar",
        "format_version": 1,
        "years": [2031],
        "holidays": [
            {"name": "春节", "from": "2031-01-22", "to": "2031-01-28"},
            {"name": "元旦", "date": "2031-01-01"},
        ],
        "workdays": [{"name": "春节调休", "date": "2031-01-19"}],
    }
    yield {
        "station": station,
        "receipt": body,
        "appointments": appointments,
        "calendar": calendar,
        "scratch": tmp / "fuzz.json",
    }
    station.close()


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc: dict[str, Any], data: st.DataObject, value: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    where = data.draw(st.sampled_from(_paths(doc)))
    target = doc
    for part in where[:-1]:
        target = target[part]
    if isinstance(target, dict) and data.draw(st.booleans()):
        del target[where[-1]]
    else:
        target[where[-1]] = value
    return doc


def _attempt(world: dict[str, Any], raw: bytes, load: Any, store: Any) -> None:
    """Load (checks only) then store; a refusal is a ClerkError with a message and no write."""
    path: Path = world["scratch"]
    path.write_bytes(raw)
    station = world["station"]
    before = table_counts(station.settings.database_path)
    try:
        loaded = load(station, path)
    except ClerkError as exc:
        assert exc.message()
        assert table_counts(station.settings.database_path) == before, "a refused file wrote to the database"
        return
    try:
        store(station, loaded)
    except ClerkError as exc:
        assert exc.message()


def _variants(doc: dict[str, Any]) -> st.SearchStrategy[bytes]:
    text = json.dumps(doc, ensure_ascii=False)
    return (
        st.binary(max_size=600)
        | st.integers(min_value=0, max_value=len(text.encode())).map(lambda cut: text.encode()[:cut])
        | st.sampled_from(ENCODINGS).map(lambda enc: text.encode(enc, errors="replace"))
        | st.sampled_from(
            [
                b"[" * 50_000 + b"]" * 50_000,
                b'{"format": ' + b"7" * 5000 + b"}",
                b"\xef\xbb\xbf",
                b"null",
                b"[]",
                b'"clerk"',
            ]
        )
    )


# --- receipts ---------------------------------------------------------------------------


def _receipt_load(station: Any, path: Path) -> Path:
    from clerk_tui.services.sync.receipt import read_receipt

    read_receipt(path)
    return path


def _receipt_store(station: Any, path: Path) -> None:
    before = table_counts(station.settings.database_path)
    try:
        import_receipt(station, path)
    except ClerkError as exc:
        assert exc.message()
        assert table_counts(station.settings.database_path) == before


def _signed(body: dict[str, Any]) -> bytes:
    body = {k: v for k, v in body.items() if k != "sha256"}
    return json.dumps({**body, "sha256": _body_hash(body)}, ensure_ascii=False).encode()


@fuzz(1200)
@given(data=st.data(), value=json_values, resign=st.booleans())
def test_receipt_field_replaced(world: dict[str, Any], data: st.DataObject, value: Any, resign: bool) -> None:
    doc = _mutate(world["receipt"], data, value)
    raw = _signed(doc) if resign else json.dumps({**doc, "sha256": _body_hash(world["receipt"])}).encode()
    _attempt(world, raw, _receipt_load, _receipt_store)


@fuzz(400)
@given(raw=st.deferred(lambda: _variants({**{"x": 1}})))
def test_receipt_bytes(world: dict[str, Any], raw: bytes) -> None:
    _attempt(world, raw, _receipt_load, _receipt_store)


@fuzz(200)
@given(data=st.data())
def test_receipt_variants(world: dict[str, Any], data: st.DataObject) -> None:
    raw = data.draw(_variants(json.loads(_signed(world["receipt"]))))
    _attempt(world, raw, _receipt_load, _receipt_store)


# --- appointments -----------------------------------------------------------------------


def _appointments_store(station: Any, bookings: Any) -> None:
    apply_appointments(station, bookings, source="fuzz.json")


@fuzz(1200)
@given(data=st.data(), value=json_values)
def test_appointments_field_replaced(world: dict[str, Any], data: st.DataObject, value: Any) -> None:
    doc = _mutate(world["appointments"], data, value)
    _attempt(world, json.dumps(doc, ensure_ascii=False).encode(), load_appointments_file, _appointments_store)


@fuzz(500)
@given(data=st.data())
def test_appointments_bytes(world: dict[str, Any], data: st.DataObject) -> None:
    _attempt(world, data.draw(_variants(world["appointments"])), load_appointments_file, _appointments_store)


# --- calendar update files ---------------------------------------------------------------


def _calendar_load(station: Any, path: Path) -> Any:
    return load_calendar_file(path)


def _calendar_store(station: Any, update: Any) -> None:
    import_calendar(station, update)


@fuzz(1200)
@given(data=st.data(), value=json_values | st.sampled_from(["2031-02-30", "0001-01-01", "9999-12-31", "2031-13-01"]))
def test_calendar_field_replaced(world: dict[str, Any], data: st.DataObject, value: Any) -> None:
    doc = _mutate(world["calendar"], data, value)
    _attempt(world, json.dumps(doc, ensure_ascii=False).encode(), _calendar_load, _calendar_store)


@fuzz(500)
@given(data=st.data())
def test_calendar_bytes(world: dict[str, Any], data: st.DataObject) -> None:
    _attempt(world, data.draw(_variants(world["calendar"])), _calendar_load, _calendar_store)


# --- numbers beyond any sane range (issue 18) ------------------------------------------
# A slot in the year 9999 and a calendar for 2150 were accepted: a slot lies within this
# year give or take one (the station's clock), a calendar year within 2000-2099.


@pytest.mark.parametrize("slot", ["9999-01-05T10:00", "0001-01-01T08:00", "2028-01-01T09:00", "2024-12-31T16:00"])
def test_an_appointment_slot_years_away_is_refused_naming_the_field(world: dict[str, Any], slot: str) -> None:
    from clerk_tui.services.sync.appointments import AppointmentsFileError

    doc = json.loads(json.dumps(world["appointments"]))
    doc["appointments"][1]["slot"] = slot
    world["scratch"].write_text(json.dumps(doc), encoding="utf-8")
    before = table_counts(world["station"].settings.database_path)
    with pytest.raises(AppointmentsFileError) as info:
        load_appointments_file(world["station"], world["scratch"])
    [problem] = info.value.problems
    assert problem.where == "appointments[1].slot" and problem.key == "appointments.slot_out_of_range"
    assert slot in info.value.lines()[0] and "2025–2027" in info.value.lines()[0]
    assert table_counts(world["station"].settings.database_path) == before


@pytest.mark.parametrize("years", [[2150], [2**63 + 5], [1999], [2031, True]])
def test_a_calendar_year_out_of_range_is_refused(world: dict[str, Any], years: list[Any]) -> None:
    doc = {**world["calendar"], "years": years, "holidays": [], "workdays": []}
    world["scratch"].write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ClerkError) as info:
        load_calendar_file(world["scratch"])
    assert info.value.key in ("calendar.file_year_out_of_range", "calendar.file_bad_years")
    assert len(info.value.message()) < 120


# --- absurd files (issue 18): refused by a stated limit, nothing written -----------------


def _absurd(world: dict[str, Any]) -> list[tuple[str, Any, bytes]]:
    from clerk_tui.services.sync.appointments import MAX_APPOINTMENTS

    years = list(range(1901, 2200))
    centuries = {
        **world["calendar"],
        "years": years,
        "holidays": [{"name": "全年", "from": f"{y}-01-01", "to": f"{y}-12-31"} for y in years],
        "workdays": [],
    }
    no_working_day = {**centuries, "years": [2031], "holidays": [{"from": "2031-01-01", "to": "2031-12-31"}]}
    many = {**world["appointments"], "appointments": [{}] * (MAX_APPOINTMENTS + 1)}
    twice = json.dumps(world["appointments"])[:-1] + ', "appointments": []}'
    return [
        ("calendar 1901-2199", _calendar_load, json.dumps(centuries).encode()),
        ("a year without a working day", _calendar_load, json.dumps(no_working_day).encode()),
        ("more appointments than the limit", load_appointments_file, json.dumps(many).encode()),
        ("appointments given twice", load_appointments_file, twice.encode()),
    ]


def test_absurd_files_stay_refused(world: dict[str, Any]) -> None:
    station = world["station"]
    before = table_counts(station.settings.database_path)
    for name, load, raw in _absurd(world):
        world["scratch"].write_bytes(raw)
        with pytest.raises(ClerkError) as caught:
            load(station, world["scratch"])
        assert caught.value.message(), name
    assert table_counts(station.settings.database_path) == before
