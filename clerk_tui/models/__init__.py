"""SQLModel tables. Importing this package registers every table in the metadata."""

from clerk_tui.models.base import Record, new_id
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

__all__ = [
    "AuditEntry",
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
    "Ticket",
    "TicketEvent",
    "WindowEvent",
    "new_id",
]
