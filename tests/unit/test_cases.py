"""Recording cases: outcome rules, times, case numbers, one transaction, edits, voids, pending."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text

from clerk_tui.errors import ClerkError
from clerk_tui.models import AuditEntry, Case
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.history import pending_cases
from clerk_tui.services.cases.record import CaseInvalid
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from tests.case_factory import (
    ON_THE_SPOT_MATTER,
    PROMISED_MATTER,
    VALID_RID,
    VALID_USCC,
    document_check,
    draft,
    rongque_check,
)

NOW = datetime(2026, 11, 24, 9, 30)


def test_on_the_spot_case_is_completed_now_with_every_time(station: Station) -> None:
    ticket = issue_ticket(station, "A")
    case = cases.save_case(station, draft(station, ticket_id=ticket.id, id_number="110105 19491231 002x"))
    assert case.status == "completed" and case.case_no == "20261124-03-0001"
    assert case.accepted_at == case.decided_at == case.completed_at == NOW
    assert case.id_number == VALID_RID  # stored normalised
    assert (case.clerk_no, case.window_no, case.station_id) == ("A0123", 3, "DEMO-510199-01")
    assert case.catalog_version_id and case.matter_code
    second = cases.save_case(station, draft(station))
    assert second.case_no == "20261124-03-0002"


def test_promised_case_gets_its_deadline_in_working_days(station: Station) -> None:
    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    assert case.status == "pending" and case.promised_deadline == date(2026, 12, 1)  # 5 working days
    assert case.accepted_at == NOW and case.completed_at is None


def test_promised_deadline_across_the_spring_festival(station: Station, clock) -> None:
    clock.at = datetime(2026, 2, 13, 16, 0)
    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    assert case.promised_deadline == date(2026, 2, 27)


def test_promised_deadline_past_the_calendar_is_saved_provisional(station: Station, clock) -> None:
    """Not refused (the applicant is at the window): 2027 counted on weekends only, marked
    provisional (tests/test_provisional_deadlines.py has the rest)."""
    clock.at = datetime(2026, 12, 28, 9, 0)
    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    assert case.promised_deadline == date(2027, 1, 4) and case.deadline_provisional


def test_rongque_supply_date_must_not_pass_the_deadline(station: Station) -> None:
    check_id = rongque_check(station)
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "rongque", PROMISED_MATTER, check_id=check_id))
    assert caught.value.field == "supply_deadline" and caught.value.key == "case.supply_required"
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(
            station, draft(station, "rongque", PROMISED_MATTER, check_id=check_id, supply_deadline=date(2026, 12, 2))
        )
    assert caught.value.key == "case.supply_out_of_range" and "2026-12-01" in caught.value.message()
    with pytest.raises(CaseInvalid):
        cases.save_case(
            station, draft(station, "rongque", PROMISED_MATTER, check_id=check_id, supply_deadline=date(2026, 11, 23))
        )
    case = cases.save_case(
        station, draft(station, "rongque", PROMISED_MATTER, check_id=check_id, supply_deadline=date(2026, 12, 1))
    )
    assert case.status == "pending" and case.supply_deadline == date(2026, 12, 1)


def assert_one_line(error: CaseInvalid) -> None:
    """The form's error line is one line at 80 columns, in either language."""
    from rich.cells import cell_len

    from clerk_tui.i18n import set_language

    try:
        for lang in ("zh", "en"):
            set_language(lang)
            assert cell_len(error.message()) <= 78, (lang, error.message())
    finally:
        set_language("zh")


def test_rongque_needs_the_check_with_its_notice(station: Station) -> None:
    """容缺受理 names what is missing and when it is due: the document check lists it and
    the 容缺 notice tells the applicant. A bare outcome, a check that found nothing
    missing, or a check whose notice was never issued is refused, and nothing is saved."""
    supply = {"supply_deadline": date(2026, 12, 1)}
    bare = draft(station, "rongque", PROMISED_MATTER, **supply)
    complete = document_check(station, PROMISED_MATTER, verdict="accept")
    unnoticed = document_check(station, PROMISED_MATTER, verdict="rongque")
    other_notice = document_check(station, PROMISED_MATTER, verdict="correction", notice="correction")
    for check_id in (None, complete.id, unnoticed.id, other_notice.id):
        with pytest.raises(CaseInvalid) as caught:
            cases.save_case(station, replace(bare, check_id=check_id))
        assert (caught.value.field, caught.value.key) == ("outcome", "case.rongque_needs_notice")
    with station.read() as session:
        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 0
    case = cases.save_case(station, replace(bare, check_id=rongque_check(station)))
    assert case.outcome == "rongque" and case.status == "pending"


