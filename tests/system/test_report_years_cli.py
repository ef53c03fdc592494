"""`clerk report years --from Y1 --to Y2`: the headline figures a line per year, in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from clerk_tui.services.context import Station
from tests.report_fixture import add_cases, add_earlier_periods, add_tickets
from tests.system.test_reports_output import _cli


@pytest.fixture
def hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    add_earlier_periods(station)
    return station


# Worked out in tests/unit/test_report_groups.py: 2025 holds y1 y2 y3, 2026 the November
# fixture's 14 cases and October's 4.
YEARS_2026 = ["2026", "18", "4", "9", "30.77%", "3", "2", "60.00%", "8", "50.00%", "9", "6"]


def test_cli_years_summary_in_every_format(hall: Station, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db = hall.settings.database_path
    code, out, _ = _cli(db, "years", "--from", "2025", "--to", "2026", "--out", str(tmp_path / "y.txt"))
    assert code == 0
    text = (tmp_path / "y.txt").read_text(encoding="utf-8")
    assert "历年汇总 · 2025–2026" in text
    header = next(line for line in text.splitlines() if "┃" in line)
    assert [cell.strip() for cell in header.split("┃")][:2] == ["年份", "办件"]
    rows = [[cell.strip() for cell in line.split("│")] for line in text.splitlines() if "│" in line]
    assert rows[-1] == YEARS_2026
    assert rows[-2][:4] == ["2025", "3", "2", "1"]

    code, out, _ = _cli(db, "years", "--from", "2025", "--to", "2026", "--format", "csv")
    lines = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert lines[3] == ["【历年汇总】"] and lines[-2] == YEARS_2026

    code, out, _ = _cli(db, "years", "--from", "2025", "--to", "2026", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["report"] == "years" and data["figures"] == {}
    years = data["tables"]["years"]
    assert years["columns"][:2] == ["year", "cases"]
    assert years["rows"][1][:5] == [2026, 18, 4, 9, 4 / 13]

    code, _, _ = _cli(
        db, "years", "--from", "2025", "--to", "2026", "--format", "xlsx", "--out", str(tmp_path / "y.xlsx")
    )
    sheet = load_workbook(tmp_path / "y.xlsx").worksheets[0]
    last = [c.value for c in list(sheet.iter_rows())[-1]]
    assert code == 0 and last[:4] == [2026, 18, 4, 9] and last[4] == round(4 / 13, 4)


def test_cli_years_refuses_a_backward_range_and_other_kinds_refuse_from(hall: Station) -> None:
    db = hall.settings.database_path
    code, _, err = _cli(db, "years", "--from", "2026", "--to", "2025")
    assert code == 1 and "2026–2025" in err and "Traceback" not in err
    code, _, err = _cli(db, "annual", "--from", "2025")
    assert code == 1 and "--from" in err
    code, out, _ = _cli(db, "years", "--format", "json")  # no range: the current year alone
    assert code == 0 and [row[0] for row in json.loads(out)["tables"]["years"]["rows"]] == [date.today().year]


def test_comparison_sheets_keep_numbers_with_signed_formats(hall: Station, tmp_path: Path) -> None:
    """November 2026 against November 2025 (同比, worked out in tests/unit/test_report_groups.py)
    in xlsx: a count's change stays a number shown signed, a share's change is in points."""
    from openpyxl import load_workbook

    from clerk_tui.services.reports.output import write_xlsx
    from clerk_tui.services.reports.period import month
    from clerk_tui.services.reports.report import build_report

    write_xlsx(build_report(hall, "monthly", month(2026, 11)), tmp_path / "m.xlsx")
    book = load_workbook(tmp_path / "m.xlsx")
    assert [name for name in book.sheetnames if name.startswith(("同比", "环比"))] == [
        "同比（2026-11 与上年同期 2025-11）",
        "环比（2026-11 与上月 2026-10）",
    ]
    rows = {r[0].value: r for r in book["同比（2026-11 与上年同期 2025-11）"].iter_rows(min_row=2)}
    cases, share = rows["办件总数"], rows["即办件占比"]
    assert [c.value for c in cases[1:]] == [14, 2, 12, 6.0]
    assert cases[3].number_format == "+0;-0;0" and cases[4].number_format == "0.00%"
    assert [c.value for c in share[1:]] == [0.3, 1.0, -70.0, "—"]  # 30.00% against 100.00%: −70 points
    assert share[3].number_format == '+0.00"pp";-0.00"pp";0.00"pp"'
