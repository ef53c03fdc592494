"""The daily, monthly and annual reports against their single-pass floor.

Both run in this same process on the same database file, alternated. The clerk path is
`services.reports.build_report(station, kind, period)` (SQLAlchemy, every figure, the
result objects). The floor is `floor_figures`: the same figures by their definitions in
docs/REPORTS.md, written here again as plain SQL on a raw sqlite3 connection, in the
fewest passes over each table the definitions permit (where two definitions group the
same rows differently and one merged pass measured slower than two, the faster is kept:
a floor is the least work, not the fewest statements). The floor may finish in Python
what is cheap there (p90 from a per-second histogram, sums of per-matter rows); the app
computes every figure in SQL (docs/REPORTS.md). Before any timing the app's figures are
compared with the floor's, figure by figure; any difference stops the benchmark.

Figures are medians of --runs after one warm-up run each; the ratio is app / floor.

    python -m bench.report [--db PATH] [--year 2025] [--month 6] [--day 2025-06-16]
                           [--runs 7] [--kinds daily,monthly,annual] [--queries]

Without --db it uses bench.generate.ensure_large_db() (10 years, ~120k cases a year, a
province-size catalog); without bench.generate it builds a one-year database of exactly
116,257 cases itself. --queries prints the app's statements with their raw sqlite3 time.
"""

from __future__ import annotations

import argparse
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.results import Result, record

if TYPE_CHECKING:
    from clerk_tui.services.reports.report import Report

SEED_004_CASES = 116_257


def _own_year(path: Path, year: int) -> Path:
    """A station with the bundled catalog and exactly 116,257 cases (+ tickets, ratings) in `year`."""
    from clerk_tui.config import Settings
    from clerk_tui.db import stamp_rows
    from clerk_tui.models import Case, Matter, Rating, Ticket
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import open_station

    station = open_station(Settings(data_dir=path.parent, database=path))
    import_catalog_file(station, bundled_catalog())
    rng = random.Random(4)
    with station.read() as session:
        matters = [(m.id, m.code, m.name, m.catalog_version_id, m.project_type) for m in session.query(Matter)]
    days = [d for d in (date(year, 1, 1) + timedelta(days=i) for i in range(365)) if d.weekday() < 5]
    now = datetime(year, 12, 31, 18)
    with station.engine.begin() as conn:
        for chunk in range(0, SEED_004_CASES, 20_000):
            tickets, cases, ratings = [], [], []
            for n in range(chunk, min(chunk + 20_000, SEED_004_CASES)):
                d = days[n % len(days)]
                issued = datetime.combine(d, datetime.min.time()) + timedelta(minutes=510 + rng.randint(0, 540))
                called = issued + timedelta(seconds=rng.randint(30, 3600))
                end = called + timedelta(seconds=rng.randint(120, 1500))
                tid = f"t{n:08d}"
                tickets.append(
                    dict(
                        id=tid,
                        station_id="S",
                        service_date=d,
                        queue="ABC"[n % 3],
                        letter="ABC"[n % 3],
                        serial=n // 3 % 999 + 1,
                        number="A001",
                        status="done",
                        issued_at=issued,
                        sort_at=issued,
                        first_called_at=called,
                        last_called_at=called,
                        service_started_at=called,
                        finished_at=end,
                        priority="normal",
                        issued_via="kiosk",
                        call_count=1,
                        note="",
                    )
                )
                m = matters[n % len(matters)]
                promised = n % 100 < 18
                deadline = d + timedelta(days=7) if promised else None
                cid = f"c{n:08d}"
                cases.append(
                    dict(
                        id=cid,
                        station_id="S",
                        ticket_id=tid,
                        matter_id=m[0],
                        catalog_version_id=m[3],
                        matter_code=m[1],
                        matter_name=m[2],
                        outcome="promised" if promised else "on_the_spot",
                        status="completed",
                        promised_deadline=deadline,
                        assistance="bangban" if n % 12 == 0 else "none",
                        clerk_no="A1",
                        received_at=issued,
                        accepted_at=called,
                        decided_at=end,
                        completed_at=end + timedelta(days=rng.randint(0, 9)) if promised else end,
                        applicant_kind="person",
                        applicant_name="",
                        id_type="",
                        id_number="",
                        phone="",
                        agent_name="",
                        agent_id_type="",
                        agent_id_number="",
                        agent_phone="",
                        supply_deadline=None,
                        refusal_reason="",
                        notes="",
                        void_reason="",
                        case_no="",
                        forwarded_to="",
                        completion_note="",
                    )
                )
                ratings.append(
                    dict(
                        case_id=cid,
                        level=rng.choice((5, 5, 5, 4, 3, None)),
                        points="",
                        comment="",
                        channel="4",
                        rated_at=end,
                    )
                )
            for table, rows in ((Ticket, tickets), (Case, cases), (Rating, ratings)):
                conn.execute(table.__table__.insert(), stamp_rows(conn, rows, now))
    station.close()
    return path


