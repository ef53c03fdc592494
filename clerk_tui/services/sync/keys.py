"""Who may write and who may read a bundle: the station's and the centre's keys.

- A **station** has one Ed25519 signing key, made by `clerk init` (or on first need), in
  `keys/station.key` under its data folder, readable by its owner only. `clerk key show`
  prints the public key and its fingerprint; `clerk key export FILE` writes the public
  file the centre enrols. A rotation (`clerk key rotate`) makes the next key and announces
  it in the next bundles, signed by the current one; when a receipt from the centre says
  the next key is enrolled, the station signs with it from then on.
- The **centre** has a signing key and an X25519 encryption key (`clerk centre init`), in
  `keys/centre.key`; `clerk centre export-key FILE` writes the public file stations import
  once (`clerk import centre-key FILE`, its fingerprint shown to compare over the phone).
  Its registry of enrolled station keys lives in the centre database (`meta`), so it is
  backed up with it: `enrol:<public key>` → station id, status (active, retired, revoked).
- Files the centre sends back (receipts, catalog, calendar, appointments) travel with a
  detached signature `FILE.sig`, checked against the centre's key before they are used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import col

from clerk_tui.config import Settings
from clerk_tui.db import get_meta, set_meta
from clerk_tui.errors import ClerkError
from clerk_tui.files import make_private, write_private
from clerk_tui.models import Meta
from clerk_tui.services.context import Station
from clerk_tui.services.sync import crypto

STATION_KEY_FILE = "station.key"
NEXT_KEY_FILE = "station.next.key"
CENTRE_KEY_FILE = "centre.key"
CENTRE_KEYS_META = "centre_keys"  # on a station: the centre's public keys, as imported
ENROL_PREFIX = "enrol:"  # on a centre: + a station's public key (base64)
PUBLIC_FORMAT = "clerk-tui-public-key"
SIGNATURE_FORMAT = "clerk-tui-signature"
MANIFEST_CONTEXT = b"clerk-tui bundle manifest v2\x00"
FILE_CONTEXT = b"clerk-tui signed file v1\x00"
MAX_KEY_FILE = 64 * 1024


def keys_folder(settings: Settings) -> Path:
    return settings.data_dir / "keys"


# --- a station's signing key -------------------------------------------------------------


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise ClerkError("keys.file_missing", path=str(path)) from None
    except OSError as exc:
        raise ClerkError("keys.file_unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    try:
        if len(raw) > MAX_KEY_FILE:
            raise ValueError("too large")
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError) as exc:
        raise ClerkError("keys.file_bad", path=str(path), what=what, reason=str(exc)[:80]) from None
    return doc


def _write_secret(path: Path, doc: dict[str, Any]) -> None:
    write_private(path, json.dumps(doc, indent=2) + "\n", private_folder=True)


def _secret_of(path: Path, field: str) -> bytes:
    try:
        return crypto.unb64(_read_json(path, "key").get(field), 32)
    except crypto.CryptoError as exc:
        raise ClerkError("keys.file_bad", path=str(path), what="key", reason=str(exc)) from None


def station_secret(settings: Settings, *, create: bool = True) -> bytes | None:
    """The station's private signing key; made (owner-only) when there is none yet."""
    path = keys_folder(settings) / STATION_KEY_FILE
    if path.exists():
        return _secret_of(path, "secret")
    if not create:
        return None
    secret = crypto.new_signing_key()
    _write_secret(
        path, {"kind": "clerk-tui-station-key", "station_id": settings.station_id, "secret": crypto.b64(secret)}
    )
    return secret


def back_up_keys(settings: Settings, folder: Path | None = None) -> list[Path]:
    """Copy the station's key files into the backups folder (owner-only) with each backup:
    a restored station must sign as the same station. Returns the copies made."""
    import shutil

    source, target = keys_folder(settings), (folder or settings.backups_path) / "keys"
    made = []
    for name in (STATION_KEY_FILE, NEXT_KEY_FILE, CENTRE_KEY_FILE):
        if (source / name).is_file():
            target.mkdir(parents=True, exist_ok=True)
            make_private(target)
            shutil.copyfile(source / name, target / name)
            make_private(target / name)
            made.append(target / name)
    return made


def restore_keys(settings: Settings, folder: Path | None = None) -> list[Path]:
    """Bring back the key files a backup kept, where this install has none (a new PC)."""
    import shutil

    source, target = (folder or settings.backups_path) / "keys", keys_folder(settings)
    made = []
    for name in (STATION_KEY_FILE, NEXT_KEY_FILE, CENTRE_KEY_FILE):
        if (source / name).is_file() and not (target / name).exists():
            target.mkdir(parents=True, exist_ok=True)
            make_private(target)
            shutil.copyfile(source / name, target / name)
            make_private(target / name)
            made.append(target / name)
    return made


