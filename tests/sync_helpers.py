"""Station data for the sync tests: every synced table gets realistic rows."""

from __future__ import annotations

import json
import sqlite3
import zipfile
import zlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clerk_tui.clock import FixedClock
from clerk_tui.config import Settings
from clerk_tui.db import open_database
from clerk_tui.models import (
    AuditEntry,
    Case,
    CheckItem,
    DocumentCheck,
    FollowUp,
    Matter,
    Notice,
    Rating,
    WindowEvent,
)
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.sync.bundle import SYNC_TABLES


def populate(station: Station, visits: int = 2) -> list[str]:
    """`visits` applicants: ticket, check with items and notice, case, bad rating, follow-up, audit."""
    now = station.clock.now()
    s = station.settings
    with station.read() as session:
        matter = session.execute(select(Matter).order_by(Matter.code)).scalars().first()
    case_ids = []
    for i in range(visits):
        ticket = issue_ticket(station, "A")
        with station.write() as session:
            check = DocumentCheck(
                station_id=s.station_id,
                ticket_id=ticket.id,
                matter_id=matter.id,
                matter_code=matter.code,
                matter_name=matter.name,
                catalog_version_id=matter.catalog_version_id,
                verdict="correction",
                answers='{"委托他人代办时": true}',
                supply_deadline=date(2026, 11, 30),
                clerk_no=s.clerk_no,
                window_no=s.window_no,
                checked_at=now,
            )
            session.add(check)
            session.flush()
            session.add(
                CheckItem(
                    check_id=check.id,
                    position=0,
                    name="居民身份证",
                    material_type=1,
                    form="原件",
                    copies=1,
                    necessity=1,
                    mark="provided",
                )
            )
            session.add(
                CheckItem(
                    check_id=check.id,
                    position=1,
                    name="营业执照复印件",
                    material_type=1,
                    form="复印件",
                    copies=2,
                    necessity=3,
                    mark="missing",
                    e_licence=True,
                )
            )
            session.add(
                Notice(check_id=check.id, kind="correction", number=f"BZ-{i}", text="请补正：营业执照复印件 2 份")
            )
            case = Case(
                station_id=s.station_id,
                ticket_id=ticket.id,
                matter_id=matter.id,
                catalog_version_id=matter.catalog_version_id,
                check_id=check.id,
                matter_code=matter.code,
                matter_name=matter.name,
                applicant_name=f"王芳{i}",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800001234",
                outcome="promised",
                status="pending",
                promised_deadline=date(2026, 12, 8),
                clerk_no=s.clerk_no,
                window_no=s.window_no,
                received_at=now - timedelta(minutes=7),
                accepted_at=now,
                case_no=f"20261124-03-{i + 1:04d}",
            )
            session.add(case)
            session.flush()
            rating = Rating(case_id=case.id, level=2, points="efficiency", comment="等得太久", rated_at=now)
            session.add(rating)
            session.flush()
            session.add(FollowUp(case_id=case.id, rating_id=rating.id, due_date=date(2026, 12, 1)))
            session.add(
                AuditEntry(
                    entity="case",
                    entity_id=case.id,
                    action="create",
                    new_value="promised",
                    clerk_no=s.clerk_no,
                    station_id=s.station_id,
                    at=now,
                )
            )
            session.add(
                WindowEvent(
                    station_id=s.station_id,
                    window_no=s.window_no,
                    clerk_no=s.clerk_no,
                    kind="pause",
                    reason="休息",
                    at=now,
                )
            )
            case_ids.append(case.id)
    return case_ids


def edit_case(station: Station, case_id: str, **changes: Any) -> None:
    with station.write() as session:
        case = session.get(Case, case_id)
        for key, value in changes.items():
            setattr(case, key, value)


def rows(db: Path | Station, table: str) -> dict[str, dict[str, Any]]:
    """Every row, without the database-local change_seq: as stored (exact text) for a
    database file, as typed values for a station's database on either engine."""
    if isinstance(db, Station):
        from clerk_tui.models import all_tables

        model = all_tables().tables[table]
        with db.engine.connect() as conn:
            return {
                r.id: {k: v for k, v in r._mapping.items() if k != "change_seq"} for r in conn.execute(model.select())
            }
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        result = {
            r["id"]: {k: v for k, v in zip(r.keys(), r, strict=True) if k != "change_seq"}
            for r in conn.execute(f"SELECT * FROM {table}")
        }
    conn.close()
    return result


def same_data(a: Path | Station, b: Path | Station) -> bool:
    return all(rows(a, t) == rows(b, t) for t in SYNC_TABLES)


