"""What a spreadsheet program makes of a CSV cell, for the tests of identifier columns."""

from __future__ import annotations

import re

# A valid resident ID of digits only: its last three digits do not survive 15 significant digits.
DIGITS_ID = "110105198001012302"
NUMBER = re.compile(r"\s*[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?\s*")


def excel_opens(cell: str) -> str:
    """What a spreadsheet shows (and saves back) for one CSV cell: a formula `="…"` is its
    text; digits become a number of 15 significant digits (no leading zeros); else text."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    if NUMBER.fullmatch(cell) and "%" not in cell and "," not in cell:
        number = float(cell)
        return str(int(float(f"{number:.15g}"))) if number.is_integer() else f"{number:.15g}"
    return cell