def next_secret(settings: Settings) -> bytes | None:
    """The key a rotation made, announced until the centre has enrolled it."""
    path = keys_folder(settings) / NEXT_KEY_FILE
    return _secret_of(path, "secret") if path.exists() else None


def rotate_station_key(settings: Settings) -> str:
    """Make the next key (kept until the centre enrols it); returns its fingerprint."""
    station_secret(settings)
    path = keys_folder(settings) / NEXT_KEY_FILE
    if not path.exists():
        _write_secret(
            path,
            {
                "kind": "clerk-tui-station-key",
                "station_id": settings.station_id,
                "secret": crypto.b64(crypto.new_signing_key()),
            },
        )
    secret = next_secret(settings)
    assert secret is not None
    return crypto.fingerprint(crypto.public_signing_key(secret))


def finish_rotation(settings: Settings, enrolled_public: str) -> bool:
    """The centre says `enrolled_public` is this station's key now: when it is the next
    key, sign with it from now on (the old one is kept as station.key.retired)."""
    secret = next_secret(settings)
    if secret is None or crypto.b64(crypto.public_signing_key(secret)) != enrolled_public:
        return False
    folder = keys_folder(settings)
    current = folder / STATION_KEY_FILE
    current.replace(folder / f"{STATION_KEY_FILE}.retired")
    (folder / NEXT_KEY_FILE).replace(current)
    return True


def public_file(settings: Settings) -> dict[str, Any]:
    secret = station_secret(settings)
    assert secret is not None
    public = crypto.public_signing_key(secret)
    return {
        "format": PUBLIC_FORMAT,
        "role": "station",
        "station_id": settings.station_id,
        "station_name": settings.station_name,
        "signing": crypto.b64(public),
        "fingerprint": crypto.fingerprint(public),
    }


# --- the centre's keys -------------------------------------------------------------------


@dataclass(frozen=True)
class CentreSecrets:
    signing: bytes
    box: bytes

    @property
    def public(self) -> CentrePublic:
        return CentrePublic(crypto.public_signing_key(self.signing), crypto.public_box_key(self.box))


@dataclass(frozen=True)
class CentrePublic:
    signing: bytes
    box: bytes

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.signing + self.box)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": PUBLIC_FORMAT,
            "role": "centre",
            "signing": crypto.b64(self.signing),
            "box": crypto.b64(self.box),
            "fingerprint": self.fingerprint,
        }


def centre_init(settings: Settings) -> CentreSecrets:
    """Make the centre's key pair once; an existing one is kept (never replaced by accident)."""
    path = keys_folder(settings) / CENTRE_KEY_FILE
    if not path.exists():
        _write_secret(
            path,
            {
                "kind": "clerk-tui-centre-key",
                "signing": crypto.b64(crypto.new_signing_key()),
                "box": crypto.b64(crypto.new_box_key()),
            },
        )
    found = centre_secrets(settings)
    assert found is not None
    return found


def centre_secrets(settings: Settings) -> CentreSecrets | None:
    path = keys_folder(settings) / CENTRE_KEY_FILE
    if not path.exists():
        return None
    return CentreSecrets(_secret_of(path, "signing"), _secret_of(path, "box"))


def require_centre(settings: Settings) -> CentreSecrets:
    found = centre_secrets(settings)
    if found is None:
        raise ClerkError("keys.no_centre_keys", folder=str(keys_folder(settings)))
    return found


def read_public_file(path: Path, role: str) -> dict[str, Any]:
    """A public key file of a station or the centre, checked."""
    doc = _read_json(path, "public key")
    if doc.get("format") != PUBLIC_FORMAT or doc.get("role") != role:
        raise ClerkError("keys.file_bad", path=str(path), what="public key", reason=f"not a {role} key file")
    try:
        crypto.unb64(doc.get("signing"), 32)
        if role == "centre":
            crypto.unb64(doc.get("box"), 32)
    except crypto.CryptoError as exc:
        raise ClerkError("keys.file_bad", path=str(path), what="public key", reason=str(exc)) from None
    if role == "station":
        station = doc.get("station_id")
        if not isinstance(station, str) or not station.strip() or len(station) > 64:
            raise ClerkError("keys.file_bad", path=str(path), what="public key", reason="station_id")
    return doc


def import_centre_key(station: Station, path: Path) -> CentrePublic:
    doc = read_public_file(path, "centre")
    public = CentrePublic(crypto.unb64(doc["signing"], 32), crypto.unb64(doc["box"], 32))
    with station.write() as session:
        set_meta(session.connection(), CENTRE_KEYS_META, json.dumps(public.as_json()))
    return public


def centre_public(conn: Connection) -> CentrePublic | None:
    """On a station: the centre's keys as imported (None: not yet)."""
    raw = get_meta(conn, CENTRE_KEYS_META)
    if raw is None:
        return None
    doc = json.loads(raw)
    return CentrePublic(crypto.unb64(doc["signing"], 32), crypto.unb64(doc["box"], 32))


