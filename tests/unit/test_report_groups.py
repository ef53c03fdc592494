"""Per-department, per-window and per-clerk lines, and the period comparison, against the
hand-worked fixture (tests/report_fixture.py), on both stores.

Figures per line, in the order of `FIELDS`: cases, 即办件, 承诺件, 按时办结, 超期办结,
逾期未办结（当前）, rated, satisfied, tickets served, mean service time (s).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from clerk_tui.services.context import Station
from clerk_tui.services.reports.breakdown import GroupLine
from clerk_tui.services.reports.compare import Headline
from clerk_tui.services.reports.output import cell_text, report_tables, to_json
from clerk_tui.services.reports.period import day, month, year
from clerk_tui.services.reports.report import build_report, build_years_report
from tests.report_fixture import DAY, add_cases, add_earlier_periods, add_tickets

MARKET = "示例县市场监督管理局"  # M1's department in the bundled catalog
PROPERTY = "示例县不动产登记中心"  # M2's


@pytest.fixture
def hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    return station


def _figures(line: GroupLine) -> tuple[Any, ...]:
    return (
        line.cases,
        line.on_the_spot,
        line.promised,
        line.on_time,
        line.late,
        line.overdue,
        line.rated,
        line.satisfied,
        line.served,
        line.service_mean,
    )


def test_a_day_by_department_window_and_clerk(hall: Station) -> None:
    breakdown = build_report(hall, "daily", day(DAY)).breakdown
    assert breakdown is not None
    # Departments (M1 市场监管: c1 c2 c4 c8 received, c4 on time, e1 late, e2 overdue, rated
    # c1 5 c2 5 c4 3 c8 1; M2 不动产: c3 c5 c6 c7 c9 c10, rated c3 4 c7 2). Most cases first.
    assert [(d.key, *_figures(d)) for d in breakdown.departments] == [
        (PROPERTY, 6, 1, 2, 0, 0, 0, 2, 1, 0, None),
        (MARKET, 4, 2, 1, 1, 1, 1, 4, 2, 0, None),
    ]
    # Window 1: c1–c5 (c4 on time), rated c1 c2 c3 c4; tickets A1 600 s, A2 900 s.
    # Window 2: c6–c10 (c11 voided), e1 completed late there, e2 overdue; rated c7 c8 (c11's
    # rating left out with its case); tickets B1 1800 s and the transferred A4 600 s.
    assert [(w.key, *_figures(w)) for w in breakdown.windows] == [
        (1, 5, 3, 2, 1, 0, 0, 4, 3, 2, pytest.approx(750)),
        (2, 5, 0, 1, 0, 1, 1, 2, 0, 2, pytest.approx(1200)),
    ]
    # A0123 received c1–c5 at window 1 and, on 11-10, e1 e2 at window 2: e1's late completion
    # and e2's overdue count to the clerk, wherever the clerk sat.
    assert [(c.key, *_figures(c)) for c in breakdown.clerks] == [
        ("A0123", 5, 3, 2, 1, 1, 1, 4, 3, 2, pytest.approx(750)),
        ("B0456", 5, 0, 1, 0, 0, 0, 2, 0, 2, pytest.approx(1200)),
    ]
    assert (breakdown.windows_served, breakdown.clerks_served) == (2, 2)
    a, b = breakdown.windows
    assert (a.on_time_rate, a.satisfaction, b.on_time_rate, b.satisfaction) == (1.0, 0.75, 0.0, 0.0)
    assert breakdown.clerks[1].on_time_rate is None  # nothing completed: a dash, not 0 %


def test_a_month_adds_the_earlier_cases_and_tickets(hall: Station) -> None:
    breakdown = build_report(hall, "monthly", month(2026, 11)).breakdown
    assert breakdown is not None
    # + e3 e4 (承诺) at window 1 by B0456, e1 e2 (承诺) at window 2 by A0123; + 11-23's A001
    # at window 1 (600 s): (600 + 900 + 600) / 3 = 700 s.
    assert [(w.key, *_figures(w)) for w in breakdown.windows] == [
        (1, 7, 3, 4, 1, 0, 0, 4, 3, 3, pytest.approx(700)),
        (2, 7, 0, 3, 0, 1, 1, 2, 0, 2, pytest.approx(1200)),
    ]
    assert [(c.key, c.cases, c.promised, c.served) for c in breakdown.clerks] == [
        ("A0123", 7, 4, 3),
        ("B0456", 7, 3, 2),
    ]
    assert [(d.key, d.cases, d.promised) for d in breakdown.departments] == [(PROPERTY, 7, 3), (MARKET, 7, 4)]


def test_breakdown_tables_and_json(hall: Station) -> None:
    report = build_report(hall, "daily", day(DAY))
    tables = {table.key: table for table in report_tables(report)}
    windows = tables["by_window"]
    assert windows.title == "分窗口（窗口数 2）"
    assert [cell_text(v) for v in windows.rows[0]] == [
        "1",
        "5",
        "3",
        "2",
        "1",
        "0",
        "100.00%",
        "0",
        "4",
        "3",
        "75.00%",
        "2",
        "12.5",
    ]
    assert [key for key, _ in tables["by_department"].columns][-1] == "satisfaction"  # no ticket columns
    assert [row[0] for row in tables["by_clerk"].rows] == ["A0123", "B0456"]
    data = json.loads(to_json(report))
    assert data["figures"]["windows_served"] == 2
    assert data["tables"]["by_window"]["rows"][1][:3] == [2, 5, 0]
    assert data["tables"]["by_window"]["rows"][1][-1] == 1200.0  # seconds in json


def _headline(h: Headline) -> tuple[Any, ...]:
    return (
        h.cases,
        h.on_the_spot,
        h.promised,
        h.on_time,
        h.late,
        h.rated,
        h.satisfied,
        h.tickets_issued,
        h.tickets_served,
    )


def test_a_month_against_the_month_before_and_the_year_before(hall: Station) -> None:
    add_earlier_periods(hall)
    report = build_report(hall, "monthly", month(2026, 11))
    year_before, month_before = report.comparisons  # 同比 first, as reports quote it
    assert (month_before.basis, year_before.basis) == ("previous", "year")
    # November 2026: 14 cases (c1–c10, e1–e4), 3 即办, 7 承诺; c4 on time, e1 late; 6 rated,
    # 3 satisfied; 7 tickets issued (A1–A4, B1, B2, 11-23's A001), 5 served.
    assert _headline(month_before.current) == (14, 3, 7, 1, 1, 6, 3, 7, 5)
    # October 2026: o1–o4, o2 on time, o3 late, o1 5 and o2 3 rated; 2 tickets, 1 served.
    assert (month_before.previous.label, _headline(month_before.previous)) == ("2026-10", (4, 1, 2, 1, 1, 2, 1, 2, 1))
    # November 2025: y1 y2, y1 rated 4; 1 ticket. (y3 came on 12-31.)
    assert (year_before.previous.label, _headline(year_before.previous)) == ("2025-11", (2, 2, 0, 0, 0, 1, 1, 1, 1))

    tables = {table.key: table for table in report_tables(report)}
    shown = {
        key: [cell_text(v) for v in row[1:]]
        for key, row in zip(tables["compare_previous"].row_keys, tables["compare_previous"].rows, strict=True)
    }
    assert shown["cases"] == ["14", "4", "+10", "250.00%"]
    assert shown["on_the_spot_share"] == ["30.00%", "33.33%", "-3.33个百分点", "—"]  # 3/10 against 1/3
    assert shown["on_time"] == ["1", "1", "+0", "0.00%"]
    assert shown["on_time_rate"] == ["50.00%", "50.00%", "+0.00个百分点", "—"]
    assert shown["tickets_served"] == ["5", "1", "+4", "400.00%"]
    yoy = {
        key: [cell_text(v) for v in row[1:]]
        for key, row in zip(tables["compare_year"].row_keys, tables["compare_year"].rows, strict=True)
    }
    assert yoy["cases"] == ["14", "2", "+12", "600.00%"]
    assert yoy["promised"] == ["7", "0", "+7", "—"]  # no growth rate from nothing
    assert yoy["on_the_spot_share"] == ["30.00%", "100.00%", "-70.00个百分点", "—"]
    assert yoy["on_time_rate"] == ["50.00%", "—", "—", "—"]
    assert yoy["satisfaction"] == ["50.00%", "100.00%", "-50.00个百分点", "—"]
    data = json.loads(to_json(report))["tables"]["compare_year"]
    assert data["columns"] == ["figure", "current", "previous", "change", "growth"]
    assert data["rows"][0][1:] == [14, 2, 12, 6.0]
    assert data["rows"][3][3] == pytest.approx(0.3 - 1.0)  # a share's change stays a fraction


def test_a_year_against_the_year_before(hall: Station) -> None:
    add_earlier_periods(hall)
    report = build_report(hall, "annual", year(2026))
    (comparison,) = report.comparisons  # a year's period before is the year before: 同比 only
    assert comparison.basis == "year"
    # 2026: November's 14 + October's 4 = 18; 4 即办, 9 承诺; on time c4 o2 and y3 (received
    # 2025-12-31, completed 2026-01-05: the completion-date view puts it in 2026), late e1 o3;
    # rated 6 + 2, satisfied 3 + 1; tickets 7 + 2 issued, 5 + 1 served.
    assert _headline(comparison.current) == (18, 4, 9, 3, 2, 8, 4, 9, 6)
    # 2025: y1 y2 y3, y1 rated 4, one ticket.
    assert _headline(comparison.previous) == (3, 2, 1, 0, 0, 1, 1, 1, 1)
    assert comparison.current.on_time_rate == pytest.approx(0.6) and comparison.previous.on_time_rate is None


def test_years_summary_a_line_per_year(hall: Station) -> None:
    add_earlier_periods(hall)
    report = build_years_report(hall, 2024, 2026)
    assert [(h.label, *_headline(h)) for h in report.years] == [
        ("2024", 0, 0, 0, 0, 0, 0, 0, 0, 0),
        ("2025", 3, 2, 1, 0, 0, 1, 1, 1, 1),
        ("2026", 18, 4, 9, 3, 2, 8, 4, 9, 6),
    ]
    (table,) = report_tables(report)
    assert [cell_text(v) for v in table.rows[2]] == [
        "2026",
        "18",
        "4",
        "9",
        "30.77%",  # 4 / 13
        "3",
        "2",
        "60.00%",
        "8",
        "50.00%",
        "9",
        "6",
    ]
    assert [cell_text(v) for v in table.rows[0]][4] == "—"


def test_a_day_has_no_comparison(hall: Station) -> None:
    report = build_report(hall, "daily", day(DAY))
    assert report.comparisons == []
    assert not any(table.key.startswith("compare_") for table in report_tables(report))
