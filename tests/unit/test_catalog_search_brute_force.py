"""The catalog index answers exactly what reading every matter in order answers.

The index (`clerk_tui.services.catalog.substring`) finds rows through n-grams of the
distinct names and runs of rows; `brute_force` below reads every row of a generated
catalog the plain way, following the rules in `search.py`'s docstrings: the first
`SCAN_CAP` rows (catalog order) per field, best quality per row, ties by shorter name,
then name, then row. Both must agree on the hits, their quality, the count and "N+",
for Chinese fragments, pinyin, initials, codes, single characters, aliases, department
names and exact names, with and without filters. The cap is made small so that most
queries hit it.
"""

from __future__ import annotations

import random

import pytest

from clerk_tui.services.catalog import search as catalog_search
from clerk_tui.services.catalog.search import (
    ALIAS,
    ALIASES,
    CODE_PREFIX,
    CONTAINS,
    DEPARTMENT,
    EXACT,
    PREFIX,
    Entry,
    SearchIndex,
    fold,
    normalize,
)

# Characters with their pinyin; "（" and "Ａ" fold to "(" and "a" in the names.
SYLLABLES = [
    ("登", "deng"), ("记", "ji"), ("个", "ge"), ("体", "ti"), ("工", "gong"), ("商", "shang"),
    ("户", "hu"), ("设", "she"), ("立", "li"), ("社", "she"), ("会", "hui"), ("保", "bao"),
    ("险", "xian"), ("医", "yi"), ("疗", "liao"), ("公", "gong"), ("积", "ji"), ("金", "jin"),
    ("不", "bu"), ("动", "dong"), ("产", "chan"), ("变", "bian"), ("更", "geng"), ("许", "xu"),
    ("可", "ke"), ("证", "zheng"), ("（", "("), ("）", ")"), ("Ａ", "a"), ("类", "lei"),
]  # fmt: skip
DEPARTMENTS = ["示例县市场监督管理局", "示例县社会保险事业管理局", "示例市医疗保障局", "示例省档案馆"]
# The names the aliases look for, so that some queries reach them.
ALIAS_NAMES = ["社会保险登记", "设立登记", "变更登记", "医疗保险参保", "公积金提取", "户籍证明", "不动产登记"]


def generated_catalog(seed: int) -> list[Entry]:
    """~300 matters over ~40 names: each name offered in several counties, in runs of
    consecutive rows (as a real catalog in code order) and also scattered."""
    rng = random.Random(seed)
    names = list(ALIAS_NAMES)
    while len(names) < 40:
        names.append("".join(rng.choice(SYLLABLES)[0] for _ in range(rng.randint(1, 7))))
    pinyin_of = dict(SYLLABLES)
    entries = []
    for matter in range(rng.randint(150, 320)):
        name = rng.choice(names)
        pinyin = "".join(pinyin_of.get(ch, ch) for ch in name).lower()
        initials = "".join(pinyin_of.get(ch, ch)[0] for ch in name).lower()
        if rng.random() < 0.05:  # a matter imported without pinyin
            pinyin = initials = ""
        basic = f"{rng.choice('5FA')}{rng.randint(0, 99):02d}{rng.choice('ABC')}{matter:04d}"
        for county in range(rng.choice([1, 1, 2, 3, 9])):  # the same matter in several counties
            code = f"{basic}-51{county:04d}-{rng.randint(0, 9)}"
            entries.append(
                Entry(
                    f"id{matter}-{county}",
                    code,
                    basic,
                    name,
                    pinyin,
                    initials,
                    rng.randrange(len(DEPARTMENTS)),
                    rng.choice(["01", "02", "07"]),
                    rng.choice([1, 2]),
                )
            )
    if rng.random() < 0.5:  # catalog order: by code, so counties of a matter are consecutive
        entries.sort(key=lambda e: e.code)
    return entries


