"""Report files read back with the same numbers: csv (UTF-8 BOM), xlsx, json; `clerk report`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_tui.cli import app as cli_app
from clerk_tui.services.context import Station
from clerk_tui.services.reports.output import DASH, cell_number, cell_text, report_tables, to_csv, to_json, write_xlsx
from clerk_tui.services.reports.period import day, year
from clerk_tui.services.reports.report import build_report
from clerk_tui.spreadsheet import read_csv_cell
from tests.report_fixture import DAY, DISTRICT_KINDS_TABLE, add_cases, add_tickets


@pytest.fixture
def hall(station: Station) -> Station:
    add_tickets(station)
    add_cases(station)
    return station


def _csv_blocks(text: str, *, raw: bool = False) -> dict[str, list[list[str]]]:
    """{table title: [header, rows...]} from the one-file csv (the values, or the raw cells)."""
    blocks: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("【"):
            current = blocks.setdefault(row[0].strip("【】"), [])
        elif not row:
            current = None
        elif current is not None:
            current.append(row if raw else [read_csv_cell(cell) for cell in row])
    return blocks


def test_csv_has_a_bom_chinese_headers_and_reads_back(hall: Station, tmp_path: Path) -> None:
    report = build_report(hall, "annual", year(2026))
    path = tmp_path / "r.csv"
    path.write_text(to_csv(report), encoding="utf-8", newline="")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    blocks = _csv_blocks(raw.decode("utf-8-sig"))
    tables = report_tables(report)
    assert set(blocks) == {t.title for t in tables}
    for table in tables:
        header, *rows = blocks[table.title]
        assert header == [title for _key, title in table.columns]
        assert rows == [[cell_text(v) for v in row] for row in table.rows]
    summary = {row[1]: row[2] for row in blocks["汇总"][1:]}
    assert summary["即办件占比"] == "30.00%"  # c1 c2 c3 of 3 on the spot + 7 promised
    assert summary["即办件事项占比"] == "46.15%"  # 6 of the 13 bundled matters
    assert summary["行政许可处理决定数"] == "6"
    assert summary["满意率（非常满意+满意）/评价数"] == "50.00%"


def test_xlsx_reads_back_with_the_same_numbers(hall: Station, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = build_report(hall, "daily", day(DAY))
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    book = load_workbook(path)
    tables = report_tables(report)
    assert len(book.sheetnames) == len(tables)
    for sheet_name, table in zip(book.sheetnames, tables, strict=False):
        rows = [list(r) for r in book[sheet_name].iter_rows(values_only=True)]
        if table.key == "summary":
            rows = rows[2:]  # heading and as-of lines
        assert rows[0] == [title for _key, title in table.columns]
        assert rows[1:] == [[cell_number(v) for v in row] for row in table.rows], table.key
    summary = {r[1]: r[2] for r in book["汇总"].iter_rows(min_row=4, values_only=True)}
    assert summary["即办件占比"] == 0.5
    assert summary["平均等候时长(分)"] == 12.0  # 720 s
    assert summary["最长排队人数"] == 3
    assert summary["最长排队出现于"] == "2026-11-24 09:02"


def _digits_only_code(station: Station) -> str:
    """Give the matter of the fixture's cases a code of digits only, leading zeros and
    more than 15 digits: what a spreadsheet would turn into a rounded number."""
    from sqlmodel import select

    from clerk_tui.models import Matter
    from tests.report_fixture import M1

    code = "000105008000011234567"
    with station.write() as session:
        session.execute(select(Matter).where(Matter.name == M1)).scalar_one().code = code
    return code


def test_identifiers_stay_whole_text_in_csv_and_xlsx(hall: Station, tmp_path: Path) -> None:
    """A matter code of digits is written `="…"` in csv and as a text cell (`@`) in xlsx;
    the counts beside it stay numbers."""
    from openpyxl import load_workbook

    code = _digits_only_code(hall)
    report = build_report(hall, "annual", year(2026))
    text = to_csv(report).lstrip("\ufeff")
    header, *rows = _csv_blocks(text, raw=True)["分事项"]
    [row] = [r for r in rows if r[0] == f'="{code}"']
    assert row[header.index("办件")].isdigit()  # a count stays a bare number
    assert code in [r[0] for r in _csv_blocks(text)["分事项"][1:]]
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    sheet = load_workbook(path)["分事项"]
    header = [c.value for c in sheet[1]]
    code_cell, cases_cell = sheet.cell(2, header.index("事项编码") + 1), sheet.cell(2, header.index("办件") + 1)
    assert (code_cell.data_type, code_cell.value, code_cell.number_format) == ("s", code, "@")
    assert cases_cell.data_type == "n" and isinstance(cases_cell.value, int)


def test_json_for_scripts(hall: Station) -> None:
    data = json.loads(to_json(build_report(hall, "daily", day(DAY))))
    assert data["period"] == {
        "kind": "daily",
        "label": "2026-11-24",
        "start": "2026-11-24",
        "end_exclusive": "2026-11-25",
    }
    figures = data["figures"]
    assert figures["on_the_spot_share"] == 0.5 and figures["wait_p90"] == 1200
    assert figures["cases_total"] == 10 and figures["voided"] == 1
    assert figures["peak_at"] == "2026-11-24T09:02:00"
    queues = data["tables"]["queues"]
    assert queues["columns"][:3] == ["queue", "issued", "served"]
    assert queues["rows"][0][:3] == ["A", 4, 2]


def test_empty_period_files_show_zeros_and_dashes(empty_station: Station, tmp_path: Path) -> None:
    report = build_report(empty_station, "daily")
    blocks = _csv_blocks(to_csv(report).lstrip("\ufeff"))
    summary = {row[1]: row[2] for row in blocks["汇总"][1:]}
    assert summary["取号数"] == "0" and summary["即办件占比"] == DASH and summary["平均等候时长(分)"] == DASH
    write_xlsx(report, tmp_path / "empty.xlsx")
    assert json.loads(to_json(report))["figures"]["satisfaction"] is None


runner = CliRunner()


def _cli(db: Path, *args: str) -> tuple[int, str, str]:
    from clerk_tui.config import default_config_path
    from clerk_tui.services.station.setup import DEMO_SETTINGS, write_config

    write_config(DEMO_SETTINGS, default_config_path())  # the hall fixture's station
    result = runner.invoke(cli_app, ["--db", str(db), "report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_report_formats(hall: Station, tmp_path: Path) -> None:
    db = hall.settings.database_path
    code, out, _ = _cli(db, "daily", "--date", "2026-11-24")
    assert code == 0 and "日报 · 2026-11-24" in out and "即办件占比" in out and "50.00%" in out
    code, out, _ = _cli(db, "monthly", "--month", "2026-11", "--format", "json")
    assert code == 0 and json.loads(out)["figures"]["cases_total"] == 14
    code, _, err = _cli(db, "annual", "--year", "2026", "--format", "xlsx", "--out", str(tmp_path / "y.xlsx"))
    assert code == 0 and (tmp_path / "y.xlsx").exists() and "y.xlsx" in err
    code, _, _ = _cli(db, "catalog", "--format", "csv", "--out", str(tmp_path / "c.csv"))
    assert code == 0 and (tmp_path / "c.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, out, _ = _cli(db, "daily", "--date", "2020-01-01")
    assert code == 0 and "—" in out


def test_cli_report_errors_are_one_line(hall: Station) -> None:
    db = hall.settings.database_path
    code, _, err = _cli(db, "daily", "--date", "2026-02-30")
    assert code == 1 and "2026-02-30" in err and "Traceback" not in err
    code, _, err = _cli(db, "daily", "--month", "2026-11")
    assert code == 1 and "--month" in err
    code, _, err = _cli(db, "annual", "--format", "xlsx")
    assert code == 1 and "--out" in err


def test_cli_catalog_counts_every_kind_of_matter(empty_station: Station, tmp_path: Path) -> None:
    """`clerk report catalog` on seed 002's district (907 + 645 + 83 others of 1,635): the
    printed table at the precision halls publish, csv and xlsx the same, json exact."""
    from openpyxl import load_workbook

    from tests.report_fixture import add_district_catalog

    add_district_catalog(empty_station)
    db = empty_station.settings.database_path
    code, out, _ = _cli(db, "catalog", "--out", str(tmp_path / "c.txt"))
    assert code == 0
    rows = [
        [cell.strip() for cell in text.split("│")]
        for text in (tmp_path / "c.txt").read_text(encoding="utf-8").splitlines()
    ]
    summary = {row[1]: row[2] for row in rows if len(row) == 3 and row[0] == "事项目录"}
    assert summary["在用事项数"] == "1635" and summary["即办件事项"] == "907" and summary["承诺件事项"] == "645"
    assert (summary["其他办件类型事项"], summary["其他办件类型事项占比"]) == ("83", "5.08%")
    assert (summary["即办件事项占比"], summary["承诺件事项占比"]) == ("55.47%", "39.45%")  # published: 55.47%
    assert (summary["网办率"], summary["最多跑一次占比"], summary["减时限压缩比"]) == ("87.7%", "93.5%", "74.5%")
    kinds = [row for row in rows if len(row) == 3 and row[0] != "事项目录"]
    assert kinds == DISTRICT_KINDS_TABLE
    code, out, _ = _cli(db, "catalog", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["figures"]["matters_on_the_spot_share"] == 907 / 1635
    assert data["figures"]["matters_online_share"] == 1434 / 1635 and data["figures"]["matters_other"] == 83
    code, _, _ = _cli(db, "catalog", "--format", "csv", "--out", str(tmp_path / "c.csv"))
    summary = {row[1]: row[2] for row in _csv_blocks((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))["汇总"][1:]}
    assert (summary["网办率"], summary["即办件事项占比"], summary["其他办件类型事项"]) == ("87.7%", "55.47%", "83")
    code, _, _ = _cli(db, "catalog", "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"))
    cells = {r[1].value: r[2] for r in load_workbook(tmp_path / "c.xlsx")["汇总"].iter_rows(min_row=4)}
    assert (cells["网办率"].value, cells["网办率"].number_format) == (round(1434 / 1635, 4), "0.0%")
    assert cells["即办件事项占比"].number_format == "0.00%"