# --- the floor: the same figures, plain SQL on sqlite3 -------------------------------------

OUTCOMES = ("on_the_spot", "promised", "rongque", "correction", "refused", "consultation", "forwarded")
ASSISTED = ("bangban", "daiban", "home_visit")
CHANNELS = ("window", "online", "kiosk", "post", "mobile")
LEVELS = (5, 4, 3, 2, 1)
WORKING_DAY = "工作日"
PROJECT_TYPES = (1, 2, 3, 4, 9)  # 办件类型, as the app's models.catalog has them: the floor writes its own
WAIT = "(julianday(first_called_at) - julianday(issued_at)) * 86400.0"
SERVICE = "(julianday(finished_at) - julianday(service_started_at)) * 86400.0"


def _stamp(d: date) -> str:
    """A period bound as the app's SQLite store writes timestamps."""
    return datetime.combine(d, datetime.min.time()).isoformat(sep=" ", timespec="microseconds")


def _mean_p90(histogram: list[tuple[int, int, float]]) -> tuple[float, float] | None:
    """(mean, nearest-rank p90) from (whole second, count, sum of unrounded values) rows."""
    n = sum(c for _s, c, _t in histogram)
    if not n:
        return None
    rank = (9 * n + 9) // 10  # ceil(0.9 n)
    seen = 0
    for s, c, _t in sorted(histogram):
        seen += c
        if seen >= rank:
            return sum(t for _s, _c, t in histogram) / n, float(s)
    raise AssertionError("unreachable")


def _floor_tickets(raw: sqlite3.Connection, start: date, end: date, per_queue: bool) -> dict[str, Any]:
    days = (start.isoformat(), end.isoformat())
    in_period = "service_date >= ? AND service_date < ?"
    # pass 1: per queue and hour of issue; per-queue counts and arrivals per hour both sum it
    counts: dict[str, list[int]] = {}
    hours = [0] * 24
    for q, h, issued, done, no_show, transferred in raw.execute(
        "SELECT queue, CAST(substr(issued_at, 12, 2) AS INTEGER), sum(transferred_from_id IS NULL),"
        " sum(status = 'done'), sum(status = 'no_show'), sum(status = 'transferred')"
        f" FROM ticket WHERE {in_period} GROUP BY 1, 2",
        days,
    ):
        line = counts.setdefault(q, [0, 0, 0, 0])
        for i, v in enumerate((issued, done, no_show, transferred)):
            line[i] += v
        hours[h] += issued
    # passes 2 and 3: waiting and service time, counted per queue and whole second
    times: list[dict[str, tuple[float, float]]] = []
    for value, rows in (
        (WAIT, "transferred_from_id IS NULL AND first_called_at IS NOT NULL"),
        (SERVICE, "status = 'done' AND service_started_at IS NOT NULL AND finished_at IS NOT NULL"),
    ):
        histograms: dict[str, list[tuple[int, int, float]]] = {"": []}
        for q, s, c, total in raw.execute(
            f"SELECT queue, CAST(round({value}) AS INTEGER), count(*), sum({value})"
            f" FROM ticket WHERE {in_period} AND {rows} GROUP BY 1, 2",
            days,
        ):
            histograms.setdefault(q, []).append((s, c, total))
            histograms[""].append((s, c, total))
        times.append({q: mp for q, h in histograms.items() if (mp := _mean_p90(h)) is not None})
    # pass 4 (and 5 for days and months): the longest queue, a running sum over wait events
    events = (
        f"SELECT service_date d, queue q, CASE WHEN transferred_from_id IS NULL THEN issued_at ELSE sort_at END at,"
        f" 1 delta FROM ticket WHERE {in_period}"
        f" UNION ALL SELECT service_date, queue, coalesce(first_called_at, finished_at), -1 FROM ticket"
        f" WHERE {in_period} AND coalesce(first_called_at, finished_at) IS NOT NULL"
    )
    peaks: dict[str, tuple[int, datetime]] = {}
    hall = raw.execute(
        "SELECT waiting, at FROM (SELECT at, sum(delta) OVER (PARTITION BY d ORDER BY at, delta"
        f" ROWS UNBOUNDED PRECEDING) waiting FROM ({events})) ORDER BY waiting DESC, at LIMIT 1",
        days + days,
    ).fetchone()
    if hall and hall[0] > 0:
        peaks[""] = (hall[0], datetime.fromisoformat(hall[1]))
    if per_queue:
        for q, waiting, at in raw.execute(
            "SELECT q, waiting, at FROM (SELECT q, waiting, at, row_number() OVER (PARTITION BY q"
            " ORDER BY waiting DESC, at) r FROM (SELECT q, at, sum(delta) OVER (PARTITION BY d, q"
            f" ORDER BY at, delta ROWS UNBOUNDED PRECEDING) waiting FROM ({events}))) WHERE r = 1",
            days + days,
        ):
            if waiting > 0:
                peaks[q] = (waiting, datetime.fromisoformat(at))
    lines: dict[str, tuple[Any, ...]] = {}
    total = [sum(line[i] for line in counts.values()) for i in range(4)]
    for q, line in [*sorted(counts.items()), ("", total)]:
        wait, service = times[0].get(q, (None, None)), times[1].get(q, (None, None))
        peak: tuple[int | None, datetime | None] = peaks.get(q, (0, None))
        if q and not per_queue:
            peak = (None, None)
        lines[q] = (*line, *wait, *service, *peak)
    return {"tickets": lines, "arrivals": hours}


