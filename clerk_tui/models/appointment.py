"""Appointments booked upstream (预约), imported from the centre's file; each becomes a
ticket on its day (`services/sync/appointments.py`).

A table of its own module: the queue screen issues the day's appointments as it first
loads, and defines only the tables it reads (see the package docstring).
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import column
from sqlmodel import Field

import clerk_tui.models.queue  # noqa: F401  (`ticket`, which its foreign key names)
from clerk_tui.models.base import Record, partial_index

APPOINTMENT_STATUSES = ("booked", "issued", "cancelled", "expired")


class Appointment(Record, table=True):
    """An appointment booked upstream (预约); it becomes a ticket on its day."""

    # The bookings still waiting for their day: what every start reads (migration v008).
    __table_args__ = (partial_index("ix_appointment_booked", "slot", where=column("status") == "booked"),)

    external_id: str = Field(max_length=64, unique=True)
    queue: str = Field(max_length=8)
    slot: NaiveDatetime = Field(index=True)
    applicant_name: str = Field(default="")
    phone: str = Field(default="", max_length=32)
    matter_code: str = Field(default="", max_length=120)
    note: str = Field(default="")
    status: str = Field(default="booked", max_length=16)
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    source: str = Field(default="")
    content_sha256: str = Field(max_length=64)
    imported_at: NaiveDatetime
