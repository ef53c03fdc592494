"""Keeping personal numbers out of sight: masks for the screen, redaction for logs.

A leaf module (no imports from the rest of the program), so the storage layer's log
filter can use it without reaching up into the domain (`services.ids` re-exports it).
"""

from __future__ import annotations

import re


def mask(value: str) -> str:
    """`110***********002X`: the length stays, the middle (birth date, serial) goes.

    Short numbers keep less, so a mask never shows most of a number.
    """
    value = value or ""
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) >= 6:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def mask_phone(value: str) -> str:
    """`138****5678`: enough to confirm with the applicant, not enough to call."""
    value = value or ""
    if len(value) < 7:
        return mask(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Anything that looks like one of the 18-character numbers above, or a phone number.
_LOOKS_LIKE_ID = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{15,18})(?![0-9A-Z])", re.IGNORECASE)


# A password in a database URL (`postgresql://user:secret@host/db`, as typed after --db) or
# in a libpq connection string (`password=secret`).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)(\S+)(@)", re.IGNORECASE)
_CONNINFO_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def redact(text: str) -> str:
    """Mask every ID-like run of characters in free text (error messages bound for logs),
    and every password of a database URL or connection string."""

    def one(match: re.Match[str]) -> str:
        token = match.group(1)
        if sum(c.isdigit() for c in token) >= 8:
            return mask(token)
        return token

    text = _URL_PASSWORD.sub(r"\1***\3", text)
    text = _CONNINFO_PASSWORD.sub(r"\1***", text)
    return _LOOKS_LIKE_ID.sub(one, text)
