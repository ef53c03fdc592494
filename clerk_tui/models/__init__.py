"""SQLModel tables. Importing this package registers every table in the metadata."""

from clerk_tui.models.base import Record, new_id
from clerk_tui.models.calendar import CalendarDay, CalendarYear
from clerk_tui.models.case import (
    AuditEntry,
    Case,
    CheckItem,
    DocumentCheck,
    FollowUp,
    Notice,
    Rating,
)
from clerk_tui.models.catalog import CatalogVersion, Department, Material, Matter
from clerk_tui.models.queue import Ticket, TicketEvent, WindowEvent
from clerk_tui.models.station import Counter, Meta
from clerk_tui.models.sync import Appointment, SyncConflict, SyncExport, SyncMerge, SyncRejected

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
    "new_id",
]
