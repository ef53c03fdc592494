"""bench/report.py's floor (raw sqlite3) and the app agree figure by figure on known rows.

The benchmark stops when they differ; this catches a drift between the two before anyone
runs it on the ten-year database: the hand-worked fixture (with the earlier periods the
comparisons quote) and the generated rows of test_report_definitions.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bench.report import app_figures, differences, floor_figures
from clerk_tui.services.context import Station
from clerk_tui.services.reports.period import day, month, year
from clerk_tui.services.reports.report import build_report
from tests.report_fixture import add_cases, add_earlier_periods, add_tickets
from tests.unit.test_report_definitions import TODAY, _generate


@pytest.mark.sqlite_only
@pytest.mark.parametrize("rows", ["fixture", "generated"])
def test_the_floor_counts_what_the_app_counts(station: Station, rows: str) -> None:
    if rows == "fixture":
        add_tickets(station)
        add_cases(station)
        add_earlier_periods(station)
        first = date(2026, 11, 24)
    else:
        _generate(station)
        first = date(2026, 11, 10)
    raw = sqlite3.connect(station.settings.database_path)
    try:
        for period in (day(first), month(2026, 11), year(2026)):
            report = build_report(station, period.kind, period)
            hours = station.settings.cases.opening_hours
            floor = floor_figures(raw, period.kind, period.start, period.end, TODAY, hours)
            assert differences(app_figures(report), floor) == [], period.label
    finally:
        raw.close()
