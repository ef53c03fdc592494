"""Report figures over many generated rows against docs/REPORTS.md, worked out in Python.

A seeded generator writes about a thousand tickets, cases, ratings and follow-ups around
November 2026 (some in October and December, so period bounds matter). The expected
figures are computed here from those same rows, one definition at a time, in plain
Python: nothing in this file asks the report code. Several of the report's figures share
one SQL pass (per-queue counts with the arrivals per hour, the catalog's counts with its
减时限 sums, 行政许可 decisions counted per matter before the catalog is asked); a slip
in how such a pass is split back into figures shows up here.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clerk_tui.models import Case, Department, FollowUp, Matter, Rating, Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.reports.period import Period, day, month, year
from clerk_tui.services.reports.report import build_report

TODAY = date(2026, 11, 24)  # the fixed clock's day (tests/conftest.py)
FIRST, LAST = date(2026, 10, 28), date(2026, 12, 3)
CLERKS = ("A0123", "B0456", "C0789")  # 工号; windows 1–4, and every 11th case none recorded
OUTCOMES = ("on_the_spot", "promised", "rongque", "correction", "refused", "consultation", "forwarded")
PROMISED = ("promised", "rongque")


def _p90(values: list[float]) -> float:
    return sorted(values)[math.ceil(0.9 * len(values)) - 1]


def _generate(station: Station, seed: int = 15) -> dict[str, Any]:
    """Write the rows; return them as plain dicts (what the expectations are computed from)."""
    rng = random.Random(seed)
    tickets: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    with station.write() as session:
        matters = list(session.execute(select(Matter)).scalars())
        days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
        serial: Counter[tuple[date, str]] = Counter()

        def ticket(d: date, queue: str, issued: datetime, status: str, **times: Any) -> Ticket:
            serial[(d, queue)] += 1
            row = Ticket(
                window_no=1 + len(tickets) % 4,
                clerk_no=CLERKS[len(tickets) % 3],
                station_id="DEMO-01",
                service_date=d,
                queue=queue,
                letter=times.pop("letter", queue),
                serial=serial[(d, queue)],
                number=f"{queue}{serial[(d, queue)]:03d}",
                status=status,
                issued_at=issued,
                sort_at=times.pop("sort_at", issued),
                **times,
            )
            session.add(row)
            session.flush()
            tickets.append({"d": d, "q": queue, "status": status, "issued": issued, "sort": row.sort_at, **times})
            tickets[-1].update(w=row.window_no, c=row.clerk_no)
            tickets[-1]["moved"] = row.transferred_from_id is not None
            return row

        for _ in range(700):
            d = rng.choice(days)
            queue = rng.choice("AAB C")
            queue = "C" if queue == " " else queue
            issued = datetime.combine(d, datetime.min.time()) + timedelta(seconds=rng.randrange(8 * 3600, 17 * 3600))
            called = issued + timedelta(seconds=rng.randrange(0, 3000))
            started = called + timedelta(seconds=rng.randrange(0, 120))
            finished = started + timedelta(seconds=rng.randrange(30, 2400))
            kind = rng.random()
            if kind < 0.55:
                ticket(
                    d, queue, issued, "done", first_called_at=called, service_started_at=started, finished_at=finished
                )
            elif kind < 0.65:
                ticket(d, queue, issued, "no_show", first_called_at=called)
            elif kind < 0.72:
                ticket(d, queue, issued, "closed", finished_at=issued.replace(hour=18, minute=0, second=0))
            elif kind < 0.77:
                ticket(d, queue, issued, "waiting")
            else:
                first = ticket(
                    d,
                    queue,
                    issued,
                    "transferred",
                    first_called_at=called,
                    service_started_at=started,
                    finished_at=finished,
                )
                to = rng.choice([q for q in "ABC" if q != queue])
                again = finished + timedelta(seconds=rng.randrange(0, 1800))
                done = again + timedelta(seconds=rng.randrange(30, 1200))
                ticket(
                    d,
                    to,
                    issued,
                    "done",
                    letter=queue,
                    sort_at=finished,
                    transferred_from_id=first.id,
                    first_called_at=again,
                    service_started_at=again,
                    finished_at=done,
                )

        for n in range(600):
            matter = rng.choice(matters)
            received = datetime.combine(rng.choice(days), datetime.min.time()) + timedelta(
                seconds=rng.randrange(8 * 3600, 17 * 3600)
            )
            outcome = rng.choice(OUTCOMES + PROMISED)
            later = received + timedelta(days=rng.randrange(0, 25), seconds=rng.randrange(0, 30000))
            deadline = (received + timedelta(days=rng.randrange(1, 20))).date() if outcome in PROMISED else None
            status, completed, decided = "closed", None, received
            if outcome in PROMISED:
                status = rng.choice(("pending", "pending", "completed", "completed", "returned"))
                if status != "pending":
                    completed = decided = later
                else:
                    decided = None
            elif outcome == "on_the_spot":
                status, completed = "completed", received
            if rng.random() < 0.06:
                status = "voided"
            row = Case(
                station_id="DEMO-01",
                matter_id=matter.id,
                catalog_version_id=matter.catalog_version_id,
                matter_code=matter.code,
                matter_name=matter.name,
                outcome=outcome,
                status=status,
                promised_deadline=deadline,
                deadline_provisional=deadline is not None and rng.random() < 0.1,
                assistance=rng.choice(("none", "none", "none", "bangban", "daiban", "home_visit")),
                clerk_no=CLERKS[n % 3],
                window_no=None if n % 11 == 0 else 1 + n % 4,
                received_at=received,
                completed_at=completed,
                decided_at=decided,
                case_no=f"G{n:04d}",
            )
            session.add(row)
            session.flush()
            case = {
                "id": row.id,
                "matter": matter,
                "outcome": outcome,
                "status": status,
                "deadline": deadline,
                "provisional": row.deadline_provisional,
                "assistance": row.assistance,
                "received": received,
                "window": row.window_no,
                "clerk": row.clerk_no,
                "completed": completed,
                "decided": decided,
            }
            cases.append(case)
            for _ in range(rng.choice((0, 1, 1, 2))):  # 一次一评: a case may be rated more than once
                level = rng.choice((5, 5, 4, 3, 2, 1, None))
                rated = received + timedelta(seconds=rng.randrange(60, 4 * 86400))
                rating = Rating(case_id=row.id, level=level, rated_at=rated)
                session.add(rating)
                session.flush()
                follow = None
                if level is not None and level <= 2:
                    due = rated.date() + timedelta(days=rng.randrange(1, 10))
                    follow = rng.choice(("open", "closed"))
                    session.add(FollowUp(case_id=row.id, rating_id=rating.id, due_date=due, status=follow))
                    follow = (follow, due)
                ratings.append({"case": case, "level": level, "rated": rated, "follow": follow})
        departments = {d.id: d.name for d in session.execute(select(Department)).scalars()}
        catalog = [(departments.get(m.department_id), m) for m in matters]
    return {"tickets": tickets, "cases": cases, "ratings": ratings, "catalog": catalog}


def _inside(at: datetime | None, period: Period) -> bool:
    return at is not None and period.start_at <= at < period.end_at


def _expected_tickets(tickets: list[dict[str, Any]], period: Period) -> dict[str, Any]:
    rows = [t for t in tickets if period.start <= t["d"] < period.end]
    per_queue = (period.end - period.start).days <= 31
    lines: dict[str, tuple[Any, ...]] = {}
    for queue in [*sorted({t["q"] for t in rows}), ""]:
        mine = [t for t in rows if t["q"] == queue or not queue]
        waits = [
            (t["first_called_at"] - t["issued"]).total_seconds()
            for t in mine
            if not t["moved"] and t.get("first_called_at")
        ]
        services = [
            (t["finished_at"] - t["service_started_at"]).total_seconds()
            for t in mine
            if t["status"] == "done" and t.get("service_started_at") and t.get("finished_at")
        ]
        peak: tuple[Any, Any] = (None, None) if queue and not per_queue else (0, None)
        if not queue or per_queue:
            best: tuple[int, datetime] | None = None
            by_day: dict[date, list[tuple[datetime, int]]] = defaultdict(list)
            for t in mine:
                by_day[t["d"]].append((t["sort"] if t["moved"] else t["issued"], 1))
                end = t.get("first_called_at") or t.get("finished_at")
                if end is not None:
                    by_day[t["d"]].append((end, -1))
            for events in by_day.values():
                waiting = 0
                for at, delta in sorted(events):  # at equal times the call (−1) first
                    waiting += delta
                    if waiting > 0 and (best is None or (waiting, -at.timestamp()) > (best[0], -best[1].timestamp())):
                        best = (waiting, at)
            if best is not None:
                peak = best
        lines[queue] = (
            sum(not t["moved"] for t in mine),
            sum(t["status"] == "done" for t in mine),
            sum(t["status"] == "no_show" for t in mine),
            sum(t["status"] == "transferred" for t in mine),
            sum(waits) / len(waits) if waits else None,
            _p90(waits) if waits else None,
            sum(services) / len(services) if services else None,
            _p90(services) if services else None,
            *peak,
        )
    hours = [0] * 24
    for t in rows:
        if not t["moved"]:
            hours[t["issued"].hour] += 1
    return {"lines": lines, "hours": hours}


def _expected_cases(data: dict[str, Any], period: Period) -> dict[str, Any]:
    cases = data["cases"]
    received = [c for c in cases if _inside(c["received"], period)]
    live = [c for c in received if c["status"] != "voided"]
    matters: dict[str, tuple[str, int, int, int]] = {}
    for code in {c["matter"].code for c in live}:
        mine = [c for c in live if c["matter"].code == code]
        name = mine[0]["matter"].name
        matters[code] = (
            name,
            len(mine),
            sum(c["outcome"] == "on_the_spot" for c in mine),
            sum(c["outcome"] in PROMISED for c in mine),
        )
    done = [c for c in cases if c["outcome"] in PROMISED and _inside(c["completed"], period)]
    on_time = [c for c in done if c["status"] == "completed" and c["completed"].date() <= c["deadline"]]
    late = [c for c in done if c["status"] == "completed" and c["completed"].date() > c["deadline"]]
    still_open = [
        c for c in cases if c["status"] == "pending" and c["outcome"] in PROMISED and c["received"] < period.end_at
    ]
    provisional = sum(c["provisional"] for c in on_time + late) + sum(c["provisional"] for c in still_open)
    rated = [r for r in data["ratings"] if _inside(r["rated"], period) and r["case"]["status"] != "voided"]
    follows = [r["follow"] for r in rated if r["follow"]]
    decided = [
        c
        for c in cases
        if c["matter"].task_type == "01"
        and c["status"] != "voided"
        and _inside(c["decided"], period)
        and (c["status"] in ("completed", "returned") or c["outcome"] == "refused")
    ]
    return {
        "total": len(live),
        "voided": len(received) - len(live),
        "by_outcome": {o: sum(c["outcome"] == o for c in live) for o in OUTCOMES},
        "assistance": {a: sum(c["assistance"] == a for c in live) for a in ("bangban", "daiban", "home_visit")},
        "matters": matters,
        "per_day": Counter(c["received"].date().isoformat() for c in live),
        "per_month": Counter(c["received"].strftime("%Y-%m") for c in live),
        "promised": (
            len(on_time),
            len(late),
            sum(c["status"] == "returned" for c in done),
            sum(c["deadline"] >= TODAY for c in still_open),
            sum(c["deadline"] < TODAY for c in still_open),
            provisional,
        ),
        "levels": {k: sum(r["level"] == k for r in rated) for k in (5, 4, 3, 2, 1)},
        "not_rated": sum(r["level"] is None for r in rated),
        "follow_ups": (
            sum(s != "closed" for s, _due in follows),
            sum(s != "closed" and due < TODAY for s, due in follows),
            sum(s == "closed" for s, _due in follows),
        ),
        "licensing": (
            sum(c["status"] == "completed" for c in decided),
            sum(c["status"] == "returned" for c in decided),
            sum(c["outcome"] == "refused" for c in decided),
        ),
    }


def _expected_groups(data: dict[str, Any], period: Period) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Per department, window and clerk: cases, 即办, 承诺, on time, late, overdue now, rated,
    satisfied, and (windows, clerks) tickets served and their mean service time."""
    department = {m.id: d for d, m in data["catalog"]}
    keys = {
        "departments": lambda c: department[c["matter"].id],
        "windows": lambda c: c["window"],
        "clerks": lambda c: c["clerk"],
    }
    found: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for name, key in keys.items():
        lines: dict[Any, list[Any]] = defaultdict(lambda: [0] * 8 + [[]])
        for c in data["cases"]:
            line = lines[key(c)]
            promised = c["outcome"] in PROMISED
            if _inside(c["received"], period) and c["status"] != "voided":
                line[0] += 1
                line[1] += c["outcome"] == "on_the_spot"
                line[2] += promised
            if promised and c["status"] == "completed" and _inside(c["completed"], period):
                line[3 if c["completed"].date() <= c["deadline"] else 4] += 1
            if promised and c["status"] == "pending" and c["received"] < period.end_at and c["deadline"] < TODAY:
                line[5] += 1
        for r in data["ratings"]:
            if _inside(r["rated"], period) and r["case"]["status"] != "voided":
                line = lines[key(r["case"])]
                line[6] += r["level"] is not None
                line[7] += r["level"] is not None and r["level"] >= 4
        if name != "departments":
            for t in data["tickets"]:
                if period.start <= t["d"] < period.end and t["status"] == "done":
                    line = lines[t["w" if name == "windows" else "c"]]
                    line[8].append((t["finished_at"] - t["service_started_at"]).total_seconds())
        found[name] = {
            k: (*v[:8], *((len(v[8]), sum(v[8]) / len(v[8]) if v[8] else None) if name != "departments" else ()))
            for k, v in lines.items()
            if any(v[:8]) or v[8]
        }
    return found


