"""The clerk's PIN for the idle lock, kept as a scrypt hash in the station database."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlmodel import Session

from clerk_tui.db import get_meta, set_meta
from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station

META_KEY = "lock_pin"
# When the PIN was last reset without the old one (`clerk pin --reset`), until the app has
# said so once at its next start; "" once said.
RESET_KEY = "lock_pin_reset"
# scrypt cost: ~50 ms on an old hall PC, slow enough to make guessing a 6-digit PIN from a
# copied database take days, fast enough that unlocking feels immediate.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 4


def _hash(pin: str, salt: bytes, n: int = N, r: int = R, p: int = P) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def check_new_pin(pin: str) -> None:
    """A PIN is digits only (a numeric keypad works), at least MIN_LENGTH of them."""
    if len(pin) < MIN_LENGTH or not pin.isdigit():
        raise ClerkError("pin.too_short", n=MIN_LENGTH)


def _store(session: Session, pin: str) -> None:
    salt = secrets.token_bytes(16)
    set_meta(session.connection(), META_KEY, f"scrypt${N}${R}${P}${salt.hex()}${_hash(pin, salt).hex()}")


def set_pin(station: Station, pin: str) -> None:
    """Set the PIN whatever it was: for a station without one (and for tests); a PIN that
    exists is changed with `change_pin` (the old one) or `reset_pin` (recorded)."""
    check_new_pin(pin)
    with station.write() as session:
        _store(session, pin)


def has_pin(station: Station) -> bool:
    with station.read() as session:
        return get_meta(session.connection(), META_KEY) is not None


def check_pin(station: Station, pin: str) -> bool:
    with station.read() as session:
        stored = get_meta(session.connection(), META_KEY)
    if stored is None:
        return False
    try:
        _, n, r, p, salt, digest = stored.split("$")
        actual = _hash(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, bytes.fromhex(digest))


def change_pin(station: Station, old: str | None, new: str) -> None:
    """Set the PIN; once one exists, only with the old one (a passer-by must not replace it)."""
    if has_pin(station) and not check_pin(station, old or ""):
        raise ClerkError("pin.wrong_old")
    set_pin(station, new)


def reset_pin(station: Station, new: str) -> None:
    """Set the PIN without the old one (a clerk who forgot it): written to the audit trail,
    and said once at the app's next start (`take_reset_notice`), so a PIN replaced behind
    the clerk's back does not go unnoticed."""
    # The trail's table is defined with the case tables: the lock screen, which imports
    # this module at start, does not need them until a reset.
    from clerk_tui.services import audit

    check_new_pin(new)
    now = station.clock.now()
    with station.write() as session:
        had_pin = get_meta(session.connection(), META_KEY) is not None
        _store(session, new)
        if had_pin:
            audit.record(session, station, "station", station.settings.station_id, "pin_reset", at=now)
            set_meta(session.connection(), RESET_KEY, now.isoformat(sep=" ", timespec="seconds"))


def take_reset_notice(station: Station) -> datetime | None:
    """When the PIN was reset without the old one, if the app has not said so yet; it is
    marked said here (read first: the usual start writes nothing)."""
    with station.read() as session:
        pending = get_meta(session.connection(), RESET_KEY)
    if not pending:
        return None
    with station.write() as session:
        set_meta(session.connection(), RESET_KEY, "")
    try:
        return datetime.fromisoformat(pending)
    except ValueError:
        return station.clock.now()
