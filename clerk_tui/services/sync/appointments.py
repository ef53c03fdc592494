"""Appointments booked upstream (预约), imported from the centre's file.

The file (JSON, UTF-8), format `clerk-tui-appointments` version 1:

    {
      "format": "clerk-tui-appointments",
      "format_version": 1,
      "station_id": "510199-01",          // optional; a file for another station is refused
      "appointments": [
        {"id": "YY20261124-0007",         // the platform's appointment id (required, unique)
         "queue": "A",                    // a queue letter of this station (required)
         "slot": "2026-11-24T10:30",      // start of the booked slot, local time (required)
         "name": "王芳", "phone": "13800000000",      // optional
         "matter_code": "…", "note": "…",            // optional
         "cancelled": false}              // optional: true withdraws a booking
      ]
    }

The whole file is checked first, every problem listed with where it is; then all of it
is stored in one transaction. Appointments are matched by their id, so importing the same
file again changes nothing, and a changed booking updates the stored one.

Appointments of today become tickets with priority `appointment` at their slot (the
queue serves them once their slot has started); later ones wait for their day and are
issued by the next import or `issue_due_appointments`. Tickets are issued through
`tickets.issue_ticket` (its own transaction); an appointment is marked issued right after.
Should the program stop between the two, the next run adopts that ticket instead of
issuing a second one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models import Appointment, Ticket
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket

FORMAT = "clerk-tui-appointments"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 32 << 20
TEXT_FIELDS = {"name": 200, "phone": 32, "matter_code": 120, "note": 500}
SLOT_YEARS = 1  # a slot lies within this year, give or take a year (nobody books 9999)


@dataclass(frozen=True)
class Problem:
    where: str
    key: str
    params: dict[str, Any]


class AppointmentsFileError(ClerkError):
    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__("appointments.invalid", path=str(path), count=len(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [t("appointments.problem", where=p.where, problem=t(p.key, **p.params)) for p in self.problems]


@dataclass(frozen=True)
class Booking:
    external_id: str
    queue: str
    slot: datetime
    applicant_name: str
    phone: str
    matter_code: str
    note: str
    cancelled: bool

    @property
    def sha256(self) -> str:
        body = [
            self.external_id,
            self.queue,
            self.slot.isoformat(),
            self.applicant_name,
            self.phone,
            self.matter_code,
            self.note,
            self.cancelled,
        ]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class AppointmentsReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    issued: int = 0
    expired: int = 0


def parse_appointments(data: Any, station: Station, path: Path) -> list[Booking]:
    problems: list[Problem] = []

    def add(where: str, key: str, **params: Any) -> None:
        problems.append(Problem(where, key, params))

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AppointmentsFileError(path, [Problem("format", "appointments.not_appointments", {"expected": FORMAT})])
    if data.get("format_version") != FORMAT_VERSION:
        raise AppointmentsFileError(
            path, [Problem("format_version", "appointments.bad_version", {"found": str(data.get("format_version"))})]
        )
    station_id = data.get("station_id")
    if station_id is not None and station_id != station.settings.station_id:
        add("station_id", "appointments.other_station", found=str(station_id), expected=station.settings.station_id)
    entries = data.get("appointments")
    if not isinstance(entries, list):
        add("appointments", "appointments.missing_field", field="appointments")
        entries = []
    seen: dict[str, str] = {}
    bookings = []
    for i, entry in enumerate(entries):
        where = f"appointments[{i}]"
        if not isinstance(entry, dict):
            add(where, "appointments.bad_field", field=where, value=type(entry).__name__)
            continue
        ext = entry.get("id")
        if ext is None or ext == "":
            add(f"{where}.id", "appointments.missing_field", field="id")
        elif not isinstance(ext, str) or len(ext) > 64 or not ext.strip():
            add(f"{where}.id", "appointments.bad_field", field="id", value=str(ext)[:70])
        elif ext in seen:
            add(f"{where}.id", "appointments.duplicate", value=ext)
        else:
            seen[ext] = where
        queue = entry.get("queue")
        if queue is None:
            add(f"{where}.queue", "appointments.missing_field", field="queue")
        elif not isinstance(queue, str) or station.settings.queue(queue) is None:
            add(f"{where}.queue", "appointments.unknown_queue", value=str(queue)[:20])
        slot = None
        raw_slot = entry.get("slot")
        if raw_slot is None:
            add(f"{where}.slot", "appointments.missing_field", field="slot")
        else:
            try:
                slot = datetime.fromisoformat(raw_slot) if isinstance(raw_slot, str) else None
            except ValueError:
                slot = None
            if slot is None or slot.tzinfo is not None:
                add(f"{where}.slot", "appointments.bad_field", field="slot", value=str(raw_slot)[:40])
                slot = None
            elif abs(slot.year - station.clock.today().year) > SLOT_YEARS:
                year = station.clock.today().year
                add(
                    f"{where}.slot",
                    "appointments.slot_out_of_range",
                    value=str(raw_slot)[:40],
                    first=year - SLOT_YEARS,
                    last=year + SLOT_YEARS,
                )
                slot = None
        texts = {}
        for name, limit in TEXT_FIELDS.items():
            value = entry.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str) or len(value) > limit:
                add(f"{where}.{name}", "appointments.bad_field", field=name, value=str(value)[:40])
                value = ""
            texts[name] = value.strip()
        cancelled = entry.get("cancelled", False)
        if not isinstance(cancelled, bool):
            add(f"{where}.cancelled", "appointments.bad_field", field="cancelled", value=str(cancelled)[:20])
        if isinstance(ext, str) and isinstance(queue, str) and slot is not None:
            bookings.append(
                Booking(
                    ext.strip(),
                    queue,
                    slot.replace(second=0, microsecond=0),
                    texts["name"],
                    texts["phone"],
                    texts["matter_code"],
                    texts["note"],
                    cancelled is True,
                )
            )
    if problems:
        raise AppointmentsFileError(path, problems[:50])
    return bookings


def load_appointments_file(station: Station, path: Path) -> list[Booking]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise AppointmentsFileError(path, [Problem("", "appointments.unreadable", {"reason": "size"})])
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except OSError as exc:
        raise AppointmentsFileError(
            path, [Problem("", "appointments.unreadable", {"reason": exc.strerror or str(exc)})]
        ) from None
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, too deep, a 5000-digit number
        raise AppointmentsFileError(path, [Problem("", "appointments.unreadable", {"reason": str(exc)})]) from None
    return parse_appointments(data, station, path)


def apply_appointments(station: Station, bookings: list[Booking], source: str = "") -> AppointmentsReport:
    """Store every booking in one transaction, then issue today's tickets."""
    report = AppointmentsReport()
    now = station.clock.now()
    with station.write() as session:
        ids = [b.external_id for b in bookings]
        existing = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing.update(
                {
                    a.external_id: a
                    for a in session.exec(select(Appointment).where(col(Appointment.external_id).in_(chunk)))
                }
            )
        for b in bookings:
            status = "cancelled" if b.cancelled else "booked"
            found = existing.get(b.external_id)
            if b.cancelled and (found is None or found.status != "cancelled"):
                report.cancelled += 1
            if found is None:
                session.add(
                    Appointment(
                        external_id=b.external_id,
                        queue=b.queue,
                        slot=b.slot,
                        applicant_name=b.applicant_name,
                        phone=b.phone,
                        matter_code=b.matter_code,
                        note=b.note,
                        status=status,
                        source=source,
                        content_sha256=b.sha256,
                        imported_at=now,
                    )
                )
                report.new += 1
            elif found.content_sha256 == b.sha256:
                report.unchanged += 1
            else:
                found.queue, found.slot, found.applicant_name = b.queue, b.slot, b.applicant_name
                found.phone, found.matter_code, found.note = b.phone, b.matter_code, b.note
                found.content_sha256, found.imported_at, found.source = b.sha256, now, source
                if b.cancelled:
                    found.status = "cancelled"
                elif found.status in ("cancelled", "expired"):
                    found.status = "booked"  # re-booked
                report.updated += 1
    issued, expired = issue_due_appointments(station)
    report.issued, report.expired = issued, expired
    return report


