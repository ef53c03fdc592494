"""Hostile sync bundles: whatever a stick brings, a clear BundleError, and the centre unchanged.

Random bytes, truncated and altered files, zips rebuilt with traversal, absolute and
duplicate member names, zip bombs, absurd declared sizes, manifests with any value in
any field or in the wrong encoding, and JSON Lines members with any content (checksums
made to match, so the records themselves get read and merged). `verify_bundle` must answer
with a `BundleError` carrying a message, and a merge that fails must leave the centre
database exactly as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import warnings
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.clock import FixedClock
from clerk_tui.errors import ClerkError
from clerk_tui.services.station.setup import DEMO_SETTINGS, ensure_catalog, open_station
from clerk_tui.services.sync import crypto, keys
from clerk_tui.services.sync.bundle import MANIFEST, BundleError, verify_bundle
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.merge import merge_bundle
from tests.conftest import table_counts
from tests.sync_helpers import make_centre, populate


def fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=10,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real bundle from a populated station, a centre database, and a scratch file."""
    tmp = tmp_path_factory.mktemp("bundles")
    clock = FixedClock(datetime(2026, 11, 24, 9, 30))
    station = open_station(replace(DEMO_SETTINGS, data_dir=tmp / "station", database=tmp / "station.db"), clock)
    ensure_catalog(station)
    populate(station, 2)
    centre = make_centre(tmp)
    # A plain bundle (the station has not imported the centre's key; the centre accepts
    # those from enrolled stations), so the fuzz reaches the records themselves; the
    # "insider" cases below sign their changed manifest with the station's own key.
    enrolled = tmp / "station.pub.json"
    enrolled.write_text(json.dumps(keys.public_file(station.settings)), encoding="utf-8")
    keys.enrol(centre, enrolled)
    centre.settings = replace(centre.settings, extra={"sync": {"accept_unencrypted": True}})
    secret = keys.station_secret(station.settings)
    exported = export_bundle(station, tmp / "out")
    assert exported is not None
    station.close()
    raw = exported.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    yield {
        "raw": raw,
        "members": members,
        "centre": centre,
        "scratch": tmp / "fuzz.zip",
        "tmp": tmp,
        "secret": secret,
    }
    centre.close()


def _verify(path: Path) -> Any:
    """verify_bundle: a Bundle, or a BundleError that reads as a sentence. Nothing else."""
    try:
        return verify_bundle(path)
    except BundleError as exc:
        assert exc.message() and exc.key.startswith("sync.")
        return None


def _merge(world: dict[str, Any], path: Path) -> None:
    """Merge into the centre: refused whole (centre unchanged) or merged; never a crash."""
    centre = world["centre"]
    before = table_counts(centre.settings.database_path)
    try:
        result = merge_bundle(centre, path)
    except ClerkError as exc:  # a clerk-readable refusal outside the bundle checks
        assert exc.message()
        result = None
    if result is None or result.error is not None:
        if result is not None:
            assert result.error.message()
        assert table_counts(centre.settings.database_path) == before, "a refused bundle wrote to the centre"


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(out, "w", compression=method) as zf:
            for name, data in members:
                info = zipfile.ZipInfo(name, (2026, 11, 24, 9, 30, 0))
                info.compress_type = method
                zf.writestr(info, data)
    return out.getvalue()


def _manifest_for(members: dict[str, bytes], base: bytes) -> dict[str, Any]:
    """The original manifest with sizes, checksums and record counts made to match `members`."""
    doc = json.loads(base)
    doc["members"] = {
        n: {"sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in members.items() if n != MANIFEST
    }
    for name, data in members.items():
        if name.startswith("data/"):
            table = name[5:-6]
            if table in doc["tables"]:
                doc["tables"][table]["records"] = data.count(b"\n")
    return doc


def _signed(world: dict[str, Any], members: dict[str, bytes]) -> dict[str, bytes]:
    """The manifest signed by the station's own key: what an insider (or a station's bug) makes."""
    signature = crypto.sign(world["secret"], keys.MANIFEST_CONTEXT + members[MANIFEST])
    return {**members, "manifest.sig": crypto.b64(signature).encode("ascii")}


def _write(world: dict[str, Any], data: bytes) -> Path:
    path: Path = world["scratch"]
    path.write_bytes(data)
    return path


def test_the_real_bundle_verifies_and_merges(world: dict[str, Any]) -> None:
    path = _write(world, world["raw"])
    assert verify_bundle(path).manifest.records > 0
    assert merge_bundle(world["centre"], path).ok


@fuzz(400)
@given(raw=st.binary(max_size=3000) | st.binary(max_size=40).map(lambda b: b"PK\x03\x04" + b))
def test_random_bytes(world: dict[str, Any], raw: bytes) -> None:
    assert _verify(_write(world, raw)) is None


@fuzz(300)
@given(data=st.data())
def test_truncated(world: dict[str, Any], data: st.DataObject) -> None:
    raw = world["raw"]
    cut = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    assert _verify(_write(world, raw[:cut])) is None


@fuzz(500)
@given(data=st.data())
def test_altered_bytes(world: dict[str, Any], data: st.DataObject) -> None:
    raw = bytearray(world["raw"])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[at] = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b, old=raw[at]: b != old))
    path = _write(world, bytes(raw))
    bundle = _verify(path)
    if bundle is not None:  # a flip the zip format does not cover (a timestamp, a comment)
        _merge(world, path)


