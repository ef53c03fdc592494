"""Receipts: the centre's answer to a station's bundles (format `clerk-tui-sync-receipt`).

A receipt names the station, and per merged bundle its number, the bundle file's SHA-256
and the change-sequence range it carried, plus every record version the centre did not
take (conflicts). That is enough for the station to know exactly which records the
centre has: a record whose change sequence lies in an acknowledged bundle's range is
unchanged since that bundle (change sequences only grow), unless it is listed as not
applied. The compact form keeps a receipt small for 100k records.

The receipt carries a SHA-256 of its own body, so a damaged file is refused, and
importing it twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from clerk_tui.errors import ClerkError
from clerk_tui.files import fsync_folder
from clerk_tui.models import SyncExport, SyncRejected
from clerk_tui.services.context import Station
from clerk_tui.services.sync import keys
from clerk_tui.services.sync.bundle import MAX_INTEGER, SYNC_TABLES
from clerk_tui.services.sync.merge import BundleMerge

FORMAT = "clerk-tui-sync-receipt"
FORMAT_VERSION = 1
MAX_RECEIPT_BYTES = 64 << 20


def _body_hash(body: dict[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_receipt(
    station_id: str,
    merges: list[BundleMerge],
    missing: list[int],
    centre: str,
    now: datetime,
    station_keys: list[str] | None = None,
) -> dict[str, Any]:
    bundles = []
    not_applied = []
    for merge in sorted(merges, key=lambda m: m.bundle.manifest.bundle_seq if m.bundle else 0):
        assert merge.ok and merge.bundle is not None
        m = merge.bundle.manifest
        bundles.append(
            {
                "bundle_seq": m.bundle_seq,
                "sha256": merge.bundle.sha256,
                "file_name": merge.path.name,
                "change_seq": {"from": m.seq_from, "to": m.seq_to},
                "full": m.full,
                "records": m.records,
                "counts": {t: c.as_dict() for t, c in merge.counts.items()},
            }
        )
        not_applied += [
            {
                "bundle_seq": m.bundle_seq,
                "table": c.table,
                "id": c.record_id,
                "version": c.version,
                "reason": "conflict",
            }
            for c in merge.conflicts
        ]
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "station_id": station_id,
        "centre": centre,
        "created_at": now.isoformat(),
        "bundles": bundles,
        "not_applied": not_applied,
        "missing_seqs": missing,
        # The station's keys the centre has enrolled: a station rotating its key switches to
        # the new one when it is listed here.
        "station_keys": station_keys or [],
    }
    return {**body, "sha256": _body_hash(body)}


def receipt_name(station_id: str, receipt: dict[str, Any], now: datetime) -> str:
    safe = re.sub(r"[^0-9A-Za-z_.-]+", "_", station_id).strip("._") or "station"
    seqs = [b["bundle_seq"] for b in receipt["bundles"]]
    return f"clerk-receipt-{safe}-{min(seqs):06d}-{max(seqs):06d}-{now:%Y%m%d-%H%M%S}.json"


def write_receipt(folder: Path, receipt: dict[str, Any], now: datetime) -> Path:
    """Write a receipt durably (temporary name, fsync, rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / receipt_name(receipt["station_id"], receipt, now)
    tmp = folder / f".{path.name}.partial"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(receipt, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ClerkError("receipt.write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
    fsync_folder(folder)
    return path


# --- the station side ------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptBundle:
    bundle_seq: int
    sha256: str
    seq_from: int
    seq_to: int


@dataclass
class ReceiptReport:
    acknowledged: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)  # numbers this station never recorded
    mismatched: list[int] = field(default_factory=list)  # the centre merged another file with this number
    not_applied: int = 0
    missing_seqs: list[int] = field(default_factory=list)
    key_rotated: bool = False  # the centre enrolled the rotated key: it signs from now on


def _bad(path: Path, problem: str) -> ClerkError:
    return ClerkError("receipt.invalid", path=str(path), problem=problem)


def read_receipt(path: Path) -> dict[str, Any]:
    """Read and check a receipt file whole; nothing is stored."""
    try:
        if path.stat().st_size > MAX_RECEIPT_BYTES:
            raise _bad(path, "size")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, too deep, a 5000-digit number
        raise _bad(path, "JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(path, f"format != {FORMAT}")
    if not isinstance(doc.get("format_version"), int) or doc["format_version"] > FORMAT_VERSION:
        raise _bad(path, "format_version")
    body = {k: v for k, v in doc.items() if k != "sha256"}
    if doc.get("sha256") != _body_hash(body):
        raise ClerkError("receipt.damaged", path=str(path))

    def whole(value: Any, minimum: int = 0) -> bool:
        # At most SQLite's largest INTEGER: a larger number would crash the import, not be refused.
        return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= MAX_INTEGER

    for name in ("not_applied", "missing_seqs"):
        if not isinstance(doc.get(name) or [], list):
            raise _bad(path, name)

    if not isinstance(doc.get("station_id"), str) or not isinstance(doc.get("bundles"), list):
        raise _bad(path, "station_id/bundles")
    for i, b in enumerate(doc["bundles"]):
        change = b.get("change_seq") if isinstance(b, dict) else None
        if not (
            isinstance(b, dict)
            and whole(b.get("bundle_seq"), 1)
            and isinstance(b.get("sha256"), str)
            and isinstance(change, dict)
            and whole(change.get("from"))
            and whole(change.get("to"))
        ):
            raise _bad(path, f"bundles[{i}]")
    for i, r in enumerate(doc.get("not_applied") or []):
        if not (
            isinstance(r, dict)
            and r.get("table") in SYNC_TABLES
            and isinstance(r.get("id"), str)
            and whole(r.get("version"))
            and whole(r.get("bundle_seq"), 1)
        ):
            raise _bad(path, f"not_applied[{i}]")
    if not all(whole(n, 1) for n in doc.get("missing_seqs") or []):
        raise _bad(path, "missing_seqs")
    return doc


def import_receipt(station: Station, path: Path) -> ReceiptReport:
    """Mark what the centre confirmed, in one transaction; importing it again changes nothing.

    Only a receipt signed by the centre whose key this station imported (`RECEIPT.sig`): a
    receipt forged from the bundle on the stick would mark data never merged as received.
    """
    with station.engine.connect() as conn:
        centre = keys.centre_public(conn)
    if centre is None:
        raise ClerkError("keys.no_centre_key")
    keys.verify_file(path, centre.signing)
    doc = read_receipt(path)
    if doc["station_id"] != station.settings.station_id:
        raise ClerkError("receipt.other_station", found=doc["station_id"], expected=station.settings.station_id)
    report = ReceiptReport(missing_seqs=list(doc.get("missing_seqs") or []))
    now = station.clock.now()
    with station.write() as session:
        accepted: set[int] = set()
        for b in doc["bundles"]:
            export = session.exec(select(SyncExport).where(col(SyncExport.bundle_seq) == b["bundle_seq"])).one_or_none()
            if export is None:
                report.unknown.append(b["bundle_seq"])
            elif export.sha256 != b["sha256"] or (export.seq_from, export.seq_to) != (
                b["change_seq"]["from"],
                b["change_seq"]["to"],
            ):
                report.mismatched.append(b["bundle_seq"])
            elif export.acknowledged_at is not None:
                report.already.append(b["bundle_seq"])
                accepted.add(b["bundle_seq"])
            else:
                export.acknowledged_at = now
                export.receipt_name = path.name
                report.acknowledged.append(b["bundle_seq"])
                accepted.add(b["bundle_seq"])
        for r in doc.get("not_applied") or []:
            if r["bundle_seq"] not in accepted:
                continue
            report.not_applied += 1
            found = session.exec(
                select(col(SyncRejected.id)).where(
                    col(SyncRejected.table_name) == r["table"],
                    col(SyncRejected.record_id) == r["id"],
                    col(SyncRejected.record_version) == r["version"],
                )
            ).first()
            if found is None:
                session.add(
                    SyncRejected(
                        bundle_seq=r["bundle_seq"],
                        table_name=r["table"],
                        record_id=r["id"][:36],
                        record_version=r["version"],
                        reason=str(r.get("reason") or "conflict")[:16],
                        received_at=now,
                    )
                )
    enrolled = doc.get("station_keys") or []
    if isinstance(enrolled, list):
        report.key_rotated = any(isinstance(k, str) and keys.finish_rotation(station.settings, k) for k in enrolled)
    return report


def write_receipts(
    merges: list[BundleMerge],
    missing: dict[str, list[int]],
    folder: Path | None,
    centre: str,
    now: datetime,
    secrets: keys.CentreSecrets | None = None,
    station_keys: dict[str, list[str]] | None = None,
) -> list[Path]:
    """One receipt per station for the bundles merged; next to its bundles unless a folder is
    given; each signed with the centre's key (`RECEIPT.sig` beside it)."""
    by_station: dict[str, list[BundleMerge]] = {}
    for merge in merges:
        if merge.ok and merge.bundle is not None:
            by_station.setdefault(merge.bundle.manifest.station_id, []).append(merge)
    written = []
    for station_id, group in sorted(by_station.items()):
        enrolled = (station_keys or {}).get(station_id, [])
        receipt = build_receipt(station_id, group, missing.get(station_id, []), centre, now, enrolled)
        path = write_receipt(folder or group[0].path.parent, receipt, now)
        if secrets is not None:
            try:
                keys.sign_file(secrets.signing, path)
            except OSError as exc:
                raise ClerkError("receipt.write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
        written.append(path)
    return written
