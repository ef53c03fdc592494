"""The centre's side: merging verified station bundles into a centre database.

A centre database is a clerk-tui database (same schema); merged records keep the ids,
versions and times they were given on the station, and get the centre's own change
sequence. Each bundle is checked whole (`verify_bundle`) before anything is written, then
applied in one transaction. Records are matched by id and content hash:

- not at the centre → new;
- same content → skipped (so merging a bundle again changes nothing);
- a higher version → updated;
- a lower version → skipped as stale (an older bundle arriving after a newer one);
- the same version with other content → a conflict: kept in `sync_conflict`, reported,
  listed in the receipt as not applied, and never written over the centre's record.

Foreign keys are not enforced while merging: bundles may arrive out of order (a rating
before the case it rates), and catalog ids are each station's own. The merge reports the
references still pointing at records the centre has not received.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, not_
from sqlalchemy import select as select_columns
from sqlmodel import col, exists, select

from clerk_tui.db import (
    RowRejected,
    UniqueViolation,
    clerk_error_of,
    get_meta,
    insert_row,
    next_change_seq,
    references_unchecked,
    set_meta,
    stamp_rows,
    translate_lock_errors,
    update_row,
)
from clerk_tui.errors import ClerkError
from clerk_tui.models import SyncConflict, SyncMerge
from clerk_tui.services.context import Station
from clerk_tui.services.sync import keys, trust
from clerk_tui.services.sync.bundle import (
    MANIFEST,
    SYNC_TABLES,
    Bundle,
    BundleError,
    content_hash,
    data_member,
    verify_bundle,
)
from clerk_tui.services.sync.export import columns_of, stored_table
from clerk_tui.services.sync.wire import model_table, table_codec

BATCH = 500
APPEND_ONLY = frozenset({"audit_entry"})  # the database refuses updates (migration v002)
# References between synced tables, for the "not received yet" check after a merge.
REFERENCES = (
    ("ticket_event", "ticket_id", "ticket"),
    ("document_check", "ticket_id", "ticket"),
    ("check_item", "check_id", "document_check"),
    ("notice", "check_id", "document_check"),
    ("notice", "case_id", "service_case"),
    ("service_case", "ticket_id", "ticket"),
    ("service_case", "check_id", "document_check"),
    ("rating", "case_id", "service_case"),
    ("follow_up", "case_id", "service_case"),
    ("follow_up", "rating_id", "rating"),
)


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    stale: int = 0
    conflicts: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Conflict:
    table: str
    record_id: str
    version: int


@dataclass
class BundleMerge:
    """What happened to one bundle: merged (with counts) or rejected (with the error)."""

    path: Path
    bundle: Bundle | None = None
    counts: dict[str, TableCounts] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    already_merged_at: datetime | None = None
    seq_reused: bool = False  # this number was merged before with other content
    error: ClerkError | None = None
    enrolled_key: str | None = None  # the fingerprint of a rotated key enrolled by this bundle

    @property
    def ok(self) -> bool:
        return self.error is None and self.bundle is not None


@dataclass
class MergeReport:
    bundles: list[BundleMerge]
    missing: dict[str, list[int]]  # station -> bundle numbers not received (and not covered by a full one)
    dangling: dict[str, int]  # "table.column" -> references to records not received yet
    station_keys: dict[str, list[str]] = field(default_factory=dict)  # station -> its enrolled keys

    @property
    def ok(self) -> bool:
        return all(b.ok for b in self.bundles)


def _check_columns(conn: Connection, bundle: Bundle) -> dict[str, tuple[str, ...]]:
    centre: dict[str, tuple[str, ...]] = {}
    for table, info in bundle.manifest.tables.items():
        have = set(columns_of(conn, table))
        unknown = [c for c in info.columns if c not in have]
        if unknown:
            raise BundleError("sync.unknown_columns", f"data/{table}.jsonl", columns=", ".join(unknown))
        centre[table] = info.columns
    return centre


def _batches(records: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Applier:
    def __init__(self, conn: Connection, bundle: Bundle, now: datetime, result: BundleMerge) -> None:
        self.conn = conn
        self.bundle = bundle
        self.now = now
        self.result = result
        self.ownership = trust.Ownership(conn, bundle.manifest.station_id)

    def table(self, table: str, columns: tuple[str, ...]) -> None:
        counts = self.result.counts.setdefault(table, TableCounts())
        codec = table_codec(table, columns)
        stored = codec.table
        member = data_member(table)
        seen: set[str] = set()
        for batch in _batches(self.bundle.records(table)):
            ids = [r["id"] for r in batch]
            if len(set(ids)) != len(ids) or seen.intersection(ids):
                raise BundleError("sync.duplicate_record", member)
            seen.update(ids)
            # Compared and written as typed values (`wire`): every value checked against its
            # column before anything is written, whatever engine the station or centre runs.
            typed = [codec.decode(record, member) for record in batch]
            existing = {
                row["id"]: row
                for row in (
                    dict(zip(columns, r, strict=True))
                    for r in self.conn.execute(
                        select_columns(*(stored.c[c] for c in columns)).where(stored.c.id.in_(ids))
                    )
                )
            }
            self.ownership.check(table, batch, existing)
            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []
            for record, values in zip(batch, typed, strict=True):
                old = existing.get(record["id"])
                if old is None:
                    inserts.append(values)
                    continue
                incoming = content_hash(codec.encode_record(values))
                held = content_hash(codec.encode_record({k: old[k] for k in columns}))
                if incoming == held:
                    counts.skipped += 1
                elif record["version"] > old["version"] and table not in APPEND_ONLY:
                    updates.append(values)
                elif record["version"] < old["version"]:
                    counts.stale += 1
                else:
                    counts.conflicts += 1
                    self._conflict(table, record, held, incoming)
            self._write(table, inserts, updates)
            counts.new += len(inserts)
            counts.updated += len(updates)

    def _write(self, table: str, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
        if not inserts and not updates:
            return
        seq = next_change_seq(self.conn, len(inserts) + len(updates))
        for record in inserts:
            values = {k: v for k, v in record.items() if k != "change_seq"}
            with self._refused(table, record):
                insert_row(self.conn, model_table(table), {**values, "change_seq": seq})
            seq += 1
        for record in updates:
            values = {k: v for k, v in record.items() if k not in ("change_seq", "id")}
            with self._refused(table, record):
                update_row(self.conn, model_table(table), record["id"], {**values, "change_seq": seq})
            seq += 1

    @contextmanager
    def _refused(self, table: str, record: dict[str, Any]) -> Iterator[None]:
        """A record the database will not store refuses the whole bundle, in the clerk's words."""
        member = f"data/{table}.jsonl"
        try:
            yield
        except UniqueViolation as exc:
            # A unique key taken by another record: most likely two stations share an id.
            # Said in the clerk's words; the database's own text names no station and no ticket.
            if table == "ticket":
                raise BundleError(
                    "sync.ticket_number_taken",
                    member,
                    number=str(record.get("number", "?")),
                    day=str(record.get("service_date", "?")),
                    station=str(record.get("station_id", "?")),
                ) from None
            raise BundleError(
                "sync.record_clash", member, id=str(record.get("id", "?")), columns=", ".join(exc.columns)
            ) from None
        except RowRejected as exc:
            raise BundleError("sync.record_rejected", member, reason=str(exc)) from None

    def _conflict(self, table: str, record: dict[str, Any], held: str, incoming: str) -> None:
        self.result.conflicts.append(Conflict(table, record["id"], record["version"]))
        found = self.conn.execute(
            select(col(SyncConflict.id)).where(
                col(SyncConflict.table_name) == table,
                col(SyncConflict.record_id) == record["id"],
                col(SyncConflict.record_version) == record["version"],
                col(SyncConflict.incoming_sha256) == incoming,
            )
        ).first()
        if found:
            return
        manifest = self.bundle.manifest
        row = stamp_rows(
            self.conn,
            [
                {
                    "station_id": manifest.station_id,
                    "bundle_seq": manifest.bundle_seq,
                    "table_name": table,
                    "record_id": record["id"],
                    "record_version": record["version"],
                    "existing_sha256": held,
                    "incoming_sha256": incoming,
                    "incoming": json.dumps(record, ensure_ascii=False),
                    "detected_at": self.now,
                    "resolved": False,
                }
            ],
            self.now,
        )
        self.conn.execute(insert(SyncConflict), row)


