"""The caller keypad: every queue key always in the same place, like a hall's keypad.

Below it, the key bar: the main screen's letters for the other screens, one line.

Keys that do nothing in the window's present state are dimmed, not hidden, so the
clerk's hand learns one layout. A key cap can be clicked too.

Each is one widget that draws its key caps itself, rather than a container of one widget
per cap: the 21 caps were half the queue screen's widgets, and mounting, styling and
drawing them was about 20 ms of the start to the first screen (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Offset
from textual.widget import Widget

from clerk_tui.i18n import t
from clerk_tui.keys import key_label
from clerk_tui.navigation import DESTINATIONS


@dataclass(frozen=True)
class KeyCap:
    """One key cap: the key as shown, what it says, and the action a click runs."""

    key: str
    label: str
    action: str

    @classmethod
    def of(cls, binding: Binding) -> KeyCap:
        return cls(binding.key_display or key_label(binding.key.split(",")[0]), binding.description, binding.action)

    def text(self, width: int, style: Style) -> Text:
        """The cap in `width` cells: the key in bold, its label, cut (never wrapped) to fit."""
        text = Text.assemble((self.key, style + Style(bold=True)), (f" {self.label}", style))
        text.truncate(width, overflow="crop")
        text.append(" " * (width - text.cell_len), style)  # the cap's background to its edge
        return text


@dataclass(frozen=True)
class _Spot:
    y: int
    x: int
    width: int
    cap: KeyCap


class KeyCaps(Widget):
    """Key caps laid out by `_layout`, each clickable; dimmed ones styled `keycaps--off`."""

    COMPONENT_CLASSES = {"keycaps--key", "keycaps--off"}

    def __init__(self, caps: list[KeyCap], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caps = caps
        self._off: frozenset[str] = frozenset()  # actions dimmed

    def _layout(self, width: int) -> list[_Spot]:
        raise NotImplementedError

    def dim(self, available: Callable[[str], bool]) -> None:
        off = frozenset(cap.action for cap in self.caps if not available(cap.action))
        if off != self._off:
            self._off = off
            self.refresh()

    def is_off(self, action: str) -> bool:
        return action in self._off

    def render(self) -> Text:
        width, height = self.content_region.width, self.content_region.height
        base = self.rich_style
        key_style = self.get_component_rich_style("keycaps--key")
        off_style = self.get_component_rich_style("keycaps--off")
        lines = [Text(style=base) for _ in range(max(height, 1))]
        for spot in self._layout(width):
            if spot.y >= len(lines):
                continue
            line = lines[spot.y]
            line.append(" " * (spot.x - line.cell_len))  # a gutter, in the widget's own style
            line.append_text(spot.cap.text(spot.width, off_style if spot.cap.action in self._off else key_style))
        return Text("\n", no_wrap=True, overflow="crop").join(lines)

    def cap_at(self, x: int, y: int) -> KeyCap | None:
        """The cap under a point of the content region, if any."""
        for spot in self._layout(self.content_region.width):
            if spot.y == y and spot.x <= x < spot.x + spot.width:
                return spot.cap
        return None

    def offset_of(self, action: str) -> Offset | None:
        """Where the cap of `action` begins, from the widget's top left (None: not shown)."""
        for spot in self._layout(self.content_region.width):
            if spot.cap.action == action:
                return Offset(spot.x, spot.y) + self.styles.gutter.top_left
        return None

    async def on_click(self, event: events.Click) -> None:
        # The action, like a key press: run_action is a coroutine and does nothing unless awaited.
        offset = event.get_content_offset(self)
        cap = self.cap_at(offset.x, offset.y) if offset is not None else None
        if cap is not None:
            await self.screen.run_action(cap.action)


class Keypad(KeyCaps):
    """The F-keys in a grid of COLUMNS equal columns, one cell between them."""

    COLUMNS = 5

    def __init__(self, bindings: list[Binding], *, id: str | None = None) -> None:
        super().__init__([KeyCap.of(b) for b in bindings], id=id)

    def _layout(self, width: int) -> list[_Spot]:
        # Columns share what the gutters leave, the extra cells going right as fractions
        # add up (as Textual shares `1fr` columns: the first one is the narrow one).
        room = max(width - (self.COLUMNS - 1), 0)
        edges = [room * i // self.COLUMNS for i in range(self.COLUMNS + 1)]
        spots = []
        for i, cap in enumerate(self.caps):
            row, column = divmod(i, self.COLUMNS)
            x = edges[column] + column  # the gutters before it
            spots.append(_Spot(row, x, edges[column + 1] - edges[column], cap))
        return spots


class NavBar(KeyCaps):
    """One line of the main screen's letter keys (navigation.DESTINATIONS), short labels."""

    def __init__(self, *, id: str | None = None) -> None:
        # Letter keys are shown as typed (lower case): Shift+C is another key.
        caps = [KeyCap(d.key, t(d.short_key), d.binding().action) for d in DESTINATIONS]
        super().__init__(caps, id=id)

    def _layout(self, width: int) -> list[_Spot]:
        spots, x = [], 0
        for cap in self.caps:
            cells = cell_len(cap.key) + 1 + cell_len(cap.label)
            if x + cells > width:
                break  # no room left: the line ends, as a row of widgets would be cut
            spots.append(_Spot(0, x, cells, cap))
            x += cells + 1
        return spots
