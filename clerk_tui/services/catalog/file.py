"""The catalog file format (`clerk-tui-catalog`, version 1) and its validation.

The whole file is checked before anything is written: every problem is collected with
the matter it belongs to, the field, and where in the file, so a clerk or the centre can
fix the file in one pass. The format is documented in `data/catalog/README.md`.

The file is read as a stream (`clerk_tui.json_stream`): one matter at a time is held, so a
province's catalog is checked in memory that does not grow with it. The check keeps the
header and the departments; importing reads the matters again (`CatalogDocument.each_matter`)
and checks that it read the same file.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from clerk_tui.errors import ClerkError
from clerk_tui.json_stream import (
    Items,
    JsonReader,
    JsonStreamError,
    NotAnObjectError,
    NotUtf8Error,
    ValueTooLargeError,
    members,
)
from clerk_tui.models.catalog import PROJECT_TYPES

FORMAT = "clerk-tui-catalog"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024  # a province's catalog is ~100 MB of JSON
MAX_MATTERS = 100_000  # per file; a province lists ~56,000
MAX_MATTER_CHARS = 1 << 20  # one matter with its materials, as JSON text
MAX_VALUE_CHARS = 16 << 20  # any other top-level value (the departments)
HEAD_KEYS = ("format", "format_version", "label", "published", "area_code", "departments")

TASK_TYPES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20")
SERVICE_OBJECTS = ("1", "2", "3", "4", "5", "6", "7")
NECESSITY = (1, 2, 3)
MATERIAL_TYPES = (1, 2, 3)
LIMIT_UNITS = ("工作日", "日")
MAX_PROBLEMS = 50
# Sane ranges of the numbers in a catalog (data/catalog/README.md): no statutory or
# promised limit runs past a year of days, working or calendar; no material is asked
# for in more than 99 copies; no matter takes more than 10 visits.
MAX_LIMIT_DAYS = 366
MAX_COPIES = 99
MAX_VISITS = 10


@dataclass(frozen=True)
class Problem:
    where: str  # a JSON path such as matters[3].materials[2].necessity
    matter: str  # the matter's name or code, "" for file-level problems
    key: str  # translation key of what is wrong
    params: dict[str, Any] = field(default_factory=dict)


class CatalogFileError(ClerkError):
    """The file cannot be imported; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem], path: str) -> None:
        super().__init__("catalog.invalid", path=path, count=len(problems))
        self.problems = problems


