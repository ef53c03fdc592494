"""The lock a ticket write takes on a server, in one place for every writer of tickets."""

from __future__ import annotations

from sqlmodel.sql.expression import SelectOfScalar

from clerk_tui.models import Ticket


def locked(query: SelectOfScalar[Ticket]) -> SelectOfScalar[Ticket]:
    """Tickets a write will change, locked as they are read (`FOR UPDATE` on a server).

    Lock order on a server: a write locks the rows it changes first and raises the change
    counter (`db.session`, at its first flush) last. A write that flushed first and then
    waited for a ticket could wait for a window that holds that ticket and waits for the
    counter: a deadlock. One happens with no other help: "call next" (`SKIP LOCKED`) keeps
    the lock on a ticket it passed over because another window had just called it, until
    it commits. And a write that read a ticket without the lock could write over what a
    window committed meanwhile: locked, the read waits for that window and sees its change.
    SQLite ignores the clause (its write transaction holds the whole file).
    """
    return query.with_for_update(of=Ticket)