STATION_META = "station:"  # + station id: {"key", "name"} of the installation first seen with that id


def _check_station(conn: Connection, bundle: Bundle) -> None:
    """One station id, one installation: a bundle from another station that reuses a known
    id is refused whole, naming both. Bundles without a key (older versions) merge as before."""
    m = bundle.manifest
    if not m.station_key:
        return
    known = get_meta(conn, STATION_META + m.station_id)
    if known is None:
        set_meta(
            conn,
            STATION_META + m.station_id,
            json.dumps({"key": m.station_key, "name": m.station_name}, ensure_ascii=False),
        )
        return
    first = json.loads(known)
    if first.get("key") != m.station_key:
        raise BundleError(
            "sync.station_reused",
            MANIFEST,
            station=m.station_id,
            known_name=str(first.get("name") or "?"),
            name=m.station_name or "?",
        )


def _ledger(conn: Connection, bundle: Bundle, result: BundleMerge, now: datetime) -> None:
    m = bundle.manifest
    rows = conn.execute(
        select(col(SyncMerge.bundle_sha256), col(SyncMerge.merged_at)).where(
            col(SyncMerge.station_id) == m.station_id,
            col(SyncMerge.bundle_seq) == m.bundle_seq,
        )
    ).all()
    same = [r for r in rows if r[0] == bundle.sha256]
    result.seq_reused = any(r[0] != bundle.sha256 for r in rows)
    if same:
        result.already_merged_at = same[0][1]
        return
    counts = {t: c.as_dict() for t, c in result.counts.items()}
    row = stamp_rows(
        conn,
        [
            {
                "station_id": m.station_id,
                "bundle_seq": m.bundle_seq,
                "previous_seq": m.previous_seq,
                "bundle_sha256": bundle.sha256,
                "file_name": bundle.path.name,
                "seq_from": m.seq_from,
                "seq_to": m.seq_to,
                "full": m.full,
                "records": m.records,
                "counts": json.dumps(counts),
                "merged_at": now,
            }
        ],
        now,
    )
    conn.execute(insert(SyncMerge), row)


