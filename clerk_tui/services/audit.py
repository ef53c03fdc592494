"""The append-only audit trail: who did what to a record, when, and what it was before.

Entries are only ever added (the database refuses updates and deletes of `audit_entry`,
see migration v002). Edits record each changed field old → new; voids carry a reason;
revealing a masked ID number records who looked, never the number itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from clerk_tui.models import AuditEntry
from clerk_tui.services.context import Station

# Fields whose values are personal ID numbers: shown masked wherever the trail is shown.
SECRET_FIELDS = frozenset({"id_number", "agent_id_number", "phone", "agent_phone"})


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def record(
    session: Session,
    station: Station,
    entity: str,
    entity_id: str,
    action: str,
    *,
    field: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction."""
    entry = AuditEntry(
        entity=entity,
        entity_id=entity_id,
        action=action,
        field=field,
        old_value=as_text(old),
        new_value=as_text(new),
        reason=reason,
        clerk_no=station.settings.clerk_no,
        station_id=station.settings.station_id,
        at=at or station.clock.now(),
    )
    session.add(entry)
    return entry


def record_changes(
    session: Session,
    station: Station,
    entity: str,
    entity_id: str,
    changes: Iterable[tuple[str, Any, Any]],
    reason: str = "",
) -> int:
    """One `edit` entry per (field, old, new) that really changed; returns how many."""
    count = 0
    at = station.clock.now()
    for name, old, new in changes:
        if as_text(old) != as_text(new):
            record(session, station, entity, entity_id, "edit", field=name, old=old, new=new, reason=reason, at=at)
            count += 1
    return count


def trail(station: Station, entity_ids: Iterable[str]) -> list[AuditEntry]:
    """Every entry about these records, oldest first."""
    ids = list(entity_ids)
    with station.read() as session:
        rows = session.exec(
            select(AuditEntry)
            .where(col(AuditEntry.entity_id).in_(ids))
            .order_by(col(AuditEntry.at), col(AuditEntry.change_seq))
        )
        return list(rows)
