"""A large, deterministic station database for benchmarks (and the catalog behind it).

    python -m bench.generate --out /tmp/station.db [--years 10] [--catalog-matters 55789] [--small]

What it holds, for one county service hall (`STATION-01`) over `years` years up to
`end_date`:
- the bundled catalog (`data/catalog/catalog.json`, through the real import service) and,
  when asked, a province-size synthetic catalog (`generate_catalog_file`) that contains the
  bundled one, so the 13 real matters stay active;
- tickets on the working days of China's calendar (chinesecalendar: weekends, holidays and
  调休 Saturdays), 08:30–17:30 arrivals with a morning peak, queues A/B/C, ~5% green
  channel, ~8% appointments, ~6% no-shows, ~1% transferred from A to B/C; a small queue
  simulation per queue decides who is called when, by which window and clerk;
- ticket events (issued, called, started, finished; recalled / no_show / transferred
  when they happen), window pauses, appointments booked upstream;
- one case per served ticket (plus a few home visits), outcomes ~80% on the spot, ~15%
  promised, the rest 容缺 / 补正 / 不予受理 / 咨询 / 转报; promised cases completed or
  returned later, the recent ones still pending;
- document checks with their items for a share of cases (always for 容缺 and 补正, which
  the rules tie to a notice), ratings for ~90% of cases, follow-ups for ratings ≤ 2, and
  the audit trail the services write for all of it.

The last day (`end_date`) stops at `LAST_DAY_NOW`: tickets issued later do not exist,
some are still waiting, one per busy window is being served.

Rows are written with raw sqlite3 `executemany`, `synchronous=OFF`, no journal and the
secondary indexes dropped while loading (recreated from the migrations' own SQL after),
so the full size takes minutes. The schema itself comes from `open_database`. Every row
has a deterministic uuid4 id (from the seed), created/updated times, version 1 and a
unique change_seq; the `change_seq` counter ends at the largest one used.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import heapq
import json
import math
import os
import random
import sqlite3
import sys
import time
import uuid
from collections import deque
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import catalog_words as W

GENERATOR_VERSION = 2
STATION_ID = "STATION-01"  # Settings' default, so a default config sees the data
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
LAST_DAY_NOW = (10, 30)  # the last day's data stops here (hh, mm)
OPEN_MS = (8 * 60 + 30) * 60_000
CLOSE_MS = (17 * 60 + 30) * 60_000
DAY_END_MS = 18 * 3_600_000  # tickets not called by then are closed
PROVINCE_MATTERS = 55_789

QUEUES = ("A", "B", "C")
QUEUE_SHARE = (0.55, 0.30, 0.15)
QUEUE_SERVICE_FACTOR = {"A": 1.0, "B": 0.8, "C": 1.8}
TRANSFER_SHARE = 0.012  # of the A tickets that show up: sent on to B or C after service at A
# median service minutes by outcome (log-normal around it)
SERVICE_MEDIAN = {
    "on_the_spot": 7.0,
    "promised": 10.0,
    "rongque": 12.0,
    "correction": 6.0,
    "refused": 5.0,
    "consultation": 3.0,
    "forwarded": 6.0,
}
OUTCOME_SHARES = [
    ("on_the_spot", 0.80),
    ("promised", 0.15),
    ("rongque", 0.015),
    ("correction", 0.012),
    ("consultation", 0.015),
    ("refused", 0.004),
    ("forwarded", 0.004),
]
ASSISTANCE_SHARES = [("none", 0.885), ("bangban", 0.08), ("daiban", 0.035)]
RATING_LEVELS = [(5, 0.86), (4, 0.10), (3, 0.03), (2, 0.006), (1, 0.004)]
# arrivals per 15 minutes from 08:30 to 17:30: morning peak, lunch dip, afternoon bump
ARRIVAL_CURVE = [
    1.2,
    2.0,
    2.6,
    3.0,
    3.2,
    3.2,
    3.0,
    2.8,
    2.6,
    2.4,
    2.1,
    1.8,
    1.4,
    1.0,
    0.6,
    0.5,
    0.5,
    0.6,
    0.8,
    1.0,
    1.5,
    1.8,
    2.0,
    2.1,
    2.1,
    2.0,
    1.9,
    1.8,
    1.6,
    1.4,
    1.2,
    1.0,
    0.8,
    0.5,
    0.3,
    0.1,
]
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 0.95, 0.85, 0.9, 0.9)
MONTH_FACTOR = (1.1, 0.85, 1.1, 1.0, 1.0, 1.0, 1.05, 0.95, 1.0, 0.9, 1.0, 1.05)

# Tables this generator fills in bulk; their secondary indexes are rebuilt after loading.
BULK_TABLES = (
    "ticket",
    "ticket_event",
    "window_event",
    "appointment",
    "document_check",
    "check_item",
    "notice",
    "service_case",
    "rating",
    "follow_up",
    "audit_entry",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "ticket": (
        "station_id",
        "service_date",
        "queue",
        "letter",
        "serial",
        "number",
        "priority",
        "appointment_at",
        "status",
        "issued_at",
        "issued_via",
        "sort_at",
        "first_called_at",
        "last_called_at",
        "call_count",
        "window_no",
        "clerk_no",
        "service_started_at",
        "finished_at",
        "transferred_from_id",
        "target_window",
        "note",
    ),
    "ticket_event": ("ticket_id", "kind", "at", "station_id", "window_no", "clerk_no", "detail"),
    "window_event": ("station_id", "window_no", "clerk_no", "kind", "reason", "at"),
    "appointment": (
        "external_id",
        "queue",
        "slot",
        "applicant_name",
        "phone",
        "matter_code",
        "note",
        "status",
        "ticket_id",
        "source",
        "content_sha256",
        "imported_at",
    ),
    "document_check": (
        "station_id",
        "ticket_id",
        "matter_id",
        "matter_code",
        "matter_name",
        "catalog_version_id",
        "answers",
        "verdict",
        "supply_deadline",
        "clerk_no",
        "window_no",
        "checked_at",
    ),
    "check_item": (
        "check_id",
        "position",
        "name",
        "material_type",
        "form",
        "copies",
        "necessity",
        "source",
        "condition",
        "e_licence",
        "mark",
    ),
    "notice": ("check_id", "kind", "number", "text", "file_path", "print_count"),
    "service_case": (
        "station_id",
        "ticket_id",
        "matter_id",
        "catalog_version_id",
        "check_id",
        "matter_code",
        "matter_name",
        "applicant_kind",
        "applicant_name",
        "id_type",
        "id_number",
        "phone",
        "agent_name",
        "agent_id_type",
        "agent_id_number",
        "agent_phone",
        "outcome",
        "status",
        "promised_deadline",
        "supply_deadline",
        "refusal_reason",
        "assistance",
        "notes",
        "clerk_no",
        "window_no",
        "received_at",
        "accepted_at",
        "decided_at",
        "completed_at",
        "void_reason",
        "case_no",
        "forwarded_to",
        "completion_note",
    ),
    "rating": ("case_id", "level", "points", "comment", "channel", "rated_at"),
    "follow_up": (
        "case_id",
        "rating_id",
        "due_date",
        "status",
        "contacted_at",
        "contact_note",
        "fix_note",
        "closed_at",
        "clerk_no",
    ),
    "audit_entry": (
        "entity",
        "entity_id",
        "action",
        "field",
        "old_value",
        "new_value",
        "reason",
        "clerk_no",
        "station_id",
        "at",
    ),
}
FLUSH_ROWS = 250_000


# --- small helpers ------------------------------------------------------------------------


def _cum(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, [c / total for c in cum]


def _pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    values, cum = table
    return values[min(bisect.bisect_right(cum, rng.random()), len(values) - 1)]


def _uscc(rng: random.Random, area6: str, kind: str = "91") -> str:
    from clerk_tui.services.ids import USCC_ALPHABET, uscc_check_char

    body = kind + area6 + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def _dept_code(area6: str, n: int) -> str:
    from clerk_tui.services.ids import uscc_check_char

    body = f"11{area6}MB{n:07d}"
    return body + uscc_check_char(body)


class _Clock:
    """Text timestamps the way SQLAlchemy stores them, from a date and ms since midnight."""

    def __init__(self) -> None:
        self._prefix: dict[date, str] = {}
        self._iso: dict[date, str] = {}

    def d(self, day: date) -> str:
        s = self._iso.get(day)
        if s is None:
            s = self._iso[day] = day.isoformat()
        return s

    def ts(self, day: date, ms: int) -> str:
        p = self._prefix.get(day)
        if p is None:
            p = self._prefix[day] = day.isoformat() + " "
        h, rem = divmod(ms, 3_600_000)
        m, rem = divmod(rem, 60_000)
        s, milli = divmod(rem, 1000)
        return f"{p}{h:02d}:{m:02d}:{s:02d}.{milli:03d}000"


class _WorkDays:
    """Working days from chinesecalendar (weekdays for years it does not know)."""

    def __init__(self, first: date, last: date) -> None:
        from clerk_tui.errors import ClerkError
        from clerk_tui.services.station.calendar import package_calendar

        cal = package_calendar()
        self.first = first
        self.days: list[date] = []
        self.next_index: list[int] = []  # per calendar day from `first`: index of the first working day > it
        day = first
        flags = []
        while day <= last:
            try:
                working = cal.is_working_day(day)
            except ClerkError:
                working = day.weekday() < 5
            flags.append(working)
            if working:
                self.days.append(day)
            day += timedelta(days=1)
        count = 0
        for working in flags:
            count += working
            self.next_index.append(count)  # days[count] is the first working day after this one

    def add(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n = 0: start itself)."""
        if n <= 0:
            return start
        return self.days[self.next_index[(start - self.first).days] + n - 1]

    def next_on_or_after(self, day: date) -> date:
        i = (day - self.first).days
        before = self.next_index[i - 1] if i > 0 else 0
        return self.days[before]

    def between(self, first: date, last: date) -> list[date]:
        lo = bisect.bisect_left(self.days, first)
        hi = bisect.bisect_right(self.days, last)
        return self.days[lo:hi]


