"""The centre trusts nothing unsigned: who signed a bundle, for which station, and what may
be written from it.

Before a single record is used, `check_bundle` refuses the bundle whole, with one line
each, when it is unsigned; signed by a key that is not enrolled, or revoked, or retired by a
rotation; signed by a key enrolled for another station than the one it names; when the
signature does not cover its manifest (which covers every member's hash); when it is not
encrypted and the centre does not accept that; when it is encrypted to another centre; and
when it replays a bundle number of its station that was merged with other content. It
then opens the bundle's sealed data key with the centre's private key.

While records are applied, `Ownership` refuses the bundle whole when a record belongs to
another station: a record naming another station, one that would overwrite another
station's record, or a child (a check item, notice, rating, follow-up) of another
station's check or case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import col

from clerk_tui.services.sync import crypto, keys
from clerk_tui.services.sync.bundle import MANIFEST, SIGNATURE, Bundle, BundleError, data_member
from clerk_tui.services.sync.keys import CentreSecrets
from clerk_tui.services.sync.wire import model_table

# A child table's columns naming its parent records, for the tables that have no station
# (a notice belongs to a check, or to a case recorded without one).
PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "check_item": (("check_id", "document_check"),),
    "notice": (("check_id", "document_check"), ("case_id", "service_case")),
    "rating": (("case_id", "service_case"),),
    "follow_up": (("case_id", "service_case"),),
}


def check_bundle(conn: Connection, bundle: Bundle, centre: CentreSecrets, accept_unencrypted: bool) -> None:
    """Refuse an untrusted bundle (`BundleError`); open its data key when encrypted."""
    m = bundle.manifest
    if not bundle.signature or not m.signer:
        raise BundleError("sync.unsigned", SIGNATURE, station=m.station_id)
    try:
        public = crypto.unb64(m.signer, 32)
        signature = crypto.unb64(bundle.signature.decode("ascii", "replace").strip(), 64)
    except crypto.CryptoError:
        raise BundleError("sync.bad_signature", SIGNATURE) from None
    fingerprint = crypto.fingerprint(public)
    enrolled = keys.enrolment(conn, m.signer)
    if enrolled is None:
        raise BundleError("sync.signer_unknown", SIGNATURE, fingerprint=fingerprint, station=m.station_id)
    if enrolled.status != "active":
        raise BundleError(
            f"sync.signer_{enrolled.status}", SIGNATURE, fingerprint=fingerprint, station=enrolled.station_id
        )
    if enrolled.station_id != m.station_id:
        raise BundleError(
            "sync.signer_other_station",
            SIGNATURE,
            fingerprint=fingerprint,
            station=m.station_id,
            enrolled=enrolled.station_id,
        )
    try:
        crypto.verify(public, keys.MANIFEST_CONTEXT + bundle.manifest_bytes, signature)
    except crypto.CryptoError:
        raise BundleError("sync.bad_signature", SIGNATURE) from None
    _check_replay(conn, bundle)
    if m.encryption is None:
        if not accept_unencrypted:
            raise BundleError("sync.not_encrypted", MANIFEST, station=m.station_id)
        return
    if m.encryption.get("scheme") != crypto.SCHEME:
        raise BundleError("sync.bad_manifest", MANIFEST, problem="encryption.scheme")
    if m.encryption.get("recipient") != centre.public.fingerprint:
        raise BundleError("sync.other_centre", MANIFEST, fingerprint=str(m.encryption.get("recipient"))[:40])
    try:
        bundle.data_key = crypto.open_key(centre.box, crypto.unb64(m.encryption.get("key")))
    except crypto.CryptoError:
        raise BundleError("sync.decrypt_failed", MANIFEST) from None


def _check_replay(conn: Connection, bundle: Bundle) -> None:
    from clerk_tui.models import SyncMerge

    m = bundle.manifest
    merged = conn.execute(
        select(col(SyncMerge.bundle_sha256)).where(
            col(SyncMerge.station_id) == m.station_id, col(SyncMerge.bundle_seq) == m.bundle_seq
        )
    ).scalars()
    if any(sha != bundle.sha256 for sha in merged):
        raise BundleError("sync.replayed_seq", MANIFEST, station=m.station_id, seq=m.bundle_seq)


def after_merge(conn: Connection, bundle: Bundle, now: Any) -> str | None:
    """Key changes a merged bundle makes. One announcing the station's next key (a rotation,
    signed by the current one) enrols it beside the current key; the first bundle signed by
    the next key retires the others. Returns the next key's fingerprint when newly enrolled."""
    m = bundle.manifest
    for other in keys.enrolments(conn):
        if other.station_id == m.station_id and other.status == "active" and other.public not in (m.signer, m.next_key):
            keys.set_enrolment(conn, other.public, other.station_id, "retired", now)
    if not m.next_key or m.next_key == m.signer:
        return None
    try:
        crypto.unb64(m.next_key, 32)
    except crypto.CryptoError:
        raise BundleError("sync.bad_manifest", MANIFEST, problem="next_key") from None
    known = keys.enrolment(conn, m.next_key)
    if known is not None and known.station_id != m.station_id:
        raise BundleError(
            "sync.signer_other_station",
            MANIFEST,
            fingerprint=known.fingerprint,
            station=m.station_id,
            enrolled=known.station_id,
        )
    if known is not None:
        return None
    keys.set_enrolment(conn, m.next_key, m.station_id, "active", now)
    return crypto.fingerprint(crypto.unb64(m.next_key))


class Ownership:
    """Records of one bundle may only be its own station's."""

    def __init__(self, conn: Connection, station_id: str) -> None:
        self.conn = conn
        self.station_id = station_id
        self.own: dict[str, set[str]] = {"document_check": set(), "service_case": set()}

    def check(self, table: str, batch: list[dict[str, Any]], existing: dict[str, dict[str, Any]]) -> None:
        member = data_member(table)
        model = model_table(table)
        if "station_id" in model.c:
            for record in batch:
                if record.get("station_id") != self.station_id:
                    self._refuse(member, record, str(record.get("station_id")))
            self._existing_stations(table, member, batch)
            if table in self.own:
                self.own[table].update(r["id"] for r in batch)
            return
        for column, parent in PARENTS[table]:
            wanted = {r[column] for r in batch if r.get(column)} | {
                old[column] for old in existing.values() if old.get(column)
            }
            stations = self._stations_of(parent, wanted - self.own[parent])
            for record in batch:
                for parent_id in (record.get(column), existing.get(record["id"], {}).get(column)):
                    owner = stations.get(parent_id) if parent_id else None
                    if owner is not None and owner != self.station_id:
                        self._refuse(member, record, owner)

    def _existing_stations(self, table: str, member: str, batch: list[dict[str, Any]]) -> None:
        stations = self._stations_of(table, {r["id"] for r in batch})
        for record in batch:
            owner = stations.get(record["id"])
            if owner is not None and owner != self.station_id:
                self._refuse(member, record, owner)

    def _stations_of(self, table: str, ids: Iterable[str]) -> dict[str, str]:
        chosen = list(ids)
        if not chosen:
            return {}
        model = model_table(table)
        rows = self.conn.execute(select(model.c.id, model.c.station_id).where(model.c.id.in_(chosen)))
        return {r[0]: r[1] for r in rows}

    def _refuse(self, member: str, record: dict[str, Any], owner: str) -> None:
        raise BundleError(
            "sync.foreign_record", member, id=str(record.get("id"))[:36], owner=owner[:64], station=self.station_id
        )