@dataclass(frozen=True)
class CatalogDocument:
    """A checked catalog file: its header here, its matters read again from the file."""

    label: str
    published: str
    area_code: str
    departments: list[dict[str, Any]]
    matter_count: int
    sha256: str  # of the canonical content, so re-formatting a file changes nothing
    path: str
    source: Callable[[], BinaryIO] = field(repr=False, compare=False)

    def each_matter(
        self, take: Callable[[dict[str, Any], str], None], on_read: Callable[[int], None] | None = None
    ) -> None:
        """Call `take(matter, canonical_text)` for every matter, reading the file again.

        Each matter is checked again before it is given; a file that changed since it was
        checked raises CatalogFileError (at the latest after the last matter), so a caller
        writing in one transaction ends up with nothing.
        """
        again = _read(self.source, self.path, take, on_read)
        if again.sha256 != self.sha256:
            raise CatalogFileError([Problem("", "", "catalog.changed")], self.path)

    @property
    def matters(self) -> list[dict[str, Any]]:
        """Every matter at once (small files and tests; importing uses `each_matter`)."""
        found: list[dict[str, Any]] = []
        self.each_matter(lambda matter, _text: found.append(matter))
        return found

    @staticmethod
    def matter_hash(matter: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(matter, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.matter = ""

    def add(self, where: str, key: str, **params: Any) -> None:
        self.problems.append(Problem(where, self.matter, key, params))

    def need(self, obj: dict[str, Any], name: str, kinds: tuple[type, ...], where: str, required: bool = True) -> Any:
        if name not in obj or obj[name] is None:
            if required:
                self.add(f"{where}.{name}", "catalog.missing_field")
            return None
        value = obj[name]
        # bool is an int in Python; a catalog saying `true` for a number is still wrong.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.add(f"{where}.{name}", "catalog.wrong_type", expected="/".join(k.__name__ for k in kinds))
            return None
        return value

    def within(self, value: Any, low: int, high: int, where: str) -> None:
        """A number outside [low, high] is a problem (and never reaches the database)."""
        if value is not None and not low <= value <= high:
            shown = str(value) if len(str(value)) <= 24 else str(value)[:20] + "…"
            self.add(where, "catalog.out_of_range", value=shown, low=low, high=high)

    def code(self, obj: dict[str, Any], name: str, allowed: tuple[Any, ...], where: str, required: bool = True) -> Any:
        value = self.need(obj, name, (str, int), where, required)
        if value is not None and value not in allowed:
            self.add(f"{where}.{name}", "catalog.unknown_code", value=value)
        return value


def _check_limit(c: _Checker, matter: dict[str, Any], name: str, where: str) -> None:
    limit = c.need(matter, name, (dict,), where, required=False)
    if limit is None:
        return
    value = c.need(limit, "value", (int,), f"{where}.{name}")
    if value is not None and value < 0:
        c.add(f"{where}.{name}.value", "catalog.negative")
    elif value is not None:
        c.within(value, 0, MAX_LIMIT_DAYS, f"{where}.{name}.value")
    c.code(limit, "unit", LIMIT_UNITS, f"{where}.{name}")


def _check_material(c: _Checker, material: Any, where: str) -> None:
    if not isinstance(material, dict):
        c.add(where, "catalog.wrong_type", expected="object")
        return
    c.need(material, "name", (str,), where)
    c.code(material, "type", MATERIAL_TYPES, where)
    c.need(material, "form", (str,), where)
    copies = c.need(material, "copies", (int,), where)
    if copies is not None and copies < 1:
        c.add(f"{where}.copies", "catalog.negative")
    elif copies is not None:
        c.within(copies, 1, MAX_COPIES, f"{where}.copies")
    c.code(material, "necessity", NECESSITY, where)
    for text_field in ("source", "condition", "note"):
        c.need(material, text_field, (str,), where, required=False)
    c.need(material, "e_licence", (bool,), where, required=False)


def _check_matter(c: _Checker, matter: Any, where: str, departments: set[str], seen: dict[str, str]) -> None:
    if not isinstance(matter, dict):
        c.matter = ""
        c.add(where, "catalog.wrong_type", expected="object")
        return
    c.matter = str(matter.get("name") or matter.get("code") or "")
    code = c.need(matter, "code", (str,), where)
    if code is not None:
        if not code.strip():
            c.add(f"{where}.code", "catalog.missing_field")
        elif code in seen:
            c.add(f"{where}.code", "catalog.duplicate_code", value=code, first=seen[code])
        else:
            seen[code] = where
    c.need(matter, "basic_code", (str,), where)
    name = c.need(matter, "name", (str,), where)
    if name is not None and not name.strip():
        c.add(f"{where}.name", "catalog.missing_field")
    c.code(matter, "task_type", TASK_TYPES, where)
    dept = c.need(matter, "department", (str,), where)
    if dept is not None and dept not in departments:
        c.add(f"{where}.department", "catalog.unknown_department", value=dept)
    objects = c.need(matter, "service_objects", (list,), where, required=False) or []
    for i, obj in enumerate(objects):
        if obj not in SERVICE_OBJECTS:
            c.add(f"{where}.service_objects[{i}]", "catalog.unknown_code", value=obj)
    project_type = c.code(matter, "project_type", PROJECT_TYPES, where)
    _check_limit(c, matter, "statutory_limit", where)
    _check_limit(c, matter, "promised_limit", where)
    promised = matter.get("promised_limit")
    if project_type == 2 and not isinstance(promised, dict):
        c.add(f"{where}.promised_limit", "catalog.promised_needed")
    visits = c.need(matter, "visits", (int,), where, required=False)
    if visits is not None and visits < 0:
        c.add(f"{where}.visits", "catalog.negative")
    elif visits is not None:
        c.within(visits, 0, MAX_VISITS, f"{where}.visits")
    fee = c.need(matter, "fee", (dict,), where, required=False)
    if fee is not None:
        c.need(fee, "charged", (bool,), f"{where}.fee")
        c.need(fee, "note", (str,), f"{where}.fee", required=False)
    for flag in ("online", "appointment"):
        c.need(matter, flag, (bool,), where, required=False)
    for text_field in ("level", "scope", "legal_basis", "contact", "note"):
        c.need(matter, text_field, (str,), where, required=False)
    materials = c.need(matter, "materials", (list,), where)
    for i, material in enumerate(materials or []):
        _check_material(c, material, f"{where}.materials[{i}]")


def _check_departments(c: _Checker, departments: list[Any]) -> set[str]:
    dept_codes: set[str] = set()
    for i, dept in enumerate(departments):
        where = f"departments[{i}]"
        if not isinstance(dept, dict):
            c.add(where, "catalog.wrong_type", expected="object")
            continue
        code = c.need(dept, "code", (str,), where)
        c.need(dept, "name", (str,), where)
        if code in dept_codes:
            c.add(f"{where}.code", "catalog.duplicate_code", value=code, first="departments")
        elif code:
            dept_codes.add(code)
    return dept_codes


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class _Matters:
    """The matters as they stream past: checked one by one, hashed, handed on.

    Problems are kept per matter so that, once the header's problems are known (the header
    may come after the matters in the file), the list is cut where checking the whole file
    in order would have stopped: after the matter that brought it to MAX_PROBLEMS.
    """

    def __init__(self, label: Any, departments: Any, dept_codes: set[str]) -> None:
        self.c = _Checker()
        self.dept_codes = dept_codes
        self.seen: dict[str, str] = {}
        self.groups: list[tuple[int, list[Problem]]] = []
        self.count = 0
        # The canonical content `{"departments": …, "label": …, "matters": […]}` (sorted keys),
        # hashed a matter at a time: the same sha256 as json.dumps of the whole document.
        self.hasher = hashlib.sha256(
            f'{{"departments": {_canonical(departments)}, "label": {_canonical(label)}, "matters": ['.encode()
        )

    def check(self, items: Items, take: Callable[[dict[str, Any], str], None] | None) -> None:
        for i, matter in enumerate(items):
            self.count += 1
            if self.count > MAX_MATTERS or len(self.c.problems) >= MAX_PROBLEMS:
                continue  # the file is refused: the rest is only read to the end
            before = len(self.c.problems)
            _check_matter(self.c, matter, f"matters[{i}]", self.dept_codes, self.seen)
            if len(self.c.problems) > before:
                self.groups.append((i, self.c.problems[before:]))
            if self.c.problems:
                continue
            text = _canonical(matter)
            self.hasher.update(((", " if i else "") + text).encode())
            if take is not None:
                take(matter, text)

    def problems(self, head: int) -> list[Problem]:
        """The matters' problems that follow `head` problems of the header."""
        out: list[Problem] = []
        for i, group in self.groups:
            if i > 0 and head + len(out) >= MAX_PROBLEMS:
                break
            out += group
        return out

    def sha256(self) -> str:
        self.hasher.update(b"]}")
        return self.hasher.hexdigest()


def _read(
    source: Callable[[], BinaryIO],
    path: str,
    take: Callable[[dict[str, Any], str], None] | None = None,
    on_read: Callable[[int], None] | None = None,
) -> CatalogDocument:
    """Check a whole catalog file read from `source`; raise CatalogFileError listing every problem."""

    def error(problem: Problem) -> CatalogFileError:
        return CatalogFileError([problem], path)

    doc: dict[str, Any] = {}
    matters: _Matters | None = None
    deferred = False
    try:
        with source() as handle:
            reader = JsonReader(handle, on_read)
            for key, value in members(
                reader, stream=("matters",), keep=HEAD_KEYS, max_value=MAX_VALUE_CHARS, max_item=MAX_MATTER_CHARS
            ):
                if key != "matters" or not isinstance(value, Items):
                    doc[key] = value
                    continue
                doc[key] = []  # checked as it streams past; the header sees a list
                if "label" in doc and "departments" in doc:  # as files are written: the header first
                    matters = _Matters(doc["label"], doc["departments"], _departments_of(doc))
                    matters.check(value, take)
                else:
                    deferred = True
        if deferred and doc.get("format") == FORMAT and doc.get("format_version") == FORMAT_VERSION:
            # The matters came before the header: read them again now that it is known.
            matters = _Matters(doc.get("label"), doc.get("departments"), _departments_of(doc))
            with source() as handle:
                for _key, value in members(
                    JsonReader(handle, on_read),
                    stream=("matters",),
                    keep=(),
                    max_value=MAX_VALUE_CHARS,
                    max_item=MAX_MATTER_CHARS,
                ):
                    if isinstance(value, Items):
                        matters.check(value, take)
    except NotAnObjectError:
        raise error(Problem("$", "", "catalog.wrong_type", {"expected": "object"})) from None
    except NotUtf8Error:
        raise error(Problem("", "", "catalog.not_utf8")) from None
    except ValueTooLargeError as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise error(Problem(where, "", "catalog.value_too_large", {"limit": f"{exc.limit:,}"})) from None
    except JsonStreamError as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise error(Problem(where, "", "catalog.bad_json", {"reason": exc.reason})) from None
    except OSError as exc:
        raise ClerkError("catalog.unreadable", path=path, reason=exc.strerror or str(exc)) from None
    if doc.get("format") != FORMAT:
        raise error(Problem("format", "", "catalog.not_catalog", {"expected": FORMAT}))
    if doc.get("format_version") != FORMAT_VERSION:
        raise error(
            Problem(
                "format_version",
                "",
                "catalog.format_version",
                {"found": doc.get("format_version"), "supported": FORMAT_VERSION},
            )
        )
    c = _Checker()
    label = c.need(doc, "label", (str,), "$")
    c.need(doc, "published", (str,), "$", required=False)
    c.need(doc, "area_code", (str,), "$", required=False)
    departments = c.need(doc, "departments", (list,), "$") or []
    _check_departments(c, departments)
    c.need(doc, "matters", (list,), "$")
    if matters is None:
        matters = _Matters(label, departments, set())  # "matters" is missing or not a list
    if matters.count > MAX_MATTERS:
        c.add("matters", "catalog.too_many_matters", count=f"{matters.count:,}", limit=f"{MAX_MATTERS:,}")
    problems = c.problems + matters.problems(len(c.problems))
    if problems:
        raise CatalogFileError(problems, path)
    return CatalogDocument(
        label=str(label),
        published=str(doc.get("published") or ""),
        area_code=str(doc.get("area_code") or ""),
        departments=departments,
        matter_count=matters.count,
        sha256=matters.sha256(),
        path=path,
        source=source,
    )


def _departments_of(doc: dict[str, Any]) -> set[str]:
    departments = doc.get("departments")
    return _check_departments(_Checker(), departments if isinstance(departments, list) else [])


def parse_catalog(raw: bytes, path: str = "") -> CatalogDocument:
    """Validate a whole catalog file held in memory; raise CatalogFileError listing every problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogFileError([Problem("", "", "catalog.too_large", {"mb": MAX_FILE_BYTES // 2**20})], path)
    return _read(lambda: io.BytesIO(raw), path)


def read_catalog_file(path: Path, on_read: Callable[[int], None] | None = None) -> CatalogDocument:
    """Validate a catalog file as it streams past; `on_read(bytes_so_far)` follows the reading."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogFileError([Problem("", "", "catalog.too_large", {"mb": MAX_FILE_BYTES // 2**20})], str(path))
        path.open("rb").close()
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except OSError as exc:
        raise ClerkError("catalog.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    return _read(lambda: path.open("rb"), str(path), on_read=on_read)


def describe_problem(problem: Problem) -> str:
    from clerk_tui.i18n import t

    what = t(problem.key, **problem.params)
    if problem.matter:
        return t("catalog.problem_in_matter", matter=problem.matter, where=problem.where, what=what)
    return t("catalog.problem", where=problem.where, what=what)
