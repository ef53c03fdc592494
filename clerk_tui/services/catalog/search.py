"""Search-as-you-type over the matter catalog, and the matter's guide (办事指南).

A province's catalog has ~56,000 matters; the clerk types a name fragment, a code, full
pinyin or pinyin initials and expects the list to follow each key press. Full-width
characters (ＡＢＣ１２３, an IME left in full-width mode) count as their ordinary forms, and
several words must all match, in any order (`登记 个体`). SQL `LIKE
'%x%'` cannot use an index and costs a full scan of the table per key (see
`bench/search.py`), so the searchable keys are loaded once, in a worker, into a compact
in-memory index:

- per field (names, full pinyin, initials) a `SubstringIndex`: an n-gram index over runs
  of rows with the same text (a county-by-county catalog has ~6,000 different names, its
  counties next to each other in code order), so a key press looks up a few posting
  lists instead of reading every name (see `substring`); department names likewise;
- the codes (实施编码 and 基本编码) sorted, so a code prefix is two bisections.

Every field hands back at most `SCAN_CAP` rows, the first in catalog order: a one-letter
query matches tens of thousands of matters, the clerk reads the first screenful, and the
count then says "N+". Filters by department and 事项类型 build (and cache) a smaller
index of the same shape.

The index is cached per database and rebuilt when the catalog changes (a catalog import
bumps `change_seq`).
"""

from __future__ import annotations

import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from clerk_tui.models import Department, Material, Matter
from clerk_tui.services.catalog.substring import SubstringIndex
from clerk_tui.services.context import Station

SCAN_CAP = 2000  # hits read per field before the count turns into "N+"
RESULT_LIMIT = 200  # rows handed to the screen
_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")

# Match quality, best first.
EXACT, CODE_PREFIX, PREFIX, CONTAINS, ALIAS, DEPARTMENT = range(6)

# Short forms clerks and applicants say that the catalog's formal names do not contain.
ALIASES: dict[str, tuple[str, ...]] = {
    "社保": ("社会保险", "养老保险", "失业保险", "工伤保险", "社保卡", "社会保障卡"),
    "医保": ("医疗保险", "医疗保障", "生育保险"),
    "公积": ("公积金",),
    "户口": ("户籍", "户口"),
    "营业执照": ("设立登记", "变更登记", "注销登记"),
    "房产证": ("不动产",),
}
# The same short forms typed in pinyin.
ALIASES.update({"shebao": ALIASES["社保"], "yibao": ALIASES["医保"], "gongji": ALIASES["公积"]})


class Entry(NamedTuple):
    """One active matter's searchable keys, as a search hit hands them out.

    The index itself keeps each entry as a plain tuple (`Row`): the cyclic garbage
    collector stops tracking a plain tuple of strings and integers (never a subclass such
    as this one), so 56,000 rows add nothing to every full collection while the clerk types.
    """

    id: str
    code: str
    basic_code: str
    name: str
    pinyin: str
    initials: str
    department: int  # position in SearchIndex.departments
    task_type: str
    project_type: int


Row = tuple[str, str, str, str, str, str, int, str, int]  # an Entry's fields, in order
_DEPARTMENT, _TASK_TYPE = Entry._fields.index("department"), Entry._fields.index("task_type")


def _row(entry: Entry) -> Row:
    return (*entry,)


class Hit(NamedTuple):
    """One row of an answer. A tuple, not a frozen dataclass: an answer makes up to 200 of
    them per key press, and a frozen dataclass sets each field through `object.__setattr__`."""

    entry: Entry
    quality: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    department: str | None
    task_type: str | None
    hits: list[Hit]
    total: int
    capped: bool  # total is a lower bound ("N+")

    @property
    def empty(self) -> bool:
        return not self.hits


