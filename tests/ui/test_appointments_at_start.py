"""Appointments imported for a later day get their tickets when that day's work starts:
at the window app's first queue load and in `clerk ticket list` / `call`, once only."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from clerk_tui.app import make_app
from clerk_tui.cli import app as cli
from clerk_tui.models import Appointment, Ticket
from clerk_tui.services.sync.appointments import import_appointments_file
from tests.conftest import settle


def _book(station, tmp_path: Path, slot: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "appointments.json"
    path.write_text(
        json.dumps(
            {
                "format": "clerk-tui-appointments",
                "format_version": 1,
                "appointments": [{"id": "YY-0100", "queue": "A", "slot": slot, "name": "王芳"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = import_appointments_file(station, path)
    assert (report.new, report.issued) == (1, 0)  # for tomorrow: not issued today


def _tickets(station) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with station.read() as session:
        return [tuple(r) for r in session.execute(select(Ticket.number, Ticket.priority, Ticket.issued_via)).all()]


async def test_the_window_app_issues_todays_appointments_once(station, clock, tmp_path) -> None:
    _book(station, tmp_path, "2026-11-25T10:30")
    clock.at = datetime(2026, 11, 25, 8, 55)  # the next morning
    for _ in range(2):  # started twice (a restart): still one ticket
        app = make_app(station.settings, station=station)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = app.screen.view
            assert [tk.number for tk in view.waiting] == ["A001"]
    assert _tickets(station) == [("A001", "appointment", "import")]
    with station.read() as session:
        booked = session.execute(select(Appointment)).scalar_one()
    assert booked.status == "issued" and booked.ticket_id is not None


def test_ticket_list_and_call_issue_todays_appointments(tmp_path: Path) -> None:
    from clerk_tui.clock import Clock
    from clerk_tui.db import open_database
    from clerk_tui.services.context import Station
    from clerk_tui.services.station.setup import DEMO_SETTINGS

    runner = CliRunner()
    db = tmp_path / "station.db"
    result = runner.invoke(cli, ["--db", str(db), "init", "--station-id", "510199-07"])
    assert result.exit_code == 0, result.output
    # Booked yesterday for a slot today that has begun (so it can be called), as an import
    # the day before leaves it.
    now = datetime.now().replace(second=0, microsecond=0)
    slot = max(now - timedelta(minutes=1), datetime.combine(now.date(), time()))
    yesterday = Station(open_database(db), DEMO_SETTINGS, Clock())
    with yesterday.write() as session:
        session.add(
            Appointment(
                external_id="YY-0200",
                queue="A",
                slot=slot,
                content_sha256="0" * 64,
                imported_at=now - timedelta(days=1),
            )
        )
    yesterday.close()
    for _ in range(2):
        result = runner.invoke(cli, ["--db", str(db), "ticket", "list", "--tsv"])
        assert result.exit_code == 0, result.output
        assert [line.split("\t")[0] for line in result.output.splitlines()] == ["A001"]
    result = runner.invoke(cli, ["--db", str(db), "ticket", "call"])
    assert result.exit_code == 0, result.output
    assert "A001" in result.output
