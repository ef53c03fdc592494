"""Exporting a sync bundle from the station, and what the Sync screen shows about it.

An export carries every record of the synced tables whose change sequence is newer than
the last export (`full` carries everything). All rows are read in one read transaction,
so the bundle is one consistent snapshot while the queue keeps working; they are streamed
straight into the zip, never held in memory together.

Durability order: write under a temporary name in the target folder, fsync, rename,
fsync the folder, read the file back and verify it like the centre will, and only then
record the export in the station database. Any failure before that records nothing and
removes the partial file, so the next export carries the same records again.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, TableClause, func, inspect, not_, or_, sql
from sqlalchemy.exc import IntegrityError, NoSuchTableError
from sqlmodel import col, exists, select

from clerk_tui import __version__
from clerk_tui.db import (
    CHANGE_SEQ,
    META_STATION_KEY,
    get_meta,
    latest_schema_version,
    read_rows,
    set_meta,
    snapshot,
)
from clerk_tui.errors import ClerkError
from clerk_tui.files import fsync_folder
from clerk_tui.models import Counter, SyncExport, SyncRejected
from clerk_tui.services.context import Station
from clerk_tui.services.sync import crypto, keys
from clerk_tui.services.sync.bundle import (
    SYNC_TABLES,
    BundleError,
    BundleWriter,
    Manifest,
    TableInfo,
    csv_member,
    data_member,
    deflated,
    encode_lines,
    verify_bundle,
)
from clerk_tui.services.sync.wire import TableCodec, table_codec
from clerk_tui.spreadsheet import csv_cell

LAST_FOLDER_KEY = "sync.last_folder"
# Rows read, encoded and written at a time: what the export holds in memory. 200 also
# measured fastest (500 and 2,000 rows spill the processor's cache).
BATCH = 200
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_seq: int
    previous_seq: int | None
    seq_from: int
    seq_to: int
    full: bool
    counts: dict[str, int]
    sha256: str
    seconds: float
    encrypted: bool = True  # False: no centre key imported yet, the data is clear text
    csv_on_stick: bool = False

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def export_folder(station: Station, folder: Path | None = None) -> Path:
    """Where the next bundle goes: the folder given, else the last one used, else the config's."""
    if folder is not None:
        return folder.expanduser()
    with station.read() as session:
        remembered = get_meta(session.connection(), LAST_FOLDER_KEY)
    if remembered:
        return Path(remembered)
    return station.settings.sync_folder or station.settings.exports_path


def bundle_name(station_id: str, bundle_seq: int, when: Any) -> str:
    safe = re.sub(r"[^0-9A-Za-z_.-]+", "_", station_id).strip("._") or "station"
    return f"clerk-sync-{safe}-{bundle_seq:06d}-{when:%Y%m%d-%H%M%S}.zip"


def columns_of(conn: Connection, name: str) -> tuple[str, ...]:
    """The table's columns as the database holds them, in order (none: no such table)."""
    try:
        return tuple(c["name"] for c in inspect(conn).get_columns(name))
    except NoSuchTableError:
        return ()


def stored_table(name: str, *columns: str) -> TableClause:
    """A synced table by name, with the columns given and no types: values are read and
    written exactly as stored (the models may be newer or older than the database)."""
    return sql.table(name, *(sql.column(c) for c in columns))


def _count_changed(conn: Connection, name: str, lo: int, hi: int | None = None) -> int:
    """Records of a table whose change sequence is in [lo, hi] (no upper bound: hi None)."""
    rows = stored_table(name, "change_seq")
    seq = rows.c.change_seq
    changed = seq >= lo if hi is None else seq.between(lo, hi)
    return int(conn.execute(select(func.count()).select_from(rows).where(changed)).scalar() or 0)


def csv_writer(csv_file: IO[str], columns: Sequence[str]) -> Any:
    """A CSV copy for a spreadsheet: a BOM, so it opens the Chinese as UTF-8; CRLF rows as
    the csv module writes them; the header row. Rows come from `csv_rows`."""
    csv_file.write("\ufeff")
    writer = csv.writer(csv_file)
    writer.writerow(columns)
    return writer


