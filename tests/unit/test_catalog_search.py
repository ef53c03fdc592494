"""Catalog search semantics: substring, code prefix, pinyin, initials, filters, nothing found."""

from __future__ import annotations

import pytest

from clerk_tui.services.catalog import search as catalog_search
from clerk_tui.services.catalog.search import (
    CODE_PREFIX,
    EXACT,
    PREFIX,
    Entry,
    SearchIndex,
    load_index,
    matter_guide,
)


@pytest.fixture
def index(station) -> SearchIndex:
    return load_index(station)


def names(result) -> list[str]:
    return [h.entry.name for h in result.hits]


def test_name_substring(index) -> None:
    assert names(index.search("工商户")) == ["个体工商户设立登记"]
    assert set(names(index.search("登记"))) >= {"公司设立登记", "个体工商户设立登记", "生育登记"}


@pytest.mark.parametrize("query", ["社保", "公积"])
def test_two_character_chinese_queries(index, query) -> None:
    result = index.search(query)
    assert not result.empty
    if query == "公积":
        assert names(result) == ["住房公积金提取（购房/还贷/租房）"]
    else:  # 社保 is a short form: it finds the social-insurance matters
        assert all("保险" in n for n in names(result))


def test_full_pinyin_and_initials(index) -> None:
    assert names(index.search("gtgsh")) == ["个体工商户设立登记"]
    assert names(index.search("jzz")) == ["居住证办理（首次申领）"]
    assert names(index.search("getigongshanghu")) == ["个体工商户设立登记"]
    assert "个体工商户设立登记" in names(index.search("Ge Ti"))  # spaces and case do not matter
    assert "住房公积金提取（购房/还贷/租房）" in names(index.search("gongjijin"))


def test_code_prefix_basic_and_implementation(index, station) -> None:
    by_basic = index.search("511A0074")
    assert names(by_basic) == ["个体工商户设立登记"]
    assert by_basic.hits[0].quality == CODE_PREFIX
    assert set(names(index.search("511a"))) == {"公司设立登记", "个体工商户设立登记", "道路货物运输经营许可"}
    full = next(e.code for e in index.entries if e.name == "生育登记")
    exact = index.search(full)
    assert names(exact) == ["生育登记"] and exact.hits[0].quality == EXACT
    assert names(index.search("DEMO-WJ")) == ["生育登记"]


def test_ranking_prefix_before_contains(index) -> None:
    hits = index.search("生育").hits
    assert hits[0].entry.name == "生育登记" and hits[0].quality == PREFIX


def test_filters_department_and_type(index) -> None:
    social = next(code for code, name in index.departments if "社会保险" in name)
    result = index.search("", department=social)
    assert result.total == 3 and all("保险" in n or "养老" in n for n in names(result))
    licences = index.search("", task_type="01")
    assert set(names(licences)) == {"公司设立登记", "个体工商户设立登记", "道路货物运输经营许可"}
    assert names(index.search("登记", task_type="01")) == ["公司设立登记", "个体工商户设立登记"]
    assert index.search("居住证", department=social).empty  # a match outside the filter is not shown
    assert index.search("", department=social, task_type="01").empty


def test_nothing_found(index) -> None:
    for query in ("火星移民", "zzzzqx", "999999"):
        result = index.search(query)
        assert result.empty and result.total == 0 and not result.capped


def test_empty_query_lists_everything(index) -> None:
    result = index.search("   ")
    assert result.total == 13 and len(result.hits) == 13


def test_department_name_finds_its_matters(index) -> None:
    assert set(names(index.search("市场监督"))) == {"公司设立登记", "个体工商户设立登记"}


def test_index_is_cached_until_the_catalog_changes(station, index) -> None:
    assert load_index(station) is index
    from sqlalchemy import select

    from clerk_tui.models import Matter

    with station.write() as session:  # any catalog change bumps change_seq
        matter = session.execute(select(Matter).where(Matter.name == "生育登记")).scalar_one()
        matter.active = False
    fresh = load_index(station)
    assert fresh is not index and "生育登记" not in names(fresh.search("生育"))


def test_many_hits_are_capped_and_counted_as_lower_bound(monkeypatch) -> None:
    monkeypatch.setattr(catalog_search, "SCAN_CAP", 50)
    entries = [
        Entry(str(i), f"C{i:05d}", f"B{i:05d}", f"测试事项{i}登记", f"ceshishixiang{i}dengji", f"cssx{i}dj", 0, "20", 1)
        for i in range(500)
    ]
    index = SearchIndex(("k",), entries, [("D1", "测试局")], ["20"])
    result = index.search("dj", limit=20)
    assert result.capped and result.total >= 50 and len(result.hits) == 20
    exact = index.search("测试事项123登记")
    assert exact.hits[0].entry.name == "测试事项123登记" and exact.hits[0].quality == EXACT


