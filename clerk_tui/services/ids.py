"""Identity numbers: checking them, normalising them, and keeping them out of sight.

- Resident ID (居民身份证, GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check
  character, digits 7–14 a real birth date not in the future, and an area code (digits
  1–6) that is not 000000.
- Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters from a
  31-character alphabet, MOD 31 check character. Codes may begin with letters (N…, Y…).
- Other ID types (passports, permits) are accepted as typed: their formats vary.

Offline, only the checksum, the date and the impossible area 000000 are checked: region
code tables go stale.
Numbers are personal data: screens show `mask()`ed values unless the clerk reveals one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from clerk_tui.redaction import mask as mask
from clerk_tui.redaction import mask_phone as mask_phone
from clerk_tui.redaction import redact as redact

RESIDENT_ID = "resident_id"
USCC = "uscc"
# Person and organisation ID types, in the order a form offers them.
PERSON_ID_TYPES = (RESIDENT_ID, "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent", "other")
ORG_ID_TYPES = (USCC, "other")
ID_TYPES = tuple(dict.fromkeys(PERSON_ID_TYPES + ORG_ID_TYPES))

_RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RID_CHECK = "10X98765432"
_DIGITS = "0123456789"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class IdProblem:
    """What is wrong with a number: a translation key (`ids.*`) and its parameters."""

    key: str
    params: dict[str, object]


def normalise(value: str) -> str:
    """Full-width to half-width, no spaces or dashes, upper case: how numbers are stored."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", value).upper()


def resident_check_char(first17: str) -> str:
    return _RID_CHECK[sum(int(c) * w for c, w in zip(first17, _RID_WEIGHTS, strict=False)) % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def resident_id_problem(value: str, today: date | None = None) -> IdProblem | None:
    number = normalise(value)
    # ASCII digits only: str.isdigit() also takes Arabic-Indic digits (stored as such, wrongly
    # "valid") and Kharosthi ones (int() refuses them, a crash), neither of which NFKC folds.
    if len(number) == 15 and all(c in _DIGITS for c in number):
        return IdProblem("ids.rid_old_15", {})
    if len(number) != 18:
        return IdProblem("ids.bad_length", {"expected": 18, "found": len(number)})
    bad = [c for c in number[:17] if c not in _DIGITS]
    if bad or number[17] not in _DIGITS + "X":
        return IdProblem("ids.rid_bad_chars", {})
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdProblem("ids.rid_bad_date", {"digits": number[6:14]})
    if born.year < 1900:
        return IdProblem("ids.rid_bad_date", {"digits": number[6:14]})
    if today is not None and born > today:
        return IdProblem("ids.rid_future_birth", {"date": born.isoformat()})
    if number[:6] == "000000":
        # No region has code 000000 (GB/T 2260); it is what a test card or a reader
        # fault produces. Other codes are not checked: the region tables go stale.
        return IdProblem("ids.rid_bad_area", {"code": number[:6]})
    if resident_check_char(number[:17]) != number[17]:
        return IdProblem("ids.bad_checksum", {})
    return None


def uscc_problem(value: str) -> IdProblem | None:
    code = normalise(value)
    if len(code) != 18:
        return IdProblem("ids.bad_length", {"expected": 18, "found": len(code)})
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        return IdProblem("ids.uscc_bad_chars", {"chars": "".join(bad)})
    if uscc_check_char(code[:17]) != code[17]:
        return IdProblem("ids.bad_checksum", {})
    return None


def id_problem(id_type: str, value: str, today: date | None = None) -> IdProblem | None:
    """What is wrong with `value` as an ID of `id_type`; None when it is acceptable."""
    if id_type not in ID_TYPES:
        return IdProblem("ids.unknown_type", {"id_type": id_type})
    if not normalise(value):
        return IdProblem("ids.empty", {})
    if id_type == RESIDENT_ID:
        return resident_id_problem(value, today)
    if id_type == USCC:
        return uscc_problem(value)
    if len(normalise(value)) > 64:
        return IdProblem("ids.too_long", {"max": 64})
    return None


def is_valid(id_type: str, value: str, today: date | None = None) -> bool:
    return id_problem(id_type, value, today) is None


def birth_date(resident_id: str) -> date | None:
    number = normalise(resident_id)
    if resident_id_problem(number) is not None:
        return None
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
