"""A hall's day with known figures, written straight into the tables (times chosen by hand).

The fixed clock stands at 2026-11-24 09:30 (conftest), the report day. Every number the
report tests expect is worked out in the comments here, from these rows alone.

Tickets on 2026-11-24 (waiting = first call − issue; service = finish − start):
  A1 09:00 → called 09:10, 09:11–09:21 done          wait 600   service 600
  A2 09:02 → called 09:20, 09:20–09:35 done          wait 1080  service 900
  A3 09:05 → called 09:25, no-show                    wait 1200
  A4 09:30 → called 09:40, 09:40–09:45, transferred   wait 600
  B1 09:01 → called 09:03, 09:03–09:33 done          wait 120   service 1800
  A4 in B (transfer of A4): waits 09:45 → called 09:50, 09:50–10:00 done   service 600
  B2 14:00 never called, closed at 18:00
and on 2026-11-23: A001 10:00 → called 10:30, 10:30–10:40 done   wait 1800 service 600.

Windows and clerks: tickets A1 A2 A3 A4 (and 11-23's A001) at window 1 by A0123, B1 and
the transferred A4 at window 2 by B0456; B2 never called (no window).

Cases (M1 = 个体工商户设立登记, 事项类型 01 即办; M2 = 二手房过户, 07 承诺):
  received 11-24: c1 M1 即办 帮办, c2 M1 即办, c3 M2 即办 代办,
    c4 M1 承诺 completed 11-24 16:00 (deadline 11-27: on time), c5 M2 承诺 pending (11-30),
    c6 M2 容缺 pending (12-01), c7 M2 补正, c8 M1 不予受理, c9 M2 咨询 上门, c10 M2 转报,
    c11 M1 即办 voided;
  received 11-10: e1 M1 承诺 completed 11-24 11:00 (deadline 11-17: late),
    e2 M1 承诺 pending (deadline 11-20: overdue on 11-24), e3 M1 承诺 returned 11-24 12:00,
    e4 M2 容缺 pending (11-25).
  c1–c5 at window 1 by A0123, c6–c11 at window 2 by B0456; e1 e2 at window 2 by A0123,
    e3 e4 at window 1 by B0456.
Ratings on 11-24: c1 5, c2 5, c3 4, c4 3, c7 2 (follow-up open, due 11-23), c8 1 (follow-up
closed), c9 not rated, c11 1 (voided case: left out, with its open follow-up).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from clerk_tui.models import Case, CatalogVersion, Department, FollowUp, Matter, Rating, Ticket
from clerk_tui.services.context import Station

DAY = date(2026, 11, 24)
M1 = "个体工商户设立登记"
M2 = "存量房买卖转移登记（二手房过户）"


def at(hhmm: str, day: date = DAY) -> datetime:
    h, m = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(h), int(m))


def _ticket(
    queue: str,
    serial: int,
    issued: str,
    called: str | None,
    start: str | None,
    end: str | None,
    status: str,
    day: date = DAY,
    letter: str | None = None,
    **extra,
) -> Ticket:
    letter = letter or queue
    return Ticket(
        station_id="DEMO-01",
        service_date=day,
        queue=queue,
        letter=letter,
        serial=serial,
        number=f"{letter}{serial:03d}",
        status=status,
        issued_at=at(issued, day),
        sort_at=at(issued, day),
        first_called_at=called and at(called, day),
        last_called_at=called and at(called, day),
        service_started_at=start and at(start, day),
        finished_at=end and at(end, day),
        **extra,
    )


def add_tickets(station: Station) -> None:
    with station.write() as session:
        w1, w2 = {"window_no": 1, "clerk_no": "A0123"}, {"window_no": 2, "clerk_no": "B0456"}
        rows = [
            _ticket("A", 1, "09:00", "09:10", "09:11", "09:21", "done", **w1),
            _ticket("A", 2, "09:02", "09:20", "09:20", "09:35", "done", **w1),
            _ticket("A", 3, "09:05", "09:25", None, None, "no_show", **w1),
            _ticket("B", 1, "09:01", "09:03", "09:03", "09:33", "done", **w2),
            _ticket("B", 2, "14:00", None, None, "18:00", "closed"),
            _ticket("A", 1, "10:00", "10:30", "10:30", "10:40", "done", day=date(2026, 11, 23), **w1),
        ]
        a4 = _ticket("A", 4, "09:30", "09:40", "09:40", "09:45", "transferred", **w1)
        session.add_all([*rows, a4])
        session.flush()
        moved = _ticket("B", 4, "09:30", "09:50", "09:50", "10:00", "done", letter="A", transferred_from_id=a4.id, **w2)
        moved.sort_at = at("09:45")
        session.add(moved)


def _matter(session, name: str) -> Matter:  # type: ignore[no-untyped-def]
    return session.execute(select(Matter).where(Matter.name == name)).scalar_one()


def _case(
    session,  # type: ignore[no-untyped-def]
    key: str,
    matter: Matter,
    outcome: str,
    status: str,
    received: datetime,
    *,
    deadline: date | None = None,
    completed: datetime | None = None,
    decided: datetime | None = None,
    assistance: str = "none",
    window: int = 1,
    clerk: str = "A0123",
) -> Case:
    row = Case(
        station_id="DEMO-01",
        matter_id=matter.id,
        catalog_version_id=matter.catalog_version_id,
        matter_code=matter.code,
        matter_name=matter.name,
        outcome=outcome,
        status=status,
        promised_deadline=deadline,
        assistance=assistance,
        clerk_no=clerk,
        window_no=window,
        received_at=received,
        completed_at=completed,
        decided_at=decided,
        case_no=key,
    )
    session.add(row)
    return row


def add_cases(station: Station) -> dict[str, Case]:
    made: dict[str, Case] = {}
    nov10 = date(2026, 11, 10)
    with station.write() as session:
        m1, m2 = _matter(session, M1), _matter(session, M2)

        def case(key: str, matter: Matter, outcome: str, status: str, received: datetime, **more: Any) -> None:
            # Received at window 1 by A0123 or window 2 by B0456; on 11-10 the two sat the
            # other way round (e1 e2: window 2 by A0123; e3 e4: window 1 by B0456).
            window = 1 if key in ("c1", "c2", "c3", "c4", "c5", "e3", "e4") else 2
            clerk = "A0123" if key in ("c1", "c2", "c3", "c4", "c5", "e1", "e2") else "B0456"
            made[key] = _case(session, key, matter, outcome, status, received, window=window, clerk=clerk, **more)

        t = at("09:15")
        case("c1", m1, "on_the_spot", "completed", t, completed=t, decided=t, assistance="bangban")
        case("c2", m1, "on_the_spot", "completed", t, completed=t, decided=t)
        case("c3", m2, "on_the_spot", "completed", t, completed=t, decided=t, assistance="daiban")
        case(
            "c4",
            m1,
            "promised",
            "completed",
            at("10:00"),
            deadline=date(2026, 11, 27),
            completed=at("16:00"),
            decided=at("16:00"),
        )
        case("c5", m2, "promised", "pending", at("10:00"), deadline=date(2026, 11, 30))
        case("c6", m2, "rongque", "pending", at("10:00"), deadline=date(2026, 12, 1))
        case("c7", m2, "correction", "closed", at("10:30"), decided=at("10:30"))
        case("c8", m1, "refused", "closed", at("10:40"), decided=at("10:40"))
        case("c9", m2, "consultation", "closed", at("11:00"), completed=at("11:00"), assistance="home_visit")
        case("c10", m2, "forwarded", "closed", at("11:10"), decided=at("11:10"))
        case("c11", m1, "on_the_spot", "voided", at("11:20"), completed=at("11:20"), decided=at("11:20"))
        case(
            "e1",
            m1,
            "promised",
            "completed",
            at("09:00", nov10),
            deadline=date(2026, 11, 17),
            completed=at("11:00"),
            decided=at("11:00"),
        )
        case("e2", m1, "promised", "pending", at("09:00", nov10), deadline=date(2026, 11, 20))
        case(
            "e3",
            m1,
            "promised",
            "returned",
            at("09:00", nov10),
            deadline=date(2026, 11, 17),
            completed=at("12:00"),
            decided=at("12:00"),
        )
        case("e4", m2, "rongque", "pending", at("09:00", nov10), deadline=date(2026, 11, 25))
        session.flush()
        levels = {"c1": 5, "c2": 5, "c3": 4, "c4": 3, "c7": 2, "c8": 1, "c9": None, "c11": 1}
        for key, level in levels.items():
            rating = Rating(case_id=made[key].id, level=level, rated_at=at("17:00"))
            session.add(rating)
            session.flush()
            if key in ("c7", "c11"):
                session.add(FollowUp(case_id=made[key].id, rating_id=rating.id, due_date=date(2026, 11, 23)))
            if key == "c8":
                session.add(
                    FollowUp(
                        case_id=made[key].id,
                        rating_id=rating.id,
                        due_date=date(2026, 12, 1),
                        status="closed",
                        closed_at=at("17:30"),
                    )
                )
    return made


def add_earlier_periods(station: Station) -> None:
    """The periods the comparisons quote (after add_tickets and add_cases; hand-worked in
    tests/unit/test_report_groups.py):
    2026-10-15: o1 M1 即办; o2 M2 承诺 due 10-22 completed 10-20 (on time); o3 M2 承诺 due
      10-22 completed 10-23 (late); o4 M1 咨询. Ratings o1 5, o2 3. Tickets A1 done, A2 no-show.
    2025-11-20: y1 y2 M1 即办; rating y1 4; ticket A1 done.
    2025-12-31 23:00: y3 M2 承诺 due 2026-01-08, completed 2026-01-05 (on time, in 2026).
    """
    oct15, nov20 = date(2026, 10, 15), date(2025, 11, 20)
    with station.write() as session:
        m1, m2 = _matter(session, M1), _matter(session, M2)
        session.add_all(
            [
                _ticket("A", 1, "09:00", "09:05", "09:05", "09:15", "done", day=oct15),
                _ticket("A", 2, "09:10", "09:20", None, None, "no_show", day=oct15),
                _ticket("A", 1, "09:00", "09:05", "09:05", "09:15", "done", day=nov20),
            ]
        )
        t, y = at("09:00", oct15), at("09:00", nov20)
        o1 = _case(session, "o1", m1, "on_the_spot", "completed", t, completed=t, decided=t)
        o2 = _case(
            session,
            "o2",
            m2,
            "promised",
            "completed",
            t,
            deadline=date(2026, 10, 22),
            completed=at("10:00", date(2026, 10, 20)),
        )
        _case(
            session,
            "o3",
            m2,
            "promised",
            "completed",
            t,
            deadline=date(2026, 10, 22),
            completed=at("10:00", date(2026, 10, 23)),
        )
        _case(session, "o4", m1, "consultation", "closed", t, completed=t)
        y1 = _case(session, "y1", m1, "on_the_spot", "completed", y, completed=y, decided=y)
        _case(session, "y2", m1, "on_the_spot", "completed", y, completed=y, decided=y)
        _case(
            session,
            "y3",
            m2,
            "promised",
            "completed",
            at("23:00", date(2025, 12, 31)),
            deadline=date(2026, 1, 8),
            completed=at("10:00", date(2026, 1, 5)),
        )
        session.flush()
        for row, level, day_ in ((o1, 5, oct15), (o2, 3, oct15), (y1, 4, nov20)):
            session.add(Rating(case_id=row.id, level=level, rated_at=at("17:00", day_)))


def add_catalog(station: Station) -> None:
    """Five active matters and one withdrawn, in two departments (indicators in test_catalog_*)."""
    with station.write() as session:
        version = CatalogVersion(label="t", format_version=1, content_sha256="x" * 64, imported_at=at("08:00"))
        d1, d2 = Department(code="D1", name="甲局"), Department(code="D2", name="乙局")
        session.add_all([version, d1, d2])
        session.flush()
        specs = [
            # name, dept, task, project_type, online, visits, statutory, promised, active
            ("m1", d1, "01", 1, True, 0, (20, "工作日"), (0, ""), True),
            ("m2", d1, "01", 2, True, 1, (20, "工作日"), (5, "工作日"), True),
            ("m3", d1, "20", 2, False, 2, (30, "日"), (10, "工作日"), True),
            ("m4", d2, "20", 1, True, None, (None, ""), (0, "工作日"), True),
            ("m5", d2, "07", 2, False, 1, (10, ""), (5, "工作日"), True),
            ("m6", d2, "01", 1, True, 0, (20, "工作日"), (0, "工作日"), False),
        ]
        for name, dept, task, ptype, online, visits, statutory, promised, active in specs:
            session.add(
                Matter(
                    code=f"CODE-{name}",
                    basic_code=name,
                    name=name,
                    task_type=task,
                    department_id=dept.id,
                    project_type=ptype,
                    online=online,
                    visits=visits,
                    statutory_limit=statutory[0],
                    statutory_unit=statutory[1],
                    promised_limit=promised[0],
                    promised_unit=promised[1],
                    active=active,
                    catalog_version_id=version.id,
                    content_sha256="y" * 64,
                )
            )


# Seed 002's district catalog: 1,635 active matters = 907 即办件 + 645 承诺件 + 83 of other
# kinds (here 50 上报件, 20 联办件, 13 其他); 1,434 online, 1,529 at most one visit; one
# matter with limits 200 → 51 (a 74.5% compression). Two withdrawn matters count nowhere.
DISTRICT_TYPES = {1: 907, 2: 645, 3: 50, 4: 20, 9: 13}
# Its table per 办件类型 as printed, worked out by hand: each count over 1,635, two decimals.
DISTRICT_KINDS_TABLE = [
    ["即办件", "907", "55.47%"],
    ["承诺件", "645", "39.45%"],
    ["上报件", "50", "3.06%"],
    ["联办件", "20", "1.22%"],
    ["其他", "13", "0.80%"],
    ["合计", "1635", "100.00%"],
]


def add_district_catalog(station: Station) -> None:
    kinds = [kind for kind, count in DISTRICT_TYPES.items() for _ in range(count)]
    with station.write() as session:
        version = CatalogVersion(label="d", format_version=1, content_sha256="d" * 64, imported_at=at("08:00"))
        d1, d2 = Department(code="D1", name="甲局"), Department(code="D2", name="乙局")
        session.add_all([version, d1, d2])
        session.flush()
        specs = [(i, kind, True) for i, kind in enumerate(kinds)] + [(len(kinds), 3, False), (len(kinds) + 1, 1, False)]
        session.add_all(
            Matter(
                code=f"D-{i:05d}",
                basic_code=f"{i:012d}",
                name=f"事项{i}",
                task_type="20",
                department_id=(d1 if i % 2 == 0 else d2).id,
                project_type=kind,
                online=i < 1434 or not active,
                visits=1 if i < 1529 or not active else 2,
                statutory_limit=200 if i == 0 else None,
                promised_limit=51 if i == 0 else (0 if kind == 1 else None),
                active=active,
                catalog_version_id=version.id,
                content_sha256="y" * 64,
            )
            for i, kind, active in specs
        )