def test_an_instant_matter_is_never_accepted_as_promised(station: Station) -> None:
    """A 即办件 is completed on the spot: the form cannot make it a 承诺件, even with a
    deadline typed in (which a matter without a promised limit takes). 容缺 stays open to
    it, from a check with its notice (`[check] instant_rongque_days`)."""
    due = {"promised_deadline": date(2026, 12, 1)}
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "promised", ON_THE_SPOT_MATTER, **due))
    assert (caught.value.field, caught.value.key) == ("outcome", "case.instant_not_pending")
    assert_one_line(caught.value)
    check_id = rongque_check(station, ON_THE_SPOT_MATTER)
    rq = draft(station, "rongque", ON_THE_SPOT_MATTER, check_id=check_id, supply_deadline=date(2026, 11, 27), **due)
    assert cases.save_case(station, rq).status == "pending"


def test_a_promised_matter_done_on_the_spot_needs_its_reason(station: Station) -> None:
    """提前办结 on the spot is allowed for a 承诺件, as halls do, with the reason written down
    (it counts as done on the spot in the figures)."""
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "on_the_spot", PROMISED_MATTER, notes="  "))
    assert (caught.value.field, caught.value.key) == ("notes", "case.promised_on_the_spot_reason")
    assert_one_line(caught.value)
    case = cases.save_case(station, draft(station, "on_the_spot", PROMISED_MATTER, notes="材料齐全，当场审核通过"))
    assert case.status == "completed" and case.notes == "材料齐全，当场审核通过"


def test_refusal_needs_a_reason(station: Station) -> None:
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "refused", refusal_reason="   "))
    assert caught.value.field == "refusal_reason"
    case = cases.save_case(station, draft(station, "refused", refusal_reason="不属于本中心受理范围"))
    assert case.status == "closed" and case.decided_at == NOW and case.accepted_at is None


def test_correction_needs_the_checks_notice(station: Station) -> None:
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "correction"))
    assert caught.value.key == "case.correction_needs_notice"
    check = document_check(station, verdict="correction", notice="correction")
    case = cases.save_case(station, draft(station, "correction", check_id=check.id))
    assert case.status == "closed" and case.check_id == check.id and case.accepted_at is None


def test_a_check_is_recorded_once(station: Station) -> None:
    check = document_check(station)
    first = cases.save_case(station, draft(station, check_id=check.id))
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, check_id=check.id))
    assert first.case_no in caught.value.message()


def test_forwarded_needs_a_destination_and_consultation_needs_no_id(station: Station) -> None:
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, "forwarded"))
    assert caught.value.field == "forwarded_to"
    assert cases.save_case(station, draft(station, "forwarded", forwarded_to="市行政审批局")).status == "closed"
    case = cases.save_case(station, draft(station, "consultation", applicant_name="", id_number="", phone=""))
    assert case.completed_at == NOW and case.id_type == ""


def test_wrong_ids_name_the_field(station: Station) -> None:
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, id_number="110105194912310021"))
    assert (caught.value.field, caught.value.key) == ("id_number", "ids.bad_checksum")
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, agent_name="李四", agent_id_number="123"))
    assert caught.value.field == "agent_id_number"
    org = draft(
        station, applicant_kind="organisation", applicant_name="某某有限公司", id_type="uscc", id_number=VALID_USCC
    )
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, org)
    assert caught.value.key == "case.org_needs_agent"
    org.agent_name, org.agent_id_number = "李四", VALID_RID
    assert cases.save_case(station, org).agent_id_type == "resident_id"