def fold(text: str) -> str:
    """Full-width forms folded (NFKC: `ＡＢＣ１２３` is `abc123`, `（` is `(`), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def normalize(query: str) -> str:
    """Folded, without spaces: `Ge Ti` and `geti` search the same."""
    return "".join(fold(query).split())


class _Codes:
    """Codes sorted for prefix lookups."""

    def __init__(self, codes: Sequence[str]) -> None:
        lowered = list(map(str.lower, codes))
        self.rows = sorted(range(len(codes)), key=lowered.__getitem__)  # stable: equal codes in row order
        self.keys = list(map(lowered.__getitem__, self.rows))

    def equal(self, q: str) -> list[int]:
        """The rows whose code is `q` (lower case)."""
        return self.rows[bisect_left(self.keys, q) : bisect_right(self.keys, q)]

    def prefix(self, q: str, cap: int) -> tuple[list[int], int]:
        lo = bisect_left(self.keys, q)
        hi = bisect_left(self.keys, q + "\U0010ffff")
        return self.rows[lo : min(hi, lo + cap)], hi - lo


class _Shard:
    """The searchable form of a list of entries (the whole catalog or a filtered part)."""

    def __init__(self, rows: Sequence[Row], departments: Sequence[str], department_names: SubstringIndex) -> None:
        self.rows = rows
        self.departments = departments
        self.department_names = department_names  # the same for every shard
        n = len(rows)
        # The rows' fields as columns, read by name while building. (Not `zip(*rows)`: its
        # 56,000 iterators set off collection after collection, 0.3 s.)
        column = {name: list(map(itemgetter(i), rows)) for i, name in enumerate(Entry._fields)}
        names = column["name"]
        by_department: defaultdict[int, list[int]] = defaultdict(list)
        deque(map(list.append, map(by_department.__getitem__, column["department"]), range(n)), maxlen=0)
        # Tuples of integers, which the garbage collector stops tracking (see `Entry`).
        self.by_department = {dept: tuple(rows) for dept, rows in by_department.items()}
        folded_names = {name: fold(name) for name in set(names)}  # ~6,000 names for ~56,000 rows
        self.names = SubstringIndex(list(map(folded_names.__getitem__, names)))
        self.pinyin = SubstringIndex(column["pinyin"])
        self.initials = SubstringIndex(column["initials"])
        self.codes = _Codes(column["code"])
        self.basic = _Codes(column["basic_code"])
        # Each row's place among hits of equal quality (shorter name, then name, then row:
        # the sort is stable), worked out once here so that ranking hits sorts integers. In
        # arrays: a key press reads a few thousand places at random, one cache line each
        # (a list's int objects lie elsewhere: measured slower between SQL queries).
        order = sorted(range(n), key=list(zip(map(len, names), names, strict=True)).__getitem__)
        place = [0] * n
        deque(map(place.__setitem__, order, range(n)), maxlen=0)  # place[order[i]] = i
        self.place = array("I", place)
        self.by_place = array("I", order)

    def search(self, q: str, limit: int) -> tuple[list[Hit], int, bool]:
        table = self.rows
        if not q:
            return [Hit(Entry._make(row), CONTAINS) for row in table[:limit]], len(table), False
        # The rows each quality level finds; a row found at several levels counts at its best.
        found: list[set[int]] = [set() for _ in range(DEPARTMENT + 1)]
        capped = False
        is_ascii = q.isascii()
        if is_ascii and set(q) <= _CODE_CHARS:
            for codes in (self.codes, self.basic):
                rows, count = codes.prefix(q, SCAN_CAP)
                found[CODE_PREFIX].update(rows)
                capped |= count > len(rows)
        fields = [self.names] + ([self.pinyin, self.initials] if is_ascii else [])
        for field in fields:
            containing, starting, more = field.find(q, SCAN_CAP)
            found[PREFIX].update(starting)
            found[CONTAINS].update(containing)
            capped |= more
        for alias in ALIASES.get(q, ()):
            containing, _, more = self.names.find(alias, SCAN_CAP)
            found[ALIAS].update(containing)
            capped |= more
        if not is_ascii and len(q) >= 2:  # 市场监管 finds every matter of 市场监督管理局's catalogue page
            departments, _, _ = self.department_names.find(q, len(self.departments))
            for dept in departments:
                if dept in self.by_department:
                    dept_rows = self.by_department[dept]
                    found[DEPARTMENT].update(dept_rows[:SCAN_CAP])
                    capped |= len(dept_rows) > SCAN_CAP
        matched = set().union(*found)
        # The rows the query names exactly (folded name, code, basic code), if found at all.
        named = chain(self.names.rows_equal(q), self.codes.equal(q), self.basic.equal(q))
        found[EXACT].update(filter(matched.__contains__, named))
        return self._ranked(found, limit), len(matched), capped

    def _ranked(self, found: list[set[int]], limit: int) -> list[Hit]:
        """The best `limit` hits: by quality, then by the row's fixed place (see `__init__`)."""
        table, place, by_place = self.rows, self.place, self.by_place
        hits: list[Hit] = []
        better: set[int] = set()  # rows found at a better level
        for level, rows in enumerate(found):
            if better:
                rows = rows - better
            for at in sorted(map(place.__getitem__, rows))[: limit - len(hits)]:
                hits.append(Hit(Entry._make(table[by_place[at]]), level))
            if len(hits) >= limit:
                break
            better |= rows
        return hits

    def matches(self, e: Entry, q: str) -> bool:
        """Whether one entry matches one word, by the same fields `search` looks at."""
        name = fold(e.name)  # (entries of a hit list: few, and `search_words` has no row)
        if q in name or any(alias in name for alias in ALIASES.get(q, ())):
            return True
        if q.isascii():
            return (
                q in e.pinyin or q in e.initials or e.code.lower().startswith(q) or e.basic_code.lower().startswith(q)
            )
        return len(q) >= 2 and q in self.departments[e.department]

    def search_words(self, words: list[str], limit: int) -> tuple[list[Hit], int, bool]:
        """Entries matching every word, in any order: the rarest word's hits, kept if the others match."""
        results = [self.search(w, SCAN_CAP) for w in words]
        hits, _, capped = min(results, key=lambda r: r[1])
        kept = [h for h in hits if all(self.matches(h.entry, w) for w in words)]
        return kept[:limit], len(kept), capped


