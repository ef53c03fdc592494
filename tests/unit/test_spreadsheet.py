"""Identifiers in spreadsheets (`clerk_tui.spreadsheet`): what Excel or WPS would show for
each CSV cell we write, and the xlsx cell types."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from clerk_tui.spreadsheet import csv_cell, read_csv_cell, xlsx_cell
from tests.excel import DIGITS_ID, excel_opens


def written(columns: list[str], values: list[object]) -> list[str]:
    """One row through the csv module and back, as a spreadsheet reads the file."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(c, v) for c, v in zip(columns, values, strict=True)])
    return next(csv.reader(io.StringIO(buffer.getvalue())))


def test_the_mimic_loses_what_excel_loses() -> None:
    """The check below means something: a bare 18-digit ID comes back altered."""
    assert excel_opens(DIGITS_ID) == "110105198001012000"
    assert excel_opens("02812345678") == "2812345678"


def test_identifiers_survive_a_spreadsheet_in_csv() -> None:
    columns = ["id_number", "agent_id_number", "phone", "case_no", "matter_code", "clerk_no", "window_no", "copies"]
    values = [DIGITS_ID, "911101085513850852", "02812345678", "20261124-03-0001", "00010500800001", "007", 3, 2]
    cells = written(columns, values)
    assert [excel_opens(c) for c in cells] == [str(v) for v in values]
    assert [read_csv_cell(c) for c in cells] == [str(v) for v in values]
    assert cells[0] == f'="{DIGITS_ID}"'
    assert cells[-2:] == ["3", "2"]  # numbers stay numbers


def test_number_like_text_in_any_column_stays_text_and_the_rest_is_unchanged() -> None:
    cells = written(
        ["old_value", "notes", "e_licence", "reason", "id_number"],
        ["110105198001012302", "请补正 2 份", True, None, 'a"b'],
    )
    assert cells == ['="110105198001012302"', "请补正 2 份", "1", "", '="a""b"']
    assert read_csv_cell(cells[-1]) == 'a"b'


def test_identifiers_are_text_cells_in_xlsx() -> None:
    sheet = Workbook().active
    sheet.append([DIGITS_ID, 110105198001012302, "13800001234", 5])
    for cell, column in zip(sheet[1], ["id_number", "credit_code", "phone", "count"], strict=True):
        xlsx_cell(cell, column, cell.value)
    ident, as_int, phone, count = sheet[1]
    assert (ident.data_type, ident.value, ident.number_format) == ("s", DIGITS_ID, "@")
    assert (as_int.data_type, as_int.value, as_int.number_format) == ("s", "110105198001012302", "@")
    assert (phone.data_type, phone.value, phone.number_format) == ("s", "13800001234", "@")
    assert (count.data_type, count.value, count.number_format) == ("n", 5, "General")


def test_text_that_would_run_as_a_formula_stays_text() -> None:
    """CSV injection: a comment or a name starting with = + - @ opens as its own text."""
    payloads = ['=HYPERLINK("http://x","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]
    cells = written(["comment"] * len(payloads), payloads)
    assert cells == [f'="{p.replace(chr(34), chr(34) * 2)}"' for p in payloads]
    assert [read_csv_cell(c) for c in cells] == payloads
    too_long = "=" + "x" * 300  # past a formula's 255-character text: an apostrophe instead
    assert written(["comment"], [too_long]) == ["'" + too_long]
    sheet = Workbook().active
    sheet.append(["=1+1", "ok"])
    for cell, column in zip(sheet[1], ["comment", "name"], strict=True):
        xlsx_cell(cell, column, cell.value)
    formula, plain = sheet[1]
    assert (formula.data_type, formula.value) == ("s", "=1+1")  # openpyxl had made it "f"
    assert (plain.data_type, plain.value) == ("s", "ok")
