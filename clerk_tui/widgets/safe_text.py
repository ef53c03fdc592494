"""Stored text on the screen: inert (`display_text.neutral`) and never read as markup.

Textual reads markup in a `str` given to a `Static`, a `Label`, a `DataTable` cell, an
`Option` or a notification: a name stored as "[red]Zhang San[/]" or "[@click=app.quit]x[/]"
would be styled or become a link that runs an action. Every value that comes from the
database, a file or another station goes through one of these on its way to a widget:

- `safe(value)`: for a `str` that is (part of) markup: one line, inert, `[` escaped, so
  it shows exactly as stored. Ordinary text comes back unchanged (the screens look the
  same);
- `safe_lines(value)`: the same, keeping line breaks (a note, a receipt shown whole);
- `plain(value)`: a `rich.text.Text` (never parsed as markup), inert, one line.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from clerk_tui.display_text import neutral


def safe(value: object) -> str:
    return escape(neutral(str(value), one_line=True))


def safe_lines(value: object) -> str:
    return escape(neutral(str(value)))


def plain(value: object, style: str = "") -> Text:
    return Text(neutral(str(value), one_line=True), style=style)
