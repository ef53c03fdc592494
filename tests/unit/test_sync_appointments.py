"""Appointments from the centre: validated whole, stored in one transaction, idempotent, queued at their slot."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_tui.models import Appointment, Ticket
from clerk_tui.services.queue.appointments import issue_due_appointments
from clerk_tui.services.sync.appointments import AppointmentsFileError, import_appointments_file


def write(tmp_path: Path, appointments: list[dict], **extra) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "appointments.json"
    doc = {"format": "clerk-tui-appointments", "format_version": 1, **extra, "appointments": appointments}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


TODAY = [
    {"id": "YY-0001", "queue": "A", "slot": "2026-11-24T10:30", "name": "王芳", "phone": "13800001234"},
    {"id": "YY-0002", "queue": "B", "slot": "2026-11-24T09:00"},
    {"id": "YY-0003", "queue": "A", "slot": "2026-11-25T14:00", "matter_code": "X"},
    {"id": "YY-0004", "queue": "A", "slot": "2026-11-23T14:00"},
]


def tickets(station) -> list[Ticket]:  # type: ignore[no-untyped-def]
    with station.read() as session:
        return list(session.execute(select(Ticket).order_by(Ticket.sort_at)).scalars())


def test_todays_appointments_join_the_queue_at_their_slot(station, tmp_path) -> None:
    report = import_appointments_file(station, write(tmp_path, TODAY, station_id="DEMO-510199-01"))
    assert (report.new, report.issued, report.expired) == (4, 2, 1)
    issued = tickets(station)
    assert [(t.queue, t.priority, t.appointment_at, t.issued_via) for t in issued] == [
        ("B", "appointment", datetime(2026, 11, 24, 9, 0), "import"),
        ("A", "appointment", datetime(2026, 11, 24, 10, 30), "import"),
    ]
    assert issued[1].sort_at == datetime(2026, 11, 24, 10, 30)


def test_importing_again_changes_nothing_and_a_change_updates(station, tmp_path) -> None:
    path = write(tmp_path, TODAY)
    import_appointments_file(station, path)
    again = import_appointments_file(station, path)
    assert (again.new, again.updated, again.unchanged, again.issued) == (0, 0, 4, 0)
    assert len(tickets(station)) == 2
    changed = [dict(a) for a in TODAY]
    changed[2]["slot"] = "2026-11-25T15:00"
    changed[2]["cancelled"] = True
    report = import_appointments_file(station, write(tmp_path, changed))
    assert (report.updated, report.cancelled) == (1, 1)
    with station.read() as session:
        row = session.execute(select(Appointment).where(Appointment.external_id == "YY-0003")).scalar_one()
    assert row.status == "cancelled" and row.slot == datetime(2026, 11, 25, 15, 0) and row.version == 2


def test_the_next_day_issues_the_waiting_appointment(station, tmp_path, clock) -> None:
    import_appointments_file(station, write(tmp_path, TODAY[2:3]))
    assert tickets(station) == []
    clock.advance(days=1)
    assert issue_due_appointments(station) == (1, 0)
    assert issue_due_appointments(station) == (0, 0)
    assert [t.appointment_at for t in tickets(station)] == [datetime(2026, 11, 25, 14, 0)]


def test_a_bad_file_lists_every_problem_and_stores_nothing(station, tmp_path) -> None:
    bad = [
        {"id": "YY-1", "queue": "A", "slot": "2026-11-24T10:30"},
        {"id": "YY-1", "queue": "Z", "slot": "24/11/2026"},
        {"queue": "A", "slot": "2026-11-24T11:00", "phone": 138},
        "not an object",
    ]
    with pytest.raises(AppointmentsFileError) as caught:
        import_appointments_file(station, write(tmp_path, bad, station_id="OTHER"))
    wheres = [p.where for p in caught.value.problems]
    assert wheres == [
        "station_id",
        "appointments[1].id",
        "appointments[1].queue",
        "appointments[1].slot",
        "appointments[2].id",
        "appointments[2].phone",
        "appointments[3]",
    ]
    assert all(line for line in caught.value.lines())
    with station.read() as session:
        assert session.execute(select(Appointment)).first() is None
    assert tickets(station) == []


def test_a_stop_while_issuing_leaves_no_ticket_and_the_next_run_issues_it_once(station, tmp_path, monkeypatch) -> None:
    from clerk_tui.services.queue import appointments as due

    path = write(tmp_path, TODAY[:1])
    real = due.issue_in

    def stop_after_issuing(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)  # the ticket is written in the claim's transaction...
        raise KeyboardInterrupt  # ...which the stop rolls back with it

    monkeypatch.setattr(due, "issue_in", stop_after_issuing)
    with pytest.raises(KeyboardInterrupt):
        import_appointments_file(station, path)
    monkeypatch.setattr(due, "issue_in", real)
    assert tickets(station) == []
    report = import_appointments_file(station, path)
    assert report.issued == 1 and len(tickets(station)) == 1
    with station.read() as session:
        appointment = session.execute(select(Appointment)).scalar_one()
    assert appointment.status == "issued" and appointment.ticket_id == tickets(station)[0].id


def test_two_starts_at_once_issue_each_appointment_once(station, tmp_path, clock) -> None:
    """Two windows starting together on a hall's server both make the day's start: each
    appointment is claimed as it is issued, so none gets two tickets."""
    import threading

    bookings = [
        {"id": f"YY-{i:03d}", "queue": "AB"[i % 2], "slot": f"2026-11-25T{9 + i // 6:02d}:{i % 6 * 10:02d}"}
        for i in range(24)
    ]
    import_appointments_file(station, write(tmp_path, bookings))  # tomorrow's: stored, not issued
    clock.advance(days=1)
    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def day_start() -> None:
        start.wait()
        try:
            results.append(issue_due_appointments(station))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=day_start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(issued for issued, _ in results) == 24
    issued = tickets(station)
    assert len(issued) == 24
    with station.read() as session:
        rows = session.execute(select(Appointment)).scalars().all()
    assert {a.status for a in rows} == {"issued"}
    assert sorted(a.ticket_id for a in rows) == sorted(t.id for t in issued)


def test_more_appointments_than_the_limit_are_refused_naming_it(station, tmp_path) -> None:
    from clerk_tui.services.sync.appointments import MAX_APPOINTMENTS

    path = tmp_path / "appointments.json"
    # Entries that are not even objects: the file is read to its end, checked no further than needed.
    path.write_text(
        '{"format": "clerk-tui-appointments", "format_version": 1, "appointments": ['
        + ",".join(["0"] * (MAX_APPOINTMENTS + 1))
        + "]}",
        encoding="utf-8",
    )
    with pytest.raises(AppointmentsFileError) as caught:
        import_appointments_file(station, path)
    assert caught.value.problems[0].key == "appointments.too_many"
    line = caught.value.lines()[0]
    assert f"{MAX_APPOINTMENTS:,}" in line and f"{MAX_APPOINTMENTS + 1:,}" in line
    with station.read() as session:
        assert session.execute(select(Appointment)).first() is None


def test_a_file_changed_between_the_check_and_the_import_changes_nothing(station, tmp_path) -> None:
    from clerk_tui.services.sync.appointments import apply_appointments, load_appointments_file

    path = write(tmp_path, TODAY)
    checked = load_appointments_file(station, path)
    write(tmp_path, [*TODAY, {"id": "YY-0005", "queue": "A", "slot": "2026-11-26T09:00"}])
    with pytest.raises(AppointmentsFileError) as caught:
        apply_appointments(station, checked)
    assert caught.value.problems[0].key == "appointments.changed"
    with station.read() as session:
        assert session.execute(select(Appointment)).first() is None
    assert tickets(station) == []


def test_progress_follows_both_readings_of_the_file(station, tmp_path) -> None:
    path = write(tmp_path, TODAY)
    seen: list[tuple[int, int]] = []
    import_appointments_file(station, path, lambda done, total: seen.append((done, total)))
    size = path.stat().st_size
    assert seen[-1] == (2 * size, 2 * size) and (size, 2 * size) in seen


def _import_peak(station, clock, path: Path, name: str) -> int:  # type: ignore[no-untyped-def]
    """Peak memory Python allocated while importing `path` into a new station."""
    import gc
    import tracemalloc
    from dataclasses import replace

    from clerk_tui.services.station.setup import open_station

    other = open_station(replace(station.settings, database=path.parent / f"{name}.db"), clock)
    try:
        gc.collect()
        tracemalloc.start()
        try:
            import_appointments_file(other, path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        other.close()


def test_memory_does_not_grow_with_the_number_of_appointments(station, clock, tmp_path, monkeypatch) -> None:
    """4x the rows costs only the ids seen (for duplicates): ~180 bytes a row measured.
    Parsing the file whole, with a row object each, cost ~4.9 KB a row (+22 MB here)."""
    from clerk_tui.services.sync import appointments

    monkeypatch.setattr(appointments, "BATCH", 100, raising=False)  # a batch is bounded: keep it out of the sums
    n = 1500

    def bookings(count: int) -> list[dict]:
        return [
            {"id": f"YY{i:08d}", "queue": "ABC"[i % 3], "slot": f"2027-01-{1 + i % 28:02d}T10:30"} for i in range(count)
        ]

    (tmp_path / "small").mkdir()
    (tmp_path / "large").mkdir()
    small, large = write(tmp_path / "small", bookings(n)), write(tmp_path / "large", bookings(4 * n))
    small_peak = _import_peak(station, clock, small, "small")
    large_peak = _import_peak(station, clock, large, "large")
    assert large_peak - small_peak < 3 * n * 300, (small_peak, large_peak)


def test_bookings_stored_after_the_days_start_are_issued_by_a_later_start_if_a_stop_came_between(
    station, tmp_path, monkeypatch
) -> None:
    from clerk_tui.services.queue import appointments as due

    assert issue_due_appointments(station) == (0, 0)  # the day's start: nothing booked yet

    def stop_before_issuing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(due, "issue_in", stop_before_issuing)
    with pytest.raises(KeyboardInterrupt):  # stored, then stopped before its first ticket
        import_appointments_file(station, write(tmp_path, TODAY[:2]))
    monkeypatch.undo()
    assert tickets(station) == []
    assert issue_due_appointments(station) == (2, 0)  # the next start of the same day
    assert issue_due_appointments(station) == (0, 0)
    assert sorted(t.queue for t in tickets(station)) == ["A", "B"]
