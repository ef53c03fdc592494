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