def test_guide_has_every_field_and_material(station, index) -> None:
    entry = index.search("gtgsh").hits[0].entry
    guide = matter_guide(station, entry.id)
    assert guide is not None
    assert guide.department == "示例县市场监督管理局"
    assert len(guide.materials) == 5
    assert [m.condition for m in guide.materials if m.condition] == ["委托他人代办时", "经营范围涉及前置许可时"]
    assert guide.legal_basis and guide.task_type == "01"


def test_full_width_characters_search_as_ordinary_ones(index) -> None:
    """An IME left in full-width mode types ＧＴＧＳＨ or ５１１Ａ００７４: same answers."""
    assert names(index.search("ＧＴＧＳＨ")) == ["个体工商户设立登记"]
    assert names(index.search("５１１Ａ００７４")) == ["个体工商户设立登记"]
    assert names(index.search("住房公积金提取(购房")) == ["住房公积金提取（购房/还贷/租房）"]  # half-width bracket


def test_several_words_must_all_match_in_any_order(index) -> None:
    assert names(index.search("登记 个体")) == ["个体工商户设立登记"]
    assert names(index.search("个体　登记")) == ["个体工商户设立登记"]  # a full-width space
    assert names(index.search("shengyu dengji")) == ["生育登记"]
    assert set(names(index.search("登记 市场监督"))) == {"公司设立登记", "个体工商户设立登记"}
    assert index.search("生育 公积金").empty


def test_loading_the_index_leaves_other_objects_collectable(station) -> None:
    """Loading the index once called `gc.freeze()`, which put every object alive in the
    process out of the collector's reach for good: a screen open while the catalog loaded
    (a cycle of widgets, like this one) was never freed after the clerk left it."""
    import gc
    import weakref

    class Node:
        pass

    screen = Node()
    screen.me = screen  # type: ignore[attr-defined]  # a cycle: only the collector frees it
    left = weakref.ref(screen)
    catalog_search._cache.clear()  # a first load, as after a catalog import
    load_index(station)
    del screen
    gc.collect()
    assert left() is None
    assert gc.get_freeze_count() == 0


def test_the_index_adds_almost_nothing_for_the_collector_to_track() -> None:
    """The rows are plain tuples, which the collector stops tracking: a catalog of
    thousands of matters costs a handful of tracked objects, not one per matter."""
    import gc

    gc.collect()
    before = len(gc.get_objects())
    entries = [
        Entry(str(i), f"C{i:05d}", f"B{i:05d}", f"测试事项{i}登记", f"ceshishixiang{i}dengji", f"cssx{i}dj", 0, "20", 1)
        for i in range(5000)
    ]
    index = SearchIndex(("k",), entries, [("D1", "测试局")], ["20"])
    index.search("dj")  # builds the shard
    del entries
    gc.collect()
    assert len(gc.get_objects()) - before < 100
    assert index.search("测试事项123登记").hits[0].entry.code == "C00123"


def test_an_index_of_names_not_in_runs_stays_compact() -> None:
    """A catalog whose names do not follow one another has one run per row: its n-gram
    index lists every row under every gram of its name. 60,000 rows cycling through 100
    names of 8 different characters: each name has 8 + 7 + 6 = 21 grams, so the index
    holds 60,000 x 21 = 1,260,000 run numbers. Packed two bytes each that is 2.5 MB (plus
    the grams and the runs themselves, under 1.5 MB); as tuples of integers, a pointer
    alone is 8 bytes (10 MB)."""
    import tracemalloc

    from clerk_tui.services.catalog.substring import SubstringIndex

    names = ["".join(chr(0x4E00 + 8 * k + j) for j in range(8)) for k in range(100)]
    values = [names[row % 100] for row in range(60_000)]
    tracemalloc.start()
    try:
        index = SubstringIndex(values)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 4 * 1_260_000
    rows, starting, more = index.find(names[7][2:5], cap=250)  # 3 characters of the 8th name
    assert list(rows) == list(range(7, 25_000, 100)) and list(starting) == [] and more
    assert list(index.rows_equal(names[7]))[:3] == [7, 107, 207]


def test_an_index_past_65536_runs_counts_them_in_four_bytes() -> None:
    """Run and row numbers are packed two bytes each while they fit (below 65,536), four
    past that: 70,000 rows alternating two names are 70,000 runs, and the last rows come
    back whole."""
    from clerk_tui.services.catalog.substring import SubstringIndex

    index = SubstringIndex(["甲乙", "乙丙"] * 35_000)
    rows, starting, more = index.find("乙丙", cap=70_000)
    assert list(rows) == list(range(1, 70_000, 2)) and not more
    assert list(starting) == list(range(1, 70_000, 2))
    assert list(index.find("乙", cap=70_000)[0])[-3:] == [69_997, 69_998, 69_999]
    assert list(index.rows_equal("甲乙"))[-1] == 69_998