# --- the synthetic catalog -------------------------------------------------------------


def _areas(rng: random.Random):
    """Areas of the province in the order their catalogs are added: province, city, its counties..."""
    yield "510000", "示例省", "省级"
    used: set[str] = set()
    for rnd in range(100):
        for city6, city_name in W.CITIES:
            city4 = int(city6[:4]) + 40 * rnd
            yield f"{city4:04d}00", city_name + ("" if rnd == 0 else f"第{rnd + 1}新区"), "市级"
            for k in range(rng.randint(3, 8)):
                while True:
                    name = rng.choice(W.COUNTY_FIRST) + rng.choice(W.COUNTY_SECOND) + rng.choice(W.COUNTY_SUFFIX)
                    if name not in used:
                        used.add(name)
                        break
                yield f"{city4:04d}{k + 2:02d}", name, "县级"


def _matter_names(kind: str, subjects: list[str], seed: int) -> list[tuple[str, str, int, str]]:
    """Every matter a department of this kind may list: (name, task type, project type, subject)."""
    rng = random.Random(f"names-{seed}-{kind}")
    types = _cum([(t, w) for t, w in W.TASK_TYPE_WEIGHTS])
    out: dict[str, tuple[str, str, int, str]] = {}
    for subject in subjects:
        for task_type in sorted({_pick(rng, types) for _ in range(4)}):
            for action, project_type in W.ACTIONS[task_type]:
                if task_type in ("02", "03", "06", "08", "09"):
                    name = f"对{subject}{action}" if task_type in ("02", "03") else f"{subject}{action}"
                else:
                    name = subject + action + rng.choice(W.QUALIFIERS)
                out.setdefault(name, (name, task_type, project_type, subject))
    names = sorted(out.values())
    rng.shuffle(names)
    return names


def _materials(rng: random.Random, name: str, subject: str) -> list[dict[str, Any]]:
    rows = [
        {
            "name": f"{name}申请表",
            "type": 2,
            "form": "原件",
            "copies": 1,
            "necessity": 1,
            "source": "申请人自备",
            "condition": "",
            "e_licence": False,
            "note": "",
        }
    ]
    for tmpl, mtype, form, copies, necessity, source, condition, e_licence in rng.sample(
        W.COMMON_MATERIALS, rng.randint(2, 7)
    ):
        if rng.random() < 0.15:
            form = rng.choice(W.FORMS)
        rows.append(
            {
                "name": tmpl.format(s=subject),
                "type": mtype,
                "form": form,
                "copies": copies,
                "necessity": necessity,
                "source": source,
                "condition": condition,
                "e_licence": e_licence,
                "note": "可通过电子证照共享获取" if e_licence and rng.random() < 0.3 else "",
            }
        )
    return rows


