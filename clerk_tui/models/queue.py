"""Tickets (叫号), their event trail, and the window's own state changes.

A ticket's number is its letter plus a daily serial (`A001`). A transfer makes a new
ticket row carrying the same letter and serial in its new queue, linked to the original
by `transferred_from_id`, so both halves of the visit stay on record.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Index, column
from sqlmodel import Field

from clerk_tui.models.base import Record, partial_index

PRIORITIES = ("normal", "green", "appointment")
STATUSES = ("waiting", "called", "serving", "done", "no_show", "cancelled", "transferred", "closed")


class Ticket(Record, table=True):
    __table_args__ = (
        # A number is handed out once a day; transferred copies reuse it on purpose.
        # Per station: a centre's merged database holds every station's A001 (migration v003).
        partial_index(
            "ux_ticket_number_per_day",
            "station_id",
            "service_date",
            "letter",
            "serial",
            unique=True,
            where=column("transferred_from_id").is_(None),
        ),
        Index("ix_ticket_day_status_queue", "service_date", "status", "queue"),
        # Covers every column the reports read (migration v004).
        Index(
            "ix_ticket_report",
            "service_date",
            "queue",
            "status",
            "transferred_from_id",
            "issued_at",
            "sort_at",
            "first_called_at",
            "service_started_at",
            "finished_at",
        ),
    )

    station_id: str = Field(max_length=64)
    service_date: date
    queue: str = Field(max_length=8)  # the queue the ticket waits in now
    letter: str = Field(max_length=8)  # the letter printed on the slip
    serial: int
    number: str = Field(max_length=16)
    priority: str = Field(default="normal", max_length=16)
    appointment_at: NaiveDatetime | None = None
    status: str = Field(default="waiting", max_length=16)
    issued_at: NaiveDatetime
    issued_via: str = Field(default="window", max_length=16)  # window / kiosk / cli / import
    sort_at: NaiveDatetime  # position within its priority class (issue time, or re-entry time)
    first_called_at: NaiveDatetime | None = None
    last_called_at: NaiveDatetime | None = None
    call_count: int = 0
    window_no: int | None = None
    clerk_no: str | None = Field(default=None, max_length=32)
    service_started_at: NaiveDatetime | None = None
    finished_at: NaiveDatetime | None = None
    transferred_from_id: str | None = Field(default=None, foreign_key="ticket.id")
    target_window: int | None = None
    note: str = Field(default="")


class TicketEvent(Record, table=True):
    __tablename__ = "ticket_event"

    ticket_id: str = Field(foreign_key="ticket.id", index=True)
    kind: str = Field(max_length=24)
    at: NaiveDatetime
    station_id: str = Field(max_length=64)
    window_no: int | None = None
    clerk_no: str | None = Field(default=None, max_length=32)
    detail: str = Field(default="")


class WindowEvent(Record, table=True):
    """Pause / resume of a window, with the reason the clerk gave (暂停服务)."""

    __tablename__ = "window_event"

    station_id: str = Field(max_length=64)
    window_no: int
    clerk_no: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=16)
    reason: str = Field(default="")
    at: NaiveDatetime = Field(index=True)