def csv_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """The rows' cells (values in `columns` order), as a spreadsheet should read them:
    booleans 1/0, identifiers kept whole (`clerk_tui.spreadsheet`)."""
    return ([csv_cell(c, value) for c, value in zip(columns, row, strict=True)] for row in rows)


def _table_members(
    batches: Iterator[Sequence[Sequence[Any]]],
    codec: TableCodec,
    csv_file: IO[str] | None,
    tick: Callable[[int], None],
) -> Iterator[bytes]:
    """One pass over the rows: JSON Lines for the zip member, CSV rows to `csv_file` meanwhile.

    Each row is written in the wire format (`wire`), whatever engine it was read from."""
    writer = csv_writer(csv_file, codec.columns) if csv_file is not None else None
    width = len(codec.columns)
    for batch in batches:
        values = codec.encode_values(batch)
        if writer is not None:
            rows = (values[i : i + width] for i in range(0, len(values), width))
            writer.writerows(csv_rows(codec.columns, rows))
        tick(len(batch))
        yield encode_lines(codec.columns, values)


def _file_chunks(handle: IO[str]) -> Iterator[bytes]:
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        yield chunk.encode("utf-8")


def _disk_error(exc: OSError, folder: Path) -> ClerkError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return ClerkError("sync.disk_full", folder=str(folder))
    if exc.errno == errno.EROFS or isinstance(exc, PermissionError):
        return ClerkError("sync.folder_readonly", folder=str(folder))
    if not folder.is_dir() or exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO):
        return ClerkError("sync.folder_gone", folder=str(folder))
    return ClerkError("sync.write_failed", folder=str(folder), reason=exc.strerror or str(exc))


def _prepare_folder(station: Station, folder: Path) -> None:
    from clerk_tui.services.sync.removable import under_absent_mount

    own = folder == station.settings.exports_path
    # Below /media or /mnt with no stick mounted there, the folder (even one left over) is
    # on the local disk: the bundle would not travel. Refuse, never write or mkdir there.
    if not own and under_absent_mount(folder):
        raise ClerkError("sync.folder_missing", folder=str(folder))
    if folder.is_dir():
        return
    # Our own folder, or a new folder on a stick that is there: make it. A missing parent
    # is a pulled stick or a typo, and must not become a folder on the local disk.
    if own or folder.parent.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return
        except OSError as exc:
            raise _disk_error(exc, folder) from exc
    raise ClerkError("sync.folder_missing", folder=str(folder))


