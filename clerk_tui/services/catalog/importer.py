"""Applying a validated catalog file to the station database in one transaction.

Matters are matched by their implementation code (实施编码). A matter whose content is
unchanged is left alone; a changed one is updated in place (its materials replaced) and
its version bumped; a matter the new catalog no longer lists is retired, not deleted,
because cases and checks refer to it. Importing the same content twice changes nothing.

The file is read twice, a matter at a time: once to check it whole (nothing written), then
in the one write transaction, where matters and materials go in by batches. Memory holds a
batch, and a few dozen bytes per matter for the codes already in the database.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import col

from clerk_tui.db import stamp_rows
from clerk_tui.models import CatalogVersion, Department, Material, Matter
from clerk_tui.services.catalog.file import CatalogDocument, read_catalog_file
from clerk_tui.services.catalog.pinyin import pinyin_keys
from clerk_tui.services.context import Station

# Catalog records get ids derived from their codes, not random ones: every station and the
# centre that import the same catalog then agree on the ids that cases and checks refer to,
# so merged records keep valid references at the centre.
CATALOG_NAMESPACE = uuid.UUID("6f1c2f0e-3b7a-5c9d-8e41-2a6b0c7d9e13")
BATCH = 500  # matters written per statement


def catalog_id(kind: str, *parts: str) -> str:
    return str(uuid.uuid5(CATALOG_NAMESPACE, ":".join((kind, *parts))))


@dataclass(frozen=True)
class ImportReport:
    label: str
    already_imported: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    materials: int = 0


def _matter_row(m: dict[str, Any], dept_id: str, version_id: str, content_sha: str) -> dict[str, Any]:
    full, initials = pinyin_keys(m["name"])
    statutory = m.get("statutory_limit") or {}
    promised = m.get("promised_limit") or {}
    fee = m.get("fee") or {}
    return {
        "code": m["code"],
        "basic_code": m["basic_code"],
        "name": m["name"],
        "name_pinyin": full,
        "name_initials": initials,
        "task_type": m["task_type"],
        "department_id": dept_id,
        "level": m.get("level") or "",
        "service_objects": ",".join(m.get("service_objects") or []),
        "project_type": int(m["project_type"]),
        "statutory_limit": statutory.get("value"),
        "statutory_unit": statutory.get("unit", ""),
        "promised_limit": promised.get("value"),
        "promised_unit": promised.get("unit", ""),
        "visits": m.get("visits"),
        "fee_charged": bool(fee.get("charged", False)),
        "fee_note": fee.get("note") or "",
        "online": bool(m.get("online", False)),
        "appointment": bool(m.get("appointment", False)),
        "scope": m.get("scope") or "",
        "legal_basis": m.get("legal_basis") or "",
        "contact": m.get("contact") or "",
        "note": m.get("note") or "",
        "active": True,
        "catalog_version_id": version_id,
        "content_sha256": content_sha,
    }


def _material_rows(matter_id: str, matter_sha: str, materials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": catalog_id("material", matter_id, matter_sha, str(i)),
            "matter_id": matter_id,
            "position": i,
            "name": x["name"],
            "material_type": int(x["type"]),
            "form": x["form"],
            "copies": int(x["copies"]),
            "necessity": int(x["necessity"]),
            "source": x.get("source") or "",
            "condition": (x.get("condition") or "").strip(),
            "e_licence": bool(x.get("e_licence", False)),
            "note": x.get("note") or "",
        }
        for i, x in enumerate(materials)
    ]


def apply_catalog(
    station: Station, doc: CatalogDocument, source_name: str = "", on_read: Callable[[int], None] | None = None
) -> ImportReport:
    """Store a checked catalog in one transaction, reading its matters from the file again."""
    now = station.clock.now()
    with station.write() as session:
        conn = session.connection()
        if conn.execute(select(col(CatalogVersion.id)).where(col(CatalogVersion.content_sha256) == doc.sha256)).first():
            return ImportReport(label=doc.label, already_imported=True)

        version = stamp_rows(
            conn,
            [
                {
                    "id": catalog_id("catalog", doc.sha256),
                    "label": doc.label,
                    "format_version": 1,
                    "content_sha256": doc.sha256,
                    "source_name": source_name,
                    "imported_at": now,
                    "matter_count": doc.matter_count,
                }
            ],
            now,
        )[0]
        conn.execute(insert(CatalogVersion), [version])

        depts = {
            code: (id_, name)
            for id_, code, name in conn.execute(select(col(Department.id), col(Department.code), col(Department.name)))
        }
        new_depts = [
            {"id": catalog_id("department", d["code"]), "code": d["code"], "name": d["name"]}
            for d in doc.departments
            if d["code"] not in depts
        ]
        if new_depts:
            conn.execute(insert(Department), stamp_rows(conn, new_depts, now))
        for d in doc.departments:
            if d["code"] in depts and depts[d["code"]][1] != d["name"]:
                row = stamp_rows(conn, [{}], now)[0]
                conn.execute(
                    update(Department)
                    .where(col(Department.code) == d["code"])
                    .values(
                        name=d["name"],
                        updated_at=now,
                        change_seq=row["change_seq"],
                        version=col(Department.version) + 1,
                    )
                )
        dept_ids = {code: id_ for id_, code in conn.execute(select(col(Department.id), col(Department.code)))}

        # The matters already stored; each one the file lists is taken out, the rest are retired.
        existing = {
            code: (id_, sha, active)
            for id_, code, sha, active in conn.execute(
                select(col(Matter.id), col(Matter.code), col(Matter.content_sha256), col(Matter.active))
            )
        }
        new_rows: list[dict[str, Any]] = []
        new_materials: list[dict[str, Any]] = []
        counts = {"new": 0, "updated": 0, "unchanged": 0, "materials": 0}

        def write_batch() -> None:
            # A batch's matters before their materials: each material's change_seq follows its matter's.
            if new_rows:
                conn.execute(insert(Matter), stamp_rows(conn, new_rows, now))
            if new_materials:
                conn.execute(insert(Material), stamp_rows(conn, new_materials, now))
            counts["new"] += len(new_rows)
            counts["materials"] += len(new_materials)
            new_rows.clear()
            new_materials.clear()

        def take(m: dict[str, Any], text: str) -> None:
            sha = hashlib.sha256(text.encode()).hexdigest()  # CatalogDocument.matter_hash(m)
            row = _matter_row(m, dept_ids[m["department"]], version["id"], sha)
            found = existing.pop(m["code"], None)
            if found is None:
                row["id"] = catalog_id("matter", m["code"])
                new_rows.append(row)
                new_materials.extend(_material_rows(row["id"], sha, m["materials"]))
            elif found[1] == sha and found[2]:
                counts["unchanged"] += 1
            else:
                matter_id = found[0]
                seq = stamp_rows(conn, [{}], now)[0]["change_seq"]
                conn.execute(
                    update(Matter)
                    .where(col(Matter.id) == matter_id)
                    .values(**row, updated_at=now, change_seq=seq, version=col(Matter.version) + 1)
                )
                conn.execute(delete(Material).where(col(Material.matter_id) == matter_id))
                new_materials.extend(_material_rows(matter_id, sha, m["materials"]))
                counts["updated"] += 1
            if len(new_rows) >= BATCH or len(new_materials) >= 8 * BATCH:
                write_batch()

        doc.each_matter(take, on_read)  # raises, and so rolls back, if the file changed since the check
        write_batch()

        gone = [id_ for id_, _sha, active in existing.values() if active]
        for matter_id in gone:
            seq = stamp_rows(conn, [{}], now)[0]["change_seq"]
            conn.execute(
                update(Matter)
                .where(col(Matter.id) == matter_id)
                .values(active=False, updated_at=now, change_seq=seq, version=col(Matter.version) + 1)
            )
    return ImportReport(
        label=doc.label,
        already_imported=False,
        new=counts["new"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        retired=len(gone),
        materials=counts["materials"],
    )


def import_catalog_file(
    station: Station, path: Path, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Validate the whole file, then apply it; a bad file leaves the database untouched.

    `progress(done, total)` follows both readings of the file (`total` is twice its size).
    """
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_catalog_file says what is wrong

    def checking(done: int) -> None:
        if progress is not None:
            progress(done, 2 * size)

    def storing(done: int) -> None:
        if progress is not None:
            progress(size + done, 2 * size)

    doc = read_catalog_file(path, checking)
    return apply_catalog(station, doc, source_name=path.name, on_read=storing)