def merge_bundle(
    centre: Station, path: Path, bundle: Bundle | None = None, secrets: keys.CentreSecrets | None = None
) -> BundleMerge:
    """Verify one bundle, then apply it in one transaction; a bad bundle changes nothing.

    Storage failing meanwhile (a full or failing disk, a read-only database) rolls the
    bundle back whole and stops the merge: `ClerkError("merge.storage_failed")`, in the
    clerk's words, naming the bundle (bundles merged before it stay merged).
    """
    result = BundleMerge(path)
    if bundle is None:
        try:
            bundle = verify_bundle(path)
        except BundleError as exc:
            result.error = exc
            return result
    result.bundle = bundle
    secrets = secrets or keys.require_centre(centre.settings)
    now = centre.clock.now()
    with translate_lock_errors(), centre.engine.connect() as conn, references_unchecked(conn):
        try:
            conn.execution_options(clerk_write=True)
            with conn.begin():
                trust.check_bundle(conn, bundle, secrets, centre.settings.sync.accept_unencrypted)
                _check_station(conn, bundle)
                columns = _check_columns(conn, bundle)
                applier = _Applier(conn, bundle, now, result)
                for table in SYNC_TABLES:
                    if table in columns:
                        applier.table(table, columns[table])
                _ledger(conn, bundle, result, now)
                result.enrolled_key = trust.after_merge(conn, bundle, now)
        except BundleError as exc:
            result.error = exc
            result.counts, result.conflicts = {}, []
        except ClerkError:
            raise
        except Exception as exc:  # the transaction was rolled back: nothing of the bundle is stored
            error = clerk_error_of(exc, centre.settings.database_label)
            if error is None:
                raise
            raise ClerkError("merge.storage_failed", file=path.name, reason=error.message()) from exc
    return result


def missing_bundles(centre: Station, station_id: str) -> list[int]:
    """Bundle numbers of a station the centre never merged, unless a later full bundle covers them."""
    with centre.engine.connect() as conn, conn.begin():
        rows = conn.execute(
            select(col(SyncMerge.bundle_seq), col(SyncMerge.full)).where(col(SyncMerge.station_id) == station_id)
        ).all()
    have = {r[0] for r in rows}
    if not have:
        return []
    last_full = max((r[0] for r in rows if r[1]), default=0)
    return [n for n in range(last_full + 1, max(have)) if n not in have]


def dangling_references(centre: Station) -> dict[str, int]:
    found = {}
    with centre.engine.connect() as conn, conn.begin():
        for child, column, parent in REFERENCES:
            rows, targets = stored_table(child, column).alias("c"), stored_table(parent, "id").alias("p")
            reference = rows.c[column]
            n = conn.execute(
                select(func.count())
                .select_from(rows)
                .where(
                    reference.is_not(None),
                    not_(exists().where(targets.c.id == reference)),
                )
            ).scalar()
            if n:
                found[f"{child}.{column}"] = int(n)
    return found


def merge_bundles(centre: Station, paths: Iterable[Path]) -> MergeReport:
    """Verify every bundle first, then merge the good ones in (station, sequence) order.

    Each bundle is its own transaction: one rejected bundle does not hold back the others,
    and can be merged later once a good copy arrives.
    """
    secrets = keys.require_centre(centre.settings)  # no centre keys: nothing can be trusted
    rejected: list[BundleMerge] = []
    good: list[tuple[Path, Bundle]] = []
    for path in paths:
        try:
            good.append((path, verify_bundle(path)))
        except BundleError as exc:
            rejected.append(BundleMerge(path, error=exc))
    good.sort(key=lambda pair: (pair[1].manifest.station_id, pair[1].manifest.bundle_seq))
    results = [merge_bundle(centre, path, bundle, secrets) for path, bundle in good]
    stations = sorted({r.bundle.manifest.station_id for r in results if r.ok and r.bundle})
    missing = {s: gaps for s in stations if (gaps := missing_bundles(centre, s))}
    with centre.engine.connect() as conn:
        active = [e for e in keys.enrolments(conn) if e.status == "active" and e.station_id in stations]
    station_keys = {s: sorted(e.public for e in active if e.station_id == s) for s in stations}
    return MergeReport(rejected + results, missing, dangling_references(centre), station_keys)