def generate_catalog_file(path: Path, matters: int = PROVINCE_MATTERS, seed: int = 1) -> dict[str, int]:
    """Write a province-size `clerk-tui-catalog` file (the bundled catalog's matters included).

    ~40–60 departments per area, 20–45 matters per department, 3–8 materials per matter.
    Returns {"departments": n, "matters": n, "materials": n, "bytes": n}.
    """
    from clerk_tui.resources import bundled_catalog

    rng = random.Random(f"catalog-{seed}")
    real = json.loads(bundled_catalog().read_text(encoding="utf-8"))
    departments: list[dict[str, str]] = list(real["departments"])
    items: list[dict[str, Any]] = list(real["matters"])[:matters]
    basic_codes: dict[str, str] = {}
    areas = _areas(rng)
    names_cache: dict[str, list[tuple[str, str, int, str]]] = {}
    dept_serial = 0
    while len(items) < matters:
        area6, area_name, level = next(areas)
        kinds = rng.sample(W.DEPARTMENTS, min(len(W.DEPARTMENTS), rng.randint(40, 60)))
        phone_prefix = f"0{rng.randint(810, 839)}-"
        for kind, subjects in kinds:
            if len(items) >= matters:
                break
            dept_serial += 1
            dept = {"code": _dept_code(area6, dept_serial), "name": area_name + kind}
            departments.append(dept)
            names = names_cache.get(kind)
            if names is None:
                names = names_cache[kind] = _matter_names(kind, subjects, seed)
            count = min(len(names), rng.randint(20, 45), matters - len(items))
            for name, task_type, project_type, subject in rng.sample(names, count):
                key = kind + "|" + name
                basic = basic_codes.get(key)
                if basic is None:
                    n = len(basic_codes) + 1
                    basic = basic_codes[key] = (
                        f"51{'ABCDEFGHJKL'[int(task_type) % 11]}{task_type}{n:06d}{n * 37 % 100:02d}"
                    )
                if project_type == 2 or rng.random() < 0.1:
                    project_type = 2
                    promised = rng.choice((1, 2, 3, 3, 5, 5, 5, 7, 10, 10, 15, 20))
                    statutory = max(promised, rng.choice((5, 10, 15, 20, 20, 30, 45, 60)))
                else:
                    promised, statutory = 0, rng.choice((0, 0, 1, 3, 5))
                unit = "日" if rng.random() < 0.05 else "工作日"
                objects = sorted(rng.sample(("1", "2", "3", "4", "5", "6", "7"), rng.choice((1, 1, 2, 2, 3))))
                if rng.random() < 0.5:
                    objects = sorted({"1", *objects[:1]})
                fee = rng.random() < 0.08
                items.append(
                    {
                        "code": f"{basic}-{area6}000000-000-{dept['code']}-1-00",
                        "basic_code": basic,
                        "name": name,
                        "task_type": task_type,
                        "department": dept["code"],
                        "level": level,
                        "service_objects": objects,
                        "project_type": project_type,
                        "statutory_limit": {"value": statutory, "unit": unit} if rng.random() < 0.9 else None,
                        "promised_limit": {"value": promised, "unit": unit},
                        "visits": rng.choice((0, 0, 1, 1, 1, 1, 2)),
                        "fee": {
                            "charged": fee,
                            "note": f"按{rng.choice(('每件', '每证', '每次'))}{rng.choice((5, 10, 20, 50, 80))}元收取"
                            if fee
                            else "",
                        },
                        "online": rng.random() < 0.87,
                        "appointment": rng.random() < 0.5,
                        "scope": rng.choice(("", "", "", "全省通办", "跨省通办", "全市通办")),
                        "legal_basis": f"{rng.choice(W.LEGAL_BASES)}第{rng.randint(2, 80)}条",
                        "contact": f"{phone_prefix}{rng.randint(2000000, 8999999)}",
                        "note": "",
                        "materials": _materials(rng, name, subject),
                    }
                )
    used = {m["department"] for m in items}
    departments = [d for d in departments if d["code"] in used]
    doc = {
        "format": "clerk-tui-catalog",
        "format_version": 1,
        "label": f"bench-{matters}-s{seed}",
        "published": "2016-11-01",
        "area_code": "510000000000",
        "source": f"bench.generate v{GENERATOR_VERSION} (synthetic; includes data/catalog/catalog.json)",
        "departments": departments,
        "matters": items,
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, path)
    return {
        "departments": len(departments),
        "matters": len(items),
        "materials": sum(len(m["materials"]) for m in items),
        "bytes": len(raw),
    }


def load_catalog(db_path: Path, catalog_path: Path, at: datetime | None = None) -> tuple[Any, float]:
    """Import a catalog file into a station database with the real service; (report, seconds)."""
    from clerk_tui.clock import FixedClock
    from clerk_tui.db import open_database
    from clerk_tui.services.catalog.importer import import_catalog_file

    engine = open_database(db_path)
    try:
        station = _station(engine, db_path, FixedClock(at or datetime(2016, 11, 21, 8, 5)))
        started = time.perf_counter()
        report = import_catalog_file(station, catalog_path)
        return report, time.perf_counter() - started
    finally:
        engine.dispose()


def _station(engine: Any, db_path: Path, clock: Any) -> Any:
    from clerk_tui.config import Settings
    from clerk_tui.services.context import Station

    settings = replace(Settings(), station_id=STATION_ID, data_dir=db_path.parent, database=db_path)
    return Station(engine, settings, clock)


# --- the station's history -------------------------------------------------------------


class _T:
    """One ticket while its day is simulated (times in ms since midnight)."""

    __slots__ = (
        "appt",
        "arrive",
        "call",
        "clerk",
        "end",
        "from_id",
        "from_window",
        "id",
        "issued",
        "klass",
        "letter",
        "matter",
        "noshow",
        "outcome",
        "person",
        "priority",
        "queue",
        "recall",
        "recall_at",
        "serial",
        "service",
        "start",
        "status",
        "transfer_to",
        "via",
        "window",
    )

    def __init__(self) -> None:
        self.appt = None
        self.from_id = None
        self.transfer_to = None
        self.person = None
        self.call = self.recall_at = self.start = self.end = None
        self.window = self.clerk = None
        self.status = "done"
        self.recall = False


class _Window:
    __slots__ = ("clerk", "no", "pause_at", "pause_len", "paused")

    def __init__(self, no: int, clerk: str, pause_at: int, pause_len: int) -> None:
        self.no, self.clerk, self.pause_at, self.pause_len, self.paused = no, clerk, pause_at, pause_len, False