def queries(entries: list[Entry], seed: int) -> list[str]:
    rng = random.Random(seed)
    found = ["", "z", "q", "1", "-", "(", "（", "ＧＥ", "火星", "社保", "医保", "shebao", "yibao", "gongji", "营业执照"]
    found += ["市场监督", "市场", "保险事业", "档案", "医疗保障局", "示例"]  # department names
    found += [ch for ch, _ in SYLLABLES]  # single characters
    for _ in range(80):
        e = rng.choice(entries)
        text = rng.choice([e.name, fold(e.name), e.pinyin, e.initials, e.code, e.basic_code, e.code.upper()])
        if not text:
            continue
        start = rng.randrange(len(text))
        found.append(text[start : start + rng.randint(1, 9)])  # fragments of one to nine characters
        found.append(text[: rng.randint(1, len(text))])  # prefixes
    found += [e.name for e in rng.sample(entries, 5)] + [e.code for e in rng.sample(entries, 5)]  # exact
    return found


def brute_force(entries: list[Entry], departments: list[str], query: str, cap: int):
    """The answer (every hit, ranked) by reading every row in order; one word: no spaces."""
    q = normalize(query)
    if not q:
        return [(e.id, CONTAINS) for e in entries], len(entries), False
    quality: dict[int, int] = {}
    capped = False
    rows = range(len(entries))
    names = [fold(e.name) for e in entries]

    def add(found: list[int], level: int) -> None:
        for row in found:
            quality[row] = min(quality.get(row, level), level)

    def first(matching: list[int]) -> list[int]:
        nonlocal capped
        capped |= len(matching) > cap
        return matching[:cap]

    if q.isascii() and set(q) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"):
        for codes in ([e.code.lower() for e in entries], [e.basic_code.lower() for e in entries]):
            by_code = sorted(rows, key=lambda r: (codes[r], r))
            add(first([r for r in by_code if codes[r].startswith(q)]), CODE_PREFIX)
    fields = [names] + ([[e.pinyin for e in entries], [e.initials for e in entries]] if q.isascii() else [])
    for texts in fields:
        found = first([r for r in rows if q in texts[r]])
        add([r for r in found if texts[r].startswith(q)], PREFIX)
        add(found, CONTAINS)
    for alias in ALIASES.get(q, ()):
        add(first([r for r in rows if alias in names[r]]), ALIAS)
    if not q.isascii() and len(q) >= 2:
        for dept, name in enumerate(departments):
            if q in name:
                add(first([r for r in rows if entries[r].department == dept]), DEPARTMENT)
    for row in quality:
        if q in (names[row], entries[row].code.lower(), entries[row].basic_code.lower()):
            quality[row] = EXACT
    ranked = sorted(quality, key=lambda r: (quality[r], len(entries[r].name), entries[r].name, r))
    return [(entries[r].id, quality[r]) for r in ranked], len(quality), capped


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cap", [7, 40])
def test_index_answers_as_reading_every_row(monkeypatch, seed: int, cap: int) -> None:
    monkeypatch.setattr(catalog_search, "SCAN_CAP", cap)
    entries = generated_catalog(seed)
    departments = [(f"D{i}", name) for i, name in enumerate(DEPARTMENTS)]
    index = SearchIndex(("k",), entries, departments, ["01", "02", "07"])
    names = [name for _, name in departments]
    checked = 0
    for department, task_type in [(None, None), ("D1", None), (None, "01"), ("D0", "02")]:
        dept = None if department is None else int(department[1:])
        rows = [e for e in entries if dept in (None, e.department) and task_type in (None, e.task_type)]
        for query in queries(entries, seed):
            hits, total, capped = brute_force(rows, names, query, cap)
            for limit in (5, 200):
                result = index.search(query, department, task_type, limit=limit)
                answer = ([(h.entry.id, h.quality) for h in result.hits], result.total, result.capped)
                assert answer == (hits[:limit], total, capped), (query, department, task_type)
                checked += 1
    assert checked > 1000