HOSTILE_NAMES = [
    "../../x",
    "../manifest.json",
    "/etc/passwd",
    "/manifest.json",
    "C:\\Windows\\x",
    "C:/x",
    "data\\ticket.jsonl",
    "data/../../x",
    "data/./ticket.jsonl",
    "data/ticket.jsonl\x00.txt",
    "data/evil.jsonl",
    "csv/../../.bashrc",
    "",
    "./manifest.json",
    "data/",
    "ＭＡＮＩＦＥＳＴ.json",
    "manifest.json ",
]


@fuzz(500)
@given(data=st.data())
def test_member_names(world: dict[str, Any], data: st.DataObject) -> None:
    """Traversal, absolute, drive-letter, duplicate and unknown names: refused before any read."""
    real = list(world["members"].items())
    names = st.sampled_from(HOSTILE_NAMES) | st.sampled_from([n for n, _ in real]) | st.text(max_size=30)
    members = data.draw(
        st.lists(st.tuples(names, st.sampled_from([d for _, d in real]) | st.binary(max_size=50)), max_size=6)
    )
    keep = data.draw(st.booleans())
    combined = (real if keep else []) + members
    order = data.draw(st.permutations(combined)) if len(combined) < 30 else combined
    path = _write(world, _zip(order))
    bundle = _verify(path)
    if members and any(name in HOSTILE_NAMES for name, _ in members):
        assert bundle is None, "a hostile member name got through"


@fuzz(800)
@given(data=st.data(), value=json_values)
def test_manifest_field_replaced(world: dict[str, Any], data: st.DataObject, value: Any) -> None:
    """Any value in any manifest field (checksums kept right): refused, or merged cleanly."""
    doc = json.loads(world["members"][MANIFEST])

    def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
        out = [prefix] if prefix else []
        if isinstance(node, dict):
            for k, v in node.items():
                out += paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out += paths(v, (*prefix, i))
        return out

    where = data.draw(st.sampled_from(paths(doc)))
    target = doc
    for part in where[:-1]:
        target = target[part]
    if data.draw(st.booleans()) and isinstance(target, dict):
        del target[where[-1]]
    else:
        target[where[-1]] = value
    members = dict(world["members"], **{MANIFEST: json.dumps(doc, ensure_ascii=False).encode()})
    path = _write(world, _zip(list(members.items())))
    if _verify(path) is not None:
        _merge(world, path)


@fuzz(150)
@given(
    encoding=st.sampled_from(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-32", "big5", "latin-1", "utf-8-sig"]),
    member=st.sampled_from([MANIFEST, "data/service_case.jsonl", "data/ticket.jsonl", "data/notice.jsonl"]),
)
def test_wrong_encodings(world: dict[str, Any], encoding: str, member: str) -> None:
    """A member re-encoded (GBK from a Windows tool, UTF-16 from Notepad), checksums made to match."""
    members = dict(world["members"])
    members[member] = members[member].decode("utf-8").encode(encoding, errors="replace")
    if member != MANIFEST:
        members[MANIFEST] = json.dumps(_manifest_for(members, world["members"][MANIFEST])).encode()
    path = _write(world, _zip(list(_signed(world, members).items())))
    if _verify(path) is not None:
        _merge(world, path)


line_values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**80)
    | st.floats()
    | st.text(max_size=12)
    | st.lists(st.integers(), max_size=2)
)


