"""Catalog import: validation names the matter, field and place; bad files change nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from clerk_tui.models import CatalogVersion, Material, Matter
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.catalog.file import CatalogFileError, describe_problem, parse_catalog
from clerk_tui.services.catalog.importer import import_catalog_file
from clerk_tui.services.context import Station


def bundled() -> dict[str, Any]:
    return json.loads(bundled_catalog().read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: Any, name: str = "catalog.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot(station: Station) -> list[Any]:
    """Every row of every catalog table, to prove a failed import changed nothing."""
    with station.engine.connect() as conn:
        return [
            conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).fetchall()
            for table in ("catalog_version", "department", "matter", "material", "counter")
        ]


def test_bundled_catalog_imports_every_matter_and_material(empty_station: Station) -> None:
    doc = bundled()
    report = import_catalog_file(empty_station, bundled_catalog())
    assert report.new == len(doc["matters"]) >= 13
    assert report.materials == sum(len(m["materials"]) for m in doc["matters"]) >= 75
    with empty_station.read() as session:
        assert session.execute(select(func.count()).select_from(Matter)).scalar() == report.new
        assert session.execute(select(func.count()).select_from(Material)).scalar() == report.materials


def test_pinyin_full_and_initials_are_stored(station: Station) -> None:
    with station.read() as session:
        matter = session.execute(select(Matter).where(Matter.name == "个体工商户设立登记")).scalar_one()
        residence = session.execute(select(Matter).where(Matter.name.startswith("居住证办理"))).scalar_one()
    assert matter.name_pinyin == "getigongshanghushelidengji"
    assert matter.name_initials.startswith("gtgsh")
    assert residence.name_initials.startswith("jzz")


def test_reimporting_the_same_file_changes_nothing(station: Station) -> None:
    before = snapshot(station)
    report = import_catalog_file(station, bundled_catalog())
    assert report.already_imported
    assert snapshot(station) == before


def test_reformatted_same_content_is_still_the_same_catalog(station: Station, tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(bundled(), ensure_ascii=False, indent=4), encoding="utf-8")
    before = snapshot(station)
    assert import_catalog_file(station, path).already_imported
    assert snapshot(station) == before


def test_a_new_version_updates_changed_matters_and_retires_dropped_ones(station: Station, tmp_path: Path) -> None:
    doc = bundled()
    doc["label"] = "2026.12"
    changed = doc["matters"][0]
    changed["materials"] = changed["materials"][:2]
    dropped = doc["matters"].pop()
    report = import_catalog_file(station, write(tmp_path, doc))
    assert (report.updated, report.retired, report.new) == (1, 1, 0)
    assert report.unchanged == len(doc["matters"]) - 1
    with station.read() as session:
        m = session.execute(select(Matter).where(Matter.code == changed["code"])).scalar_one()
        assert m.version == 2
        assert (
            session.execute(select(func.count()).select_from(Material).where(Material.matter_id == m.id)).scalar() == 2
        )
        gone = session.execute(select(Matter).where(Matter.code == dropped["code"])).scalar_one()
        assert gone.active is False
        assert session.execute(select(func.count()).select_from(CatalogVersion)).scalar() == 2


def _broken(mutate) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    doc = copy.deepcopy(bundled())
    mutate(doc)
    return doc


def _set(path: list[Any], value: Any):  # type: ignore[no-untyped-def]
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for part in path[:-1]:
            target = target[part]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


BROKEN = {
    "missing field": (_set(["matters", 2, "name"], KeyError), "matters[2].name", "缺少必填字段"),
    "wrong type": (_set(["matters", 1, "visits"], "一次"), "matters[1].visits", "类型错误"),
    "bool for int": (
        _set(["matters", 1, "materials", 0, "copies"], True),
        "matters[1].materials[0].copies",
        "类型错误",
    ),
    "unknown task type": (_set(["matters", 0, "task_type"], "99"), "matters[0].task_type", "未知代码 99"),
    "unknown necessity": (
        _set(["matters", 3, "materials", 1, "necessity"], 7),
        "matters[3].materials[1].necessity",
        "未知代码 7",
    ),
    "unknown project type": (_set(["matters", 2, "project_type"], 5), "matters[2].project_type", "未知代码 5"),
    "unknown department": (_set(["matters", 4, "department"], "NOPE"), "matters[4].department", "NOPE"),
    "duplicate code": (
        lambda doc: doc["matters"][5].__setitem__("code", doc["matters"][0]["code"]),
        "matters[5].code",
        "重复",
    ),
    "promised without limit": (
        lambda doc: (doc["matters"][0].__setitem__("project_type", 2), doc["matters"][0].pop("promised_limit")),
        "matters[0].promised_limit",
        "承诺时限",
    ),
}


def test_matters_neither_on_the_spot_nor_promised_import(empty_station: Station, tmp_path: Path) -> None:
    """上报件 (3), 联办件 (4) and 其他 (9) are 办件类型 of the implementation lists too; a
    matter of those kinds needs no promised limit."""
    doc = bundled()
    for index, kind in ((0, 3), (1, 4), (2, 9)):
        doc["matters"][index]["project_type"] = kind
    doc["matters"][1].pop("promised_limit", None)
    import_catalog_file(empty_station, write(tmp_path, doc))
    with empty_station.read() as session:
        kinds = {m.code: m.project_type for m in session.execute(select(Matter)).scalars()}
    assert [kinds[doc["matters"][i]["code"]] for i in range(3)] == [3, 4, 9]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_kind_of_broken_file_is_rejected_whole(station: Station, tmp_path: Path, case: str) -> None:
    mutate, where, words = BROKEN[case]
    doc = _broken(mutate)
    doc["label"] = "broken"
    before = snapshot(station)
    with pytest.raises(CatalogFileError) as caught:
        import_catalog_file(station, write(tmp_path, doc))
    lines = [describe_problem(p) for p in caught.value.problems]
    assert any(where in line and words in line for line in lines), lines
    matter_names = {p.matter for p in caught.value.problems}
    assert matter_names - {""}, "the problem names its matter"
    assert snapshot(station) == before


@pytest.mark.parametrize(
    "content, key",
    [
        ('{"format": "clerk-tui-catalog", "format_version": 1, "matters": [', "catalog.bad_json"),
        ("[1, 2, 3]", "catalog.wrong_type"),
        ('{"format": "something-else"}', "catalog.not_catalog"),
        ('{"format": "clerk-tui-catalog", "format_version": 9}', "catalog.format_version"),
    ],
)
def test_file_level_problems(station: Station, tmp_path: Path, content: str, key: str) -> None:
    before = snapshot(station)
    with pytest.raises(CatalogFileError) as caught:
        import_catalog_file(station, write(tmp_path, content))
    assert caught.value.problems[0].key == key
    assert snapshot(station) == before


def test_bad_json_says_where(tmp_path: Path) -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(b'{\n "format": "clerk-tui-catalog",\n "label": oops\n}')
    assert caught.value.problems[0].where.startswith("line 3")


def test_not_utf8_is_rejected() -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog('{"label": "个体工商户设立登记"}'.encode("gbk"))
    assert caught.value.problems[0].key == "catalog.not_utf8"


def test_agency_codes_with_bad_checksums_are_accepted(empty_station: Station, tmp_path: Path) -> None:
    """Real 实施编码 sometimes carry agency codes that fail their checksum (DOMAIN.md)."""
    doc = bundled()
    doc["matters"][0]["code"] = doc["matters"][0]["code"].replace("11510199MB0000001C", "11510199MB0000001X")
    assert import_catalog_file(empty_station, write(tmp_path, doc)).new == len(doc["matters"])


def test_catalog_ids_are_the_same_on_every_station(station: Station, settings, tmp_path: Path) -> None:
    """Cases merged at the centre refer to matters by id: two stations must agree on them."""
    from dataclasses import replace

    from clerk_tui.services.station.setup import open_station

    other = open_station(replace(settings, database=tmp_path / "other.db"), station.clock)
    import_catalog_file(other, bundled_catalog())

    def ids(s: Station) -> list[Any]:
        with s.engine.connect() as conn:
            return [
                conn.execute(text(f"SELECT id FROM {table} ORDER BY id")).fetchall()
                for table in ("catalog_version", "department", "matter", "material")
            ]

    assert ids(station) == ids(other)
    other.close()


# --- big and absurd files (issue 18): read as a stream, limits named -------------------


def test_more_matters_than_the_limit_are_refused_naming_it(station: Station, tmp_path: Path) -> None:
    from clerk_tui.services.catalog.file import MAX_MATTERS

    doc = bundled()
    doc["matters"] = [{}] * (MAX_MATTERS + 1)  # read to the end, checked no further than needed
    before = snapshot(station)
    with pytest.raises(CatalogFileError) as caught:
        import_catalog_file(station, write(tmp_path, doc))
    limit = next(p for p in caught.value.problems if p.key == "catalog.too_many_matters")
    assert f"{MAX_MATTERS:,}" in describe_problem(limit) and f"{MAX_MATTERS + 1:,}" in describe_problem(limit)
    assert snapshot(station) == before


def test_a_matter_larger_than_the_limit_is_refused(station: Station, tmp_path: Path) -> None:
    from clerk_tui.services.catalog.file import MAX_MATTER_CHARS

    doc = bundled()
    doc["matters"][3]["note"] = "长" * MAX_MATTER_CHARS
    before = snapshot(station)
    with pytest.raises(CatalogFileError) as caught:
        import_catalog_file(station, write(tmp_path, doc))
    problem = caught.value.problems[0]
    assert problem.key == "catalog.value_too_large" and problem.where.startswith("line 1, column ")
    assert f"{MAX_MATTER_CHARS:,}" in describe_problem(problem)
    assert snapshot(station) == before


def test_the_content_hash_is_the_one_earlier_versions_stored() -> None:
    """A catalog imported before the file was streamed is still recognised as imported."""
    import hashlib

    raw = bundled_catalog().read_bytes()
    doc = json.loads(raw)
    whole = {"label": doc["label"], "departments": doc["departments"], "matters": doc["matters"]}
    earlier = hashlib.sha256(json.dumps(whole, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert parse_catalog(raw).sha256 == earlier


def test_matters_before_the_header_are_read_again(empty_station: Station, tmp_path: Path) -> None:
    doc = bundled()
    reordered = {"matters": doc.pop("matters"), **doc}
    path = write(tmp_path, reordered)
    report = import_catalog_file(empty_station, path)
    assert report.new == len(reordered["matters"]) and report.materials >= 75
    assert import_catalog_file(empty_station, bundled_catalog()).already_imported  # the same content


def test_a_file_changed_between_the_check_and_the_import_changes_nothing(station: Station, tmp_path: Path) -> None:
    from clerk_tui.services.catalog.file import read_catalog_file
    from clerk_tui.services.catalog.importer import apply_catalog

    doc = bundled()
    doc["label"] = "2026.12"
    path = write(tmp_path, doc)
    checked = read_catalog_file(path)
    doc["matters"][-1]["name"] = "改过的事项"
    write(tmp_path, doc)
    before = snapshot(station)
    with pytest.raises(CatalogFileError) as caught:
        apply_catalog(station, checked)
    assert caught.value.problems[0].key == "catalog.changed"
    assert snapshot(station) == before


def _import_peak(settings: Any, clock: Any, path: Path, name: str) -> int:
    """Peak memory Python allocated while importing `path` into a new station."""
    import gc
    import tracemalloc
    from dataclasses import replace

    from clerk_tui.services.station.setup import open_station

    station = open_station(replace(settings, database=path.parent / f"{name}.db"), clock)
    try:
        gc.collect()
        tracemalloc.start()
        try:
            import_catalog_file(station, path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        station.close()


def test_memory_does_not_grow_with_the_number_of_matters(
    station: Station, clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """4x the matters costs only the codes seen (for duplicates): ~310 bytes a matter
    measured. Parsing the file whole cost ~12.9 KB a matter (+11.6 MB here)."""
    from bench.generate import generate_catalog_file
    from clerk_tui.services.catalog import importer

    monkeypatch.setattr(importer, "BATCH", 20, raising=False)  # a batch is bounded: keep it out of the sums
    n = 300
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    generate_catalog_file(small, matters=n)
    generate_catalog_file(large, matters=4 * n)
    small_peak = _import_peak(station.settings, clock, small, "small")
    large_peak = _import_peak(station.settings, clock, large, "large")
    assert large_peak - small_peak < 3 * n * 600, (small_peak, large_peak)
