"""A vertical text bar chart: one bar per hour, day or month, drawn with block characters.

Bars are scaled to the largest value and drawn in eighths of a cell, so small
differences stay visible at a height of a few lines. Labels under the bars are thinned
out when they would not fit (every second or fifth day at 80 columns). Works in any
terminal: no colours are needed to read it.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
AXIS_WIDTH = 6


class BarChart(Widget):
    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, bar_height: int = 8) -> None:
        super().__init__(id=id)
        self.bar_height = bar_height
        self.labels: list[str] = []
        self.values: list[int] = []
        self.caption = ""

    def set_series(self, caption: str, labels: list[str], values: list[int]) -> None:
        self.caption, self.labels, self.values = caption, list(labels), list(values)
        self.refresh()

    def _slot(self, width: int) -> int:
        n = max(1, len(self.values))
        return max(1, min(6, (width - AXIS_WIDTH) // n))

    def render(self) -> Text:
        text = Text(self.caption + "\n", style="bold")
        if not self.values:
            return text
        width = self.size.width or 80
        slot = self._slot(width)
        bar = max(1, slot - 1) if slot > 1 else 1
        top = max(self.values)
        scale = (self.bar_height * 8) / top if top else 0
        heights = [math.ceil(v * scale) if v else 0 for v in self.values]
        for row in range(self.bar_height, 0, -1):
            axis = f"{top:>{AXIS_WIDTH - 1}}┤" if row == self.bar_height else " " * (AXIS_WIDTH - 1) + "│"
            line = Text(axis, style="dim")
            for h in heights:
                filled = min(8, max(0, h - (row - 1) * 8))
                line.append(EIGHTHS[filled] * bar, style="bold")
                line.append(" " * (slot - bar))
            text.append_text(line)
            text.append("\n")
        text.append(self._label_line(slot), style="dim")
        return text

    def _label_line(self, slot: int) -> str:
        widest = max((len(label) for label in self.labels), default=1)
        step = max(1, math.ceil((widest + 1) / slot))
        if 2 < step < 5:
            step = 5  # every fifth day reads better than every third
        cells = [" "] * (slot * len(self.labels) + widest)
        for i, label in enumerate(self.labels):
            start = i * slot
            if i % step == 0 and all(c == " " for c in cells[max(0, start - 1) : start + len(label)]):
                cells[start : start + len(label)] = list(label)
        return " " * AXIS_WIDTH + "".join(cells).rstrip()
