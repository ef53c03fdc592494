"""What the clerk's first keys need, loaded in the background once the queue is on screen.

Start-up defines only the tables the queue screen reads and imports only its own modules,
so the queue shows sooner (issue 15). The rest comes here, in a thread worker the app
starts after the queue has been drawn with its data: every table, with SQLAlchemy's
mappers configured (the first query after new tables would do that), the walk-in
services behind Ctrl+F4, Ctrl+F5 and Ctrl+F9, the queue's dialogs and the screens of the
main screen's keys.
A key pressed before this is done still works: it imports what it needs itself.
"""

from __future__ import annotations

from sqlalchemy.orm import configure_mappers

from clerk_tui.models import all_tables
from clerk_tui.navigation import DESTINATIONS

# Left to their first opening, as before: the sync screen brings libsodium (pynacl), which a
# clerk who never opens it never holds.
LEFT_TO_FIRST_USE = ("sync",)


def warm_up() -> None:
    all_tables()
    configure_mappers()
    from clerk_tui.screens import queue_dialogs  # noqa: F401  (the queue's F7, F8, F9, F12 dialogs)
    from clerk_tui.services.check import walk_in  # noqa: F401  (imported for what it loads)

    for place in DESTINATIONS:
        if place.name not in LEFT_TO_FIRST_USE:
            place.screen_class()