def _floor_cases(raw: sqlite3.Connection, kind: str, start: date, end: date, today: date) -> dict[str, Any]:
    received = (_stamp(start), _stamp(end))
    # pass 1: cases received in the period, per matter, every outcome and assistance at once
    outcome_cols = ", ".join(f"sum(live AND outcome = '{o}')" for o in OUTCOMES)
    assist_cols = ", ".join(f"sum(live AND assistance = '{a}')" for a in ASSISTED)
    rows = raw.execute(
        "SELECT m.code, m.name, a.* FROM (SELECT matter_id, sum(NOT live) voided, sum(live) total,"
        f" {outcome_cols}, {assist_cols} FROM (SELECT matter_id, outcome, assistance, received_at,"
        " status != 'voided' live FROM service_case) WHERE received_at >= ? AND received_at < ?"
        " GROUP BY matter_id) a LEFT JOIN matter m ON m.id = a.matter_id ORDER BY a.total DESC, m.code",
        received,
    ).fetchall()
    sums = [sum(r[i] for r in rows) for i in range(3, 5 + len(OUTCOMES) + len(ASSISTED))]
    outcomes = dict(zip(OUTCOMES, sums[2 : 2 + len(OUTCOMES)], strict=True))
    cases = {
        "voided": sums[0],
        "total": sums[1],
        "by_outcome": outcomes,
        "assistance": dict(zip(ASSISTED, sums[2 + len(OUTCOMES) :], strict=True)),
    }
    spot, promised = OUTCOMES.index("on_the_spot") + 5, (OUTCOMES.index("promised") + 5, OUTCOMES.index("rongque") + 5)
    matters = [(r[0], r[1], r[4], r[spot], r[promised[0]] + r[promised[1]]) for r in rows if r[0] is not None and r[4]]
    # pass 2 (months and years): the cases chart, per day or month of receipt
    series: list[tuple[str, list[str], list[int]]] = []
    if kind != "daily":
        width = 10 if kind == "monthly" else 7
        per = dict(
            raw.execute(
                f"SELECT substr(received_at, 1, {width}), count(*) FROM service_case WHERE status != 'voided'"
                " AND received_at >= ? AND received_at < ? GROUP BY 1",
                received,
            ).fetchall()
        )
        if kind == "monthly":
            keys = [(start + timedelta(days=i)).isoformat() for i in range((end - start).days)]
            series.append(("day", [k[-2:] for k in keys], [per.get(k, 0) for k in keys]))
        else:
            keys = [f"{start.year}-{m:02d}" for m in range(1, 13)]
            series.append(("month", [k[-2:] for k in keys], [per.get(k, 0) for k in keys]))
    # pass 3: 承诺件 completed or returned in the period; pass 4: those still open now
    done = raw.execute(
        "SELECT sum(status = 'completed' AND substr(completed_at, 1, 10) <= promised_deadline),"
        " sum(status = 'completed' AND substr(completed_at, 1, 10) > promised_deadline),"
        " sum(status = 'returned'), sum(status = 'completed' AND deadline_provisional)"
        " FROM service_case WHERE outcome IN ('promised', 'rongque') AND completed_at >= ? AND completed_at < ?",
        received,
    ).fetchone()
    still_open = raw.execute(
        "SELECT sum(promised_deadline >= ?), sum(promised_deadline < ?), sum(deadline_provisional)"
        " FROM service_case WHERE status = 'pending' AND outcome IN ('promised', 'rongque') AND received_at < ?",
        (today.isoformat(), today.isoformat(), received[1]),
    ).fetchone()
    done, still_open = [v or 0 for v in done], [v or 0 for v in still_open]
    figures: dict[str, Any] = {
        "cases": cases,
        "matters": matters,
        "series": series,
        "promised": (*done[:3], *still_open[:2], done[3] + still_open[2]),
    }
    # pass 4b: the 承诺件 accepted in the period, each where it stands now
    cohort = raw.execute(
        "SELECT count(*), sum(status = 'completed' AND substr(completed_at, 1, 10) <= promised_deadline),"
        " sum(status = 'completed' AND substr(completed_at, 1, 10) < promised_deadline),"
        " sum(status = 'completed' AND substr(completed_at, 1, 10) > promised_deadline),"
        " sum(status = 'returned'), sum(status = 'pending' AND promised_deadline >= ?),"
        " sum(status = 'pending' AND promised_deadline < ?) FROM service_case"
        " WHERE outcome IN ('promised', 'rongque') AND status != 'voided' AND received_at >= ? AND received_at < ?",
        (today.isoformat(), today.isoformat(), *received),
    ).fetchone()
    figures["cohort"] = tuple(v or 0 for v in cohort)
    # pass 5: ratings of the period, per level; pass 6: their follow-ups
    levels = dict(
        raw.execute(
            "SELECT level, count(*) FROM rating WHERE rated_at >= ? AND rated_at < ?"
            " AND case_id NOT IN (SELECT id FROM service_case WHERE status = 'voided') GROUP BY level",
            received,
        ).fetchall()
    )
    follow = raw.execute(
        "SELECT sum(f.status != 'closed'), sum(f.status = 'closed'), sum(f.status != 'closed' AND f.due_date < ?),"
        " sum(f.status = 'closed' AND substr(f.closed_at, 1, 10) <= f.due_date)"
        " FROM follow_up f JOIN rating r ON r.id = f.rating_id WHERE r.rated_at >= ? AND r.rated_at < ?"
        " AND f.case_id NOT IN (SELECT id FROM service_case WHERE status = 'voided')",
        (today.isoformat(), *received),
    ).fetchone()
    figures["ratings"] = ({k: levels.get(k, 0) for k in LEVELS}, levels.get(None, 0), *(v or 0 for v in follow))
    if kind == "annual":
        # pass 7: decisions of the year (行政许可, 处罚, 强制), per matter before the catalog is asked
        decided = {
            kind: (g, r, f)
            for kind, g, r, f in raw.execute(
                "SELECT m.task_type, sum(a.g), sum(a.r), sum(a.f) FROM (SELECT matter_id, sum(status = 'completed') g,"
                " sum(status = 'returned') r, sum(outcome = 'refused') f FROM service_case"
                " WHERE decided_at >= ? AND decided_at < ? AND status != 'voided'"
                " AND (status IN ('completed', 'returned') OR outcome = 'refused') GROUP BY matter_id) a"
                " JOIN matter m ON m.id = a.matter_id WHERE m.task_type IN ('01', '02', '03') GROUP BY m.task_type",
                received,
            )
        }
        figures["licensing"] = {kind: decided.get(kind, (0, 0, 0)) for kind in ("01", "02", "03")}
    return figures


