"""Channels (办件渠道) and assistance as published, against tests/channel_fixture.py's day."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from clerk_tui.services.context import Station
from clerk_tui.services.reports.output import report_tables, to_json
from clerk_tui.services.reports.period import day, month
from clerk_tui.services.reports.report import build_report
from tests.channel_fixture import DAY, HOURS, add_channel_day


@pytest.fixture
def open_hours(station: Station) -> Station:
    """A hall open 09:00–12:00 and 13:30–17:00."""
    station.settings = replace(
        station.settings, extra={**station.settings.extra, "cases": {"opening_hours": list(HOURS)}}
    )
    return station


@pytest.fixture
def hall(open_hours: Station) -> Station:
    """The fixture's day, in that hall."""
    add_channel_day(open_hours)
    return open_hours


def test_cases_per_channel_and_online_cases(hall: Station) -> None:
    channels = build_report(hall, "daily", day(DAY)).channels
    assert channels is not None
    assert channels.by_channel == {"window": 4, "online": 2, "kiosk": 1, "post": 1, "mobile": 1}
    assert channels.total == 9  # k9 voided, k11 the day before
    assert channels.online == 3 and channels.online_share == pytest.approx(3 / 9)  # 网上申报 + 掌上办
    assert channels.share("kiosk") == pytest.approx(1 / 9)


def test_assistance_as_published_counts_each_case_once_in_the_total(hall: Station) -> None:
    report = build_report(hall, "daily", day(DAY))
    assert report.cases is not None and report.service is not None
    assert report.cases.assistance == {"bangban": 1, "daiban": 5, "home_visit": 1}
    s = report.service
    assert (s.after_hours, s.appointment, s.green) == (3, 2, 1)  # k1 k3 k6; k1 k8 (a transferred copy); k2
    assert s.total == 8  # the lines add up to 13; every case but k7 has one, counted once
    assert (s.daiban_organisations, s.daiban_enterprises) == (4, 2)  # k3 k4 k5 k10; credit codes X and Y


def test_a_month_takes_the_day_before_too(hall: Station) -> None:
    report = build_report(hall, "monthly", month(2026, 11))
    assert report.channels is not None and report.service is not None
    assert report.channels.by_channel["online"] == 3 and report.channels.online == 4
    assert report.channels.online_share == pytest.approx(4 / 10)
    assert (report.service.after_hours, report.service.total) == (4, 9)


def test_after_hours_follow_the_configured_opening_hours(station: Station) -> None:
    add_channel_day(station)  # the default hours, 09:00–17:00: 12:00 is inside
    service = build_report(station, "daily", day(DAY)).service
    assert service is not None and service.after_hours == 2  # k1 08:45, k6 17:00
    assert service.total == 8  # k3 still counts: it was 代办


def test_the_figures_reach_the_summary_and_their_table(hall: Station) -> None:
    report = build_report(hall, "daily", day(DAY))
    document = json.loads(to_json(report))
    figures = document["figures"]
    assert (figures["channel_window"], figures["channel_online"], figures["channel_mobile"]) == (4, 2, 1)
    assert figures["online_cases"] == 3 and figures["online_cases_share"] == pytest.approx(3 / 9)
    assert (figures["after_hours"], figures["appointment"], figures["green"]) == (3, 2, 1)
    assert (figures["assisted_total"], figures["daiban_organisations"], figures["daiban_enterprises"]) == (8, 4, 2)
    table = document["tables"]["channels"]
    assert table["columns"] == ["channel", "count", "share"]
    assert [row[:2] for row in table["rows"]] == [
        ["窗口", 4],
        ["网上申报", 2],
        ["自助终端", 1],
        ["邮寄", 1],
        ["掌上办", 1],
        ["合计", 9],
    ]
    assert "channels" in {t.key for t in report_tables(report)}


def test_an_empty_period_counts_zero(empty_station: Station) -> None:
    report = build_report(empty_station, "daily", day(DAY))
    assert report.channels is not None and report.service is not None
    assert report.channels.total == 0 and report.channels.online_share is None
    assert report.service.total == report.service.daiban_enterprises == 0


@pytest.mark.sqlite_only
def test_the_bench_floor_counts_the_same(hall: Station) -> None:
    """bench/report.py's raw-sqlite floor writes these figures again; on the fixture's day
    and month it must agree with the app figure for figure (as the benchmark checks)."""
    import sqlite3

    from bench.report import app_figures, differences, floor_figures

    raw = sqlite3.connect(f"file:{hall.settings.database_path}?mode=ro", uri=True)
    try:
        for period in (day(DAY), month(2026, 11)):
            report = build_report(hall, period.kind, period)
            floor = floor_figures(raw, period.kind, period.start, period.end, DAY, HOURS)
            assert differences(app_figures(report), floor) == []
            assert floor["service"] == ((3, 2, 1, 8, 4, 2) if period.kind == "daily" else (4, 2, 1, 9, 4, 2))
    finally:
        raw.close()


