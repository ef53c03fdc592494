"""The audit trail: edits old → new, voids with a reason, reveals logged, nothing deleted or rewritten."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from clerk_tui.errors import ClerkError
from clerk_tui.models import AuditEntry, Case
from clerk_tui.services import audit
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases import record as cases
from clerk_tui.services.cases.history import case_detail
from clerk_tui.services.cases.record import CaseInvalid
from clerk_tui.services.context import Station
from tests.case_factory import VALID_RID, draft

OTHER_RID = "110105198001010016"


def actions(station: Station, case_id: str) -> list[tuple[str, str, str, str]]:
    return [(e.action, e.field, e.old_value, e.new_value) for e in audit.trail(station, [case_id])]


def test_an_edit_records_each_changed_field_old_to_new(station: Station, clock) -> None:
    case = cases.save_case(station, draft(station, notes="初次"))
    clock.advance(minutes=5)
    changed = case_changes.edit_case(
        station, case.id, draft(station, notes="补充说明", id_number=OTHER_RID), reason="录入错误"
    )
    assert changed == 2
    trail = actions(station, case.id)
    assert trail[0] == ("create", "", "", "on_the_spot")
    assert ("edit", "id_number", VALID_RID, OTHER_RID) in trail and ("edit", "notes", "初次", "补充说明") in trail
    with station.read() as session:
        stored = session.get(Case, case.id)
        assert stored.id_number == OTHER_RID and stored.version == 2
        edit = session.execute(select(AuditEntry).where(AuditEntry.action == "edit")).scalars().first()
        assert (edit.clerk_no, edit.reason) == ("A0123", "录入错误")


def test_an_edit_cannot_change_the_outcome_or_break_the_rules(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    with pytest.raises(CaseInvalid) as caught:
        case_changes.edit_case(station, case.id, draft(station, "refused", refusal_reason="x"))
    assert caught.value.key == "case.outcome_fixed"
    with pytest.raises(CaseInvalid):
        case_changes.edit_case(station, case.id, draft(station, id_number="123"))
    assert actions(station, case.id) == [("create", "", "", "on_the_spot")]


def test_void_needs_a_reason_keeps_the_case_and_blocks_edits(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    with pytest.raises(ClerkError):
        case_changes.void_case(station, case.id, " ")
    case_changes.void_case(station, case.id, "重复登记")
    with station.read() as session:
        stored = session.get(Case, case.id)
        assert (stored.status, stored.void_reason) == ("voided", "重复登记")
    assert actions(station, case.id)[-1] == ("void", "status", "completed", "voided")
    with pytest.raises(ClerkError):
        case_changes.edit_case(station, case.id, draft(station, notes="x"))


def test_revealing_an_id_is_logged_without_the_number(station: Station) -> None:
    case = cases.save_case(station, draft(station, agent_name="李四", agent_id_number=OTHER_RID))
    values = case_changes.reveal(station, case.id)
    assert values["id_number"] == VALID_RID and values["agent_id_number"] == OTHER_RID
    [entry] = [e for e in audit.trail(station, [case.id]) if e.action == "reveal"]
    assert set(entry.field.split(",")) == {"id_number", "phone", "agent_id_number"}
    assert VALID_RID not in entry.old_value + entry.new_value + entry.reason


def test_the_database_refuses_to_rewrite_the_trail_or_delete_a_case(station: Station) -> None:
    case = cases.save_case(station, draft(station))
    for statement in (
        update(AuditEntry).values(new_value="x"),
        delete(AuditEntry),
        delete(Case).where(Case.id == case.id),
    ):
        with pytest.raises(DatabaseError), station.write() as session:
            session.execute(statement)
    assert len(actions(station, case.id)) == 1


def test_case_detail_shows_the_whole_story(station: Station, clock) -> None:
    from clerk_tui.services.cases import ratings
    from clerk_tui.services.queue.tickets import issue_ticket
    from tests.case_factory import document_check

    ticket = issue_ticket(station, "A")
    check = document_check(station, ticket_id=ticket.id)
    case = cases.save_case(station, draft(station, ticket_id=ticket.id, check_id=check.id))
    ratings.rate_case(station, case.id, 2, ("attitude",))
    case_changes.edit_case(station, case.id, draft(station, notes="改"))
    case_changes.reveal(station, case.id)
    detail = case_detail(station, case.id)
    kinds = [e.action for e in detail.events]
    assert kinds[:2] == ["ticket.issued", "check"]
    assert {"create", "rate", "follow_up_open", "edit", "reveal"} <= set(kinds)
    assert (
        detail.ticket_number == ticket.number
        and [r.level for r in detail.ratings] == [2]
        and len(detail.follow_ups) == 1
    )
