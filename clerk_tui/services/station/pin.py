"""The clerk's PIN for the idle lock, kept as a scrypt hash in the station database."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from clerk_tui.db import get_meta, set_meta
from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station

META_KEY = "lock_pin"
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


def set_pin(station: Station, pin: str) -> None:
    check_new_pin(pin)
    salt = secrets.token_bytes(16)
    value = f"scrypt${N}${R}${P}${salt.hex()}${_hash(pin, salt).hex()}"
    with station.write() as session:
        set_meta(session.connection(), META_KEY, value)


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