def make_centre(tmp: Path, clock: FixedClock | None = None, database: Path | str | None = None) -> Station:
    """A centre on its own database (a file in `tmp`, or the server `database` URL given),
    with its keys made (`clerk centre init`)."""
    from clerk_tui.services.sync import keys

    database = database or tmp / "centre.db"
    settings = replace(Settings(station_id="CENTRE-5101"), data_dir=tmp / "centre", database=database)
    keys.centre_init(settings)
    return Station(open_database(database), settings, clock or FixedClock(FIXED_CENTRE))


def trust(centre: Station, *stations: Station) -> None:
    """What the paperwork does once: each station's key enrolled at the centre (`clerk centre
    enrol`), the centre's key imported at each station (`clerk import centre-key`)."""
    from clerk_tui.services.sync import keys

    folder = centre.settings.data_dir / "enrol"
    folder.mkdir(parents=True, exist_ok=True)
    centre_file = folder / "centre.pub.json"
    centre_file.write_text(json.dumps(keys.require_centre(centre.settings).public.as_json()), encoding="utf-8")
    for station in stations:
        station_file = folder / f"{station.settings.station_id}.pub.json"
        station_file.write_text(json.dumps(keys.public_file(station.settings)), encoding="utf-8")
        keys.enrol(centre, station_file)
        keys.import_centre_key(station, centre_file)


from datetime import datetime  # noqa: E402

FIXED_CENTRE = datetime(2026, 11, 26, 10, 0)


def plain_member(path: Path, centre: Station, name: str) -> bytes:
    """A member of a bundle as the centre reads it: decrypted with the centre's key."""
    from clerk_tui.services.sync import crypto, keys

    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        raw = zf.read(name)
    encryption = manifest.get("encryption")
    if not encryption or not name.startswith("data/"):
        return raw
    data_key = crypto.open_key(keys.require_centre(centre.settings).box, crypto.unb64(encryption["key"]))
    return zlib.decompress(b"".join(crypto.decrypt_stream(data_key, iter([raw]))))


KEEP = "keep"


def forge(  # type: ignore[no-untyped-def]
    src: Path,
    dst: Path,
    centre: Station,
    change=lambda name, data: data,
    *,
    rehash: bool = True,
    sign_with: bytes | str | None = KEEP,
    manifest_change=None,
) -> Path:
    """A copy of a bundle changed as someone holding it could: each member's plain content
    passed through `change(name, data)` (None drops it) and encrypted again with the same
    data key; with `rehash`, every member's checksum, size and record count recomputed;
    `manifest_change(doc)` edits the manifest; signed again with `sign_with` (a station's
    secret key), or the old signature kept (`KEEP`), or none (None)."""
    import hashlib

    from clerk_tui.services.sync import crypto, keys

    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        signature = zin.read("manifest.sig") if "manifest.sig" in zin.namelist() else b""
        encryption = manifest.get("encryption")
        data_key = (
            crypto.open_key(keys.require_centre(centre.settings).box, crypto.unb64(encryption["key"]))
            if encryption
            else None
        )
        members: dict[str, bytes] = {}
        lines: dict[str, int] = {}
        for info in zin.infolist():
            if info.filename in ("manifest.json", "manifest.sig"):
                continue
            raw = zin.read(info.filename)
            sealed = data_key is not None and info.filename.startswith("data/")
            plain = zlib.decompress(b"".join(crypto.decrypt_stream(data_key, iter([raw])))) if sealed else raw
            new = change(info.filename, plain)
            if new is None:
                continue
            lines[info.filename] = new.count(b"\n")
            if new == plain:  # unchanged: the very bytes the station wrote
                members[info.filename] = raw
            else:
                members[info.filename] = (
                    b"".join(crypto.encrypt_stream(data_key, iter([zlib.compress(new)]))) if sealed else new
                )
    if rehash:
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in members.items()
        }
        for table, info in manifest["tables"].items():
            info["records"] = lines.get(f"data/{table}.jsonl", 0)
    if manifest_change is not None:
        manifest_change(manifest)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    if isinstance(sign_with, bytes):
        signature = crypto.b64(crypto.sign(sign_with, keys.MANIFEST_CONTEXT + manifest_bytes)).encode("ascii")
    elif sign_with is None:
        signature = b""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
        zout.writestr("manifest.json", manifest_bytes)
        if signature:
            zout.writestr("manifest.sig", signature)
    return dst


def centre_signs(db: str | Path, folder: Path, *files: Path) -> None:
    """What a station's files from the centre carry, done through the CLI as a centre and a
    station would: the centre's keys made (once), its public key imported by the station at
    `db`, and each of `files` signed (`FILE.sig` beside it)."""
    from typer.testing import CliRunner

    from clerk_tui.cli import app

    public = folder / "centre.pub.json"
    steps = [
        ["centre", "init"],
        ["centre", "export-key", str(public)],
        ["--db", str(db), "import", "centre-key", str(public), "--yes"],
    ]
    if files:
        steps.append(["centre", "sign", *(str(f) for f in files)])
    for args in steps:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