# --- the centre's registry of station keys ------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    public: str  # base64
    station_id: str
    status: str  # active / retired / revoked
    at: str

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(crypto.unb64(self.public))


def enrolment(conn: Connection, public: str) -> Enrolment | None:
    raw = get_meta(conn, ENROL_PREFIX + public)
    if raw is None:
        return None
    doc = json.loads(raw)
    return Enrolment(public, doc["station_id"], doc["status"], doc.get("at", ""))


def enrolments(conn: Connection) -> list[Enrolment]:
    rows = conn.execute(select(col(Meta.key)).where(col(Meta.key).startswith(ENROL_PREFIX))).scalars().all()
    found = [enrolment(conn, key[len(ENROL_PREFIX) :]) for key in rows]
    return sorted((e for e in found if e is not None), key=lambda e: (e.station_id, e.at))


def set_enrolment(conn: Connection, public: str, station_id: str, status: str, now: datetime) -> Enrolment:
    doc = {"station_id": station_id, "status": status, "at": now.isoformat(timespec="seconds")}
    set_meta(conn, ENROL_PREFIX + public, json.dumps(doc, ensure_ascii=False))
    return Enrolment(public, station_id, status, doc["at"])


def enrol(centre: Station, path: Path) -> Enrolment:
    """Enrol a station's public key file; a station already enrolled with another active
    key is refused (a rotation goes through a bundle signed by the old key)."""
    doc = read_public_file(path, "station")
    public, station_id = str(doc["signing"]), str(doc["station_id"]).strip()
    with centre.write() as session:
        conn = session.connection()
        known = enrolment(conn, public)
        if known is not None and known.station_id != station_id:
            raise ClerkError("keys.key_of_other_station", fingerprint=known.fingerprint, station=known.station_id)
        if known is not None and known.status == "revoked":
            raise ClerkError("keys.key_revoked", fingerprint=known.fingerprint, station=station_id)
        for other in enrolments(conn):
            if other.station_id == station_id and other.status == "active" and other.public != public:
                raise ClerkError("keys.station_has_key", station=station_id, fingerprint=other.fingerprint)
        return set_enrolment(conn, public, station_id, "active", centre.clock.now())


def revoke(centre: Station, who: str) -> list[Enrolment]:
    """Revoke a station's keys (by station id) or one key (by fingerprint): nothing signed
    by them is merged from now on."""
    with centre.write() as session:
        conn = session.connection()
        chosen = [e for e in enrolments(conn) if e.station_id == who or e.fingerprint == who.upper()]
        if not chosen:
            raise ClerkError("keys.not_enrolled", who=who)
        return [set_enrolment(conn, e.public, e.station_id, "revoked", centre.clock.now()) for e in chosen]


# --- detached signatures on files -----------------------------------------------------------


def _file_digest(path: Path) -> bytes:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.digest()


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def sign_file(secret: bytes, path: Path) -> Path:
    """Write `FILE.sig`: the signer's public key and its signature of the file's SHA-256."""
    signature = crypto.sign(secret, FILE_CONTEXT + _file_digest(path))
    doc = {
        "format": SIGNATURE_FORMAT,
        "file": path.name,
        "signer": crypto.b64(crypto.public_signing_key(secret)),
        "signature": crypto.b64(signature),
    }
    target = signature_path(path)
    target.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return target


def verify_file(path: Path, trusted: bytes) -> None:
    """`ClerkError` unless `FILE.sig` is `trusted`'s signature of exactly this file."""
    sig_path = signature_path(path)
    if not sig_path.is_file():
        raise ClerkError("keys.unsigned_file", path=path.name)
    doc = _read_json(sig_path, "signature")
    try:
        signer = crypto.unb64(doc.get("signer"), 32)
        signature = crypto.unb64(doc.get("signature"), 64)
    except crypto.CryptoError:
        raise ClerkError("keys.bad_file_signature", path=path.name) from None
    if doc.get("format") != SIGNATURE_FORMAT or signer != trusted:
        raise ClerkError("keys.foreign_file_signature", path=path.name, fingerprint=crypto.fingerprint(signer))
    try:
        crypto.verify(trusted, FILE_CONTEXT + _file_digest(path), signature)
    except crypto.CryptoError:
        raise ClerkError("keys.bad_file_signature", path=path.name) from None


def check_update(station: Station, path: Path) -> None:
    """A catalog, calendar or appointment file for this station: signed by the centre whose
    key the station imported, unless `[sync] unsigned_updates` allows unsigned ones."""
    if station.settings.sync.unsigned_updates or not path.is_file():
        return  # a missing file is the importer's to name
    with station.engine.connect() as conn:
        centre = centre_public(conn)
    if centre is None:
        raise ClerkError("keys.no_centre_key")
    verify_file(path, centre.signing)
