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
file again changes nothing, and a changed booking updates the stored one. The file is read
as a stream, twice (to check, then to store, by batches), so memory holds one batch and the
ids seen; a file holds at most MAX_APPOINTMENTS appointments.

Appointments of today become tickets with priority `appointment` at their slot (the
queue serves them once their slot has started); later ones wait for their day and are
issued by the next import or the day's start (`services.queue.appointments`, which
also says what happens should the program stop while it issues them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select

from clerk_tui.db import set_meta, stamp_rows
from clerk_tui.errors import ClerkError
from clerk_tui.json_stream import (
    Items,
    JsonReader,
    JsonStreamError,
    NotAnObjectError,
    ValueTooLargeError,
    members,
)
from clerk_tui.models import Appointment
from clerk_tui.services.context import Station
from clerk_tui.services.file_problems import FileProblemsError, Problem
from clerk_tui.services.queue.appointments import ISSUED_THROUGH, issue_due_appointments

FORMAT = "clerk-tui-appointments"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 32 << 20
MAX_APPOINTMENTS = 500_000  # per file
MAX_ENTRY_CHARS = 64 << 10  # one appointment as JSON text (its fields are short)
MAX_PROBLEMS = 50
HEAD_KEYS = ("format", "format_version", "station_id")
BATCH = 500  # appointments written per statement
TEXT_FIELDS = {"name": 200, "phone": 32, "matter_code": 120, "note": 500}
SLOT_YEARS = 1  # a slot lies within this year, give or take a year (nobody books 9999)


class AppointmentsFileError(FileProblemsError):
    REFUSED_KEY = "appointments.invalid"
    PROBLEM_KEY = "appointments.problem"


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


def _check_head(data: dict[str, Any], station: Station, path: Path) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: str, key: str, **params: Any) -> None:
        problems.append(Problem(where, key, params))

    if data.get("format") != FORMAT:
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
    return problems


def _check_entries(entries: Iterable[Any], station: Station, problems: list[Problem]) -> Iterator[Booking]:
    """Check each appointment as it comes; yield its booking once its problems are added."""

    def add(where: str, key: str, **params: Any) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(where, key, params))

    seen: set[str] = set()
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
            seen.add(ext)
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
            yield Booking(
                ext.strip(),
                queue,
                slot.replace(second=0, microsecond=0),
                texts["name"],
                texts["phone"],
                texts["matter_code"],
                texts["note"],
                cancelled is True,
            )


def _read(
    station: Station,
    path: Path,
    take: Callable[[Booking], None] | None = None,
    on_read: Callable[[int], None] | None = None,
) -> CheckedAppointments:
    """Check a whole file as it streams past; `take` gets each booking while none had a problem."""
    data: dict[str, Any] = {}
    entry_problems: list[Problem] = []
    count = 0

    def counted(items: Items) -> Iterator[Any]:
        nonlocal count
        for entry in items:
            count += 1
            if count <= MAX_APPOINTMENTS:
                yield entry  # past the limit the file is refused: the rest is only read to its end

    def unreadable(reason: str, where: str = "") -> AppointmentsFileError:
        return AppointmentsFileError(path, [Problem(where, "appointments.unreadable", {"reason": reason})])

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise unreadable("size")
        with path.open("rb") as handle:
            reader = JsonReader(handle, on_read)
            for key, value in members(
                reader, stream=("appointments",), keep=HEAD_KEYS, max_value=MAX_ENTRY_CHARS, max_item=MAX_ENTRY_CHARS
            ):
                if key != "appointments" or not isinstance(value, Items):
                    data[key] = value
                    continue
                data[key] = []  # checked as it streams past
                for booking in _check_entries(counted(value), station, entry_problems):
                    if take is not None and not entry_problems:
                        take(booking)
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except NotAnObjectError:
        raise AppointmentsFileError(
            path, [Problem("format", "appointments.not_appointments", {"expected": FORMAT})]
        ) from None
    except ValueTooLargeError as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise AppointmentsFileError(
            path, [Problem(where, "appointments.value_too_large", {"limit": f"{exc.limit:,}"})]
        ) from None
    except JsonStreamError as exc:  # bad UTF-8 or JSON, too deep, a 5000-digit number
        raise unreadable(str(exc)) from None
    except OSError as exc:
        raise unreadable(exc.strerror or str(exc)) from None
    problems = _check_head(data, station, path)
    if count > MAX_APPOINTMENTS:
        problems.append(
            Problem("appointments", "appointments.too_many", {"count": f"{count:,}", "limit": f"{MAX_APPOINTMENTS:,}"})
        )
    problems = (problems + entry_problems)[:MAX_PROBLEMS]
    if problems:
        raise AppointmentsFileError(path, problems)
    return CheckedAppointments(station, path, count, reader.sha256.hexdigest())


