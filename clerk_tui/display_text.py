"""Stored text shown as data, never as commands to a terminal or a printer.

Names and free text arrive from other stations (merge), from catalog and appointment
files and from the clerk's own keyboard; a terminal, a receipt printer (ESC/POS) or a
browser must only ever see them as characters. `neutral` is applied where text leaves
the program (a widget, a table cell, a CLI line, a notice or paper), never to what is
stored: records travel between stations and are hashed, so they keep every character.

What becomes what, all visible and inert:
- a whole escape sequence (CSI `ESC [ … final`, the strings OSC `ESC ] … BEL/ST` such as
  OSC 0/2 window titles and OSC 8 hyperlinks, DCS/SOS/PM/APC, and two-character `ESC x`
  sequences; their 8-bit C1 forms too) → one `␛`: the sequence's payload (a hidden link
  target, a title) would only fill the cell, the mark says something was there;
- any other C0 control → its Unicode control picture (`␇` for BEL, `␍` for a bare CR,
  `␈` …), DEL → `␡`, a C1 control (U+0080–U+009F) → `�`;
- a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) → `�`: they
  reorder what follows, so a name could read backwards or hide part of a number;
- a tab → a space (a gap, as it reads in a spreadsheet; it only moves the cursor);
- a line break (LF, CR LF, U+2028, U+2029): kept as "\\n" in multi-line text (a notice,
  a note shown whole); in one-line text (a table cell, a tab-separated CLI field) → `␤`,
  a visible mark rather than a space, so the clerk can see the stored value has two lines
  (a space would pass two fields glued together off as one name) and a CLI line stays one
  record.

Rich/Textual markup is not this module's business (it has no Rich import): screens pass
stored text as `rich.text.Text` or escape it (`screens.base.plain`), so `[red]…[/]`
shows literally.

A leaf module: any layer may use it.
"""

from __future__ import annotations

import re

ESCAPE_MARK = "\u241b"  # ␛
NEWLINE_MARK = "\u2424"  # ␤
REPLACEMENT = "\ufffd"  # �

# An escape sequence, 7-bit or 8-bit, as terminals parse them (ECMA-48):
# control strings (OSC, DCS, SOS, PM, APC) run to BEL or ST, or to the next ESC, or the end;
# CSI runs through its parameter and intermediate bytes to one final byte;
# any other ESC takes its intermediate bytes and one final byte.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]

_COMMON: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in range(0x20)},  # C0 → control pictures
    0x09: " ",
    0x7F: "\u2421",  # ␡
    **{c: REPLACEMENT for c in range(0x80, 0xA0)},
    **{c: REPLACEMENT for c in _BIDI},
}
_MULTI_LINE = str.maketrans({**_COMMON, 0x0A: "\n", 0x2028: "\n", 0x2029: "\n"})
_ONE_LINE = str.maketrans({**_COMMON, 0x0A: NEWLINE_MARK, 0x2028: NEWLINE_MARK, 0x2029: NEWLINE_MARK})

# Everything `neutral` changes; text without any of these is returned as it is.
_ANY = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def neutral(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character, escape sequence and bidi override made a
    visible, inert stand-in (see the module's docstring); ordinary text is unchanged."""
    if not text or _ANY.search(text) is None:
        return text
    text = _SEQUENCE.sub(ESCAPE_MARK, text).replace("\r\n", "\n")
    return text.translate(_ONE_LINE if one_line else _MULTI_LINE)


def one_line(text: str) -> str:
    """`neutral` for a table cell, a label or a tab-separated CLI field."""
    return neutral(text, one_line=True)


def has_control(text: str) -> bool:
    """Whether `neutral` would change `text` (what the tests look for in output)."""
    return _ANY.search(text) is not None
