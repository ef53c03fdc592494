"""Identifiers stay whole in every CSV and xlsx file the program writes.

Excel and WPS guess each CSV cell's type. A cell of digits becomes a number: an 18-digit
ID number opens as `1.10105E+17`, and because a spreadsheet keeps 15 significant digits
it is saved back with its last three digits as zeros; a leading zero (a phone's area
code, a staff number `007`) is dropped. Neither can be undone from the saved file.

So, in CSV, an identifier (ID numbers, credit codes, case, matter and notice numbers,
phone and staff numbers: `IDENTIFIER_COLUMNS`), and any other text a spreadsheet would
read as a number, is written as the formula `="110105194912310021"`. A CSV cell cannot
say "this is text" any other way that both Excel and WPS honour: a leading apostrophe
or tab stays in the value, and quoting the cell changes nothing. The formula's result is
the text itself, shown and saved back whole. A script reading the file gets the formula
text; `read_csv_cell` turns it back into the value. Numbers (counts, minutes, limits)
stay bare, so they still add up in the sheet.

In xlsx the type is explicit: an identifier cell holds a string (data type `s`) and has
the number format `@` (Text), so the clerk retyping it in the sheet keeps it text too.

Text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
or a carriage return: an applicant's name, a rating's comment from the platform, a
catalog text) is written the same way, as the formula whose result is the text itself:
opening a report or a bundle's CSV copy never runs what someone typed (CSV injection).
In xlsx such a cell is a string cell; openpyxl would otherwise store text starting with
`=` as a formula.

One module for this, used by the report files (`services/reports/output.py`) and the
bundle's CSV copies (`services/sync/export.py`, `services/sync/csv_copies.py`).
"""

from __future__ import annotations

import re
from typing import Any

# Machine column keys whose values are identifiers, in every table the program exports.
IDENTIFIER_COLUMNS = frozenset(
    {
        "id_number",  # 身份证号 / 统一社会信用代码 (the applicant's, whatever the ID type)
        "agent_id_number",
        "credit_code",
        "phone",
        "agent_phone",
        "case_no",  # 办件编号
        "matter_code",  # 实施编码
        "code",  # a matter's or a department's code
        "basic_code",  # 基本编码
        "number",  # a ticket's or a notice's number
        "clerk_no",  # 工号
    }
)

TEXT_FORMAT = "@"  # xlsx number format "Text"
# An Excel formula's string constant holds at most 255 characters; longer text is never
# a number a spreadsheet would take (it has 15 significant digits at most) but a longer
# identifier is left bare rather than written as a formula Excel refuses.
_MAX_FORMULA_TEXT = 255
# What Excel and WPS take for a number in a CSV cell: digits with an optional sign,
# thousands separators, decimal point, exponent or percent sign, spaces around.
_READS_AS_NUMBER = re.compile(r"\s*[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?\s*")
_AS_TEXT = re.compile(r'="((?:[^"]|"")*)"', re.DOTALL)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_identifier(column: str) -> bool:
    return column in IDENTIFIER_COLUMNS


def reads_as_number(text: str) -> bool:
    """Whether a spreadsheet opening a CSV would turn this text into a number."""
    return _READS_AS_NUMBER.fullmatch(text) is not None


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet opening a CSV would take this text for a formula."""
    return text.startswith(_FORMULA_START)


def keeps_text(column: str, value: Any) -> bool:
    """Whether this CSV cell must be written as text: an identifier, or text that would
    read as a number or run as a formula. Numbers, empty cells and other text stay as they are."""
    return (
        isinstance(value, str)
        and value != ""
        and len(value) <= _MAX_FORMULA_TEXT
        and (is_identifier(column) or reads_as_number(value) or runs_as_formula(value))
    )


def as_csv_text(text: str) -> str:
    """The CSV cell that Excel and WPS show, and save back, as exactly this text."""
    return '="' + text.replace('"', '""') + '"'


def csv_cell(column: str, value: Any) -> Any:
    """A value of column `column` as its CSV cell: identifiers (and text that would read
    as a number or run as a formula) as `="…"`, booleans as 1/0, everything else unchanged
    (None: empty)."""
    if isinstance(value, bool):
        return int(value)
    if keeps_text(column, value):
        return as_csv_text(value)
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value  # too long for a formula's text: an apostrophe keeps it inert
    return value


def read_csv_cell(cell: str) -> str:
    """The value a CSV cell written by `csv_cell` holds (`="007"` → `007`)."""
    found = _AS_TEXT.fullmatch(cell)
    return found.group(1).replace('""', '"') if found else cell


def xlsx_cell(cell: Any, column: str, value: Any) -> None:
    """Make an openpyxl cell of column `column` hold an identifier as text (type `s`,
    format `@`), and text that looks like a formula a string; other cells are left as they are."""
    if isinstance(value, str) and runs_as_formula(value):
        cell.value = value
        cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula
    if value is None or not (is_identifier(column) or (isinstance(value, str) and reads_as_number(value))):
        return
    cell.value = str(value)
    cell.number_format = TEXT_FORMAT
