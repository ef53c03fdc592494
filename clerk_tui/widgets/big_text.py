"""Ticket numbers in large block letters, readable across a hall.

Textual's `Digits` draws only 0-9 and A-F; queue letters are any of A-Z, so this widget
has its own 5x5 font. Small size packs two pixel rows into one cell row with half blocks
(3 rows high); large size draws each pixel two cells wide (5 rows high).
"""

from __future__ import annotations

from textual.widgets import Static

_FONT = {
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "#####"),
    "J": ("#####", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
    "-": ("     ", "     ", " ### ", "     ", "     "),
    " ": ("     ",) * 5,
}
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def render_big(text: str, large: bool = False) -> str:
    glyphs = [_FONT.get(ch, _FONT[" "]) for ch in text.upper()]
    if not glyphs:
        return ""
    if large:
        rows = ["  ".join("".join("██" if px == "#" else "  " for px in g[r]) for g in glyphs) for r in range(5)]
    else:
        rows = []
        for r in (0, 2, 4):
            parts = []
            for g in glyphs:
                top, bottom = g[r], g[r + 1] if r + 1 < 5 else "     "
                parts.append("".join(_HALF[(a == "#", b == "#")] for a, b in zip(top, bottom, strict=False)))
            rows.append(" ".join(parts))
    return "\n".join(rows)  # equal widths: centred lines stay aligned


class BigText(Static):
    """A ticket number in block letters; `show("")` leaves it blank."""

    DEFAULT_CSS = """
    BigText { width: auto; height: auto; }
    """

    def __init__(self, text: str = "", large: bool = False, **kwargs: object) -> None:
        self.large = large
        super().__init__(render_big(text, large), markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(render_big(text, self.large))