def _floor_channels(raw: sqlite3.Connection, start: date, end: date, hours: tuple[str, ...]) -> dict[str, Any]:
    """Cases per channel; 延时 (received outside `hours`), 预约 and 绿色通道 (the case's
    ticket) and the total counting each case once: one pass joined to the tickets. Then
    代办 for organisations and their distinct credit codes, over the 代办 cases only."""
    received = (_stamp(start), _stamp(end))
    inside = " OR ".join(
        f"(substr(received_at, 12, 5) >= '{a}' AND substr(received_at, 12, 5) < '{b}')"
        for a, _, b in (h.partition("-") for h in hours)
    )
    channel_cols = ", ".join(f"sum(c.channel = '{ch}')" for ch in CHANNELS)
    row = raw.execute(
        f"SELECT {channel_cols}, sum(c.late), sum(t.priority = 'appointment'), sum(t.priority = 'green'),"
        " sum(c.assistance != 'none' OR c.late OR t.priority IN ('appointment', 'green'))"
        f" FROM (SELECT channel, assistance, ticket_id, NOT ({inside}) late FROM service_case"
        " WHERE received_at >= ? AND received_at < ? AND status != 'voided') c"
        " LEFT JOIN ticket t ON t.id = c.ticket_id",
        received,
    ).fetchone()
    values = [v or 0 for v in row]
    daiban = raw.execute(
        "SELECT count(*), count(DISTINCT CASE WHEN id_type = 'uscc' AND id_number != '' THEN id_number END)"
        " FROM service_case WHERE received_at >= ? AND received_at < ? AND status != 'voided'"
        " AND assistance = 'daiban' AND applicant_kind = 'organisation'",
        received,
    ).fetchone()
    return {
        "channels": dict(zip(CHANNELS, values[: len(CHANNELS)], strict=True)),
        "service": (*values[len(CHANNELS) :], *daiban),
    }


