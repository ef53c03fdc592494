"""SQLModel tables, each defined the first time it is asked for.

Defining a table costs its pydantic schema and SQLAlchemy mapping (about 3 ms each), and
the first query configures every mapper defined so far: the queue screen, which needs six
of the 23 tables, should not pay for the rest before it can show the queue. So a name
imported from this package (`from clerk_tui.models import Ticket`) imports the one module
that defines it (with the modules its foreign keys name); `all_tables()` defines every
table, for what works on the whole schema (a server's DDL, the sync's rows by table name).
The app defines the rest in the background once its first screen is up (`clerk_tui.warm`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from clerk_tui.models.base import Record, new_id

if TYPE_CHECKING:  # what the names below are, for mypy; at run time `__getattr__` imports them
    from clerk_tui.models.appointment import Appointment
    from clerk_tui.models.calendar import CalendarDay, CalendarYear
    from clerk_tui.models.case import AuditEntry, Case, CheckItem, DocumentCheck, FollowUp, Notice, Rating
    from clerk_tui.models.catalog import CatalogVersion, Department, Material, Matter
    from clerk_tui.models.queue import Ticket, TicketEvent, WindowEvent
    from clerk_tui.models.station import Counter, Meta
    from clerk_tui.models.sync import SyncConflict, SyncExport, SyncMerge, SyncRejected

# Which module defines each table class.
_MODULE_OF = {
    "Appointment": "appointment",
    "AuditEntry": "case",
    "CalendarDay": "calendar",
    "CalendarYear": "calendar",
    "Case": "case",
    "CatalogVersion": "catalog",
    "CheckItem": "case",
    "Counter": "station",
    "Department": "catalog",
    "DocumentCheck": "case",
    "FollowUp": "case",
    "Material": "catalog",
    "Matter": "catalog",
    "Meta": "station",
    "Notice": "case",
    "Rating": "case",
    "SyncConflict": "sync",
    "SyncExport": "sync",
    "SyncMerge": "sync",
    "SyncRejected": "sync",
    "Ticket": "queue",
    "TicketEvent": "queue",
    "WindowEvent": "queue",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def all_tables() -> MetaData:
    """Define every table; the metadata that then holds them all."""
    for module in sorted(set(_MODULE_OF.values())):
        importlib.import_module(f"{__name__}.{module}")
    return Record.metadata


__all__ = [
    "Appointment",
    "AuditEntry",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CatalogVersion",
    "CheckItem",
    "Counter",
    "Department",
    "DocumentCheck",
    "FollowUp",
    "Material",
    "Matter",
    "Meta",
    "Notice",
    "Rating",
    "Record",
    "SyncConflict",
    "SyncExport",
    "SyncMerge",
    "SyncRejected",
    "Ticket",
    "TicketEvent",
    "WindowEvent",
    "all_tables",
    "new_id",
]