def _expected_catalog(catalog: list[tuple[str | None, Matter]]) -> dict[str, Any]:
    active = [(d, m) for d, m in catalog if m.active]
    departments: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for d, m in active:
        if d is None:
            continue
        line = departments[d]
        for i, hit in enumerate(
            (
                True,
                m.project_type == 1,
                m.project_type == 2,
                m.online,
                m.visits is not None and m.visits <= 1,
                m.task_type == "01",
            )
        ):
            line[i] += bool(hit)
    compared, differ, statutory, promised = 0, 0, 0, 0
    for _d, m in active:
        if m.statutory_limit is None or m.promised_limit is None or m.statutory_limit <= 0:
            continue
        units = [(u or "").strip() or "工作日" for u in (m.statutory_unit, m.promised_unit)]
        if m.promised_limit == 0 or units[0] == units[1]:
            compared, statutory, promised = compared + 1, statutory + m.statutory_limit, promised + m.promised_limit
        else:
            differ += 1
    return {"departments": dict(departments), "limits": (compared, differ, statutory, promised)}


@pytest.fixture
def generated(station: Station) -> dict[str, Any]:
    return _generate(station)


@pytest.mark.parametrize("period", [day(date(2026, 11, 10)), month(2026, 11), year(2026)], ids=lambda p: p.kind)
def test_figures_match_their_definitions_over_many_rows(
    station: Station, generated: dict[str, Any], period: Period
) -> None:
    report = build_report(station, period.kind, period)
    assert report.tickets is not None and report.cases is not None and report.promised is not None
    assert report.ratings is not None

    want = _expected_tickets(generated["tickets"], period)
    assert want["lines"][""][0] > 10  # the period has plenty to count
    got = {
        line.queue: (
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
        for line in [*report.tickets.lines, report.tickets.total]
    }
    assert got.keys() == want["lines"].keys()
    for queue, figures in want["lines"].items():
        assert got[queue] == pytest.approx(figures), queue
    assert report.tickets.arrivals_by_hour == want["hours"]

    cases = _expected_cases(generated, period)
    assert (report.cases.total, report.cases.voided) == (cases["total"], cases["voided"])
    assert report.cases.by_outcome == cases["by_outcome"]
    assert report.cases.assistance == cases["assistance"]
    lines = {m.code: (m.name, m.total, m.on_the_spot, m.promised) for m in report.matters}
    assert lines == cases["matters"]
    totals = [m.total for m in report.matters]
    assert totals == sorted(totals, reverse=True)
    p = report.promised
    assert (p.on_time, p.late, p.returned, p.pending, p.overdue, p.provisional) == cases["promised"]
    r = report.ratings
    assert r.levels == cases["levels"] and r.not_rated == cases["not_rated"]
    assert (r.follow_ups_open, r.follow_ups_overdue, r.follow_ups_closed) == cases["follow_ups"]

    charts = {s.unit: s for s in report.series}
    if period.kind == "monthly":
        keys = [(period.start + timedelta(days=i)).isoformat() for i in range((period.end - period.start).days)]
        assert charts["day"].values == [cases["per_day"][k] for k in keys]
    if period.kind == "annual":
        assert charts["month"].values == [cases["per_month"][f"2026-{m:02d}"] for m in range(1, 13)]
        assert report.licensing is not None
        lic = report.licensing
        assert (lic.granted, lic.returned, lic.refused) == cases["licensing"]
        assert sum(cases["licensing"]) > 0
        catalog = _expected_catalog(generated["catalog"])
        assert report.catalog is not None
        got_departments = {
            d.department: [d.matters, d.on_the_spot, d.promised, d.online, d.at_most_once, d.licensing]
            for d in report.catalog.departments
        }
        assert got_departments == catalog["departments"]
        c = report.catalog
        assert (c.limits_compared, c.units_differ, c.statutory_sum, c.promised_sum) == catalog["limits"]
        assert c.total.matters == sum(v[0] for v in catalog["departments"].values())

    groups = _expected_groups(generated, period)
    assert report.breakdown is not None
    for name, want_lines in groups.items():
        tickets = name != "departments"
        got = {
            line.key: (
                line.cases,
                line.on_the_spot,
                line.promised,
                line.on_time,
                line.late,
                line.overdue,
                line.rated,
                line.satisfied,
                *((line.served, line.service_mean) if tickets else ()),
            )
            for line in getattr(report.breakdown, name)
        }
        assert got.keys() == want_lines.keys(), name
        for key, figures in want_lines.items():
            assert got[key] == pytest.approx(figures), (name, key)
    assert None in groups["windows"] and len(groups["windows"]) == 5  # windows 1–4 and the unrecorded
    assert report.breakdown.windows_served == 4