def _floor_catalog(raw: sqlite3.Connection) -> tuple[Any, ...]:
    """One pass over the active matters: per-department counts and the 减时限 sums; then
    the matters per 办件类型 (every known type, zero when none)."""
    unit = "coalesce(nullif(trim({}), ''), '" + WORKING_DAY + "')"
    both = "(statutory_limit IS NOT NULL AND promised_limit IS NOT NULL AND statutory_limit > 0)"
    same = f"(promised_limit = 0 OR {unit.format('statutory_unit')} = {unit.format('promised_unit')})"
    rows = raw.execute(
        "SELECT d.name, sum(n), sum(a1), sum(a2), sum(a0), sum(a3), sum(a4), sum(a5),"
        " sum(l1), sum(l2), sum(l3), sum(l4)"
        " FROM (SELECT department_id, count(*) n, sum(project_type = 1) a1, sum(project_type = 2) a2,"
        " sum(project_type NOT IN (1, 2)) a0, sum(online IS 1) a3, sum(visits <= 1) a4, sum(task_type = '01') a5,"
        f" sum({both} AND {same}) l1, sum({both} AND NOT {same}) l2,"
        f" sum(CASE WHEN {both} AND {same} THEN statutory_limit ELSE 0 END) l3,"
        f" sum(CASE WHEN {both} AND {same} THEN promised_limit ELSE 0 END) l4"
        " FROM matter WHERE active IS 1 GROUP BY department_id) a"
        " LEFT JOIN department d ON d.id = a.department_id GROUP BY d.name ORDER BY 2 DESC, 1"
    ).fetchall()
    departments = [(r[0], *(v or 0 for v in r[1:8])) for r in rows if r[0] is not None]
    total = ("", *(sum(d[i] for d in departments) for i in range(1, 8)))
    limits = tuple(sum(r[i] or 0 for r in rows) for i in range(8, 12))
    by_type = dict.fromkeys(PROJECT_TYPES, 0)
    by_type.update(raw.execute("SELECT project_type, count(*) FROM matter WHERE active IS 1 GROUP BY 1").fetchall())
    return (total, departments, dict(sorted(by_type.items())), *limits)


# --- the floor of the per-department, per-window and per-clerk lines and of the comparisons ---

GROUP_SQL = (
    # one pass per date that places a case in a figure, each grouped by window, clerk and
    # matter, stacked and summed once per window and clerk and once per department
    "WITH f AS ("
    "SELECT window_no w, clerk_no c, matter_id m, count(*) n, sum(outcome = 'on_the_spot') s,"
    " sum(outcome IN ('promised', 'rongque')) p, 0 ot, 0 lt, 0 od, 0 rt, 0 st FROM service_case"
    " WHERE received_at >= :a AND received_at < :b AND status != 'voided' GROUP BY 1, 2, 3"
    " UNION ALL SELECT window_no, clerk_no, matter_id, 0, 0, 0,"
    " sum(status = 'completed' AND substr(completed_at, 1, 10) <= promised_deadline),"
    " sum(status = 'completed' AND substr(completed_at, 1, 10) > promised_deadline), 0, 0, 0 FROM service_case"
    " WHERE completed_at >= :a AND completed_at < :b AND outcome IN ('promised', 'rongque') GROUP BY 1, 2, 3"
    " UNION ALL SELECT window_no, clerk_no, matter_id, 0, 0, 0, 0, 0, count(*), 0, 0 FROM service_case"
    " WHERE status = 'pending' AND outcome IN ('promised', 'rongque') AND received_at < :b"
    " AND promised_deadline < :today GROUP BY 1, 2, 3"
    " UNION ALL SELECT k.window_no, k.clerk_no, k.matter_id, 0, 0, 0, 0, 0, 0, count(*),"
    " sum(r.level >= 4) FROM rating r JOIN service_case k ON k.id = r.case_id"
    " WHERE r.rated_at >= :a AND r.rated_at < :b AND r.level IS NOT NULL AND k.status != 'voided' GROUP BY 1, 2, 3)"
    " SELECT w, c, NULL, sum(n), sum(s), sum(p), sum(ot), sum(lt), sum(od), sum(rt), sum(st) FROM f GROUP BY 1, 2"
    " UNION ALL SELECT NULL, NULL, d.name, sum(n), sum(s), sum(p), sum(ot), sum(lt), sum(od), sum(rt), sum(st)"
    " FROM f JOIN matter m ON m.id = f.m JOIN department d ON d.id = m.department_id GROUP BY d.id"
)