class SearchIndex:
    """The catalog's searchable keys, in memory; built by `load_index` in a worker."""

    def __init__(
        self,
        key: tuple[object, ...],
        entries: Iterable[Entry],
        departments: list[tuple[str, str]],  # (code, name), sorted by code
        task_types: list[str],
    ) -> None:
        self.key = key
        self.rows = [_row(e) for e in entries]  # plain tuples: see `Entry`
        self.departments = departments
        # Department names are searched too (市场监管 finds 市场监督管理局's matters): ~1,700 of them.
        self._department_names = [name for _, name in departments]
        self._department_index = SubstringIndex(self._department_names)
        self.task_types = task_types
        self._shards: dict[tuple[str | None, str | None], _Shard] = {}
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """How many active matters the index holds."""
        return len(self.rows)

    @property
    def entries(self) -> list[Entry]:
        """Every entry, made afresh: for tools and tests, not for a key press."""
        return [Entry._make(row) for row in self.rows]

    def department_name(self, entry: Entry) -> str:
        return self.departments[entry.department][1]

    def _shard(self, department: str | None, task_type: str | None) -> _Shard:
        filters = (department, task_type)
        with self._lock:
            shard = self._shards.get(filters)
            if shard is None:
                names, names_index = self._department_names, self._department_index
                if filters == (None, None):
                    shard = _Shard(self.rows, names, names_index)
                else:
                    dept = next((i for i, (c, _) in enumerate(self.departments) if c == department), -1)
                    shard = _Shard(
                        [
                            row
                            for row in self.rows
                            if (department is None or row[_DEPARTMENT] == dept)
                            and (task_type is None or row[_TASK_TYPE] == task_type)
                        ],
                        names,
                        names_index,
                    )
                    if len(self._shards) > 16:  # filters the clerk no longer uses
                        for old in [k for k in self._shards if k != (None, None)][:8]:
                            del self._shards[old]
                self._shards[filters] = shard
            return shard

    def search(
        self, query: str, department: str | None = None, task_type: str | None = None, limit: int = RESULT_LIMIT
    ) -> SearchResult:
        shard = self._shard(department, task_type)
        hits, total, capped = shard.search(normalize(query), limit)
        words = fold(query).split()
        if len(words) > 1:
            # Several words: every one must match, in any order. What the words spell run
            # together (`Ge Ti` is `geti`) comes first.
            more, more_total, more_capped = shard.search_words(words, limit)
            seen = {h.entry.id for h in hits}
            extra = [h for h in more if h.entry.id not in seen]
            hits = (hits + extra)[:limit]
            total, capped = total + len(extra) + max(0, more_total - len(more)), capped or more_capped
        return SearchResult(query, department, task_type, hits, total, capped)


_cache: dict[str, SearchIndex] = {}
_cache_lock = threading.Lock()


def _index_key(station: Station) -> tuple[object, ...]:
    with station.read() as session:
        seq, count = session.exec(select(func.max(col(Matter.change_seq)), func.count()).select_from(Matter)).one()
    return (seq, count)


