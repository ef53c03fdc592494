"""Every case form field with any text: the case service answers with a CaseInvalid naming
the field (or saves the case), never crashes, and a refused draft writes nothing."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from clerk_tui.errors import ClerkError
from clerk_tui.models.case import ASSISTANCE, OUTCOMES
from clerk_tui.services import ids
from clerk_tui.services.cases.record import (
    APPLICANT_KINDS,
    CaseDraft,
    CaseInvalid,
    id_field_problem,
    save_case,
    validate,
)
from clerk_tui.services.context import Station
from clerk_tui.services.station.calendar import package_calendar
from tests.case_factory import VALID_RID, VALID_USCC, matter

TODAY = date(2026, 11, 24)
# Any text, including controls, NULs, lone surrogates a terminal's decoder might pass on,
# and the almost-right numbers a clerk really types.
any_text = (
    st.text(max_size=40)
    | st.text(st.characters(codec="utf-8"), max_size=20)
    | st.sampled_from(
        [
            "",
            " ",
            VALID_RID,
            VALID_USCC,
            VALID_RID.lower(),
            "１１０１０５１９４９１２３１００２Ｘ",
            "110105 1949 1231 002X",
            "13812345678",
            "+86 138-1234-5678",
            "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",
            "𐩀" * 18,
            "①" * 18,
            "x" * 5000,
            "\x00",
            "王小明",
            "𠮷野家",
        ]
    )
)
ID_NUMBERS = any_text | st.text(alphabet="0123456789Xx-  ", min_size=15, max_size=20)


def fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck))


def _snapshot(station: Station) -> tuple:
    """Cases, audit entries, ratings, follow-ups and the change counter, on either store."""
    with station.engine.connect() as conn:
        return (
            *tuple(
                conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("service_case", "audit_entry", "rating", "follow_up")
            ),
            conn.execute(text("SELECT value FROM counter WHERE name = 'change_seq'")).scalar_one(),
        )


@fuzz(2500)
@given(id_type=st.sampled_from(ids.ID_TYPES) | st.text(max_size=8), value=ID_NUMBERS)
def test_id_numbers(id_type: str, value: str) -> None:
    problem = ids.id_problem(id_type, value, TODAY)
    if problem is not None:
        assert ClerkError(problem.key, **problem.params).message()
        assert id_field_problem(id_type, value, TODAY)
    ids.mask(value), ids.mask_phone(value), ids.redact(value), ids.normalise(value)


@fuzz(1500)
@given(data=st.data())
def test_case_drafts_with_anything_in_every_field(station, data: st.DataObject) -> None:
    draw = data.draw
    matter_id = matter(station).id
    draft = CaseDraft(
        matter_id=draw(st.sampled_from([matter_id, matter_id, "", "no-such-matter"]) | any_text),
        outcome=draw(st.sampled_from(OUTCOMES) | any_text),
        applicant_kind=draw(st.sampled_from(APPLICANT_KINDS) | any_text),
        applicant_name=draw(any_text),
        id_type=draw(st.sampled_from(ids.ID_TYPES) | any_text),
        id_number=draw(ID_NUMBERS),
        phone=draw(any_text),
        agent_name=draw(st.just("") | any_text),
        agent_id_type=draw(st.sampled_from(ids.ID_TYPES) | any_text),
        agent_id_number=draw(st.just("") | ID_NUMBERS),
        agent_phone=draw(st.just("") | any_text),
        ticket_id=draw(st.none() | any_text),
        check_id=draw(st.none() | any_text),
        assistance=draw(st.sampled_from(ASSISTANCE) | any_text),
        notes=draw(any_text),
        supply_deadline=draw(st.none() | st.dates()),
        promised_deadline=draw(st.none() | st.dates()),
        refusal_reason=draw(any_text),
        forwarded_to=draw(any_text),
        received_at=draw(st.none() | st.datetimes(max_value=datetime(2100, 1, 1))),
    )
    before = _snapshot(station)
    try:
        validate(station, draft, package_calendar())
    except CaseInvalid as exc:
        assert exc.field and exc.message()
    except ClerkError as exc:
        assert exc.message()
    try:
        case = save_case(station, draft, package_calendar())
    except CaseInvalid as exc:
        assert exc.field and exc.message()
        assert _snapshot(station) == before, "a refused draft wrote to the database"
        return
    except ClerkError as exc:
        assert exc.message()
        assert _snapshot(station) == before
        return
    assert case.case_no and _snapshot(station)[0] == before[0] + 1


def test_digits_of_other_scripts_are_not_resident_id_digits() -> None:
    arabic_indic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"  # 11010519491231002X in Arabic-Indic digits: NFKC keeps them
    kharosthi = "𐩀" * 6 + "19491231" + "𐩀" * 3 + "X"  # str.isdigit() is True, int() refuses them
    for value in (arabic_indic, kharosthi, "١" * 15):
        problem = ids.id_problem(ids.RESIDENT_ID, value, TODAY)
        assert problem is not None and problem.key in ("ids.rid_bad_chars", "ids.bad_length")
