"""The catalog file format (`clerk-tui-catalog`, version 1) and its validation.

The whole file is checked before anything is written: every problem is collected with
the matter it belongs to, the field, and where in the file, so a clerk or the centre can
fix the file in one pass. The format is documented in `data/catalog/README.md`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk_tui.errors import ClerkError

FORMAT = "clerk-tui-catalog"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024  # a province's catalog is ~100 MB of JSON

TASK_TYPES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20")
SERVICE_OBJECTS = ("1", "2", "3", "4", "5", "6", "7")
PROJECT_TYPES = (1, 2)
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
    label: str
    published: str
    area_code: str
    departments: list[dict[str, Any]]
    matters: list[dict[str, Any]]
    sha256: str  # of the canonical content, so re-formatting a file changes nothing

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


def parse_catalog(raw: bytes, path: str = "") -> CatalogDocument:
    """Validate a whole catalog file; raise CatalogFileError listing every problem."""
    c = _Checker()
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogFileError([Problem("", "", "catalog.too_large", {"mb": MAX_FILE_BYTES // 2**20})], path)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogFileError([Problem("", "", "catalog.not_utf8")], path) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise CatalogFileError([Problem(where, "", "catalog.bad_json", {"reason": exc.msg})], path) from None
    except RecursionError:
        raise CatalogFileError([Problem("", "", "catalog.bad_json", {"reason": "nesting"})], path) from None
    except ValueError as exc:  # a number of more than 4300 digits
        raise CatalogFileError([Problem("", "", "catalog.bad_json", {"reason": str(exc)[:80]})], path) from None
    if not isinstance(doc, dict):
        raise CatalogFileError([Problem("$", "", "catalog.wrong_type", {"expected": "object"})], path)
    if doc.get("format") != FORMAT:
        raise CatalogFileError([Problem("format", "", "catalog.not_catalog", {"expected": FORMAT})], path)
    if doc.get("format_version") != FORMAT_VERSION:
        raise CatalogFileError(
            [
                Problem(
                    "format_version",
                    "",
                    "catalog.format_version",
                    {"found": doc.get("format_version"), "supported": FORMAT_VERSION},
                )
            ],
            path,
        )
    label = c.need(doc, "label", (str,), "$")
    c.need(doc, "published", (str,), "$", required=False)
    c.need(doc, "area_code", (str,), "$", required=False)
    departments = c.need(doc, "departments", (list,), "$") or []
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
    matters = c.need(doc, "matters", (list,), "$") or []
    seen: dict[str, str] = {}
    for i, matter in enumerate(matters):
        _check_matter(c, matter, f"matters[{i}]", dept_codes, seen)
        if len(c.problems) >= MAX_PROBLEMS:
            break
    if c.problems:
        raise CatalogFileError(c.problems, path)
    canonical = json.dumps(
        {"label": label, "departments": departments, "matters": matters}, sort_keys=True, ensure_ascii=False
    )
    return CatalogDocument(
        label=str(label),
        published=str(doc.get("published") or ""),
        area_code=str(doc.get("area_code") or ""),
        departments=departments,
        matters=matters,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def read_catalog_file(path: Path) -> CatalogDocument:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogFileError([Problem("", "", "catalog.too_large", {"mb": MAX_FILE_BYTES // 2**20})], str(path))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except OSError as exc:
        raise ClerkError("catalog.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    return parse_catalog(raw, str(path))


def describe_problem(problem: Problem) -> str:
    from clerk_tui.i18n import t

    what = t(problem.key, **problem.params)
    if problem.matter:
        return t("catalog.problem_in_matter", matter=problem.matter, where=problem.where, what=what)
    return t("catalog.problem", where=problem.where, what=what)