def _floor_groups(raw: sqlite3.Connection, start: date, end: date, today: date) -> dict[str, Any]:
    """Lines per department, window and clerk: (key, cases, 即办, 承诺, on time, late,
    overdue, rated, satisfied[, served, mean service s]); windows and clerks summed from
    their (window, clerk) groups, which are few."""
    windows: dict[Any, list[Any]] = {}
    clerks: dict[Any, list[Any]] = {}
    departments = []

    def add(lines: dict[Any, list[Any]], key: Any, values: list[Any]) -> None:
        line = lines.setdefault(key, [0] * 11)
        for i, v in enumerate(values):
            line[i] += v or 0

    bounds = {"a": _stamp(start), "b": _stamp(end), "today": today.isoformat()}
    for w, c, department, *values in raw.execute(GROUP_SQL, bounds):
        if department is None:
            add(windows, w, [*values, 0, 0, 0.0])
            add(clerks, c, [*values, 0, 0, 0.0])
        else:
            departments.append((department, *(v or 0 for v in values)))
    for w, c, served, measured, seconds in raw.execute(
        f"SELECT window_no, clerk_no, count(*), count({SERVICE}), sum({SERVICE}) FROM ticket"
        " WHERE service_date >= ? AND service_date < ? AND status = 'done' GROUP BY 1, 2",
        (start.isoformat(), end.isoformat()),
    ):
        add(windows, w, [0] * 8 + [served, measured, seconds])
        add(clerks, c, [0] * 8 + [served, measured, seconds])

    def lines(found: dict[Any, list[Any]]) -> list[tuple[Any, ...]]:
        ordered = sorted(found.items(), key=lambda kv: (kv[0] is None, kv[0] if kv[0] is not None else 0))
        return [(key, *line[:10], line[10] / line[9] if line[9] else None) for key, line in ordered]

    departments.sort(key=lambda line: (-line[1], line[0]))
    return {"departments": departments, "windows": lines(windows), "clerks": lines(clerks)}


def _floor_headline(raw: sqlite3.Connection, start: date, end: date) -> tuple[int, ...]:
    """A period's headline: cases, 即办, 承诺, on time, late, rated, satisfied, tickets issued, served."""
    bounds = (_stamp(start), _stamp(end))
    cases = raw.execute(
        "SELECT count(*), sum(outcome = 'on_the_spot'), sum(outcome IN ('promised', 'rongque')) FROM service_case"
        " WHERE received_at >= ? AND received_at < ? AND status != 'voided'",
        bounds,
    ).fetchone()
    done = raw.execute(
        "SELECT sum(status = 'completed' AND substr(completed_at, 1, 10) <= promised_deadline),"
        " sum(status = 'completed' AND substr(completed_at, 1, 10) > promised_deadline)"
        " FROM service_case WHERE outcome IN ('promised', 'rongque') AND completed_at >= ? AND completed_at < ?",
        bounds,
    ).fetchone()
    rated = raw.execute(
        "SELECT sum(level IS NOT NULL), sum(level >= 4) FROM rating WHERE rated_at >= ? AND rated_at < ?"
        " AND case_id NOT IN (SELECT id FROM service_case WHERE status = 'voided')",
        bounds,
    ).fetchone()
    tickets = raw.execute(
        "SELECT sum(transferred_from_id IS NULL), sum(status = 'done') FROM ticket"
        " WHERE service_date >= ? AND service_date < ?",
        (start.isoformat(), end.isoformat()),
    ).fetchone()
    return tuple(v or 0 for v in (*cases, *done, *rated, *tickets))


