"""Document check: situation questions, the verdict table, deadlines, the stored snapshot."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from clerk_tui.clock import FixedClock
from clerk_tui.errors import ClerkError
from clerk_tui.models import CheckItem, DocumentCheck, Material
from clerk_tui.models.case import MARKS
from clerk_tui.services.catalog.search import GuideMaterial, load_index
from clerk_tui.services.check import documents as dc


def material(position: int, necessity: int = 1, condition: str = "", e_licence: bool = False) -> GuideMaterial:
    return GuideMaterial(position, f"材料{position}", 1, "原件", 1, necessity, "", condition, e_licence, "")


def matter_id(station, initials: str) -> str:
    return load_index(station).search(initials).hits[0].entry.id


# --- situation questions ---------------------------------------------------------------------------


def test_each_distinct_condition_is_one_question_in_order() -> None:
    ms = [
        material(0),
        material(1, condition="委托他人代办时"),
        material(2, condition="已婚时"),
        material(3, condition=" 委托他人代办时 "),
    ]
    assert dc.questions(ms) == ["委托他人代办时", "已婚时"]


def test_condition_shows_or_hides_materials() -> None:
    always, agent = material(0), material(1, condition="委托他人代办时")
    assert dc.applies(always, {}) is True
    assert dc.applies(agent, {}) is None  # unanswered: undecided, not "no"
    assert dc.applies(agent, {"委托他人代办时": True}) is True
    assert dc.applies(agent, {"委托他人代办时": False}) is False
    assert dc.effective_mark(agent, {"委托他人代办时": False}, {1: "missing"}) == "not_applicable"


def test_unanswered_question_keeps_the_check_pending() -> None:
    ms = [material(0), material(1, condition="委托他人代办时")]
    verdict = dc.judge(ms, {}, {0: "provided"})
    assert verdict.kind == "pending" and verdict.unanswered == ["委托他人代办时"]
    assert dc.judge(ms, {"委托他人代办时": False}, {0: "provided"}).kind == "accept"
    yes = dc.judge(ms, {"委托他人代办时": True}, {0: "provided"})
    assert yes.kind == "pending" and [m.position for m in yes.unmarked] == [1]


# --- the verdict table: every necessity x mark --------------------------------------------------------

EXPECTED = {
    (1, "provided"): "accept",
    (1, "e_licence"): "accept",
    (1, "missing"): "correction",
    (1, "not_applicable"): "accept",
    (2, "provided"): "accept",
    (2, "e_licence"): "accept",
    (2, "missing"): "accept",
    (2, "not_applicable"): "accept",
    (3, "provided"): "accept",
    (3, "e_licence"): "accept",
    (3, "missing"): "rongque",
    (3, "not_applicable"): "accept",
}


@pytest.mark.parametrize(("necessity", "mark"), list(itertools.product((1, 2, 3), MARKS)))
def test_verdict_of_one_material(necessity: int, mark: str) -> None:
    verdict = dc.judge([material(0, necessity, e_licence=True)], {}, {0: mark})
    assert verdict.kind == EXPECTED[(necessity, mark)]
    assert [m.position for m in verdict.to_supply] == ([0] if verdict.kind in ("correction", "rongque") else [])


@pytest.mark.parametrize("marks", list(itertools.product(MARKS, repeat=3)))
def test_verdict_of_required_optional_rongque_together(marks: tuple[str, str, str]) -> None:
    """Required, optional and 容缺 materials side by side, in every combination of marks."""
    ms = [material(0, 1, e_licence=True), material(1, 2, e_licence=True), material(2, 3, e_licence=True)]
    verdict = dc.judge(ms, {}, dict(enumerate(marks)))
    if marks[0] == "missing":
        expected = "correction"
    elif marks[2] == "missing":
        expected = "rongque"
    else:
        expected = "accept"
    assert verdict.kind == expected
    # The notice lists every missing required and 容缺 material, never the optional one.
    assert [m.position for m in verdict.to_supply] == [p for p in (0, 2) if marks[p] == "missing"]


def test_e_licence_only_where_the_catalog_allows_it() -> None:
    assert dc.mark_allowed(material(0, e_licence=True), "e_licence")
    assert not dc.mark_allowed(material(0, e_licence=False), "e_licence")
    assert dc.mark_allowed(material(0, e_licence=False), "provided")


# --- deadlines --------------------------------------------------------------------------------------


def test_supply_limit_is_the_promised_deadline_in_working_days(station) -> None:
    start = dc.start_check(station, matter_id(station, "公司设立"))  # 公司设立登记: 1 working day, 容缺 item
    # Tuesday 2026-11-24 + 1 working day.
    assert start.supply_limit == date(2026, 11, 25)
    start = dc.start_check(station, matter_id(station, "gtgsh"))  # 即办件: [check] instant_rongque_days = 5
    assert start.supply_limit == date(2026, 12, 1)


def test_supply_limit_skips_holidays(station) -> None:
    station.clock = FixedClock(datetime(2026, 9, 30, 10, 0))  # before the National Day week
    start = dc.start_check(station, matter_id(station, "公司设立"))
    assert start.supply_limit is not None and start.supply_limit >= date(2026, 10, 8)


def test_supply_limit_past_the_calendar_is_provisional_not_refused(station) -> None:
    """December: the limit falls in a year the calendar does not know; the 容缺 check
    still gets one, counted on weekends only for that year (as the case's deadline)."""
    station.clock = FixedClock(datetime(2026, 12, 31, 10, 0))
    start = dc.start_check(station, matter_id(station, "公司设立"))
    assert start.supply_problem == "" and start.supply_limit is not None and start.supply_limit.year == 2027
    from clerk_tui.services.station.calendar import package_calendar

    limit = start.guide.promised_limit
    expected = package_calendar().provisional().deadline(date(2026, 12, 31), limit, start.guide.promised_unit)
    assert start.supply_limit == expected


# --- saving the snapshot ------------------------------------------------------------------------------


def full_marks(start: dc.CheckStart, answers: dict[str, bool], **by_name: str) -> dict[int, str]:
    marks = {}
    for m in start.guide.materials:
        if dc.applies(m, answers):
            marks[m.position] = by_name.get(m.name, "provided")
    return marks


def test_save_stores_a_snapshot_in_one_transaction(station) -> None:
    start = dc.start_check(station, matter_id(station, "gtgsh"))
    answers = {"委托他人代办时": True, "经营范围涉及前置许可时": False}
    marks = full_marks(start, answers, 经营者居民身份证="missing")
    check_id = dc.save_check(station, start, answers, marks)
    with station.read() as session:
        check = session.get(DocumentCheck, check_id)
        items = (
            session.execute(select(CheckItem).where(CheckItem.check_id == check_id).order_by(CheckItem.position))
            .scalars()
            .all()
        )
        assert check.verdict == "correction" and check.supply_deadline is None
        assert json.loads(check.answers) == answers
        assert check.clerk_no == station.settings.clerk_no and check.window_no == station.settings.window_no
        assert check.catalog_version_id == start.guide.catalog_version_id
        assert len(items) == 5
        assert {i.name: i.mark for i in items}["前置审批许可文件"] == "not_applicable"
        # A later catalog change does not touch what was checked.
        material_row = session.execute(select(Material).where(Material.name == "经营者居民身份证")).scalars().first()
    with station.write() as session:
        row = session.get(Material, material_row.id)
        row.name = "改名后的材料"
    stored = dc.load_check(station, check_id)
    assert "经营者居民身份证" in [m.name for m in stored.items]
    assert [m.name for m in stored.missing] == ["经营者居民身份证"]


def test_save_refuses_an_incomplete_check(station) -> None:
    start = dc.start_check(station, matter_id(station, "gtgsh"))
    with pytest.raises(ClerkError) as info:
        dc.save_check(station, start, {}, {})
    assert info.value.key == "check.incomplete"


def test_rongque_needs_a_supply_date_within_the_deadline(station) -> None:
    start = dc.start_check(station, matter_id(station, "gtgsh"))
    answers = {"委托他人代办时": False, "经营范围涉及前置许可时": False}
    marks = full_marks(start, answers, **{"经营场所使用证明（租赁合同/产权证明）或承诺书": "missing"})
    with pytest.raises(ClerkError) as info:
        dc.save_check(station, start, answers, marks)
    assert info.value.key == "check.supply_required"
    with pytest.raises(ClerkError) as info:
        dc.save_check(station, start, answers, marks, date(2026, 12, 2))
    assert info.value.key == "check.supply_out_of_range"
    check_id = dc.save_check(station, start, answers, marks, date(2026, 11, 27))
    stored = dc.load_check(station, check_id)
    assert stored.verdict == "rongque" and stored.supply_deadline == date(2026, 11, 27)


def test_e_licence_mark_refused_on_a_paper_only_material(station) -> None:
    start = dc.start_check(station, matter_id(station, "gtgsh"))
    answers = {"委托他人代办时": False, "经营范围涉及前置许可时": False}
    marks = full_marks(start, answers, **{"个体工商户登记（备案）申请书": "e_licence"})
    with pytest.raises(ClerkError) as info:
        dc.save_check(station, start, answers, marks)
    assert info.value.key == "check.no_e_licence"


def test_check_attaches_to_the_served_ticket(station) -> None:
    from clerk_tui.services.queue.tickets import issue_ticket

    ticket = issue_ticket(station, "A")
    start = dc.start_check(station, matter_id(station, "jzz"), ticket.id)
    assert start.ticket_id == ticket.id and start.ticket_number == ticket.number
    unknown = dc.start_check(station, matter_id(station, "jzz"), "no-such-ticket")
    assert unknown.ticket_id is None
