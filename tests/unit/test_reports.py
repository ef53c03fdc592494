"""Report figures against the hand-worked fixture in tests/report_fixture.py."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.reports.period import day, month, parse_period, period_for, year
from clerk_tui.services.reports.report import build_report
from tests.report_fixture import (
    DAY,
    DISTRICT_KINDS_TABLE,
    DISTRICT_TYPES,
    M2,
    add_cases,
    add_catalog,
    add_district_catalog,
    add_tickets,
)


@pytest.fixture
def hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    return station


def test_tickets_per_queue_with_waiting_and_service_times(hall: Station) -> None:
    tickets = build_report(hall, "daily", day(DAY)).tickets
    assert tickets is not None
    a, b = tickets.lines
    assert (a.queue, a.issued, a.served, a.no_show, a.transferred) == ("A", 4, 2, 1, 1)
    assert (b.queue, b.issued, b.served, b.no_show, b.transferred) == ("B", 2, 2, 0, 0)
    assert a.wait_mean == pytest.approx(870) and a.wait_p90 == pytest.approx(1200)
    assert b.wait_mean == pytest.approx(120) and b.wait_p90 == pytest.approx(120)
    assert a.service_mean == pytest.approx(750) and a.service_p90 == pytest.approx(900)
    assert b.service_mean == pytest.approx(1200) and b.service_p90 == pytest.approx(1800)
    total = tickets.total
    assert (total.issued, total.served, total.no_show, total.transferred) == (6, 4, 1, 1)
    assert total.wait_mean == pytest.approx(720) and total.wait_p90 == pytest.approx(1200)
    assert total.service_mean == pytest.approx(975) and total.service_p90 == pytest.approx(1800)


def test_longest_queue_and_when(hall: Station) -> None:
    tickets = build_report(hall, "daily", day(DAY)).tickets
    assert tickets is not None
    a, b = tickets.lines
    assert (a.peak, a.peak_at) == (3, datetime(2026, 11, 24, 9, 5))
    assert (b.peak, b.peak_at) == (1, datetime(2026, 11, 24, 9, 1))
    # A1, B1, A2 wait at 09:02; B1 is called at 09:03 before A3 arrives at 09:05.
    assert (tickets.total.peak, tickets.total.peak_at) == (3, datetime(2026, 11, 24, 9, 2))


def test_arrivals_per_hour(hall: Station) -> None:
    report = build_report(hall, "daily", day(DAY))
    (series,) = report.series
    assert series.unit == "hour" and len(series.values) == 24
    assert series.values[9] == 5 and series.values[14] == 1 and series.total == 6


def test_cases_by_outcome_share_and_assistance(hall: Station) -> None:
    cases = build_report(hall, "daily", day(DAY)).cases
    assert cases is not None
    assert cases.total == 10 and cases.voided == 1
    assert cases.by_outcome == {
        "on_the_spot": 3,
        "promised": 2,
        "rongque": 1,
        "correction": 1,
        "refused": 1,
        "consultation": 1,
        "forwarded": 1,
    }
    assert (cases.on_the_spot, cases.promised, cases.handled) == (3, 3, 6)
    assert cases.on_the_spot_share == pytest.approx(0.5)
    assert cases.assistance == {"bangban": 1, "daiban": 1, "home_visit": 1}


def test_promised_cases_on_time_late_returned_and_overdue_now(hall: Station) -> None:
    promised = build_report(hall, "daily", day(DAY)).promised
    assert promised is not None
    assert (promised.on_time, promised.late, promised.returned) == (1, 1, 1)
    assert promised.on_time_rate == pytest.approx(0.5)
    assert (promised.pending, promised.overdue) == (3, 1)  # c5 c6 e4 not yet due; e2 overdue
    # The day before: nothing completed then, but e2 and e4 were already open.
    before = build_report(hall, "daily", day(date(2026, 11, 23))).promised
    assert before is not None
    assert (before.on_time, before.late, before.on_time_rate, before.pending, before.overdue) == (0, 0, None, 1, 1)


def test_promised_cases_accepted_in_the_period_followed_to_today(hall: Station) -> None:
    # The acceptance view counts the period's own intake where it stands on 11-24.
    # Day 11-24: c4 done 11-24 before its 11-27 deadline (on time, early), c5 c6 open, not due.
    cohort = build_report(hall, "daily", day(DAY)).cohort
    assert cohort is not None
    assert (cohort.accepted, cohort.on_time, cohort.early, cohort.late) == (3, 1, 1, 0)
    assert (cohort.returned, cohort.pending, cohort.overdue) == (0, 2, 0)
    assert (cohort.on_time_rate, cohort.early_rate) == (1.0, 1.0)
    # Day 11-10: e1 done late, e2 overdue (11-20), e3 returned, e4 open until 11-25;
    # the completion-date view of 11-10 has nothing (none of them was completed that day).
    report = build_report(hall, "daily", day(date(2026, 11, 10)))
    cohort, done = report.cohort, report.promised
    assert cohort is not None and done is not None
    assert (cohort.accepted, cohort.on_time, cohort.late, cohort.returned, cohort.pending, cohort.overdue) == (
        4,
        0,
        1,
        1,
        1,
        1,
    )
    assert cohort.on_time_rate == 0.0 and (done.on_time, done.late, done.returned) == (0, 0, 0)


def test_done_on_the_deadline_day_is_on_time_but_not_early(hall: Station) -> None:
    from sqlalchemy import select

    from clerk_tui.models import Case

    with hall.write() as session:
        c4 = session.execute(select(Case).where(Case.case_no == "c4")).scalar_one()
        c4.promised_deadline = date(2026, 11, 24)  # completed 11-24 16:00: on its last day
    month_view = build_report(hall, "monthly", month(2026, 11))
    cohort, done = month_view.cohort, month_view.promised
    assert cohort is not None and done is not None
    # November's intake: c4 c5 c6 (11-24) and e1 e2 e3 e4 (11-10); the rows add up to it.
    assert cohort.accepted == 7
    assert (cohort.on_time, cohort.early, cohort.late, cohort.returned, cohort.pending, cohort.overdue) == (
        1,
        0,
        1,
        1,
        3,
        1,
    )
    assert cohort.on_time + cohort.late + cohort.returned + cohort.pending + cohort.overdue == cohort.accepted
    assert month_view.cases is not None and month_view.cases.promised == cohort.accepted
    assert cohort.on_time_rate == pytest.approx(0.5) and cohort.early_rate == 0.0
    assert (done.on_time, done.late) == (1, 1)


def test_cases_by_matter(hall: Station) -> None:
    lines = build_report(hall, "daily", day(DAY)).matters
    assert [(m.name, m.total, m.on_the_spot, m.promised, m.other) for m in lines] == [
        ("存量房买卖转移登记（二手房过户）", 6, 1, 2, 3),
        ("个体工商户设立登记", 4, 2, 1, 1),
    ]


def test_ratings_satisfaction_and_follow_ups(hall: Station) -> None:
    ratings = build_report(hall, "daily", day(DAY)).ratings
    assert ratings is not None
    assert ratings.levels == {5: 2, 4: 1, 3: 1, 2: 1, 1: 1}  # the voided case's 1 is left out
    assert (ratings.rated, ratings.not_rated, ratings.bad) == (6, 1, 2)
    assert ratings.satisfaction == pytest.approx(0.5)
    assert (ratings.follow_ups_open, ratings.follow_ups_overdue, ratings.follow_ups_closed) == (1, 1, 1)


def test_good_rating_share_and_bad_ratings_fixed_in_time(hall: Station) -> None:
    # 好评 = levels 5 5 4 3 (c1 c2 c3 c4) of 6 rated; 差评 c7 (follow-up open) and c8 (closed
    # 11-24, due 12-01: in time); c11's is a voided case's.
    ratings = build_report(hall, "daily", day(DAY)).ratings
    assert ratings is not None
    assert (ratings.good, ratings.good_rate) == (4, pytest.approx(4 / 6))
    assert (ratings.follow_ups_in_time, ratings.fix_rate) == (1, pytest.approx(0.5))
    from sqlalchemy import update

    from clerk_tui.models import FollowUp

    with hall.write() as session:  # c8's fix closed on 12-02, a day after its due day: late
        session.execute(
            update(FollowUp).where(FollowUp.status == "closed").values(closed_at=datetime(2026, 12, 2, 9, 0))
        )
    ratings = build_report(hall, "daily", day(DAY)).ratings
    assert ratings is not None and (ratings.follow_ups_closed, ratings.follow_ups_in_time) == (1, 0)
    assert ratings.fix_rate == 0.0


def test_month_adds_the_earlier_days_and_charts_cases_per_day(hall: Station) -> None:
    report = build_report(hall, "monthly", month(2026, 11))
    assert report.cases is not None and report.cases.total == 14
    days, hours = report.series
    assert days.unit == "day" and len(days.values) == 30
    assert days.values[9] == 4 and days.values[23] == 10 and days.total == 14
    assert hours.total == 7
    a = report.tickets.lines[0]  # type: ignore[union-attr]
    assert (a.issued, a.served) == (5, 3)
    assert a.wait_mean == pytest.approx(1056) and a.wait_p90 == pytest.approx(1800)


def test_annual_licensing_decisions_and_cases_per_month(hall: Station) -> None:
    report = build_report(hall, "annual", year(2026))
    lic = report.licensing
    assert lic is not None
    # M1 (行政许可) decided in 2026: c1 c2 c4 e1 granted, e3 returned, c8 refused; c11 voided.
    assert (lic.granted, lic.returned, lic.refused, lic.total) == (4, 1, 1, 6)
    months, _hours = report.series
    assert months.values[10] == 14 and months.total == 14
    assert report.catalog is not None and report.catalog.total.matters == 13


@pytest.mark.parametrize(("kind", "penalty", "enforcement"), [("02", 1, 0), ("03", 0, 1), ("07", 0, 0)])
def test_open_government_table_counts_decisions_per_task_type(
    hall: Station, kind: str, penalty: int, enforcement: int
) -> None:
    from sqlalchemy import update

    from clerk_tui.models import Matter
    from clerk_tui.services.reports.output import report_tables

    with hall.write() as session:  # M2 (事项类型 07 in the fixture) becomes a 行政处罚 / 行政强制 matter
        session.execute(update(Matter).where(Matter.name == M2).values(task_type=kind))
    report = build_report(hall, "annual", year(2026))
    # M2's cases decided in 2026: c3 (即办, completed); c7 补正, c9 咨询, c10 转报 are no
    # decision; c5 c6 e4 are still pending. M1 stays 行政许可 with its 6 decisions.
    assert (report.decisions["02"].total, report.decisions["03"].total) == (penalty, enforcement)
    assert report.decisions["01"].total == 6 and report.licensing == report.decisions["01"]
    [table] = [tb for tb in report_tables(report) if tb.key == "open_government"]
    assert [key for key, _ in table.columns] == ["provision", "content", "decisions"]
    assert table.rows == [
        ["第二十条第（五）项", "行政许可", 6],
        ["第二十条第（六）项", "行政处罚", penalty],
        ["第二十条第（六）项", "行政强制", enforcement],
    ]
    daily = report_tables(build_report(hall, "daily", day(DAY)))
    assert "open_government" not in [tb.key for tb in daily]  # an annual table


def test_catalog_indicators(empty_station: Station) -> None:
    add_catalog(empty_station)
    catalog = build_report(empty_station, "catalog").catalog
    assert catalog is not None
    total = catalog.total
    assert (total.matters, total.on_the_spot, total.promised, total.online, total.at_most_once, total.licensing) == (
        5,
        2,
        3,
        3,
        3,
        2,
    )
    assert total.on_the_spot_share == pytest.approx(0.4)
    assert total.online_share == pytest.approx(0.6)
    assert total.at_most_once_share == pytest.approx(0.6)
    # m1 20/0, m2 20/5, m5 10/5 (empty unit = 工作日); m3 日 vs 工作日 left out; m4 has no statutory limit.
    assert (catalog.limits_compared, catalog.units_differ) == (3, 1)
    assert (catalog.statutory_sum, catalog.promised_sum) == (50, 10)
    assert catalog.compression == pytest.approx(0.8)
    assert [(d.department, d.matters) for d in catalog.departments] == [("甲局", 3), ("乙局", 2)]


def test_seed_002_shares_come_out_as_the_hall_reported() -> None:
    from clerk_tui.services.reports.catalog import CatalogLine

    line = CatalogLine("", matters=1635, on_the_spot=907, promised=645, online=1434, at_most_once=1529)
    assert f"{line.on_the_spot_share:.2%}" == "55.47%"
    assert f"{line.online_share:.1%}" == "87.7%"
    assert f"{line.at_most_once_share:.1%}" == "93.5%"


def test_matters_of_every_kind_are_counted_and_shares_are_over_all_active_matters(empty_station: Station) -> None:
    """Seed 002's district: 1,635 = 907 即办件 + 645 承诺件 + 83 others. Each share is over
    all 1,635; the table shows the precision halls publish, json the exact fraction."""
    import json

    from clerk_tui.services.reports.output import cell_text, report_tables, to_json

    add_district_catalog(empty_station)
    report = build_report(empty_station, "catalog")
    catalog = report.catalog
    assert catalog is not None
    total = catalog.total
    assert (total.matters, total.on_the_spot, total.promised, total.other) == (1635, 907, 645, 83)
    assert catalog.by_type == DISTRICT_TYPES
    assert sum(d.matters for d in catalog.departments) == 1635
    assert sum(d.other for d in catalog.departments) == 83
    assert total.on_the_spot_share == 907 / 1635 and total.other_share == 83 / 1635

    tables = {table.key: table for table in report_tables(report)}
    summary = tables["summary"]
    shown = {key: cell_text(row[2]) for key, row in zip(summary.row_keys, summary.rows, strict=True)}
    assert shown["matters"] == "1635"
    assert shown["matters_on_the_spot_share"] == "55.47%"  # as seed 002 publishes it
    assert shown["matters_promised_share"] == "39.45%"  # 645 / 1635 = 0.394495…
    assert (shown["matters_other"], shown["matters_other_share"]) == ("83", "5.08%")  # 0.050765…
    assert shown["matters_online_share"] == "87.7%"  # one decimal, as published (1434 / 1635)
    assert shown["matters_at_most_once_share"] == "93.5%"  # 1529 / 1635
    assert shown["compression"] == "74.5%"  # 1 − 51 / 200
    kinds = [[cell_text(v) for v in row] for row in tables["project_types"].rows]
    assert kinds == DISTRICT_KINDS_TABLE
    departments = tables["departments"]
    assert [key for key, _ in departments.columns][2:5] == ["on_the_spot", "promised", "other_types"]
    assert [row[4] for row in departments.rows] == [42, 41]  # the 83 others, split by department

    data = json.loads(to_json(report))
    figures = data["figures"]
    assert figures["matters_on_the_spot_share"] == 907 / 1635  # full precision
    assert figures["matters_online_share"] == 1434 / 1635
    assert (figures["matters_other"], figures["matters_other_share"]) == (83, 83 / 1635)
    assert data["tables"]["project_types"]["columns"] == ["project_type", "matters", "share"]
    assert data["tables"]["project_types"]["rows"][2] == ["上报件", 50, 50 / 1635]


@pytest.mark.parametrize("kind", ["daily", "monthly", "annual", "catalog"])
def test_empty_periods_are_zeros_and_dashes(empty_station: Station, kind: str) -> None:
    report = build_report(empty_station, kind)
    if kind == "catalog":
        assert report.catalog is not None and report.catalog.total.matters == 0
        assert report.catalog.compression is None and report.catalog.total.on_the_spot_share is None
        return
    assert report.tickets is not None and report.tickets.total.issued == 0
    assert report.tickets.total.wait_mean is None and report.tickets.total.peak_at is None
    assert report.cases is not None and report.cases.total == 0 and report.cases.on_the_spot_share is None
    assert report.promised is not None and report.promised.on_time_rate is None
    assert report.cohort is not None and report.cohort.accepted == 0 and report.cohort.on_time_rate is None
    assert report.ratings is not None and report.ratings.satisfaction is None
    assert all(v == 0 for s in report.series for v in s.values)


def test_periods_parse_step_and_refuse_nonsense() -> None:
    today = date(2026, 11, 24)
    assert parse_period("daily", None, today) == day(today)
    assert parse_period("monthly", "2026-02", today).end == date(2026, 3, 1)
    assert parse_period("annual", "2025", today) == year(2025)
    assert month(2026, 1).shifted(-1) == month(2025, 12)
    assert month(2026, 12).shifted(1) == month(2027, 1)
    assert day(date(2026, 3, 1)).shifted(-1) == day(date(2026, 2, 28))
    assert day(today).containing("monthly") == period_for("monthly", today)
    for kind, bad in (("daily", "2026-13-01"), ("monthly", "2026"), ("annual", "twenty")):
        with pytest.raises(ClerkError) as caught:
            parse_period(kind, bad, today)
        assert caught.value.key == "report.bad_period"


def test_on_time_counts_against_the_final_deadline_once_the_calendar_arrives(station: Station, clock) -> None:
    """A 承诺件 due 2027-01-01 (provisional) completed on 2027-01-02 is late against the
    provisional date and counted so, marked provisional; once the 2027 calendar makes the
    deadline 2027-01-04, the same report counts it on time (docs/REPORTS.md)."""
    from clerk_tui.services.cases import changes as case_changes
    from clerk_tui.services.cases import record as cases
    from clerk_tui.services.reports.period import month
    from clerk_tui.services.station.calendar import import_calendar, parse_calendar
    from tests.case_factory import draft

    clock.at = datetime(2026, 12, 4, 9, 30)
    case = cases.save_case(station, draft(station, "promised", "公共租赁住房申请资格审核认定（保障性住房配租）"))
    waiting = cases.save_case(station, draft(station, "promised", "公共租赁住房申请资格审核认定（保障性住房配租）"))
    assert case.deadline_provisional and case.promised_deadline == date(2027, 1, 1)
    clock.at = datetime(2027, 1, 2, 10, 0)
    case_changes.finish_pending(station, case.id, returned=False)
    before = build_report(station, "monthly", month(2027, 1)).promised
    assert (before.on_time, before.late, before.pending, before.overdue, before.provisional) == (0, 1, 0, 1, 2)
    import_calendar(
        station,
        parse_calendar(
            {
                "format": "clerk-tui-calendar",
                "format_version": 1,
                "years": [2027],
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
            },
            source="2027.json",
        ),
    )
    after = build_report(station, "monthly", month(2027, 1)).promised
    assert (after.on_time, after.late, after.pending, after.overdue, after.provisional) == (1, 0, 1, 0, 0)
    assert waiting.id != case.id