# --- many generated cases against the definitions, worked out in Python -----------------


def _generate(station: Station, seed: int = 19) -> list[dict[str, object]]:
    """~400 cases around November 2026 with every channel, assistance, applicant kind and
    ticket priority, received at times on and around the opening hours' edges; returns
    what the expectations are computed from (nothing here asks the report code)."""
    import random
    from datetime import date, datetime, timedelta

    from sqlalchemy import select

    from clerk_tui.models import Case, Matter, Ticket
    from clerk_tui.models.case import ASSISTANCE, CHANNELS

    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    minutes = [8 * 60 + 59, 9 * 60, 11 * 60 + 59, 12 * 60, 13 * 60 + 29, 13 * 60 + 30, 16 * 60 + 59, 17 * 60]
    with station.write() as session:
        matter = session.execute(select(Matter)).scalars().first()
        assert matter is not None
        for n in range(400):
            d = date(2026, 10, 25) + timedelta(days=rng.randrange(0, 40))
            minute = rng.choice(minutes) if rng.random() < 0.5 else rng.randrange(7 * 60, 20 * 60)
            received = datetime.combine(d, datetime.min.time()) + timedelta(minutes=minute, seconds=rng.randrange(60))
            priority = rng.choice(("normal", "normal", "green", "appointment", None))
            ticket_id = None
            if priority is not None:
                ticket = Ticket(
                    station_id="DEMO-01", service_date=d, queue="G", letter="G", serial=n + 1, number=f"G{n + 1:03d}",
                    priority=priority, status="done", issued_at=received, sort_at=received,
                )  # fmt: skip
                session.add(ticket)
                session.flush()
                ticket_id = ticket.id
            kind = rng.choice(("person", "organisation"))
            id_type = rng.choice(("uscc", "uscc", "other")) if kind == "organisation" else "resident_id"
            row = {
                "received": received,
                "voided": rng.random() < 0.08,
                "channel": rng.choice(CHANNELS),
                "assistance": rng.choice(ASSISTANCE),
                "priority": priority,
                "kind": kind,
                "id_type": id_type,
                "id_number": rng.choice(("", "C1", "C2", "C3", "C4")),
            }
            session.add(
                Case(
                    station_id="DEMO-01", matter_id=matter.id, catalog_version_id=matter.catalog_version_id,
                    matter_code=matter.code, matter_name=matter.name, outcome="on_the_spot",
                    status="voided" if row["voided"] else "completed", channel=row["channel"],
                    assistance=row["assistance"], applicant_kind=kind, id_type=id_type, id_number=row["id_number"],
                    ticket_id=ticket_id, clerk_no="A0123", received_at=received, case_no=f"G{n:04d}",
                )
            )  # fmt: skip
            rows.append(row)
    return rows


@pytest.mark.parametrize("kind", ["daily", "monthly"])
def test_generated_cases_against_the_definitions(open_hours: Station, kind: str) -> None:
    from clerk_tui.models.case import CHANNELS

    generated = _generate(open_hours)
    spans = [tuple(span.split("-")) for span in HOURS]
    for period in (day(DAY), day(DAY.replace(day=1))) if kind == "daily" else (month(2026, 11), month(2026, 10)):
        live = [
            r for r in generated
            if not r["voided"] and period.start_at <= r["received"] < period.end_at  # type: ignore[operator]
        ]  # fmt: skip

        def late(r: dict[str, object]) -> bool:
            at = f"{r['received']:%H:%M}"
            return not any(start <= at < end for start, end in spans)

        expected_channels = {c: sum(r["channel"] == c for r in live) for c in CHANNELS}
        daiban_firms = [r for r in live if r["assistance"] == "daiban" and r["kind"] == "organisation"]
        expected_service = (
            sum(late(r) for r in live),
            sum(r["priority"] == "appointment" for r in live),
            sum(r["priority"] == "green" for r in live),
            sum(r["assistance"] != "none" or late(r) or r["priority"] in ("appointment", "green") for r in live),
            len(daiban_firms),
            len({r["id_number"] for r in daiban_firms if r["id_type"] == "uscc" and r["id_number"]}),
        )
        report = build_report(open_hours, period.kind, period)
        assert report.channels is not None and report.service is not None
        s = report.service
        got_service = (s.after_hours, s.appointment, s.green, s.total, s.daiban_organisations, s.daiban_enterprises)
        assert report.channels.by_channel == expected_channels, period
        assert got_service == expected_service, period
        assert len(live) > 5 and 0 < expected_service[0] < len(live)  # the period has cases on both sides