def issue_due_appointments(station: Station) -> tuple[int, int]:
    """Issue tickets for today's booked appointments; mark earlier days' unused ones expired."""
    now = station.clock.now()
    today = now.date()
    with station.write() as session:
        expired = 0
        for a in session.exec(select(Appointment).where(col(Appointment.status) == "booked")):
            if a.slot.date() < today:
                a.status = "expired"
                expired += 1
    with station.read() as session:
        due = [
            a
            for a in session.exec(
                select(Appointment).where(col(Appointment.status) == "booked").order_by(col(Appointment.slot))
            )
            if a.slot.date() == today
        ]
    issued = 0
    for appointment in due:
        ticket_id = _orphan_ticket(station, appointment)
        if ticket_id is None:
            ticket_id = issue_ticket(
                station, appointment.queue, "appointment", appointment_at=appointment.slot, via="import"
            ).id
            issued += 1
        with station.write() as session:
            row = session.get(Appointment, appointment.id)
            if row is not None:
                row.status, row.ticket_id = "issued", ticket_id
    return issued, expired


def _orphan_ticket(station: Station, appointment: Appointment) -> str | None:
    """A ticket issued for this appointment by a run that stopped before linking it."""
    with station.read() as session:
        linked = select(col(Appointment.ticket_id)).where(col(Appointment.ticket_id).is_not(None))
        return session.exec(
            select(col(Ticket.id))
            .where(
                col(Ticket.service_date) == station.clock.today(),
                col(Ticket.priority) == "appointment",
                col(Ticket.issued_via) == "import",
                col(Ticket.queue) == appointment.queue,
                col(Ticket.appointment_at) == appointment.slot,
                col(Ticket.id).not_in(linked),
            )
            .limit(1)
        ).first()


def import_appointments_file(station: Station, path: Path) -> AppointmentsReport:
    return apply_appointments(station, load_appointments_file(station, path), source=path.name)