@dataclass(frozen=True)
class CheckedAppointments:
    """A checked appointments file: what `apply_appointments` stores, reading it again."""

    station: Station
    path: Path
    count: int
    sha256: str  # of the file's bytes: the second reading must see the same file

    def each(self, take: Callable[[Booking], None], on_read: Callable[[int], None] | None = None) -> None:
        """Call `take` for every booking, reading and checking the file again; a file that
        changed since it was checked raises AppointmentsFileError (at the latest at its end)."""
        again = _read(self.station, self.path, take, on_read)
        if again.sha256 != self.sha256:
            raise AppointmentsFileError(self.path, [Problem("", "appointments.changed", {})])

    def __iter__(self) -> Iterator[Booking]:
        bookings: list[Booking] = []
        self.each(bookings.append)
        return iter(bookings)


def load_appointments_file(
    station: Station, path: Path, on_read: Callable[[int], None] | None = None
) -> CheckedAppointments:
    """Check a whole appointments file (nothing is stored); raise AppointmentsFileError."""
    return _read(station, path, None, on_read)


def apply_appointments(
    station: Station,
    bookings: CheckedAppointments | Iterable[Booking],
    source: str = "",
    on_read: Callable[[int], None] | None = None,
) -> AppointmentsReport:
    """Store every booking in one transaction, a batch at a time, then issue today's tickets."""
    report = AppointmentsReport()
    now = station.clock.now()
    with station.write() as session:
        conn = session.connection()
        # Committed with the bookings: should the program stop before they are issued
        # below, the next start of the day issues them, whatever it had done before.
        set_meta(conn, ISSUED_THROUGH, "")
        batch: list[Booking] = []

        def store() -> None:
            existing = {
                a.external_id: a
                for a in session.exec(
                    select(Appointment).where(col(Appointment.external_id).in_([b.external_id for b in batch]))
                )
            }
            new: list[dict[str, Any]] = []
            for b in batch:
                status = "cancelled" if b.cancelled else "booked"
                found = existing.get(b.external_id)
                if b.cancelled and (found is None or found.status != "cancelled"):
                    report.cancelled += 1
                if found is None:
                    new.append(
                        {
                            "external_id": b.external_id,
                            "queue": b.queue,
                            "slot": b.slot,
                            "applicant_name": b.applicant_name,
                            "phone": b.phone,
                            "matter_code": b.matter_code,
                            "note": b.note,
                            "status": status,
                            "ticket_id": None,
                            "source": source,
                            "content_sha256": b.sha256,
                            "imported_at": now,
                        }
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
            session.flush()  # the updates, stamped by the session
            if new:
                conn.execute(insert(Appointment), stamp_rows(conn, new, now))
            session.expunge_all()
            batch.clear()

        def take(booking: Booking) -> None:
            batch.append(booking)
            if len(batch) >= BATCH:
                store()

        if isinstance(bookings, CheckedAppointments):
            bookings.each(take, on_read)  # raises, and so rolls back, if the file changed since the check
        else:
            for booking in bookings:
                take(booking)
        store()
    issued, expired = issue_due_appointments(station)
    report.issued, report.expired = issued, expired
    return report


def import_appointments_file(
    station: Station, path: Path, progress: Callable[[int, int], None] | None = None
) -> AppointmentsReport:
    """Check the whole file, then store it; `progress(done, total)` follows both readings."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # the check says what is wrong

    def checking(done: int) -> None:
        if progress is not None:
            progress(done, 2 * size)

    def storing(done: int) -> None:
        if progress is not None:
            progress(size + done, 2 * size)

    checked = load_appointments_file(station, path, checking)
    return apply_appointments(station, checked, source=path.name, on_read=storing)