def _floor_comparisons(raw: sqlite3.Connection, kind: str, start: date) -> list[tuple[Any, ...]]:
    """(basis, the earlier period's first day, its headline): a month's same month a year
    before (同比) and month before (环比); a year's year before."""
    if kind == "daily":
        return []
    if kind == "annual":
        before = date(start.year - 1, 1, 1)
        return [("year", before, _floor_headline(raw, before, start))]
    earlier = []
    for basis, months in (("year", 12), ("previous", 1)):  # 同比 first, as the app lists them
        index = start.year * 12 + start.month - 1 - months
        first = date(index // 12, index % 12 + 1, 1)
        after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        earlier.append((basis, first, _floor_headline(raw, first, after)))
    return earlier


def floor_figures(
    raw: sqlite3.Connection, kind: str, start: date, end: date, today: date, hours: tuple[str, ...]
) -> dict[str, Any]:
    """Every figure of the report of `kind` over [start, end), by docs/REPORTS.md, on raw
    sqlite3; `hours`: the hall's opening hours ([cases] opening_hours), for 延时服务."""
    figures = _floor_tickets(raw, start, end, per_queue=(end - start).days <= 31)
    figures.update(_floor_cases(raw, kind, start, end, today))
    figures.update(_floor_channels(raw, start, end, hours))
    figures["groups"] = _floor_groups(raw, start, end, today)
    figures["comparisons"] = _floor_comparisons(raw, kind, start)
    if kind == "annual":
        figures["catalog"] = _floor_catalog(raw)
    return figures


def app_figures(report: Report) -> dict[str, Any]:
    """The same figures read off the app's report, in the floor's shapes."""
    assert report.tickets and report.cases and report.promised and report.ratings and report.period
    tickets = {}
    for line in [*report.tickets.lines, report.tickets.total]:
        tickets[line.queue] = (
            line.issued,
            line.served,
            line.no_show,
            line.transferred,
            line.wait_mean,
            line.wait_p90,
            line.service_mean,
            line.service_p90,
            line.peak,
            line.peak_at,
        )
    cases = report.cases
    ratings = report.ratings
    p = report.promised
    assert report.channels and report.service
    service = report.service
    assert report.cohort is not None
    k = report.cohort
    figures: dict[str, Any] = {
        "tickets": tickets,
        "arrivals": report.tickets.arrivals_by_hour,
        "cases": {
            "voided": cases.voided,
            "total": cases.total,
            "by_outcome": cases.by_outcome,
            "assistance": cases.assistance,
        },
        "matters": [(m.code, m.name, m.total, m.on_the_spot, m.promised) for m in report.matters],
        "series": [(s.unit, s.labels, s.values) for s in report.series if s.what == "cases"],
        "promised": (p.on_time, p.late, p.returned, p.pending, p.overdue, p.provisional),
        "channels": report.channels.by_channel,
        "service": (
            service.after_hours,
            service.appointment,
            service.green,
            service.total,
            service.daiban_organisations,
            service.daiban_enterprises,
        ),
        "cohort": (k.accepted, k.on_time, k.early, k.late, k.returned, k.pending, k.overdue),
        "ratings": (
            ratings.levels,
            ratings.not_rated,
            ratings.follow_ups_open,
            ratings.follow_ups_closed,
            ratings.follow_ups_overdue,
            ratings.follow_ups_in_time,
        ),
    }
    assert report.breakdown is not None

    def group(line: Any, tickets: bool) -> tuple[Any, ...]:
        counts = (line.cases, line.on_the_spot, line.promised, line.on_time, line.late, line.overdue)
        more = (line.served, line.service_n, line.service_mean) if tickets else ()
        return (line.key, *counts, line.rated, line.satisfied, *more)

    figures["groups"] = {
        "departments": [group(line, False) for line in report.breakdown.departments],
        "windows": [group(line, True) for line in report.breakdown.windows],
        "clerks": [group(line, True) for line in report.breakdown.clerks],
    }
    figures["comparisons"] = [
        (
            c.basis,
            date.fromisoformat(f"{c.previous.label}-01-01"[:10]),  # '2025' or '2026-10': its first day
            (
                c.previous.cases,
                c.previous.on_the_spot,
                c.previous.promised,
                c.previous.on_time,
                c.previous.late,
                c.previous.rated,
                c.previous.satisfied,
                c.previous.tickets_issued,
                c.previous.tickets_served,
            ),
        )
        for c in report.comparisons
    ]
    if report.kind == "annual":
        assert report.licensing and report.catalog
        cat = report.catalog

        def line(c: Any) -> tuple[Any, ...]:
            return (c.department, c.matters, c.on_the_spot, c.promised, c.other, c.online, c.at_most_once, c.licensing)

        figures["licensing"] = {kind: (d.granted, d.returned, d.refused) for kind, d in report.decisions.items()}
        figures["catalog"] = (
            line(cat.total),
            [line(d) for d in cat.departments],
            cat.by_type,
            cat.limits_compared,
            cat.units_differ,
            cat.statutory_sum,
            cat.promised_sum,
        )
    return figures


def differences(app: Any, floor: Any, where: str = "") -> list[str]:
    """Where two figure structures differ; means may differ in the last bits of a float sum."""
    if isinstance(app, dict) and isinstance(floor, dict):
        out = (
            [f"{where}: keys {sorted(map(str, app))} != {sorted(map(str, floor))}"]
            if app.keys() != floor.keys()
            else []
        )
        for key in app.keys() & floor.keys():
            out += differences(app[key], floor[key], f"{where}.{key}")
        return out
    if isinstance(app, list | tuple) and isinstance(floor, list | tuple):
        if len(app) != len(floor):
            return [f"{where}: {len(app)} items != {len(floor)}"]
        return [d for i, (a, f) in enumerate(zip(app, floor, strict=True)) for d in differences(a, f, f"{where}[{i}]")]
    if isinstance(app, float) and isinstance(floor, float):
        if math.isclose(app, floor, rel_tol=1e-9, abs_tol=1e-6):
            return []
    elif type(app) is type(floor) and app == floor:
        return []
    return [f"{where}: app {app!r} != floor {floor!r}"]


def find_db(arg: Path | None, year: int) -> tuple[Path, str]:
    if arg is not None:
        return arg, "given"
    try:
        from bench.generate import ensure_large_db
    except ImportError:
        folder = Path(tempfile.mkdtemp(prefix="clerk-bench-report-"))
        return _own_year(folder / "year.db", year), f"one year of {SEED_004_CASES:,} cases (bench/generate.py missing)"
    return ensure_large_db(), "10-year bench.generate database"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--month", type=int, default=6, help="month of --year for the monthly report")
    parser.add_argument("--day", type=date.fromisoformat, help="day of the daily report (default: --month's 16th)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kinds", default="daily,monthly,annual")
    parser.add_argument("--queries", action="store_true", help="time each of the app's statements on raw sqlite3")
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from clerk_tui.clock import FixedClock
    from clerk_tui.config import Settings
    from clerk_tui.services.reports.period import day, month, year
    from clerk_tui.services.reports.report import build_report
    from clerk_tui.services.station.setup import open_station

    path, what = find_db(args.db, args.year)
    now = datetime(args.year + 1, 1, 5, 9, 0)
    station = open_station(Settings(data_dir=path.parent, database=path), FixedClock(now))
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    hours = station.settings.cases.opening_hours
    floor_statements = 0

    def count_floor(_sql: str) -> None:
        nonlocal floor_statements
        floor_statements += 1

    periods = {
        "daily": day(args.day or date(args.year, args.month, 16)),
        "monthly": month(args.year, args.month),
        "annual": year(args.year),
    }
    print(f"database: {path} ({what}, {path.stat().st_size / 1e9:.2f} GB); report time {now:%Y-%m-%d %H:%M}")
    results = []
    for kind in args.kinds.split(","):
        period = periods[kind]
        captured: list[tuple[str, Any]] = []

        def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
            captured.append((statement, parameters))  # noqa: B023 (listener removed below)

        t0 = time.perf_counter()
        event.listen(station.engine, "before_cursor_execute", capture)
        report = build_report(station, kind, period)
        event.remove(station.engine, "before_cursor_execute", capture)
        cold = time.perf_counter() - t0
        statements = [(s, p) for s, p in captured if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        floor_statements = 0
        raw.set_trace_callback(count_floor)
        floor = floor_figures(raw, kind, period.start, period.end, now.date(), hours)
        raw.set_trace_callback(None)
        n_floor = floor_statements
        wrong = differences(app_figures(report), floor)
        if wrong:
            print(f"{kind} {period.label}: the app's figures differ from the floor's:", file=sys.stderr)
            for line in wrong:
                print(f"  {line}", file=sys.stderr)
            raise SystemExit(1)
        assert report.cases is not None and report.tickets is not None
        app_times, floor_times = [], []
        for _ in range(args.runs):
            s0 = time.perf_counter()
            build_report(station, kind, period)
            app_times.append(time.perf_counter() - s0)
            s0 = time.perf_counter()
            floor_figures(raw, kind, period.start, period.end, now.date(), hours)
            floor_times.append(time.perf_counter() - s0)
        app_ms, floor_ms = statistics.median(app_times) * 1000, statistics.median(floor_times) * 1000
        results.append((kind, period.label, app_ms, len(statements), floor_ms, n_floor))
        print(
            f"{kind:8} {period.label:10} {report.cases.total:>8,} cases {report.tickets.total.issued:>8,} tickets"
            f"  app {app_ms:8.1f} ms ({len(statements)} statements; cold {cold * 1000:.1f}, max {max(app_times) * 1000:.1f})"
            f"  floor {floor_ms:8.1f} ms ({n_floor} statements)  ratio {app_ms / floor_ms:.2f}x"
            f"  figures equal"
        )
        if args.queries:
            for statement, parameters in statements:
                times = []
                for _ in range(3):
                    s0 = time.perf_counter()
                    raw.execute(statement, parameters).fetchall()
                    times.append(time.perf_counter() - s0)
                print(f"    {min(times) * 1000:8.1f} ms  {' '.join(statement.split())[:140]}")
    raw.close()
    station.close()
    print(f"medians of {args.runs} runs, alternated; goal: app ≤ 3x floor")
    for kind, label, app_ms, _n, floor_ms, _nf in results:
        ratio = app_ms / floor_ms
        print(f"  {kind:8} {label:10} {ratio:5.2f}x  {'met' if ratio <= 3 else 'NOT met'}")
    record(
        *(
            Result(
                f"{kind} report {label} (figures checked equal to the floor's)",
                f"python -m bench.report --runs {args.runs}",
                f"{app_ms:,.0f} ms ({n} statements)",
                f"the same figures in plain SQL on raw sqlite3: {floor_ms:,.0f} ms ({nf} statements)",
                app_ms / floor_ms,
                "≤ 3x the floor",
                app_ms / floor_ms <= 3,
            )
            for kind, label, app_ms, n, floor_ms, nf in results
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