def export_bundle(
    station: Station,
    folder: Path | None = None,
    full: bool = False,
    progress: Progress | None = None,
    *,
    csv_on_stick: bool = False,
) -> ExportResult | None:
    """Write, verify and record the next bundle; None when nothing changed since the last one.

    The manifest is signed with the station's key; the data members are encrypted to the
    centre's key when the station has imported it (else the result says `encrypted=False`,
    which the clerk is told loudly). The CSV copies for spreadsheets are written into the
    bundle only when asked (`csv_on_stick`: clear text on the stick), else at the centre.
    """
    started = time.perf_counter()
    folder = export_folder(station, folder)
    _prepare_folder(station, folder)
    now = station.clock.now()
    settings = station.settings
    secret = keys.station_secret(settings)
    assert secret is not None
    next_secret = keys.next_secret(settings)
    with snapshot(station.engine) as conn:
        centre = keys.centre_public(conn)
        # One read transaction: every count and row below comes from the same snapshot. The
        # committed change counter bounds it: a writer still open holds the counter row until
        # it commits (its records get numbers above this one and go out next time), so no
        # record committed late below the bound is ever skipped.
        seq_to = int(conn.execute(select(col(Counter.value)).where(col(Counter.name) == CHANGE_SEQ)).scalar() or 0)
        last = conn.execute(select(func.max(col(SyncExport.bundle_seq)), func.max(col(SyncExport.seq_to)))).one()
        previous_seq, last_to = (last[0], last[1] or 0) if last[0] is not None else (None, 0)
        seq_from = 1 if full else last_to + 1
        columns = {t: columns_of(conn, t) for t in SYNC_TABLES}
        counts = {t: _count_changed(conn, t, seq_from, seq_to) for t in SYNC_TABLES}
        total = sum(counts.values())
        if total == 0 and not full:
            return None
        bundle_seq = (previous_seq or 0) + 1
        name = bundle_name(settings.station_id, bundle_seq, now)
        final = folder / name
        # Named per process: a `.partial` left by a killed export (same number, same second)
        # or one another program is writing right now is never ours to open or remove.
        partial = folder / f".{name}.{os.getpid()}.partial"
        _sweep_stale_partials(folder)
        scratch = settings.database_path.parent
        if settings.database_url is not None:  # no database file: the station's data folder
            scratch = settings.data_dir
            scratch.mkdir(parents=True, exist_ok=True)
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        data_key = crypto.new_data_key() if centre is not None else None
        encryption = (
            {
                "scheme": crypto.SCHEME,
                "recipient": centre.fingerprint,
                "key": crypto.b64(crypto.seal_key(centre.box, data_key)),
            }
            if centre is not None and data_key is not None
            else None
        )
        writer: BundleWriter | None = None
        try:
            writer = BundleWriter(partial)
            if progress is not None:
                progress(0, total)
            for table in SYNC_TABLES:
                cols = columns[table]
                # The CSV copy waits in an owner-only temporary file beside the database (it holds
                # personal data) while the JSON Lines member is written, so the rows are read once.
                with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=scratch) as csv_file:
                    codec = table_codec(table, cols)
                    rows = read_rows(conn, codec.table, cols, seq_from, seq_to, BATCH)
                    lines = _table_members(rows, codec, csv_file if csv_on_stick else None, tick)
                    if data_key is not None:
                        lines = crypto.encrypt_stream(data_key, deflated(lines))
                    writer.write_member(data_member(table), lines, stored=data_key is not None)
                    if csv_on_stick:
                        writer.write_member(csv_member(table), _file_chunks(csv_file))
            manifest = Manifest(
                station_id=settings.station_id,
                station_name=settings.station_name,
                bundle_seq=bundle_seq,
                previous_seq=previous_seq,
                created_at=now.isoformat(),
                full=full,
                seq_from=seq_from,
                seq_to=seq_to,
                schema_version=latest_schema_version(),
                app_version=__version__,
                tables={t: TableInfo(counts[t], columns[t]) for t in SYNC_TABLES},
                members=dict(writer.members),
                station_key=get_meta(conn, META_STATION_KEY) or "",
                signer=crypto.b64(crypto.public_signing_key(secret)),
                encryption=encryption,
                next_key=crypto.b64(crypto.public_signing_key(next_secret)) if next_secret else "",
            )
            signature = crypto.sign(secret, keys.MANIFEST_CONTEXT + manifest.to_json())
            writer.finish(manifest, crypto.b64(signature).encode("ascii"))
            writer = None
            os.replace(partial, final)
            fsync_folder(folder)
        except OSError as exc:
            if writer is not None:
                writer.abort()
            _remove(partial)
            raise _disk_error(exc, folder) from exc
        except BaseException:
            if writer is not None:
                writer.abort()
            _remove(partial)
            raise
    # Read back what is on the stick now, exactly as the centre will.
    try:
        bundle = verify_bundle(final)
    except BundleError as exc:
        _remove(final)
        raise ClerkError("sync.verify_failed", path=str(final), reason=exc.message()) from exc
    if bundle.manifest != manifest:
        _remove(final)
        raise ClerkError("sync.verify_failed", path=str(final), reason="manifest")
    try:
        with station.write() as session:
            session.add(
                SyncExport(
                    bundle_seq=bundle_seq,
                    previous_seq=previous_seq,
                    file_name=name,
                    folder=str(folder),
                    seq_from=seq_from,
                    seq_to=seq_to,
                    full=full,
                    records=total,
                    sha256=bundle.sha256,
                    exported_at=now,
                )
            )
            set_meta(session.connection(), LAST_FOLDER_KEY, str(folder))
    except IntegrityError as exc:  # another export took this number meanwhile
        if not _recorded(station, name):  # the same name in the same second is the winner's file
            _remove(final)
        raise ClerkError("sync.export_raced") from exc
    except BaseException:
        _remove(final)
        raise
    return ExportResult(
        final,
        bundle_seq,
        previous_seq,
        seq_from,
        seq_to,
        full,
        counts,
        bundle.sha256,
        time.perf_counter() - started,
        encrypted=encryption is not None,
        csv_on_stick=csv_on_stick,
    )