class _Generator:
    def __init__(
        self,
        conn: sqlite3.Connection,
        seq: int,
        seed: int,
        start: date,
        end: date,
        tickets_per_day: int,
        check_share: float,
        audit: bool,
        workdays: _WorkDays,
    ) -> None:
        self.conn = conn
        self.seq = seq
        self.rng = random.Random(f"station-{seed}")
        self.idr = random.Random(f"ids-{seed}")
        self.start, self.end = start, end
        self.tpd = tickets_per_day
        self.check_share = check_share
        self.audit = audit
        self.wd = workdays
        self.clock = _Clock()
        self.rows: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
        self.pending = 0
        self.counts: dict[str, int] = {t: 0 for t in COLUMNS}
        self.people: list[tuple[str, str, str]] = []
        self.outcomes = _cum(OUTCOME_SHARES)
        self.assistance = _cum(ASSISTANCE_SHARES)
        self.levels = _cum(RATING_LEVELS)
        self.arrival = _cum(list(enumerate(ARRIVAL_CURVE)))
        self.sql = {
            t: f"INSERT INTO {t} (id, created_at, updated_at, version, change_seq, {', '.join(cols)}) "
            f"VALUES ({', '.join('?' * (len(cols) + 5))})"
            for t, cols in COLUMNS.items()
        }
        # windows per queue: enough for the queue's daily work in ~7.5 busy hours
        self.windows: dict[str, list[int]] = {}
        no = 1
        for q, share in zip(QUEUES, QUEUE_SHARE, strict=False):
            mean = 9.0 * QUEUE_SERVICE_FACTOR[q]
            n = max(1, math.ceil(share * tickets_per_day * mean / 450))
            self.windows[q] = list(range(no, no + n))
            no += n
        self.n_windows = no - 1
        self.clerks = [f"{i:04d}" for i in range(1, self.n_windows + max(2, self.n_windows // 3) + 1)]
        self.matters_by_queue: dict[str, dict[str, tuple]] = {}

    # rows

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.idr.getrandbits(128), version=4))

    def add(self, table: str, created: str, updated: str, values: tuple, id_: str | None = None) -> str:
        id_ = id_ or self.new_id()
        self.seq += 1
        self.rows[table].append((id_, created, updated, 1, self.seq, *values))
        self.pending += 1
        if self.pending >= FLUSH_ROWS:
            self.flush()
        return id_

    def flush(self) -> None:
        with self.conn:
            for table, rows in self.rows.items():
                if rows:
                    self.conn.executemany(self.sql[table], rows)
                    self.counts[table] += len(rows)
                    rows.clear()
        self.pending = 0

    # matters

    def load_matters(self, hall_area: str | None) -> None:
        """The hall's matter pool per queue, Zipf-weighted, split by 即办 / 承诺."""
        rng = random.Random(self.rng.random())
        rows = self.conn.execute(
            "SELECT m.id, m.code, m.name, m.project_type, m.promised_limit, m.promised_unit, m.service_objects, "
            "m.catalog_version_id, d.name FROM matter m JOIN department d ON d.id = m.department_id "
            "WHERE m.active ORDER BY m.code"
        ).fetchall()
        real_area = "-510199000000-"
        pool = [r for r in rows if real_area in r[1]]
        if hall_area:
            pool += [r for r in rows if f"-{hall_area}000000-" in r[1]]
        rng.shuffle(pool)
        pool.sort(key=lambda r: real_area not in r[1])  # the real matters are the busiest
        materials: dict[str, list[tuple]] = {}
        ids = [r[0] for r in pool]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for row in self.conn.execute(
                f"SELECT matter_id, position, name, material_type, form, copies, necessity, source, condition, "
                f"e_licence FROM material WHERE matter_id IN ({','.join('?' * len(chunk))}) ORDER BY matter_id, position",
                chunk,
            ):
                materials.setdefault(row[0], []).append(row[1:])
        by_queue: dict[str, list[tuple[tuple, float]]] = {q: [] for q in QUEUES}
        for rank, r in enumerate(pool):
            dept = r[8]
            q = (
                "C"
                if "不动产" in dept
                else "B"
                if any(k in dept for k in ("社会保险", "医疗保障", "人力资源"))
                else "A"
            )
            matter = (
                r[0],
                r[1],
                r[2],
                int(r[3]),
                r[4] or 0,
                r[5] or "工作日",
                r[6] or "",
                r[7],
                materials.get(r[0], []),
            )
            by_queue[q].append((matter, 1.0 / (rank + 1) ** 0.9))
        if not by_queue["B"]:
            by_queue["B"] = list(by_queue["A"])
        if not by_queue["C"]:
            by_queue["C"] = list(by_queue["A"])
        self.pools = {}
        for q, weighted in by_queue.items():
            quick = [(m, w) for m, w in weighted if m[3] == 1] or weighted
            slow = [(m, w) for m, w in weighted if m[3] == 2] or weighted
            self.pools[q] = {"all": _cum(weighted), "quick": _cum(quick), "slow": _cum(slow)}

    def matter_for(self, queue: str, outcome: str) -> tuple:
        kind = (
            "quick"
            if outcome in ("on_the_spot", "consultation")
            else "slow"
            if outcome in ("promised", "rongque")
            else "all"
        )
        return _pick(self.rng, self.pools[queue][kind])

    # people

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        if self.people and rng.random() < 0.25:
            return self.people[rng.randrange(len(self.people))]
        name = rng.choice(W.SURNAMES) + "".join(rng.choice(W.GIVEN) for _ in range(rng.choice((1, 2, 2))))
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(22_000))
        first17 = f"{rng.choice(W.REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        from clerk_tui.services.ids import resident_check_char

        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        p = (name, first17 + resident_check_char(first17), phone)
        self.people.append(p)
        return p

    def organisation(self) -> tuple[str, str]:
        rng = self.rng
        name = (
            rng.choice(("成都", "锦江", "示例县", "天府"))
            + rng.choice(W.COMPANY_WORDS)
            + rng.choice(W.COMPANY_WORDS)
            + rng.choice(W.INDUSTRIES)
            + rng.choice(W.COMPANY_SUFFIX)
        )
        return name, _uscc(rng, rng.choice(W.REGIONS))

    # one day

    def day(self, day: date, last: bool) -> None:
        rng, _clock = self.rng, self.clock
        cutoff = (LAST_DAY_NOW[0] * 60 + LAST_DAY_NOW[1]) * 60_000 if last else None
        n = round(self.tpd * WEEKDAY_FACTOR[day.weekday()] * MONTH_FACTOR[day.month - 1] * rng.gauss(1.0, 0.08))
        n = max(1, n)
        # windows, clerks, lunch breaks
        clerks = list(self.clerks)
        rng.shuffle(clerks)
        windows: dict[int, _Window] = {}
        for i in range(1, self.n_windows + 1):
            windows[i] = _Window(i, clerks[i - 1], (11 * 60 + 45 + (i % 3) * 30) * 60_000, rng.randint(40, 60) * 60_000)
        # tickets
        tickets: list[_T] = []
        appointments: list[tuple[_T | None, str, int]] = []
        for _ in range(n):
            t = _T()
            r = rng.random()
            t.queue = "A" if r < QUEUE_SHARE[0] else "B" if r < QUEUE_SHARE[0] + QUEUE_SHARE[1] else "C"
            t.letter = t.queue
            r = rng.random()
            if r < 0.08:
                t.priority = "appointment"
                t.appt = (9 * 60 + 30 * rng.randrange(16)) * 60_000  # 09:00 … 16:30 slots
                t.issued = max(OPEN_MS, t.appt - rng.randrange(1, 20 * 60_000))
                t.person = self.person()
            else:
                t.priority = "green" if r < 0.13 else "normal"
                slot = _pick(rng, self.arrival)
                t.issued = OPEN_MS + slot * 900_000 + rng.randrange(900_000)
            t.via = "kiosk" if rng.random() < 0.8 else "window"
            t.noshow = rng.random() < 0.06
            t.recall = rng.random() < (0.5 if t.noshow else 0.03)
            t.outcome = _pick(rng, self.outcomes)
            t.matter = self.matter_for(t.queue, t.outcome)
            t.service = self.service_ms(t.queue, t.outcome)
            if t.queue == "A" and not t.noshow and rng.random() < TRANSFER_SHARE:
                t.transfer_to = "B" if rng.random() < 0.6 else "C"
            if cutoff is not None and t.issued >= cutoff:
                if t.priority == "appointment":
                    appointments.append((None, t.queue, t.appt))
                continue
            tickets.append(t)
        tickets.sort(key=lambda t: t.issued)
        serials = {q: 0 for q in QUEUES}
        for t in tickets:
            serials[t.letter] += 1
            t.serial = serials[t.letter]
            t.id = self.new_id()
            t.arrive = t.appt if t.appt is not None else t.issued
            t.klass = 0 if t.priority == "green" else 2 if t.appt is not None else 3
            if t.appt is not None:
                appointments.append((t, t.queue, t.appt))
        # simulate A, then B and C with the tickets A sent over
        pauses: list[tuple[_Window, int, int]] = []
        by_queue = {q: [t for t in tickets if t.queue == q] for q in QUEUES}
        self.simulate(by_queue["A"], [windows[w] for w in self.windows["A"]], pauses)
        moved: list[_T] = []
        for t in by_queue["A"]:
            # not once the hall is closed: B/C would only close it again, before it got there
            if t.transfer_to and t.status == "done" and t.end < DAY_END_MS and (cutoff is None or t.end < cutoff):
                t.status = "transferred"
                c = _T()
                c.id = self.new_id()
                c.queue, c.letter, c.serial, c.priority, c.appt = t.transfer_to, t.letter, t.serial, t.priority, t.appt
                c.issued, c.via, c.arrive, c.klass, c.from_id, c.person = t.issued, t.via, t.end, 1, t.id, t.person
                c.from_window = t.window
                c.noshow, c.recall = False, False
                c.outcome = _pick(rng, self.outcomes)
                c.matter = self.matter_for(c.queue, c.outcome)
                c.service = self.service_ms(c.queue, c.outcome)
                moved.append(c)
                by_queue[c.queue].append(c)
        for q in ("B", "C"):
            by_queue[q].sort(key=lambda t: t.arrive)
            self.simulate(by_queue[q], [windows[w] for w in self.windows[q]], pauses)
        if cutoff is not None:
            for q in QUEUES:
                for t in by_queue[q]:
                    self.cut(t, cutoff)
        everything = sorted(tickets + moved, key=lambda t: (t.issued, t.from_id is not None))
        self.emit_day(day, everything, windows, pauses, appointments, cutoff)

    def service_ms(self, queue: str, outcome: str) -> int:
        median = SERVICE_MEDIAN[outcome] * QUEUE_SERVICE_FACTOR[queue]
        return int(self.rng.lognormvariate(math.log(median), 0.45) * 60_000)

    def simulate(self, arrivals: list[_T], windows: list[_Window], pauses: list) -> None:
        """Windows call the next ticket in fair order (green, transfer, appointment, normal)."""
        if not arrivals:
            return
        rng = self.rng
        # by the time a ticket joins the queue: an appointment comes for its slot, not when it was issued
        arrivals.sort(key=lambda t: t.arrive)
        heap = [(OPEN_MS, i) for i in range(len(windows))]
        lines: list[deque[_T]] = [deque(), deque(), deque(), deque()]
        i, n = 0, len(arrivals)
        while heap:
            free, wi = heapq.heappop(heap)
            w = windows[wi]
            if not w.paused and free >= w.pause_at:
                w.paused = True
                resume = max(free, w.pause_at) + w.pause_len
                pauses.append((w, free, resume))
                heapq.heappush(heap, (resume, wi))
                continue
            while i < n and arrivals[i].arrive <= free:
                t = arrivals[i]
                lines[t.klass].append(t)
                i += 1
            if not (lines[0] or lines[1] or lines[2] or lines[3]):
                if i >= n:
                    continue  # this window is done for the day
                # idle until the next arrival: back into the heap, so that no other window (free
                # earlier) can take a ticket before it arrived, and a due pause is still taken
                heapq.heappush(heap, (arrivals[i].arrive, wi))
                continue
            if lines[0]:
                t = lines[0].popleft()
            elif lines[1]:
                t = lines[1].popleft()
            elif lines[2] and lines[2][0].appt - 600_000 <= free:
                t = lines[2].popleft()
            elif lines[3]:
                t = lines[3].popleft()
            else:
                t = lines[2].popleft()
            if free >= DAY_END_MS:
                t.status = "closed"
                heapq.heappush(heap, (free, wi))
                continue
            t.window, t.clerk = w.no, w.clerk
            t.call = free + rng.randrange(2000, 15_000)
            last_call = t.call
            if t.recall:
                t.recall_at = last_call = t.call + rng.randrange(50_000, 90_000)
            if t.noshow:
                t.status = "no_show"
                t.end = last_call + rng.randrange(60_000, 120_000)
            else:
                t.start = last_call + rng.randrange(15_000, 90_000)
                t.end = t.start + t.service
            heapq.heappush(heap, (t.end + rng.randrange(5000, 30_000), wi))

    @staticmethod
    def cut(t: _T, cutoff: int) -> None:
        """The last day as it stands at `cutoff`."""
        if t.call is None or t.call >= cutoff:
            t.status = "waiting"
            t.call = t.recall_at = t.start = t.end = t.window = t.clerk = None
            return
        if t.recall_at is not None and t.recall_at >= cutoff:
            t.recall_at = None
        if t.end >= cutoff:
            if t.start is not None and t.start < cutoff:
                t.status = "serving"
            else:
                t.status = "called"
                t.start = None
            t.end = None

    def emit_day(
        self,
        day: date,
        tickets: list[_T],
        windows: dict[int, _Window],
        pauses: list,
        appointments: list,
        cutoff: int | None,
    ) -> None:
        rng, ts, station = self.rng, self.clock.ts, STATION_ID
        d = self.clock.d(day)
        ymd = f"{day:%Y%m%d}"
        served: list[_T] = []
        issue_window = {q: windows[self.windows[q][0]] for q in QUEUES}
        for t in tickets:
            number = f"{t.letter}{t.serial:03d}"
            issued = ts(day, t.issued)
            events: list[tuple[str, int, int | None, str | None, str]] = []
            if t.from_id is None:
                iw = issue_window[t.queue] if t.via == "window" else None
                events.append(("issued", t.issued, iw.no if iw else None, iw.clerk if iw else None, t.via))
            else:
                events.append(("transferred_in", t.arrive, None, None, f"from_window={t.from_window}"))
            if t.call is not None:
                klass = ("green", "transfer", "appointment", "normal")[t.klass]
                events.append(("called", t.call, t.window, t.clerk, klass))
                if t.recall_at is not None:
                    events.append(("recalled", t.recall_at, t.window, t.clerk, "2"))
                if t.start is not None:
                    events.append(("started", t.start, t.window, t.clerk, ""))
                if t.end is not None:
                    if t.status == "no_show":
                        events.append(("no_show", t.end, t.window, t.clerk, "2" if t.recall_at else "1"))
                    elif t.status == "transferred":
                        events.append(("transferred", t.end, t.window, t.clerk, f"queue={t.transfer_to}"))
                    else:
                        events.append(("finished", t.end, t.window, t.clerk, ""))
            if t.status == "closed":
                events.append(("closed", DAY_END_MS, None, None, "day_end|waiting"))
            last = events[-1][1]
            sort_at = t.arrive if t.from_id is not None or t.appt is not None else t.issued
            calls = 0 if t.call is None else 2 if t.recall_at is not None else 1
            finished = (
                ts(day, DAY_END_MS)
                if t.status == "closed"
                else ts(day, t.end)
                if t.status in ("done", "transferred")
                else None
            )
            self.add(
                "ticket",
                issued if t.from_id is None else ts(day, t.arrive),
                ts(day, last),
                (
                    station,
                    d,
                    t.queue,
                    t.letter,
                    t.serial,
                    number,
                    t.priority,
                    ts(day, t.appt) if t.appt is not None else None,
                    t.status,
                    issued,
                    t.via,
                    ts(day, sort_at),
                    ts(day, t.call) if t.call is not None else None,
                    ts(day, t.recall_at if t.recall_at is not None else t.call) if t.call is not None else None,
                    calls,
                    t.window,
                    t.clerk,
                    ts(day, t.start) if t.start is not None else None,
                    finished,
                    t.from_id,
                    None,
                    "",
                ),
                t.id,
            )
            for kind, at, wno, clerk, detail in events:
                s = ts(day, at)
                self.add("ticket_event", s, s, (t.id, kind, s, station, wno, clerk, detail))
            if t.status == "done":
                served.append(t)
        for w, at, resume in sorted(pauses, key=lambda p: (p[1], p[0].no)):
            if cutoff is not None and at >= cutoff:
                continue
            s = ts(day, at)
            self.add("window_event", s, s, (station, w.no, w.clerk, "pause", "休息", s))
            if cutoff is None or resume < cutoff:
                s = ts(day, resume)
                self.add("window_event", s, s, (station, w.no, w.clerk, "resume", "", s))
        for _ in range(sum(1 for a in appointments if a[0] is not None) // 10):
            if cutoff is None:
                appointments.append((None, rng.choice(QUEUES), (9 * 60 + 30 * rng.randrange(16)) * 60_000))
        for k, (t, queue, slot) in enumerate(appointments, 1):
            person = t.person if t is not None else self.person()
            matter = t.matter if t is not None else self.matter_for(queue, "on_the_spot")
            ext = f"YY{ymd}{k:04d}"
            slot_s = ts(day, slot)
            sha = hashlib.sha256(f"{ext}|{queue}|{slot_s}|{person[0]}|{person[2]}|{matter[1]}".encode()).hexdigest()
            imported = ts(day, 7 * 3_600_000 + 30 * 60_000)
            status = "issued" if t is not None else "booked" if cutoff is not None else "expired"
            self.add(
                "appointment",
                imported,
                ts(day, t.issued) if t is not None else imported,
                (
                    ext,
                    queue,
                    slot_s,
                    person[0],
                    person[2],
                    matter[1],
                    "",
                    status,
                    t.id if t is not None else None,
                    "centre",
                    sha,
                    imported,
                ),
            )
        # cases, in the order they were saved
        served.sort(key=lambda t: t.end)
        case_serial: dict[int, int] = {}
        for t in served:
            save = max(t.start, t.end - rng.randrange(5000, 60_000))
            case_serial[t.window] = case_serial.get(t.window, 0) + 1
            case_no = f"{ymd}-{t.window:02d}-{case_serial[t.window]:04d}"
            case_id = self.case(
                day,
                t.matter,
                t.outcome,
                t.person,
                t.id,
                t.window,
                t.clerk,
                t.start,
                save,
                case_no,
                _pick(rng, self.assistance),
            )
            rated = t.end + rng.randrange(3000, 40_000)
            if cutoff is None or rated < cutoff:
                self.rate(day, case_id, rated, t.clerk)
        # a home visit now and then (上门服务): a case without a ticket
        if cutoff is None and rng.random() < 0.25:
            w = windows[1]
            at = (15 * 60 + rng.randrange(90)) * 60_000
            case_serial[1] = case_serial.get(1, 0) + 1
            outcome = "on_the_spot" if rng.random() < 0.8 else "promised"
            self.case(
                day,
                self.matter_for("A", outcome),
                outcome,
                None,
                None,
                1,
                w.clerk,
                at,
                at + 1_200_000,
                f"{ymd}-01-{case_serial[1]:04d}",
                "home_visit",
            )

    def case(
        self,
        day: date,
        matter: tuple,
        outcome: str,
        person: tuple | None,
        ticket_id: str | None,
        window: int,
        clerk: str,
        received: int,
        save: int,
        case_no: str,
        assistance: str,
    ) -> str:
        rng, ts, d = self.rng, self.clock.ts, self.clock.d
        matter_id, code, name, _project_type, limit, unit, objects, version_id, _materials = matter
        # applicant
        kind, id_type = "person", "resident_id"
        agent = ("", "", "", "")
        if "2" in objects and (rng.random() < 0.5 or "1" not in objects):
            kind, id_type = "organisation", "uscc"
            applicant, id_number = self.organisation()
            phone = ""
            a = self.person()
            agent = (a[0], "resident_id", a[1], a[2])
        else:
            p = person or self.person()
            applicant, id_number, phone = p
            if rng.random() < 0.04:
                a = self.person()
                agent = (a[0], "resident_id", a[1], a[2])
        if outcome == "consultation" and rng.random() < 0.5:
            applicant = id_number = phone = ""
            id_type = ""
        saved = ts(day, save)
        # deadlines and later completion
        deadline = supply = None
        status = {"on_the_spot": "completed", "promised": "pending", "rongque": "pending"}.get(outcome, "closed")
        accepted = saved if outcome in ("on_the_spot", "promised", "rongque", "forwarded") else None
        decided = saved if outcome in ("on_the_spot", "correction", "refused", "forwarded") else None
        completed = saved if outcome in ("on_the_spot", "consultation") else None
        updated = saved
        completion_note = ""
        later: tuple[str, str] | None = None
        if outcome in ("promised", "rongque"):
            n = limit if limit > 0 else 5
            deadline = self.wd.add(day, n) if unit != "日" else self.wd.next_on_or_after(day + timedelta(days=n))
            if outcome == "rongque":
                supply = self.wd.add(day, min(3, n))
                if supply > deadline:
                    supply = deadline
            done_day = self.wd.add(day, rng.randint(1, max(1, n))) if rng.random() < 0.9 else deadline
            if done_day > deadline:
                done_day = deadline
            r = rng.random()
            if done_day < self.end and r > 0.003:
                status = "returned" if r < 0.02 else "completed"
                completed = decided = updated = ts(done_day, rng.randrange(9 * 60, 17 * 60) * 60_000)
                completion_note = rng.choice(W.RETURN_NOTES if status == "returned" else W.COMPLETION_NOTES)
                later = (status, completed)
        # the document check behind it
        check_id = None
        if outcome in ("rongque", "correction") or (
            outcome != "consultation" and rng.random() < self.check_share * 0.9
        ):
            check_id = self.check(day, matter, outcome, ticket_id, window, clerk, received, supply, case_no)
        case_id = self.new_id()
        self.add(
            "service_case",
            saved,
            updated,
            (
                STATION_ID,
                ticket_id,
                matter_id,
                version_id,
                check_id,
                code,
                name,
                kind,
                applicant,
                id_type if id_number else "",
                id_number,
                phone,
                agent[0],
                agent[1],
                agent[2],
                agent[3],
                outcome,
                status,
                d(deadline) if deadline else None,
                d(supply) if supply else None,
                rng.choice(W.REFUSAL_REASONS) if outcome == "refused" else "",
                assistance,
                "",
                clerk,
                window,
                ts(day, received),
                accepted,
                decided,
                completed,
                "",
                case_no,
                rng.choice(W.FORWARD_TARGETS) if outcome == "forwarded" else "",
                completion_note,
            ),
            case_id,
        )
        if self.audit:
            self.audit_row(case_id, "create", "", "", outcome, "", clerk, saved)
            if later is not None:
                self.audit_row(
                    case_id,
                    "return" if later[0] == "returned" else "complete",
                    "status",
                    "pending",
                    later[0],
                    completion_note if later[0] == "returned" else "",
                    clerk,
                    later[1],
                )
        return case_id

    def check(
        self,
        day: date,
        matter: tuple,
        outcome: str,
        ticket_id: str | None,
        window: int,
        clerk: str,
        received: int,
        supply: date | None,
        case_no: str,
    ) -> str:
        rng, ts = self.rng, self.clock.ts
        matter_id, code, name, _pt, _limit, _unit, _objects, version_id, materials = matter
        at = ts(day, received + rng.randrange(30_000, 180_000))
        verdict = outcome if outcome in ("rongque", "correction") else "accept"
        answers = {}
        marks = []
        for *_, condition, e_licence in materials:
            applies = True
            if condition:
                applies = answers.setdefault(condition, rng.random() < 0.3)
            if not applies:
                mark = "not_applicable"
            elif e_licence and rng.random() < 0.5:
                mark = "e_licence"
            else:
                mark = "provided"
            marks.append(mark)
        applicable = [i for i, m in enumerate(marks) if m != "not_applicable"] or list(range(len(marks)))
        if marks and verdict == "rongque":
            soft = [i for i in applicable if materials[i][5] == 3] or applicable[-1:]
            marks[soft[0]] = "missing"
        elif marks and verdict == "correction":
            for i in rng.sample(applicable, min(len(applicable), rng.randint(1, 2))):
                marks[i] = "missing"
        check_id = self.new_id()
        self.add(
            "document_check",
            at,
            at,
            (
                STATION_ID,
                ticket_id,
                matter_id,
                code,
                name,
                version_id,
                json.dumps(answers, ensure_ascii=False, sort_keys=True),
                verdict,
                self.clock.d(supply) if supply else None,
                clerk,
                window,
                at,
            ),
            check_id,
        )
        for (position, mname, mtype, form, copies, necessity, source, condition, e_licence), mark in zip(
            materials, marks, strict=False
        ):
            self.add(
                "check_item",
                at,
                at,
                (check_id, position, mname, mtype, form, copies, necessity, source, condition, e_licence, mark),
            )
        if verdict in ("rongque", "correction"):
            missing = [materials[i][1] for i, m in enumerate(marks) if m == "missing"]
            prefix = "RQ" if verdict == "rongque" else "BZ"
            text = (
                f"{'容缺受理通知书' if verdict == 'rongque' else '一次性告知书'}\n事项：{name}\n"
                f"需补齐的材料：{'；'.join(missing)}\n"
                + (f"请于{supply.isoformat()}前补齐。\n" if supply else "请补齐后再次申请。\n")
            )
            self.add("notice", at, at, (check_id, verdict, f"{prefix}{case_no}", text, "", 1))
        return check_id

    def rate(self, day: date, case_id: str, rated: int, clerk: str) -> None:
        rng, ts = self.rng, self.clock.ts
        r = rng.random()
        if r < 0.10:
            return
        level = None if r < 0.12 else _pick(rng, self.levels)
        points, comment = "", ""
        if level is not None and level <= 3:
            points = rng.choice(("efficiency", "skill", "attitude", "efficiency,attitude"))
            comment = rng.choice(W.BAD_COMMENTS) if level <= 2 or rng.random() < 0.3 else ""
        elif level is not None and rng.random() < 0.3:
            points = "efficiency,skill,attitude"
            comment = rng.choice(W.GOOD_COMMENTS) if rng.random() < 0.1 else ""
        at = ts(day, rated)
        rating_id = self.add("rating", at, at, (case_id, level, points, comment, "4", at))
        if self.audit:
            self.audit_row(case_id, "rate", "", "", "" if level is None else str(level), "", clerk, at)
        if level is None or level > 2:
            return
        due = self.wd.add(day, 5)
        contact_day = self.wd.add(day, rng.randint(1, 4))
        if contact_day < self.end:
            contacted = ts(contact_day, rng.randrange(9 * 60, 17 * 60) * 60_000)
            note, fix = rng.choice(W.FOLLOW_CONTACT), rng.choice(W.FOLLOW_FIX)
            values = (case_id, rating_id, self.clock.d(due), "closed", contacted, note, fix, contacted, clerk)
            updated = contacted
        else:
            values = (case_id, rating_id, self.clock.d(due), "open", None, "", "", None, clerk)
            updated = at
        self.add("follow_up", at, updated, values)
        if self.audit:
            self.audit_row(case_id, "follow_up_open", "", "", self.clock.d(due), "", clerk, at)
            if values[3] == "closed":
                self.audit_row(case_id, "follow_up", "contact_note", "", values[5], "", clerk, updated)
                self.audit_row(case_id, "follow_up", "fix_note", "", values[6], "", clerk, updated)
                self.audit_row(case_id, "follow_up_close", "", "", "", "", clerk, updated)

    def audit_row(
        self, entity_id: str, action: str, field: str, old: str, new: str, reason: str, clerk: str, at: str
    ) -> None:
        self.add("audit_entry", at, at, ("case", entity_id, action, field, old, new, reason, clerk, STATION_ID, at))


def _bench_params(
    years: int,
    tickets_per_day: int,
    seed: int,
    catalog_matters: int | None,
    end_date: date,
    check_share: float,
    audit: bool,
    days: int | None = None,
) -> dict[str, Any]:
    return {
        "generator": GENERATOR_VERSION,
        "years": years,
        "days": days,
        "tickets_per_day": tickets_per_day,
        "seed": seed,
        "catalog_matters": catalog_matters,
        "end_date": end_date.isoformat(),
        "check_share": check_share,
        "audit": audit,
        "station_id": STATION_ID,
    }


def generate_station_db(
    path: Path,
    years: int = 10,
    tickets_per_day: int = 480,
    seed: int = 1,
    catalog_matters: int | None = None,
    end_date: date = date(2026, 11, 20),
    check_share: float = 0.10,
    audit: bool = True,
    catalog_path: Path | None = None,
    progress: bool = False,
    days: int | None = None,
) -> dict[str, Any]:
    """Generate a station database at `path` (replaced if it exists); returns row counts.

    `days` (a span in calendar days ending on `end_date`) overrides `years`.
    `catalog_matters`: also import a synthetic province catalog of that many matters
    (written to `catalog_path`, default `bench/.cache/catalog-N-sSEED.json`, reused when
    present). `check_share`: share of cases with a document check (容缺 and 补正 cases
    always have one). `audit`: write the audit entries the services would.
    The returned dict maps table -> rows, plus "seconds" and "catalog_seconds".
    """
    from clerk_tui.clock import FixedClock
    from clerk_tui.db import open_database
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file

    started = time.perf_counter()
    path = Path(path)
    if days is not None:
        start_date = end_date - timedelta(days=days - 1)
    else:
        start_date = date(end_date.year - years, end_date.month, end_date.day) + timedelta(days=1)
    params = _bench_params(
        years if days is None else 0, tickets_per_day, seed, catalog_matters, end_date, check_share, audit, days
    )
    tmp = path.with_name(path.name + ".generating")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        p.unlink(missing_ok=True)

    # schema from the real migrations, catalogs through the real import service
    engine = open_database(tmp)
    catalog_seconds = 0.0
    try:
        first = datetime.combine(start_date, datetime.min.time()).replace(hour=8)
        import_catalog_file(_station(engine, tmp, FixedClock(first)), bundled_catalog())
        if catalog_matters:
            catalog_path = catalog_path or CACHE_DIR / f"catalog-{catalog_matters}-s{seed}-v{GENERATOR_VERSION}.json"
            if not catalog_path.exists():
                generate_catalog_file(catalog_path, catalog_matters, seed)
            t0 = time.perf_counter()
            import_catalog_file(_station(engine, tmp, FixedClock(first + timedelta(minutes=5))), catalog_path)
            catalog_seconds = time.perf_counter() - t0
    finally:
        engine.dispose()

    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.isolation_level = ""  # `with conn:` transactions
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "cache_size = -1500000",
        "temp_store = MEMORY",
        "foreign_keys = OFF",
    ):
        conn.execute(f"PRAGMA {pragma}")
    indexes = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(BULK_TABLES))}) ORDER BY name",
        BULK_TABLES,
    ).fetchall()
    with conn:
        for name, _sql in indexes:
            conn.execute(f"DROP INDEX {name}")
    seq = conn.execute("SELECT value FROM counter WHERE name = 'change_seq'").fetchone()[0]
    hall_area = None
    if catalog_matters:
        # the hall serves the first county of the synthetic catalog (besides the 13 real matters)
        row = conn.execute(
            "SELECT code FROM matter WHERE level = '县级' AND code NOT LIKE '%-510199000000-%' ORDER BY rowid LIMIT 1"
        ).fetchone()
        hall_area = row[0].split("-")[1][:6] if row else None
    workdays = _WorkDays(start_date - timedelta(days=7), end_date + timedelta(days=400))
    gen = _Generator(conn, seq, seed, start_date, end_date, tickets_per_day, check_share, audit, workdays)
    gen.load_matters(hall_area)
    days = workdays.between(start_date, end_date)
    if not days or days[-1] != end_date:
        days.append(end_date)  # "today" exists even if it is not a working day
    for i, day in enumerate(days):
        gen.day(day, last=day == end_date)
        if progress and i % 250 == 0:
            print(f"  {day}  {gen.seq:,} rows  {time.perf_counter() - started:.0f}s", file=sys.stderr)
    gen.flush()
    with conn:
        conn.execute("UPDATE counter SET value = ? WHERE name = 'change_seq'", (gen.seq,))
        for key, value in (
            ("bench_params", json.dumps(params, sort_keys=True)),
            ("queue.closed_through", end_date.isoformat()),
        ):
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
    if progress:
        print(
            f"  rows written, rebuilding {len(indexes)} indexes  {time.perf_counter() - started:.0f}s", file=sys.stderr
        )
    with conn:
        for _name, sql in indexes:
            conn.execute(sql)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("catalog_version", "department", "matter", "material")
    }
    counts.update(gen.counts)
    conn.execute("PRAGMA journal_mode = WAL")  # as the app leaves it
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)
    counts["change_seq"] = gen.seq
    counts["days"] = len(days)
    counts["catalog_seconds"] = round(catalog_seconds, 1)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def stored_params(path: Path) -> dict[str, Any] | None:
    """The parameters a database was generated with (meta 'bench_params'), or None."""
    if not Path(path).exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'bench_params'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def ensure_large_db(
    years: int = 10,
    tickets_per_day: int = 480,
    seed: int = 1,
    catalog_matters: int | None = PROVINCE_MATTERS,
    end_date: date = date(2026, 11, 20),
    check_share: float = 0.10,
    audit: bool = True,
) -> Path:
    """The benchmark database under `bench/.cache/`, generated only if missing or different.

    Benchmarks that write to it should copy it first.
    """
    params = _bench_params(years, tickets_per_day, seed, catalog_matters, end_date, check_share, audit)
    name = f"station-y{years}-t{tickets_per_day}-s{seed}-c{catalog_matters or 0}-v{GENERATOR_VERSION}.db"
    path = CACHE_DIR / name
    if stored_params(path) != params:
        print(f"generating {path} (once; later runs reuse it) ...", file=sys.stderr)
        counts = generate_station_db(
            path, years, tickets_per_day, seed, catalog_matters, end_date, check_share, audit, progress=True
        )
        print(f"done in {counts['seconds']}s", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="database to write (default: the cached benchmark database)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--tickets-per-day", type=int, default=480)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--catalog-matters",
        type=int,
        default=None,
        help=f"also import a synthetic province catalog of N matters (0: none; default "
        f"{PROVINCE_MATTERS} without --out, none with it)",
    )
    parser.add_argument(
        "--catalog-only",
        type=Path,
        metavar="FILE",
        help="only write the synthetic catalog file (size from --catalog-matters)",
    )
    parser.add_argument("--check-share", type=float, default=0.10)
    parser.add_argument("--no-audit", action="store_true")
    parser.add_argument("--small", action="store_true", help="3 weeks, 20 tickets a day, 200-matter catalog")
    args = parser.parse_args(argv)
    if args.small and args.catalog_matters is None:
        args.catalog_matters = 200
    if args.out is None and args.catalog_matters is None:
        args.catalog_matters = PROVINCE_MATTERS  # what ensure_large_db() builds by default
    args.catalog_matters = args.catalog_matters or None  # 0: the bundled catalog only
    if args.catalog_only:
        t0 = time.perf_counter()
        info = generate_catalog_file(args.catalog_only, args.catalog_matters or PROVINCE_MATTERS, args.seed)
        print(json.dumps(info), f"{time.perf_counter() - t0:.1f}s")
        return 0
    if args.out is None:
        path = ensure_large_db(
            args.years,
            args.tickets_per_day,
            args.seed,
            args.catalog_matters,
            check_share=args.check_share,
            audit=not args.no_audit,
        )
        print(path)
        return 0
    if args.small:
        counts = _generate_small(args.out, args.seed, args.catalog_matters)
    else:
        counts = generate_station_db(
            args.out,
            args.years,
            args.tickets_per_day,
            args.seed,
            args.catalog_matters,
            check_share=args.check_share,
            audit=not args.no_audit,
            progress=True,
        )
    for key, value in counts.items():
        print(f"{key:16} {value:>12,}" if isinstance(value, int) else f"{key:16} {value:>12}")
    print(f"{'db bytes':16} {args.out.stat().st_size:>12,}")
    return 0


def _generate_small(path: Path, seed: int = 1, catalog_matters: int | None = 200) -> dict[str, Any]:
    """Three weeks at 20 tickets a day, a 200-matter catalog: what the tests use."""
    return generate_station_db(path, days=21, tickets_per_day=20, seed=seed, catalog_matters=catalog_matters)


if __name__ == "__main__":
    raise SystemExit(main())
