"""The `meta` table: small facts about the database itself, by key."""

from __future__ import annotations

from sqlalchemy import Connection, text

# Which station a database belongs to (services.station.setup.check_identity): its id, and
# a random key made when it was first opened that tells apart two installs sharing an id.
META_STATION_ID = "station_id"
META_STATION_KEY = "station_key"
META_ROLE = "role"  # "centre" for a centre's merged database


def get_meta(conn: Connection, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
    return row[0] if row else None


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        text("INSERT INTO meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": value},
    )