@fuzz(400)
@given(data=st.data())
def test_records_of_any_content(world: dict[str, Any], data: st.DataObject) -> None:
    """JSON Lines members with altered records, checksums and counts made to match: verify
    passes, so the merge itself must refuse the bundle whole or take it cleanly."""
    members = dict(world["members"])
    member = data.draw(st.sampled_from(sorted(n for n in members if n.startswith("data/"))))
    lines = members[member].decode().splitlines()
    records = [json.loads(line) for line in lines]
    how = data.draw(st.sampled_from(["field", "raw_line", "drop_field", "duplicate", "bytes"]))
    i = data.draw(st.integers(min_value=0, max_value=len(records) - 1))
    if how == "field":
        key = data.draw(st.sampled_from(sorted(records[i])) | st.text(max_size=6))
        records[i][key] = data.draw(line_values)
        body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode() + b"\n"
    elif how == "drop_field":
        records[i].pop(data.draw(st.sampled_from(sorted(records[i]))))
        body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode() + b"\n"
    elif how == "duplicate":
        body = members[member] + lines[i].encode() + b"\n"
    elif how == "raw_line":
        lines[i] = data.draw(st.text(max_size=60))
        body = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    else:
        body = data.draw(st.binary(max_size=200)) + b"\n"
    members[member] = body
    members[MANIFEST] = json.dumps(_manifest_for(members, world["members"][MANIFEST])).encode()
    path = _write(world, _zip(list(_signed(world, members).items())))
    if _verify(path) is not None:
        _merge(world, path)


def _patch_sizes(raw: bytes, index: int, size: int, where: str) -> bytes:
    """Set the uncompressed size of member `index` in the central directory and/or local header."""
    data = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        info = zf.infolist()[index]
    if where in ("local", "both"):
        struct.pack_into("<I", data, info.header_offset + 22, size)
    if where in ("central", "both"):
        pos, seen = data.find(b"PK\x01\x02"), 0
        while seen < index:
            pos, seen = data.find(b"PK\x01\x02", pos + 4), seen + 1
        struct.pack_into("<I", data, pos + 24, size)
    return bytes(data)


@fuzz(300)
@given(data=st.data())
def test_absurd_declared_sizes(world: dict[str, Any], data: st.DataObject) -> None:
    raw = _zip(list(world["members"].items()))
    count = len(world["members"])
    index = data.draw(st.integers(min_value=0, max_value=count - 1))
    size = data.draw(st.sampled_from([0, 1, 0xFFFFFFFE, 0xFFFFFFFF, 0x7FFFFFFF]) | st.integers(0, 0xFFFFFFFF))
    patched = _patch_sizes(raw, index, size, data.draw(st.sampled_from(["local", "central", "both"])))
    path = _write(world, patched)
    if _verify(path) is not None:
        _merge(world, path)


def test_zip_bombs(world: dict[str, Any]) -> None:
    """Highly compressible huge members are refused from the zip directory, before inflating."""
    zeros = b"\0" * (64 << 20)  # 64 MiB of zeros deflates to ~64 KiB
    for name in ("data/ticket.jsonl", MANIFEST, "csv/ticket.csv"):
        members = dict(world["members"], **{name: zeros})
        if name != MANIFEST:
            members[MANIFEST] = json.dumps(_manifest_for(members, world["members"][MANIFEST])).encode()
        path = _write(world, _zip(list(members.items())))
        with pytest.raises(BundleError) as caught:
            verify_bundle(path)
        assert caught.value.key in ("sync.member_bomb", "sync.member_too_large")
        before = table_counts(world["centre"].settings.database_path)
        assert merge_bundle(world["centre"], path).error is not None
        assert table_counts(world["centre"].settings.database_path) == before
    # A bomb whose directory lies (says 10 bytes): reading stops at the declared size.
    members = dict(world["members"], **{"data/ticket.jsonl": zeros})
    raw = _zip(list(members.items()))
    index = list(members).index("data/ticket.jsonl")
    with pytest.raises(BundleError):
        verify_bundle(_write(world, _patch_sizes(raw, index, 10, "both")))


def test_deep_json_and_huge_numbers_in_the_manifest(world: dict[str, Any]) -> None:
    for manifest in (
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": ' + b"9" * 5000 + b"}",
        json.dumps(dict(json.loads(world["members"][MANIFEST]), bundle_seq=2**64)).encode(),
    ):
        path = _write(world, _zip(list(dict(world["members"], **{MANIFEST: manifest}).items())))
        assert _verify(path) is None
