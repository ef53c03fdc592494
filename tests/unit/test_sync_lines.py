"""A bundle's JSON Lines, written a batch at a time (`bundle.encode_lines`): character for
character what encoding each record on its own gives, whatever its text holds."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from clerk_tui.services.sync.bundle import encode_lines
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.wire import table_codec
from tests.sync_helpers import edit_case, populate

# Text that would cut a batch wrongly if the encoder left it raw: the cut character itself,
# a row boundary as the batch's text spells it, quotes, a backslash, a format placeholder.
TRICKY = 'a\x1fb]\x1f[c "q" \\ %s %% 中文'


def test_a_batch_is_each_record_on_its_line() -> None:
    columns = ("id", "note", "n", "flag")
    values = ["r1", TRICKY, 3, True, "r2", None, -1, False, "r3", "]", 0, None]
    # Worked out by hand: the cut character as \u001f, the quote and backslash escaped,
    # `%` and the Chinese left as they are (in UTF-8), null/true/false as JSON spells them.
    assert (
        encode_lines(columns, values)
        == (
            '{"id":"r1","note":"a\\u001fb]\\u001f[c \\"q\\" \\\\ %s %% 中文","n":3,"flag":true}\n'
            '{"id":"r2","note":null,"n":-1,"flag":false}\n'
            '{"id":"r3","note":"]","n":0,"flag":null}\n'
        ).encode()
    )
    assert encode_lines(columns, []) == b""
    with pytest.raises(ValueError):
        encode_lines(columns, values[:-1])  # a row short of a value


def test_a_value_that_is_a_list_is_still_written_whole() -> None:
    """No column holds a list or an object; if one did, its commas would cut the batch into
    too many values: such a batch is written record by record, and comes out the same."""
    columns = ("id", "v")
    values = ["r1", [1, 2], "r2", {"k": "x", "j": None}, "r3", []]
    assert (
        encode_lines(columns, values)
        == b'{"id":"r1","v":[1,2]}\n{"id":"r2","v":{"k":"x","j":null}}\n{"id":"r3","v":[]}\n'
    )


def test_rows_are_encoded_as_the_wire_format_column_by_column() -> None:
    """`encode_values` gives the rows' values as they travel, row after row in column order,
    nulls left null."""
    codec = table_codec("service_case", ("id", "received_at", "promised_deadline", "version", "assistance"))
    rows = [
        ("c1", datetime(2026, 11, 24, 9, 23), date(2026, 12, 8), 1, "none"),
        ("c2", datetime(2026, 11, 24, 9, 23, 0, 60000), None, 2, None),
    ]
    assert codec.encode_values(rows) == [
        *("c1", "2026-11-24T09:23:00.000000", "2026-12-08", 1, "none"),
        *("c2", "2026-11-24T09:23:00.060000", None, 2, None),
    ]
    assert codec.encode(rows[1]) == {
        "id": "c2",
        "received_at": "2026-11-24T09:23:00.060000",
        "promised_deadline": None,
        "version": 2,
        "assistance": None,
    }
    assert codec.encode_values([]) == []
    with pytest.raises(ValueError):
        codec.encode_values([("c3", None)])  # a row short of its values


def test_exported_lines_are_the_records_encoded_one_by_one(station, tmp_path: Path) -> None:
    """Through the export, on both stores: the tricky note arrives as written, and every line
    is exactly the compact JSON of its own record, in column order."""
    case_ids = populate(station, 3)
    edit_case(station, case_ids[1], notes=TRICKY)
    result = export_bundle(station, tmp_path, full=True)
    assert result is not None and not result.encrypted
    with zipfile.ZipFile(result.path) as zf:
        text = zf.read("data/service_case.jsonl").decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 4
    records = [json.loads(line) for line in lines[:-1]]
    for line, record in zip(lines[:-1], records, strict=True):
        assert line == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        assert list(record) == list(result_columns(result.path))
    assert [r["notes"] for r in records if r["id"] == case_ids[1]] == [TRICKY]
    assert '"notes":"a\\u001fb]\\u001f[c \\"q\\" \\\\ %s %% 中文"' in text


def result_columns(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))["tables"]["service_case"]["columns"]
