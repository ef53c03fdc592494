"""Health checks of a database file: the engine's full integrity and foreign-key checks,
and a quick probe that reads only what every start reads anyway."""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

from clerk_tui.db.errors import NotADatabase
from clerk_tui.db.readonly import ReadOnlyDatabase, open_readonly

SQLITE_HEADER = b"SQLite format 3\x00"


def integrity_problems(db: ReadOnlyDatabase) -> list[str]:
    """What the engine's integrity check found, reading every page; empty when sound."""
    found = [str(row[0]) for row in db.dbapi.execute("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found


def foreign_key_violations(db: ReadOnlyDatabase, *, except_to: frozenset[str] = frozenset()) -> list[str]:
    """The table of every row whose reference points at no row (one entry per reference),
    leaving out references into the tables `except_to` from the other tables."""
    return [
        str(row[0])
        for row in db.dbapi.execute("PRAGMA foreign_key_check")
        if not (row[2] in except_to and row[0] not in except_to)
    ]


def quick_probe(path: Path) -> None:
    """Notice a damaged database file in about a millisecond, whatever its size.

    A full integrity check (or even SQLite's `quick_check`) reads every page: seconds to
    minutes on a multi-gigabyte station. This reads only the file header, the schema, and
    the path to the newest row of every table (where today's writes went).

    Raises `StorageError` for damage (`NotADatabase("header")` when the file is not an
    SQLite database at all), `DatabaseBusy` when another program holds it, `OSError` when the file cannot be
    read. An empty file is a database not written yet, not a damaged one.
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return
    if header != SQLITE_HEADER:
        raise NotADatabase("header", str(path))
    with open_readonly(path) as db:
        tables = db.dbapi.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for table, sql in tables:
            plain = "WITHOUT ROWID" not in (sql or "").upper() and "VIRTUAL" not in (sql or "").upper()
            order = " ORDER BY rowid DESC" if plain else ""
            db.dbapi.execute(f'SELECT * FROM "{table}"{order} LIMIT 1').fetchall()


# --- a -wal file deleted or cut short under a running program ---------------------------
#
# In WAL mode a commit goes to the `-wal` file; the database file gets it only at the next
# checkpoint. The `-shm` file (the wal-index, shared memory of every connection) records
# how many frames of the -wal hold committed data (mxFrame) and how many of those are
# already copied into the database file (nBackfill). Frames past nBackfill exist only in
# the -wal: delete it (or cut it short) and those commits are gone, while every check of
# the database file alone finds nothing wrong. Reading the -shm before SQLite opens the
# database notices it; SQLite's next open rebuilds the -shm from what -wal is left, and
# the trace is gone (see docs/RELIABILITY.md for what no check can see).
#
# Layout (sqlite.org/walformat.html): two copies of a 48-byte header in the host's byte
# order, then the checkpoint info; the -wal starts with a 32-byte header, each frame is a
# 24-byte frame header and one page.

_WAL_INDEX_VERSION = 3007000
_WAL_HEADER_SIZE = 32
_FRAME_HEADER_SIZE = 24
_SHM_READ = 48 * 2 + 4  # both header copies and nBackfill
_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _wal_index(data: bytes) -> tuple[int, int, int, bytes] | None:
    """(mxFrame, nBackfill, page size, salt) from a consistent wal-index header, else None."""
    if len(data) < _SHM_READ or data[:48] != data[48:96]:
        return None  # not written yet, or caught half-way through an update
    version, _, _, is_init, _, page_size, mx_frame = struct.unpack("=IIIBBHI", data[:20])
    if version != _WAL_INDEX_VERSION or is_init != 1:
        return None
    s1 = s2 = 0
    for x0, x1 in struct.iter_unpack("=II", data[:40]):  # SQLite's checksum, native words
        s1 = (s1 + x0 + s2) & 0xFFFFFFFF
        s2 = (s2 + x1 + s1) & 0xFFFFFFFF
    if struct.pack("=II", s1, s2) != data[40:48]:
        return None
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return None
    (backfilled,) = struct.unpack("=I", data[96:100])
    return mx_frame, backfilled, page_size, data[32:40]


def _frames_lost_once(path: Path) -> int:
    path = path.resolve()  # SQLite keeps the -wal and -shm beside the file a link points at
    shm, wal = path.with_name(path.name + "-shm"), path.with_name(path.name + "-wal")
    try:
        with shm.open("rb") as handle:
            index = _wal_index(handle.read(_SHM_READ))
    except OSError:
        return 0
    if index is None:
        return 0
    mx_frame, backfilled, page_size, salt = index
    if mx_frame <= backfilled:
        return 0  # every committed frame is in the database file already
    try:
        with wal.open("rb") as handle:
            header = handle.read(_WAL_HEADER_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return mx_frame - backfilled
    except OSError:
        return 0  # cannot tell: say nothing rather than something wrong
    needed = _WAL_HEADER_SIZE + mx_frame * (_FRAME_HEADER_SIZE + page_size)
    magic = struct.unpack(">I", header[:4])[0] if len(header) == _WAL_HEADER_SIZE else 0
    if size < needed or magic not in _WAL_MAGIC or header[16:24] != salt:
        return mx_frame - backfilled  # cut short, or another -wal than the one indexed
    return 0


def lost_wal_frames(path: Path, *, tries: int = 3, pause: float = 0.05) -> int:
    """How many committed frames of the database at `path` its -wal no longer holds.

    Non-zero when the -wal was deleted, cut short or replaced while its commits were not
    yet in the database file: those commits are lost. 0 when nothing can be seen (no
    -shm, a fresh one, everything checkpointed, or the -shm unreadable). Call it before
    opening the database: SQLite's first open rebuilds the -shm and wipes the trace.
    A program writing at the same moment can be caught between two updates, so a loss
    counts only if it is still there after `tries` looks, `pause` seconds apart.
    """
    lost = 0
    for attempt in range(tries):
        if attempt:
            time.sleep(pause)
        lost = _frames_lost_once(path)
        if not lost:
            return 0
    return lost
