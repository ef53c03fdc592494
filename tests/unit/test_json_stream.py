"""The streaming JSON reader reads what json.loads reads, a piece at a time, within limits."""

from __future__ import annotations

import hashlib
import io
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_tui.json_stream import (
    Items,
    JsonReader,
    JsonStreamError,
    NotAnObjectError,
    NotUtf8Error,
    ValueTooLargeError,
    members,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)


class Trickle(io.RawIOBase):
    """A file that hands out a few bytes per read, so every token meets a chunk boundary."""

    def __init__(self, data: bytes, seed: int, most: int = 9) -> None:
        self.data, self.pos, self.rng, self.most = data, 0, random.Random(seed), most

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = min(size if size >= 0 else len(self.data), self.rng.randint(1, self.most))
        out = self.data[self.pos : self.pos + n]
        self.pos += len(out)
        return out


def load(handle: Any, limit: int = 1 << 20) -> dict[str, Any]:
    reader = JsonReader(handle)
    return {
        key: list(value) if isinstance(value, Items) else value
        for key, value in members(reader, stream=("items",), max_value=limit, max_item=limit)
    }


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    head=st.dictionaries(st.text(max_size=4).filter(lambda k: k != "items"), json_values, max_size=3),
    items=st.lists(json_values, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    ascii_only=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_the_same_document_as_json_loads(
    head: dict[str, Any], items: list[Any], indent: int | None, ascii_only: bool, seed: int
) -> None:
    raw = json.dumps({**head, "items": items}, indent=indent, ensure_ascii=ascii_only).encode()
    assert load(Trickle(raw, seed)) == json.loads(raw)
    assert load(io.BytesIO(raw)) == json.loads(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    items=st.lists(json_values, min_size=1, max_size=5),
    cut=st.floats(0, 1),
    junk=st.sampled_from(list(b'{}[],:"0a -.e\\')),
    seed=st.integers(0, 1000),
)
def test_a_broken_document_fails_where_json_loads_fails(items: list[Any], cut: float, junk: int, seed: int) -> None:
    raw = json.dumps({"a": 1, "items": items, "z": "end"}, indent=1).encode()
    at = int(cut * (len(raw) - 1))
    broken = raw[:at] + bytes([junk]) + raw[at + 1 :] if seed % 2 else raw[:at]
    try:
        expected: Any = json.loads(broken)
    except json.JSONDecodeError as exc:
        expected = exc
    try:
        got = load(Trickle(broken, seed))
    except NotAnObjectError:
        assert not isinstance(expected, (dict, Exception))
        return
    except JsonStreamError as exc:
        if exc.reason.startswith("duplicate key"):
            return  # json.loads keeps the last one; the stream refuses
        assert isinstance(expected, json.JSONDecodeError), (broken, exc)
        assert (exc.reason, exc.line, exc.column) == (expected.msg, expected.lineno, expected.colno)
        return
    assert got == expected


def test_a_long_file_in_big_and_small_pieces_with_its_hash_and_line_numbers() -> None:
    rng = random.Random(5)
    items = [
        {"id": f"YY{i}", "n": rng.random() * 10 ** rng.randint(0, 30), "s": "王" * rng.randint(0, 300)}
        for i in range(5000)
    ]
    items[2500]["big"] = "x" * 300_000  # longer than several reads
    raw = json.dumps({"a": 1, "items": items, "z": [1, 2]}, ensure_ascii=False, indent=1).encode()
    for seed in range(3):
        reader = JsonReader(Trickle(raw, seed, most=70_000))
        got = {k: list(v) if isinstance(v, Items) else v for k, v in members(reader, stream=("items",), **LIMITS)}
        assert got == {"a": 1, "items": items, "z": [1, 2]}
        assert reader.sha256.hexdigest() == hashlib.sha256(raw).hexdigest()
        assert reader.bytes_read == len(raw)
    cut = raw.index(b"}", len(raw) * 2 // 3)
    broken = raw[:cut] + b"@" + raw[cut + 1 :]
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    with pytest.raises(JsonStreamError) as caught:
        load(Trickle(broken, 1, most=70_000))
    assert (caught.value.line, caught.value.column) == (expected.value.lineno, expected.value.colno)


LIMITS = {"max_value": 1 << 20, "max_item": 1 << 20}


def test_limits_hold_for_elements_members_and_skipped_values() -> None:
    with pytest.raises(ValueTooLargeError) as caught:
        list(load(io.BytesIO(json.dumps({"items": [{"x": "y" * 5000}]}).encode()), limit=1000)["items"])
    assert caught.value.limit == 1000 and caught.value.line == 1
    with pytest.raises(ValueTooLargeError):
        load(io.BytesIO(json.dumps({"other": "y" * 5000}).encode()), limit=1000)
    # A member not kept is read a piece at a time: only its pieces must fit.
    raw = json.dumps({"other": [["y" * 500] * 10] * 10, "items": 5}).encode()
    reader = JsonReader(io.BytesIO(raw))
    assert list(members(reader, stream=("items",), keep=(), max_value=1000, max_item=1000)) == [("items", 5)]


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"[1, 2, 3]", NotAnObjectError),
        (b"null", NotAnObjectError),
        (b"", JsonStreamError),
        (b'{"a": 1}{', JsonStreamError),
        (b'{"a": 1, "a": 2}', JsonStreamError),
        (b"[" * 50_000 + b"]" * 50_000, JsonStreamError),
        (b'{"format": ' + b"7" * 5000 + b"}", JsonStreamError),
        (b"\xff{}", NotUtf8Error),
        (b'{"a": "\xe7\x8e"}', NotUtf8Error),
        (b'{"a": "\xe7\x8e', NotUtf8Error),
    ],
)
def test_what_is_refused(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        load(io.BytesIO(raw))


def test_a_byte_order_mark_is_allowed() -> None:
    assert load(io.BytesIO(b'\xef\xbb\xbf{"items": [1]}')) == {"items": [1]}
