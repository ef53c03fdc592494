"""ID number checks: GB 11643 resident IDs, GB 32100 credit codes, masking, redaction."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_tui.services import ids

VALID_RID = "11010519491231002X"
VALID_USCC = "91110108551385082Q"


def test_known_valid_numbers() -> None:
    assert ids.id_problem(ids.RESIDENT_ID, VALID_RID) is None
    assert ids.id_problem(ids.USCC, VALID_USCC) is None
    assert ids.birth_date(VALID_RID) == date(1949, 12, 31)


def test_typing_variants_are_normalised() -> None:
    """Lower-case x, spaces and full-width digits from a Chinese input method all count."""
    assert ids.is_valid(ids.RESIDENT_ID, "110105 19491231 002x")
    assert ids.is_valid(ids.RESIDENT_ID, "１１０１０５１９４９１２３１００２Ｘ")
    assert ids.normalise(" 9111-0108 551385082q ") == VALID_USCC


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("", "ids.empty"),
        ("11010519491231002", "ids.bad_length"),
        ("110105194912310021", "ids.bad_checksum"),
        ("110105194913310028", "ids.rid_bad_date"),  # month 13
        ("110105190002290025", "ids.rid_bad_date"),  # 1900 was not a leap year
        ("11010519491231002Y", "ids.rid_bad_chars"),
        ("X10105194912310021", "ids.rid_bad_chars"),
        ("110105491231002", "ids.rid_old_15"),
    ],
)
def test_invalid_resident_ids(number: str, key: str) -> None:
    problem = ids.id_problem(ids.RESIDENT_ID, number)
    assert problem is not None and problem.key == key


def test_birth_date_in_the_future_is_refused() -> None:
    first17 = "11010520300101001"
    number = first17 + ids.resident_check_char(first17)
    assert ids.id_problem(ids.RESIDENT_ID, number, today=date(2026, 11, 24)).key == "ids.rid_future_birth"


def test_future_birth_date_says_so_in_plain_words_on_the_form() -> None:
    """The field error names the date and says it is after today, in both languages."""
    from clerk_tui.i18n import set_language
    from clerk_tui.services.cases.record import id_field_problem

    first17 = "11010520270315001"
    number = first17 + ids.resident_check_char(first17)
    try:
        set_language("zh")
        zh = id_field_problem(ids.RESIDENT_ID, number, date(2026, 12, 4))
        set_language("en")
        en = id_field_problem(ids.RESIDENT_ID, number, date(2026, 12, 4))
    finally:
        set_language("zh")
    assert zh is not None and "2027-03-15" in zh and "今天之后" in zh
    assert en is not None and "2027-03-15" in en and "after today" in en
    # The day itself is fine: a baby born today can have an ID.
    today_born = "11010520261204001"
    assert ids.id_problem(ids.RESIDENT_ID, today_born + ids.resident_check_char(today_born), date(2026, 12, 4)) is None


def test_area_code_000000_is_refused_with_a_reason() -> None:
    first17 = "00000019491231002"
    number = first17 + ids.resident_check_char(first17)  # checksum and date are right
    problem = ids.id_problem(ids.RESIDENT_ID, number, date(2026, 12, 4))
    assert problem is not None and problem.key == "ids.rid_bad_area"
    from clerk_tui.errors import ClerkError

    assert "000000" in ClerkError(problem.key, **problem.params).message()
    first17 = "00000119491231002"  # any other code is not checked (region tables go stale)
    assert ids.id_problem(ids.RESIDENT_ID, first17 + ids.resident_check_char(first17)) is None


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("91110108551385082A", "ids.bad_checksum"),
        ("9111010855138508", "ids.bad_length"),
        ("91110108551385O82Q", "ids.uscc_bad_chars"),  # letter O is not in the alphabet
        ("9111010855138I082Q", "ids.uscc_bad_chars"),
    ],
)
def test_invalid_credit_codes(code: str, key: str) -> None:
    problem = ids.id_problem(ids.USCC, code)
    assert problem is not None and problem.key == key


def test_credit_codes_beginning_with_letters_are_accepted() -> None:
    for first17 in ("N2110000MJ0000000", "Y1110000000000000", "A1110108551385082"):
        code = first17 + ids.uscc_check_char(first17)
        assert ids.is_valid(ids.USCC, code), code


def test_other_id_types_are_accepted_as_typed() -> None:
    assert ids.is_valid("passport", "E12345678")
    assert ids.is_valid("hk_macao_permit", "H1234567890")
    assert not ids.is_valid("passport", "  ")


RID_BODY = st.builds(
    lambda region, born, serial: f"{region:06d}{born:%Y%m%d}{serial:03d}",
    st.integers(110000, 659999),
    st.dates(date(1900, 1, 1), date(2025, 12, 31)),
    st.integers(0, 999),
)
USCC_BODY = st.text(alphabet=ids.USCC_ALPHABET, min_size=17, max_size=17)


@settings(max_examples=300, deadline=None)
@given(RID_BODY)
def test_generated_resident_ids_pass(body: str) -> None:
    assert ids.is_valid(ids.RESIDENT_ID, body + ids.resident_check_char(body))


@settings(max_examples=300, deadline=None)
@given(USCC_BODY)
def test_generated_credit_codes_pass(body: str) -> None:
    assert ids.is_valid(ids.USCC, body + ids.uscc_check_char(body))


@settings(max_examples=300, deadline=None)
@given(RID_BODY, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_change_breaks_a_resident_id(body: str, position: int, char: str) -> None:
    number = body + ids.resident_check_char(body)
    changed = number[:position] + char + number[position + 1 :]
    if changed != number:
        assert not ids.is_valid(ids.RESIDENT_ID, changed)


@settings(max_examples=300, deadline=None)
@given(USCC_BODY, st.integers(0, 17), st.sampled_from(ids.USCC_ALPHABET + "IOZSV"))
def test_any_single_change_breaks_a_credit_code(body: str, position: int, char: str) -> None:
    code = body + ids.uscc_check_char(body)
    changed = code[:position] + char + code[position + 1 :]
    if changed != code:
        assert not ids.is_valid(ids.USCC, changed)


def test_masking_keeps_length_and_hides_the_middle() -> None:
    assert ids.mask(VALID_RID) == "110***********002X"
    assert len(ids.mask(VALID_USCC)) == 18 and "551385" not in ids.mask(VALID_USCC)
    assert ids.mask("E1234567") == "******67"
    assert ids.mask("123") == "***"
    assert ids.mask_phone("13812345678") == "138****5678"


def test_redact_masks_numbers_in_free_text() -> None:
    text = f"IntegrityError: ('{VALID_RID}', '{VALID_USCC}', 'A001')"
    redacted = ids.redact(text)
    assert VALID_RID not in redacted and VALID_USCC not in redacted
    assert "A001" in redacted and "110***********002X" in redacted
