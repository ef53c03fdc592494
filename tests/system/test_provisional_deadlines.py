"""Deadlines past the bundled calendar: saved provisional (暂定), recomputed when the year arrives.

Today is 2026-12-04 and chinesecalendar knows up to 2026: a 20-working-day deadline
reaches 2027-01-01, which is counted as a working day (weekends only) until the 2027
calendar is imported; then it becomes 2027-01-04 (元旦 1-1, weekend 1-2/1-3).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clerk_tui.errors import ClerkError
from clerk_tui.models import AuditEntry, CalendarYear, Case
from clerk_tui.services.cases import ratings
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.history import case_detail, change_text, pending_cases
from clerk_tui.services.context import Station
from clerk_tui.services.station import calendar as cal
from clerk_tui.services.station.calendar import import_calendar, import_calendar_file, parse_calendar
from tests.case_factory import draft, rongque_check

TODAY = datetime(2026, 12, 4, 9, 30)  # a Friday
TWENTY_DAYS = "公共租赁住房申请资格审核认定（保障性住房配租）"  # 承诺 20 工作日
CALENDAR_2027 = {
    "format": "clerk-tui-calendar",
    "format_version": 1,
    "years": [2027],
    "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
    "workdays": [],
}


@pytest.fixture
def december(station: Station, clock) -> Station:
    clock.at = TODAY
    return station


def test_the_package_does_not_know_2027() -> None:
    """The premise of these tests: if chinesecalendar learns 2027, move them a year on."""
    assert cal.package_calendar().last_year == 2026


def test_twenty_working_days_in_december_save_provisionally(december: Station) -> None:
    case = cases.save_case(december, draft(december, "promised", TWENTY_DAYS))
    assert case.promised_deadline == date(2027, 1, 1) and case.deadline_provisional
    with december.read() as session:
        stored = session.get(Case, case.id)
    assert stored.deadline_provisional and stored.promised_deadline == date(2027, 1, 1)


def test_a_final_deadline_is_not_provisional(december: Station) -> None:
    case = cases.save_case(december, draft(december, "promised", "居住证办理（首次申领）"))  # 10 days: 12-18
    assert case.promised_deadline == date(2026, 12, 18) and not case.deadline_provisional


def test_provisional_is_shown_as_such(december: Station) -> None:
    from clerk_tui.i18n import set_language

    case = cases.save_case(december, draft(december, "promised", TWENTY_DAYS))
    line = next(p for p in pending_cases(december) if p.id == case.id)
    assert line.provisional and line.days_left == 20
    try:
        assert cal.date_text(case.promised_deadline, True) == "2027-01-01（暂定）"
        set_language("en")
        assert cal.date_text(case.promised_deadline, True) == "2027-01-01 (provisional)"
    finally:
        set_language("zh")
    assert cal.date_text(date(2026, 12, 18), False) == "2026-12-18"


def test_calendar_import_recomputes_in_the_same_transaction(december: Station) -> None:
    case = cases.save_case(december, draft(december, "promised", TWENTY_DAYS))
    final = cases.save_case(december, draft(december, "promised", "居住证办理（首次申领）"))
    result = import_calendar(december, parse_calendar(CALENDAR_2027, source="2027.json"))
    assert result.years == (2027,) and result.holidays == 3
    assert [(r.case_no, r.old, r.new, r.provisional) for r in result.moved] == [
        (case.case_no, date(2027, 1, 1), date(2027, 1, 4), False)
    ]
    with december.read() as session:
        stored = session.get(Case, case.id)
        untouched = session.get(Case, final.id)
        entries = (
            session.execute(select(AuditEntry).where(AuditEntry.entity_id == case.id, AuditEntry.action == "recompute"))
            .scalars()
            .all()
        )
    assert stored.promised_deadline == date(2027, 1, 4) and not stored.deadline_provisional
    assert untouched.promised_deadline == date(2026, 12, 18) and untouched.version == final.version
    assert [(e.field, e.old_value, e.new_value, e.reason) for e in entries] == [
        ("promised_deadline", "2027-01-01", "2027-01-04", "2027.json")
    ]
    event = next(e for e in case_detail(december, case.id).events if e.action == "recompute")
    assert change_text(event) == "承诺办结日: 2027-01-01 → 2027-01-04 (节假日历更新：2027.json)"
    # Imported again: nothing provisional is left, nothing moves.
    assert import_calendar(december, parse_calendar(CALENDAR_2027, source="2027.json")).recomputed == ()


def test_a_failed_recompute_stores_no_calendar(december: Station, monkeypatch: pytest.MonkeyPatch) -> None:
    case = cases.save_case(december, draft(december, "promised", TWENTY_DAYS))

    def broken(*_args, **_kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(cal, "_recompute", broken)
    with pytest.raises(RuntimeError):
        import_calendar(december, parse_calendar(CALENDAR_2027, source="2027.json"))
    with december.read() as session:
        assert session.execute(select(func.count()).select_from(CalendarYear)).scalar() == 0
        assert session.get(Case, case.id).deadline_provisional


def save_rongque(station: Station, supply: date) -> Case:
    """A 容缺 case of the 10-working-day matter, from its check and notice, due `supply`."""
    matter = "居住证办理（首次申领）"
    return cases.save_case(
        station, draft(station, "rongque", matter, check_id=rongque_check(station, matter), supply_deadline=supply)
    )


def test_rongque_supply_date_and_follow_up_follow_the_final_calendar(december: Station, clock) -> None:
    clock.at = datetime(2026, 12, 28, 9, 0)  # Monday
    rq = save_rongque(december, date(2027, 1, 8))
    # 10 working days, 2027 on weekends only: 29 30 31 | 1 4 5 6 7 8 11
    assert rq.promised_deadline == date(2027, 1, 11) and rq.deadline_provisional
    spot = cases.save_case(december, draft(december))
    follow_up = ratings.rate_case(december, spot.id, 1).follow_up
    assert follow_up.due_date == date(2027, 1, 4) and follow_up.due_provisional
    update = dict(
        CALENDAR_2027,
        holidays=[
            {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
            {"name": "test", "from": "2027-01-05", "to": "2027-01-12"},
        ],
    )
    result = import_calendar(december, parse_calendar(update, source="2027.json"))
    moved = {(r.case_no, r.what): (r.old, r.new) for r in result.moved}
    # 29 30 31 | 4 13 14 15 18 19 20: the 10th working day is 2027-01-20; the 5th, 01-13
    assert moved[(rq.case_no, "promised_deadline")] == (date(2027, 1, 11), date(2027, 1, 20))
    assert moved[(spot.case_no, "follow_up_due")] == (date(2027, 1, 4), date(2027, 1, 13))
    detail = case_detail(december, rq.id)
    assert detail.case.supply_deadline == date(2027, 1, 8)  # still within the final deadline
    assert not case_detail(december, spot.id).follow_ups[0].due_provisional


def test_supply_date_past_a_deadline_that_moved_earlier_is_brought_in(december: Station, clock) -> None:
    clock.at = datetime(2026, 12, 28, 9, 0)
    rq = save_rongque(december, date(2027, 1, 11))
    update = dict(CALENDAR_2027, holidays=[], workdays=[{"name": "调休", "date": "2027-01-09"}])
    import_calendar(december, parse_calendar(update, source="2027.json"))
    c = case_detail(december, rq.id).case
    assert c.promised_deadline == date(2027, 1, 9) and c.supply_deadline == date(2027, 1, 9)


def test_cli_import_calendar_prints_the_moved_cases(tmp_path: Path) -> None:

    from typer.testing import CliRunner

    from clerk_tui.cli import app
    from clerk_tui.clock import FixedClock
    from clerk_tui.config import default_config_path, load_settings
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import open_station

    runner = CliRunner()
    db = str(tmp_path / "station.db")
    assert runner.invoke(app, ["--db", db, "init", "--station-id", "510199-07"]).exit_code == 0
    settings = load_settings(default_config_path()).with_overrides(database=Path(db))
    station = open_station(settings, FixedClock(TODAY))
    import_catalog_file(station, bundled_catalog())
    case = cases.save_case(station, draft(station, "promised", TWENTY_DAYS))
    station.close()
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(CALENDAR_2027), encoding="utf-8")
    from tests.sync_helpers import centre_signs

    centre_signs(db, tmp_path, path)
    out = runner.invoke(app, ["--db", db, "--lang", "en", "import", "calendar", str(path)])
    assert out.exit_code == 0, out.output
    assert f"{case.case_no} deadline: 2027-01-01 (provisional) -> 2027-01-04" in out.output


def test_import_calendar_file_returns_the_moved_cases(december: Station, tmp_path: Path) -> None:
    case = cases.save_case(december, draft(december, "promised", TWENTY_DAYS))
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(CALENDAR_2027), encoding="utf-8")
    result = import_calendar_file(december, path)
    assert [r.case_id for r in result.moved] == [case.id] and result.source == "2027.json"


def test_the_refusal_to_guess_stays_for_the_strict_calendar() -> None:
    with pytest.raises(ClerkError) as caught:
        cal.package_calendar().add_working_days(date(2026, 12, 4), 20)
    assert caught.value.key == "calendar.year_unknown"


def test_a_promised_case_is_not_accepted_on_a_non_working_day(station: Station, clock) -> None:
    for day in (datetime(2026, 12, 5, 10, 0), datetime(2026, 10, 1, 10, 0)):  # a Saturday, 国庆节
        clock.at = day
        for outcome, extra in (("promised", {}), ("rongque", {"supply_deadline": day.date()})):
            with pytest.raises(cases.CaseInvalid) as caught:
                cases.save_case(station, draft(station, outcome, "居住证办理（首次申领）", **extra))
            assert caught.value.key == "case.accept_non_working_day" and caught.value.field == "outcome"
            assert day.date().isoformat() in caught.value.message()
        # On-the-spot service and consultations stay possible (halls open at weekends).
        assert cases.save_case(station, draft(station)).status == "completed"
    with station.read() as session:
        assert (
            session.execute(select(func.count()).select_from(Case).where(Case.outcome != "on_the_spot")).scalar() == 0
        )
    clock.at = datetime(2026, 9, 20, 10, 0)  # a Sunday made a working day (调休)
    assert cases.save_case(station, draft(station, "promised", "居住证办理（首次申领）")).status == "pending"