def load_index(station: Station) -> SearchIndex:
    """The search index of the station's active matters, cached until the catalog changes."""
    url = str(station.engine.url)
    key = _index_key(station)
    with _cache_lock:
        cached = _cache.get(url)
    if cached is not None and cached.key == key:
        return cached
    # Ten columns: SQLModel's `select` is typed for four at most, so SQLAlchemy's.
    query = (
        sql_select(
            col(Matter.id),
            col(Matter.code),
            col(Matter.basic_code),
            col(Matter.name),
            col(Matter.name_pinyin),
            col(Matter.name_initials),
            col(Matter.task_type),
            col(Matter.project_type),
            col(Department.code),
            col(Department.name),
        )
        .join(Department, col(Department.id) == col(Matter.department_id))
        .where(col(Matter.active))
        .order_by(col(Matter.code))
    )
    departments: dict[str, str] = {}
    rows = []
    with station.read() as session:
        for row in session.execute(query):
            departments.setdefault(row[8], row[9])
            rows.append(row)
    dept_list = sorted(departments.items())
    dept_pos = {code: i for i, (code, _) in enumerate(dept_list)}
    entries = [
        Entry(mid, code, basic, name, py or "", ini or "", dept_pos[dcode], tt, pt)
        for mid, code, basic, name, py, ini, tt, pt, dcode, _ in rows
    ]
    index = SearchIndex(key, entries, dept_list, sorted({e.task_type for e in entries}))
    index._shard(None, None)  # build the unfiltered shard here, in the worker
    # No `gc.freeze()` here (there was one): it moves every object alive in the process,
    # not only the index's, out of the collector's reach for good, so a screen open while
    # the index loaded was never freed. The index keeps the collector's work small by its
    # shape instead: its rows are plain tuples of atoms, which it stops tracking (`Entry`).
    with _cache_lock:
        _cache[url] = index
    return index


# --- the guide (办事指南) -------------------------------------------------------------


@dataclass(frozen=True)
class GuideMaterial:
    position: int
    name: str
    material_type: int
    form: str
    copies: int
    necessity: int
    source: str
    condition: str
    e_licence: bool
    note: str


@dataclass(frozen=True)
class MatterGuide:
    id: str
    code: str
    basic_code: str
    name: str
    task_type: str
    department: str
    department_code: str
    level: str
    service_objects: str
    project_type: int
    statutory_limit: int | None
    statutory_unit: str
    promised_limit: int | None
    promised_unit: str
    visits: int | None
    fee_charged: bool
    fee_note: str
    online: bool
    appointment: bool
    scope: str
    legal_basis: str
    contact: str
    note: str
    catalog_version_id: str
    active: bool
    materials: list[GuideMaterial]


def matter_guide(station: Station, matter_id: str) -> MatterGuide | None:
    """Every field of one matter and all its materials, in catalog order."""
    with station.read() as session:
        matter = session.get(Matter, matter_id)
        if matter is None:
            return None
        dept = session.get(Department, matter.department_id)
        materials = session.exec(
            select(Material).where(col(Material.matter_id) == matter_id).order_by(col(Material.position))
        ).all()
        return MatterGuide(
            id=matter.id,
            code=matter.code,
            basic_code=matter.basic_code,
            name=matter.name,
            task_type=matter.task_type,
            department=dept.name if dept else "",
            department_code=dept.code if dept else "",
            level=matter.level,
            service_objects=matter.service_objects,
            project_type=matter.project_type,
            statutory_limit=matter.statutory_limit,
            statutory_unit=matter.statutory_unit,
            promised_limit=matter.promised_limit,
            promised_unit=matter.promised_unit,
            visits=matter.visits,
            fee_charged=matter.fee_charged,
            fee_note=matter.fee_note,
            online=matter.online,
            appointment=matter.appointment,
            scope=matter.scope,
            legal_basis=matter.legal_basis,
            contact=matter.contact,
            note=matter.note,
            catalog_version_id=matter.catalog_version_id,
            active=matter.active,
            materials=[
                GuideMaterial(
                    m.position,
                    m.name,
                    m.material_type,
                    m.form,
                    m.copies,
                    m.necessity,
                    m.source,
                    m.condition,
                    m.e_licence,
                    m.note,
                )
                for m in materials
            ],
        )