def _recorded(station: Station, file_name: str) -> bool:
    with station.read() as session:
        return (
            session.exec(select(col(SyncExport.id)).where(col(SyncExport.file_name) == file_name)).first() is not None
        )


STALE_PARTIAL_SECONDS = 24 * 3600


def _sweep_stale_partials(folder: Path) -> None:
    """Remove `.partial` files of exports killed long ago (a pulled plug, a crash).

    A day old is long past any export still running, so another program's file in progress
    is never touched; the records such a file held were never marked exported.
    """
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for stale in folder.glob(".*.partial"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# --- what the Sync screen shows ---------------------------------------------------------


@dataclass(frozen=True)
class ExportInfo:
    bundle_seq: int
    file_name: str
    folder: str
    exported_at: Any
    records: int
    full: bool
    acknowledged_at: Any


@dataclass(frozen=True)
class SyncStatus:
    folder: Path
    last_export: ExportInfo | None
    last_receipt_at: Any
    acknowledged_bundles: int
    exports: int
    not_exported: dict[str, int]  # changed since the last export
    unacknowledged: dict[str, int]  # not (yet) confirmed by a receipt from the centre

    @property
    def total_not_exported(self) -> int:
        return sum(self.not_exported.values())

    @property
    def total_unacknowledged(self) -> int:
        return sum(self.unacknowledged.values())


def acknowledged_ranges(conn: Connection) -> list[tuple[int, int]]:
    """Change-sequence ranges of bundles the centre confirmed, merged and sorted."""
    rows = conn.execute(
        select(col(SyncExport.seq_from), col(SyncExport.seq_to))
        .where(col(SyncExport.acknowledged_at).is_not(None))
        .order_by(col(SyncExport.seq_from))
    ).all()
    merged: list[tuple[int, int]] = []
    for lo, hi in rows:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def unacknowledged_counts(conn: Connection) -> dict[str, int]:
    """Per table: records whose current version the centre has not confirmed.

    A record's change sequence only grows, so one whose change_seq lies in a confirmed
    bundle's range is unchanged since that bundle: the centre has it, unless its receipt
    listed that version as a conflict (`sync_rejected`).
    """
    ranges = acknowledged_ranges(conn)
    result = {}
    for table in SYNC_TABLES:
        rows = stored_table(table, "id", "version", "change_seq")
        count = select(func.count()).select_from(rows)
        if ranges:  # none: every record is unconfirmed
            covered = or_(*(rows.c.change_seq.between(lo, hi) for lo, hi in ranges))
            rejected = exists().where(
                col(SyncRejected.table_name) == table,
                col(SyncRejected.record_id) == rows.c.id,
                col(SyncRejected.record_version) == rows.c.version,
            )
            count = count.where(or_(not_(covered), rejected))
        result[table] = int(conn.execute(count).scalar() or 0)
    return result


def sync_status(station: Station) -> SyncStatus:
    folder = export_folder(station)
    with station.engine.connect() as conn, conn.begin():
        last = conn.execute(select(SyncExport).order_by(col(SyncExport.bundle_seq).desc()).limit(1)).first()
        last_info = None
        last_to = 0
        if last is not None:
            row = last._mapping
            last_to = row["seq_to"]
            last_info = ExportInfo(
                row["bundle_seq"],
                row["file_name"],
                row["folder"],
                row["exported_at"],
                row["records"],
                bool(row["full"]),
                row["acknowledged_at"],
            )
        exports = int(conn.execute(select(func.count()).select_from(SyncExport)).scalar() or 0)
        acked = conn.execute(
            select(func.count(), func.max(col(SyncExport.acknowledged_at))).where(
                col(SyncExport.acknowledged_at).is_not(None)
            )
        ).one()
        not_exported = {t: _count_changed(conn, t, last_to + 1) for t in SYNC_TABLES}
        unacked = unacknowledged_counts(conn)
    return SyncStatus(folder, last_info, acked[1], int(acked[0] or 0), exports, not_exported, unacked)