def test_saving_is_one_transaction(station: Station, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the case row is written leaves neither the case nor its audit entry."""
    from clerk_tui.services import audit

    def boom(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        cases.save_case(station, draft(station))
    with station.read() as session:
        assert session.execute(select(func.count()).select_from(Case)).scalar() == 0
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar() == 0


def test_received_time_comes_from_the_ticket(station: Station, clock) -> None:
    ticket = issue_ticket(station, "A")
    with station.write() as session:
        session.execute(
            text("UPDATE ticket SET service_started_at = '2026-11-24 09:20:00.000000' WHERE id = :i"), {"i": ticket.id}
        )
    case = cases.save_case(station, draft(station, ticket_id=ticket.id))
    assert case.received_at == datetime(2026, 11, 24, 9, 20)


def test_pending_list_and_completing_from_it(station: Station, clock) -> None:
    clock.at = datetime(2026, 11, 17, 10, 0)
    due_today = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))  # 5 working days: due today
    clock.at = datetime(2026, 11, 10, 10, 0)
    older = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))  # due 11-17
    clock.at = NOW
    soon = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))  # due 12-01
    lines = {line.id: line for line in pending_cases(station)}
    assert lines[older.id].category == "overdue" and lines[older.id].days_left < 0
    assert lines[due_today.id].category == "today"
    assert lines[soon.id].category == "later" and lines[soon.id].days_left == 5
    with pytest.raises(ClerkError):
        case_changes.finish_pending(station, older.id, returned=True, note=" ")
    case_changes.finish_pending(station, older.id, returned=True, note="申请人撤回")
    done = case_changes.finish_pending(station, due_today.id, returned=False)
    assert done.status == "completed" and done.completed_at == NOW
    assert [line.id for line in pending_cases(station)] == [soon.id]
    with pytest.raises(ClerkError) as caught:
        case_changes.finish_pending(station, done.id, returned=False)
    assert caught.value.key == "case.not_pending"


def test_rongque_case_is_completed_only_with_what_was_supplied_and_when(station: Station, clock) -> None:
    case = cases.save_case(
        station,
        draft(station, "rongque", PROMISED_MATTER, check_id=rongque_check(station), supply_deadline=date(2026, 11, 27)),
    )
    clock.at = datetime(2026, 11, 26, 15, 0)
    for note, day in (("", None), ("", "2026-11-26"), ("身份证复印件", None), ("身份证复印件", "")):
        with pytest.raises(ClerkError) as caught:
            case_changes.finish_pending(station, case.id, returned=False, supplied_note=note, supplied_on=day)
        assert caught.value.key == "case.supplied_required"
    for day in ("2026-11-27", "2026-11-23", "26/11/2026"):  # tomorrow, before acceptance, not a date
        with pytest.raises(ClerkError) as caught:
            case_changes.finish_pending(station, case.id, returned=False, supplied_note="身份证复印件", supplied_on=day)
        assert caught.value.key == "case.supplied_date_bad"
    with station.read() as session:
        assert session.get(Case, case.id).status == "pending"
    done = case_changes.finish_pending(
        station, case.id, returned=False, note="已办结", supplied_note="身份证复印件", supplied_on="2026-11-25"
    )
    assert done.status == "completed" and (done.supplied_note, done.supplied_on) == ("身份证复印件", date(2026, 11, 25))
    with station.read() as session:
        trail = {
            (e.field, e.new_value)
            for e in session.execute(select(AuditEntry).where(AuditEntry.entity_id == case.id)).scalars()
        }
    assert {("supplied_note", "身份证复印件"), ("supplied_on", "2026-11-25"), ("status", "completed")} <= trail
    # A 容缺 case the applicant never completed can still be returned (退件) with a reason.
    other = cases.save_case(
        station,
        draft(station, "rongque", PROMISED_MATTER, check_id=rongque_check(station), supply_deadline=date(2026, 11, 27)),
    )
    assert case_changes.finish_pending(station, other.id, returned=True, note="未补交材料").status == "returned"


def test_the_trail_shows_translated_states_in_both_languages(station: Station) -> None:
    from clerk_tui.i18n import set_language
    from clerk_tui.services.cases.history import case_detail, change_text, event_name

    case = cases.save_case(station, draft(station, "promised", PROMISED_MATTER))
    case_changes.edit_case(station, case.id, draft(station, "promised", PROMISED_MATTER, assistance="daiban"))
    case_changes.finish_pending(station, case.id, returned=False)
    events = [e for e in case_detail(station, case.id).events if e.field in ("status", "assistance")]
    try:
        zh = [(event_name(e), change_text(e)) for e in events]
        set_language("en")
        en = [(event_name(e), change_text(e)) for e in events]
    finally:
        set_language("zh")
    assert ("修改", "帮办代办: 无 → 代办") in zh and ("办结", "状态: 办理中 → 已办结") in zh
    assert ("Edited", "assistance: None → Done for them (代办)") in en
    assert ("Completed", "status: Pending → Completed") in en
    assert not any("pending" in text or "daiban" in text for _, text in zh + en)


def test_the_channel_is_window_unless_chosen_checked_and_editable_with_its_trail(station: Station) -> None:
    """办件渠道: a case comes to the window unless the clerk chose another channel; an unknown
    one is refused at its field; an edit changes it and the audit trail says so."""
    walk_in = cases.save_case(station, draft(station))
    assert walk_in.channel == "window"
    with pytest.raises(CaseInvalid) as caught:
        cases.save_case(station, draft(station, channel="fax"))
    assert caught.value.field == "channel" and caught.value.key == "case.bad_choice"
    posted = cases.save_case(station, draft(station, channel="post"))
    assert posted.channel == "post"
    assert case_changes.edit_case(station, posted.id, draft(station, channel="kiosk")) == 1
    with station.read() as session:
        assert session.get(Case, posted.id).channel == "kiosk"
        trail = session.execute(
            select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value).where(
                AuditEntry.entity_id == posted.id, AuditEntry.action == "edit"
            )
        ).all()
    assert [tuple(r) for r in trail] == [("channel", "post", "kiosk")]
