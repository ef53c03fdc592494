"""The sync bundle: one zip file a station carries to the centre (format `clerk-tui-sync-bundle`).

Inside the zip:
- `manifest.json`: format and version, station id and name, bundle sequence number and
  the previous one, creation time, the change-sequence range it carries, per table the
  record count and columns, and per member its SHA-256 and size;
- `data/<table>.jsonl`: one JSON object per line per record, values exactly as stored
  (times and dates as ISO text, booleans as 0/1), in parent-before-child table order;
- `csv/<table>.csv`: the same records as CSV with a UTF-8 BOM, for a spreadsheet
  (identifiers as `="…"` so they stay whole: `clerk_tui.spreadsheet`).

Nothing in a bundle is trusted before `verify_bundle` has checked it: only the member
names this format defines, declared sizes within limits and matching the zip directory,
a bounded compression ratio (zip bombs), every checksum and record count. Reading is
capped at the declared size, so a lying zip directory cannot make us read more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from clerk_tui.errors import ClerkError

FORMAT = "clerk-tui-sync-bundle"
FORMAT_VERSION = 2  # 2: signed manifest (`manifest.sig`), data members encrypted to the centre
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# Parents before children, so a centre can insert in this order.
SYNC_TABLES = (
    "ticket",
    "ticket_event",
    "window_event",
    "document_check",
    "check_item",
    "notice",
    "service_case",
    "rating",
    "follow_up",
    "audit_entry",
)
MAX_MANIFEST_BYTES = 1 << 20
MAX_MEMBER_BYTES = 4 << 30  # 100k cases are ~100 MB of JSON; 4 GiB is absurd for a station
MAX_RATIO = 100  # JSON of records deflates 5-15x; far more means a crafted file
CHUNK = 1 << 20  # a member this small may deflate by any ratio
# Bytes read or written at a time. Larger blocks measured no faster, and the blocks of
# 1 MB before held 5 MB more at the peak of an export (reading back a member's blocks).
BLOCK = 1 << 18
MAX_INTEGER = 2**63 - 1  # SQLite's largest INTEGER
COMPRESS_LEVEL = 1  # the stick is small, the PC is old: fast deflate still gains ~6x


class BundleError(ClerkError):
    """A bundle that must be rejected whole; `member` names the file inside it at fault."""

    def __init__(self, key: str, member: str = "", **params: Any) -> None:
        super().__init__(key, member=member or "-", **params)
        self.member = member


def data_member(table: str) -> str:
    return f"data/{table}.jsonl"


def csv_member(table: str) -> str:
    return f"csv/{table}.csv"


ALLOWED_MEMBERS = frozenset(
    [MANIFEST, SIGNATURE] + [data_member(t) for t in SYNC_TABLES] + [csv_member(t) for t in SYNC_TABLES]
)
MAX_BUNDLE_BYTES = 8 << 30  # the whole file: every member at its limit is absurd already

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def encode_record(record: dict[str, Any]) -> str:
    return _ENCODER.encode(record)


# Between two values of a batch: a control character, which JSON text never holds raw (the
# encoder writes it inside a string as \u001f), so cutting the batch's text at it is exact.
_CUT = "\x1f"
_VALUES = json.JSONEncoder(ensure_ascii=False, separators=(_CUT, ":"), check_circular=False)


@lru_cache(maxsize=64)
def _line_template(columns: tuple[str, ...]) -> bytes:
    keys = (_ENCODER.encode(c).replace("%", "%%") for c in columns)
    return ("{" + ",".join(f"{key}:%s" for key in keys) + "}\n").encode("utf-8")


def encode_lines(columns: tuple[str, ...], values: Sequence[Any]) -> bytes:
    """The JSON Lines of records of `columns`, their values given one row after another in
    one flat list (`TableCodec.encode_values`): byte for byte each record's `encode_record`
    in UTF-8, followed by a newline.

    The values of the whole batch go through the encoder at once, as one list (encoding
    each record's keys again for every row was half the cost), and the keys are put back
    by a template, in bytes (half the size of the text it would otherwise be built as). A
    value that is itself a list or an object (no column holds one) would not cut right:
    such a batch is encoded record by record, as it was before.
    """
    if not values:
        return b""
    width = len(columns)
    if not width or len(values) % width:
        raise ValueError(f"{len(values)} values for rows of {width}")
    pieces = _VALUES.encode(values)[1:-1].encode("utf-8").split(_CUT.encode("ascii"))
    if len(pieces) != len(values):
        records = (dict(zip(columns, values[i : i + width], strict=True)) for i in range(0, len(values), width))
        return "".join(encode_record(record) + "\n" for record in records).encode("utf-8")
    return (_line_template(columns) * (len(values) // width)) % tuple(pieces)


def content_hash(record: dict[str, Any]) -> str:
    """Identity of a record's content: every column but the station-local change_seq."""
    body = {k: v for k, v in record.items() if k != "change_seq"}
    return hashlib.sha256(_CANONICAL.encode(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TableInfo:
    records: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class MemberInfo:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    station_id: str
    station_name: str
    bundle_seq: int
    previous_seq: int | None
    created_at: str
    full: bool
    seq_from: int
    seq_to: int
    schema_version: int
    app_version: str
    tables: dict[str, TableInfo]
    members: dict[str, MemberInfo]
    # The installation's random key (meta `station_key`): tells the centre apart two stations
    # that share an id. Empty in bundles written before it existed.
    station_key: str = ""
    # Format 2. `signer`: the station's public signing key (base64); `encryption`: the scheme,
    # the centre key's fingerprint and the bundle's data key sealed to it (None: the data
    # members are clear text); `next_key`: a rotated key the station asks the centre to enrol.
    signer: str = ""
    encryption: dict[str, str] | None = None
    next_key: str = ""

    @property
    def records(self) -> int:
        return sum(t.records for t in self.tables.values())

    def to_json(self) -> bytes:
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "station_id": self.station_id,
            "station_name": self.station_name,
            **({"station_key": self.station_key} if self.station_key else {}),
            "bundle_seq": self.bundle_seq,
            "previous_seq": self.previous_seq,
            "created_at": self.created_at,
            "full": self.full,
            "change_seq": {"from": self.seq_from, "to": self.seq_to},
            "schema_version": self.schema_version,
            "app_version": self.app_version,
            "tables": {n: {"records": t.records, "columns": list(t.columns)} for n, t in self.tables.items()},
            "members": {n: {"sha256": m.sha256, "bytes": m.size} for n, m in self.members.items()},
            "signer": self.signer,
            "encryption": self.encryption,
            **({"next_key": self.next_key} if self.next_key else {}),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        def bad(problem: str) -> BundleError:
            return BundleError("sync.bad_manifest", MANIFEST, problem=problem)

        try:
            doc = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, too deep, a 5000-digit number
            raise bad(f"JSON: {exc}") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise bad(f"format != {FORMAT}")
        version = doc.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise bad("format_version")
        if version > FORMAT_VERSION:
            raise BundleError("sync.bundle_too_new", MANIFEST, found=version, supported=FORMAT_VERSION)

        def integer(value: Any, name: str, minimum: int = 0) -> int:
            # Bounded by SQLite's INTEGER: a larger number would crash the merge, not be refused.
            if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= MAX_INTEGER:
                raise bad(name)
            return value

        station_id = doc.get("station_id")
        if not isinstance(station_id, str) or not station_id.strip() or len(station_id) > 64:
            raise bad("station_id")
        station_key = doc.get("station_key", "")
        if not isinstance(station_key, str) or len(station_key) > 64 or (not station_key.isalnum() and station_key):
            raise bad("station_key")
        seq = integer(doc.get("bundle_seq"), "bundle_seq", 1)
        previous = doc.get("previous_seq")
        if previous is not None and integer(previous, "previous_seq", 1) >= seq:
            raise bad("previous_seq")
        change = doc.get("change_seq")
        if not isinstance(change, dict):
            raise bad("change_seq")
        seq_from, seq_to = integer(change.get("from"), "change_seq.from"), integer(change.get("to"), "change_seq.to")
        tables: dict[str, TableInfo] = {}
        raw_tables = doc.get("tables")
        if not isinstance(raw_tables, dict):
            raise bad("tables")
        for name, info in raw_tables.items():
            if name not in SYNC_TABLES or not isinstance(info, dict):
                raise bad(f"tables.{name}")
            columns = info.get("columns")
            if not isinstance(columns, list) or not all(isinstance(c, str) and c.isidentifier() for c in columns):
                raise bad(f"tables.{name}.columns")
            if "id" not in columns or "version" not in columns:
                raise bad(f"tables.{name}.columns")
            tables[name] = TableInfo(integer(info.get("records"), f"tables.{name}.records"), tuple(columns))
        members: dict[str, MemberInfo] = {}
        raw_members = doc.get("members")
        if not isinstance(raw_members, dict):
            raise bad("members")
        for name, info in raw_members.items():
            if name not in ALLOWED_MEMBERS or name == MANIFEST or not isinstance(info, dict):
                raise BundleError("sync.bundle_unexpected_member", str(name)[:200])
            sha = info.get("sha256")
            if not isinstance(sha, str) or len(sha) != 64:
                raise bad(f"members.{name}.sha256")
            members[name] = MemberInfo(sha, integer(info.get("bytes"), f"members.{name}.bytes"))
        for name in tables:
            if data_member(name) not in members:
                raise bad(f"members.{data_member(name)}")
        signer, next_key = doc.get("signer", ""), doc.get("next_key", "")
        for label, value in (("signer", signer), ("next_key", next_key)):
            if not isinstance(value, str) or len(value) > 64:
                raise bad(label)
        encryption = doc.get("encryption")
        if encryption is not None and not (
            isinstance(encryption, dict)
            and set(encryption) == {"scheme", "recipient", "key"}
            and all(isinstance(v, str) and len(v) <= 200 for v in encryption.values())
        ):
            raise bad("encryption")
        for name in members:
            if name.startswith("data/") and name[len("data/") : -len(".jsonl")] not in tables:
                raise bad(f"tables.{name}")
        return cls(
            station_id=station_id,
            station_name=str(doc.get("station_name") or ""),
            bundle_seq=seq,
            previous_seq=previous,
            created_at=str(doc.get("created_at") or ""),
            full=bool(doc.get("full")),
            seq_from=seq_from,
            seq_to=seq_to,
            schema_version=integer(doc.get("schema_version", 0), "schema_version"),
            app_version=str(doc.get("app_version") or ""),
            tables=tables,
            members=members,
            station_key=station_key,
            signer=signer,
            encryption=encryption,
            next_key=next_key,
        )


# --- writing ---------------------------------------------------------------------------


class _MemberWriter:
    """Buffers a member's bytes into large writes and hashes them on the way."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._buffer: list[bytes] = []
        self._buffered = 0
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= BLOCK:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            block = b"".join(self._buffer)
            self.sha.update(block)
            self._stream.write(block)
            self.size += len(block)
            self._buffer, self._buffered = [], 0


class BundleWriter:
    """Writes a bundle file member by member; `finish` adds the manifest and syncs to disk."""

    def __init__(self, path: Path) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        self._file = os.fdopen(os.open(path, flags, 0o600), "wb")
        self._zip = zipfile.ZipFile(self._file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        self.members: dict[str, MemberInfo] = {}

    def write_member(self, name: str, chunks: Iterator[bytes], *, stored: bool = False) -> MemberInfo:
        """`stored`: written as is, not deflated (an encrypted member, compressed before)."""
        target: str | zipfile.ZipInfo = name
        if stored:
            import time

            target = zipfile.ZipInfo(name, time.localtime()[:6])
            target.compress_type = zipfile.ZIP_STORED
        with self._zip.open(target, "w", force_zip64=True) as stream:
            writer = _MemberWriter(stream)
            for chunk in chunks:
                writer.write(chunk)
            writer.flush()
        info = MemberInfo(writer.sha.hexdigest(), writer.size)
        self.members[name] = info
        return info

    def finish(self, manifest: Manifest, signature: bytes = b"") -> None:
        """The manifest (and its signature, a separate member: it signs the manifest's bytes)."""
        self._zip.writestr(MANIFEST, manifest.to_json())
        if signature:
            self._zip.writestr(SIGNATURE, signature)
        self._zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def abort(self) -> None:
        for closing in (self._zip.close, self._file.close):
            with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile):
                closing()


# --- reading and verifying -------------------------------------------------------------


@dataclass
class Bundle:
    """A verified bundle: its manifest, whole-file checksum, and its records on demand."""

    path: Path
    manifest: Manifest
    sha256: str
    sizes: dict[str, int] = field(default_factory=dict)
    manifest_bytes: bytes = b""  # exactly as signed
    signature: bytes = b""  # the `manifest.sig` member as found (empty: none)
    data_key: bytes | None = None  # set by the centre once it has opened the sealed key

    def records(self, table: str) -> Iterator[dict[str, Any]]:
        """Stream one table's records, checking the member's checksum again as it is read.

        The file may have changed since it was verified (a stick pulled, a copy still
        running): a mismatch at the end raises, and the caller's transaction rolls back.
        """
        name = data_member(table)
        info = self.manifest.members[name]
        columns = set(self.manifest.tables[table].columns)
        sha = hashlib.sha256()
        count = 0
        with _open_zip(self.path) as zf:
            chunks = _capped_read(zf, name, info.size, sha)
            if self.manifest.encryption is not None:
                if self.data_key is None:
                    raise BundleError("sync.not_opened", name)
                chunks = _decrypted(self.data_key, chunks, name)
            for line_no, line in enumerate(_lines(chunks), 1):
                count = line_no
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):  # bad UTF-8 or JSON, too deep, a 5000-digit number
                    raise BundleError("sync.bad_record", name, line=line_no) from None
                if (
                    not isinstance(record, dict)
                    or not set(record) <= columns
                    or not isinstance(record.get("id"), str)
                    or not 0 < len(record["id"]) <= 36
                    or not isinstance(record.get("version"), int)
                    or isinstance(record.get("version"), bool)
                    or any(isinstance(v, (list, dict)) for v in record.values())
                    # SQLite cannot store a larger integer: refuse it here, not crash the merge.
                    or any(isinstance(v, int) and not -MAX_INTEGER - 1 <= v <= MAX_INTEGER for v in record.values())
                ):
                    raise BundleError("sync.bad_record", name, line=line_no)
                yield record
        if sha.hexdigest() != info.sha256:
            raise BundleError("sync.checksum_mismatch", name)
        expected = self.manifest.tables[table].records
        if count != expected:  # counted here too: an encrypted member is counted only once opened
            raise BundleError("sync.count_mismatch", name, expected=expected, found=count)


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BundleError("sync.bundle_missing", "", path=str(path)) from None
    except OSError as exc:
        raise BundleError("sync.bundle_unreadable", "", path=str(path), reason=exc.strerror or str(exc)) from None
    # NotImplementedError: an altered header can claim a zip version or feature Python lacks.
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        raise BundleError("sync.bundle_damaged", "", reason=str(exc)) from None


def _capped_read(zf: zipfile.ZipFile, name: str, limit: int, sha: Any) -> Iterator[bytes]:
    """Read a member in chunks, never more than `limit` bytes, hashing what was read."""
    total = 0
    try:
        with zf.open(name) as stream:
            while True:
                chunk = stream.read(min(BLOCK, limit - total + 1))
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise BundleError("sync.member_too_large", name)
                sha.update(chunk)
                yield chunk
    # RuntimeError: a member flagged as encrypted.
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise BundleError("sync.member_damaged", name, reason=str(exc)) from None
    except OSError as exc:
        raise BundleError("sync.member_damaged", name, reason=exc.strerror or str(exc)) from None


def _decrypted(data_key: bytes, chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """Decrypt, then inflate (never past the member limit: a small ciphertext could hold a
    zip bomb of its own)."""
    from clerk_tui.services.sync import crypto

    inflate = zlib.decompressobj()
    total = 0
    try:
        for plain in crypto.decrypt_stream(data_key, chunks):
            piece = inflate.decompress(plain, MAX_MEMBER_BYTES + 1 - total)
            while True:
                total += len(piece)
                if total > MAX_MEMBER_BYTES:
                    raise BundleError("sync.member_too_large", name)
                yield piece
                if not inflate.unconsumed_tail:
                    break
                piece = inflate.decompress(inflate.unconsumed_tail, MAX_MEMBER_BYTES + 1 - total)
        tail = inflate.flush()
        if tail:
            yield tail
        if not inflate.eof:
            raise BundleError("sync.decrypt_failed", name)
    except crypto.CryptoError:
        raise BundleError("sync.decrypt_failed", name) from None
    except zlib.error:
        raise BundleError("sync.decrypt_failed", name) from None


def deflated(chunks: Iterator[bytes], level: int = COMPRESS_LEVEL) -> Iterator[bytes]:
    """zlib-compressed `chunks` (what is encrypted: the plain records, made small first)."""
    deflate = zlib.compressobj(level)
    for chunk in chunks:
        if out := deflate.compress(chunk):
            yield out
    yield deflate.flush()


def _capped_lines(zf: zipfile.ZipFile, name: str, limit: int, sha: Any) -> Iterator[bytes]:
    return _lines(_capped_read(zf, name, limit, sha))


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from (line for line in lines if line)
    if rest:
        yield rest


def _check_name(name: str) -> None:
    unsafe = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in name.split("/")
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )
    if unsafe:
        raise BundleError("sync.unsafe_member", name[:200])
    if name not in ALLOWED_MEMBERS:
        raise BundleError("sync.bundle_unexpected_member", name[:200])


def file_sha256(path: Path, limit: int = MAX_BUNDLE_BYTES) -> str:
    """The file's SHA-256; only a regular file, never more than `limit` bytes read (a FIFO
    or a link to /dev/zero would otherwise hang the merge)."""
    import stat

    if not stat.S_ISREG(path.stat().st_mode):
        raise BundleError("sync.bundle_not_a_file", "", path=str(path))
    sha = hashlib.sha256()
    read = 0
    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
            raise BundleError("sync.bundle_not_a_file", "", path=str(path))
        while chunk := handle.read(BLOCK):
            read += len(chunk)
            if read > limit:
                raise BundleError("sync.bundle_too_large", "", path=str(path))
            sha.update(chunk)
    return sha.hexdigest()


def verify_bundle(path: Path, max_member_bytes: int = MAX_MEMBER_BYTES) -> Bundle:
    """Check everything about a bundle before a single record of it is used."""
    try:
        whole = file_sha256(path)
    except FileNotFoundError:
        raise BundleError("sync.bundle_missing", "", path=str(path)) from None
    except OSError as exc:
        raise BundleError("sync.bundle_unreadable", "", path=str(path), reason=exc.strerror or str(exc)) from None
    with _open_zip(path) as zf:
        infos = zf.infolist()
        seen: set[str] = set()
        for info in infos:
            _check_name(info.filename)
            if info.filename in seen:
                raise BundleError("sync.duplicate_member", info.filename)
            seen.add(info.filename)
            cap = MAX_MANIFEST_BYTES if info.filename == MANIFEST else max_member_bytes
            if info.file_size > cap:
                raise BundleError("sync.member_too_large", info.filename)
            if info.file_size > CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError("sync.member_bomb", info.filename)
        if MANIFEST not in seen:
            raise BundleError("sync.no_manifest", MANIFEST)
        manifest_bytes = b"".join(_capped_read(zf, MANIFEST, MAX_MANIFEST_BYTES, hashlib.sha256()))
        manifest = Manifest.from_json(manifest_bytes)
        signature = b"".join(_capped_read(zf, SIGNATURE, 1024, hashlib.sha256())) if SIGNATURE in seen else b""
        listed = set(manifest.members)
        for name in sorted(seen - {MANIFEST, SIGNATURE} - listed):
            raise BundleError("sync.bundle_unexpected_member", name)
        sizes = {info.filename: info.file_size for info in infos}
        for name, member in sorted(manifest.members.items()):
            if name not in seen:
                raise BundleError("sync.member_missing", name)
            if sizes[name] != member.size:
                raise BundleError("sync.checksum_mismatch", name)
            sha = hashlib.sha256()
            lines = 0
            for chunk in _capped_read(zf, name, member.size, sha):
                lines += chunk.count(b"\n")
            if sha.hexdigest() != member.sha256:
                raise BundleError("sync.checksum_mismatch", name)
            table = name[len("data/") : -len(".jsonl")] if name.startswith("data/") else None
            declared = manifest.tables.get(table) if table is not None else None
            if declared is not None and manifest.encryption is None and lines != declared.records:
                raise BundleError("sync.count_mismatch", name, expected=declared.records, found=lines)
    return Bundle(path, manifest, whole, sizes, manifest_bytes, signature)
