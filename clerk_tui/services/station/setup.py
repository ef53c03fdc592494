"""Creating a station: its config file, its database, the bundled catalog, the demo."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import col, select

from clerk_tui.clock import Clock, FixedClock
from clerk_tui.config import QueueConfig, Settings, default_data_dir, render_config
from clerk_tui.db import (
    META_ROLE,
    META_STATION_ID,
    META_STATION_KEY,
    StorageError,
    get_meta,
    latest_schema_version,
    newest_value,
    open_database,
    open_engine,
    open_readonly,
    schema_version,
    set_meta,
)
from clerk_tui.errors import ClerkError
from clerk_tui.files import make_private, write_private
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket

if TYPE_CHECKING:
    from clerk_tui.services.catalog.importer import ImportReport


def write_config(settings: Settings, path: Path) -> None:
    write_private(path, render_config(settings))


def open_station(settings: Settings, clock: Clock | None = None, *, centre_ok: bool = False) -> Station:
    """The station on its own database: refused when the database belongs to another station.

    `centre_ok` lets read-only work (reports) run on a centre's merged database too.
    """
    engine = open_database(settings.database_target)
    secure_station_files(settings)
    try:
        check_identity(engine, settings, centre_ok=centre_ok)
    except BaseException:
        engine.dispose()
        raise
    return Station(engine, settings, clock or Clock())


def secure_station_files(settings: Settings) -> None:
    """Make the station's own files and folders owner-only again (POSIX; see `make_private`).

    The database and its -wal/-shm are seen to when they are opened. This covers what an
    older version left readable by others (its folders were 0755), a backup copied back
    by hand, a config edited with a tool that rewrote its mode: the config file, the
    backups folder and its backups, the notices folder, and the default data folder
    (a folder the clerk named for data is theirs: it is left as it is).
    """
    paths = [settings.config_path, settings.backups_path, settings.notices_path]
    if settings.data_dir == default_data_dir():
        paths.append(settings.data_dir)
    if settings.backups_path.is_dir():
        paths += sorted(settings.backups_path.glob("*.db"))
    for path in paths:
        if path is not None:
            make_private(path)


# --- station identity -------------------------------------------------------------------

# Letters a clerk reads out over the phone without confusion (no 0/O, 1/I/L, U).
SUFFIX_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CENTRE_ROLE = "centre"


def area_code_of(value: str) -> str:
    """The six-digit county code from a 6- or 12-digit area code; refused with a reason."""
    code = value.strip()
    if not (code.isascii() and code.isdigit() and len(code) in (6, 12)):
        raise ClerkError("station.bad_area_code", value=value)
    if code[:6] == "000000":
        raise ClerkError("station.area_code_zero", value=value)
    return code[:6]


def bundled_area_code() -> str:
    """The area code of the bundled catalog (the county the program was packaged for)."""
    import json

    doc = json.loads(bundled_catalog().read_text(encoding="utf-8"))
    return area_code_of(str(doc.get("area_code") or "")) if doc.get("area_code") else ""


def new_station_id(area_code: str = "") -> str:
    """A station id no other install is likely to have: the area code plus a random suffix."""
    suffix = "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(4))
    return f"{area_code_of(area_code) if area_code else 'STATION'}-{suffix}"


def database_station(path: Path | str) -> str | None:
    """The station id recorded in a database file, read without changing it (None: none yet).

    A server database is asked over a connection (its schema may not be made yet: None);
    a server that cannot be reached or refuses the login says so (`StorageError`)."""
    if isinstance(path, str):
        return server_station(path)
    if not path.exists():
        return None
    try:
        with open_readonly(path) as db:
            _refuse_newer(db.schema_version())
            return db.meta(META_STATION_ID)
    except StorageError:
        return None


def server_station(url: str) -> str | None:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            version = schema_version(conn)
            _refuse_newer(version)
            return get_meta(conn, META_STATION_ID) if version else None
    finally:
        engine.dispose()


def _refuse_newer(version: int) -> None:
    """A database made by a newer version is refused here, before `init` or a first start
    writes a config for it: nothing is half-made."""
    if version > latest_schema_version():
        raise ClerkError("db.too_new", found=version, supported=latest_schema_version())


def check_identity(engine: Engine, settings: Settings, *, centre_ok: bool = False) -> str:
    """The database's station must be the config's: the station id goes on every ticket,
    case and bundle, so running one station's config on another's database mislabels them.

    A database made before station ids were recorded is claimed here, once: by the station
    of its latest ticket if it has any, else by this config's station. Returns the station key.
    """
    with engine.connect() as conn, conn.begin():  # the usual case reads only: no write lock taken
        role, recorded, key = (get_meta(conn, k) for k in (META_ROLE, META_STATION_ID, META_STATION_KEY))
    if role is None and recorded == settings.station_id and key is not None:
        return key
    from clerk_tui.models import SyncMerge  # the sync's tables: defined on this rare path only

    with engine.connect() as conn:
        conn.execution_options(clerk_write=True)
        with conn.begin():
            role = get_meta(conn, META_ROLE)
            if role is None and conn.execute(select(col(SyncMerge.id)).limit(1)).first():
                role = CENTRE_ROLE
                set_meta(conn, META_ROLE, role)
            if role == CENTRE_ROLE:
                if centre_ok:
                    return ""
                raise ClerkError("station.centre_database", path=settings.database_label)
            recorded = get_meta(conn, META_STATION_ID)
            if recorded is None:
                # The ticket stored last: no index needed on a large table.
                last = newest_value(conn, "ticket", "station_id")
                recorded = str(last) if last is not None else settings.station_id
                if recorded == settings.station_id:
                    set_meta(conn, META_STATION_ID, recorded)
            if recorded != settings.station_id:
                raise ClerkError(
                    "station.mismatch",
                    config_id=settings.station_id,
                    db_id=recorded,
                    config=str(settings.config_path or "-"),
                    db=settings.database_label,
                )
            key = get_meta(conn, META_STATION_KEY)
            if key is None:
                key = uuid.uuid4().hex
                set_meta(conn, META_STATION_KEY, key)
            return key


def station_key(station: Station) -> str:
    """This installation's random key: it tells the centre two stations apart that share an id."""
    with station.read() as session:
        return get_meta(session.connection(), META_STATION_KEY) or ""


def mark_centre(engine: Engine, path: Path | str) -> None:
    """A centre database holds many stations: refuse a station's own database as one."""
    with engine.connect() as conn:
        conn.execution_options(clerk_write=True)
        with conn.begin():
            station_id = get_meta(conn, META_STATION_ID)
            if station_id is not None:
                raise ClerkError("station.not_centre", path=str(path), station=station_id)
            set_meta(conn, META_ROLE, CENTRE_ROLE)


def ensure_catalog(station: Station) -> ImportReport | None:
    """Load the bundled catalog into a station that has none yet.

    Asked at every start: one row of `catalog_version` answers it, without counting the
    matters or defining the catalog's tables (the importer loads them when it runs).
    """
    with station.read() as session:
        if newest_value(session.connection(), "catalog_version", "id") is not None:
            return None
    from clerk_tui.services.catalog.importer import import_catalog_file

    return import_catalog_file(station, bundled_catalog())


DEMO_SETTINGS = Settings(
    station_id="DEMO-510199-01",
    station_name="示例镇便民服务中心",
    station_contact="示例镇人民路1号 · 0000-1234567",
    window_no=3,
    clerk_no="A0123",
    clerk_name="张敏",
    queues=(
        QueueConfig("A", "综合受理", "General"),
        # The check offers a queue's matters by number (services.walk_in): social insurance
        # and medical insurance for B, the real-estate registry for C; A takes any matter.
        QueueConfig("B", "社保医保", "Social insurance", departments=("11510199MB0000004M", "11510199MB0000005Q")),
        QueueConfig("C", "不动产登记", "Real estate", departments=("11510199MB0000002F",)),
    ),
)

# (queue, priority, minutes ago): a morning's queue with a green-channel applicant.
DEMO_TICKETS = [
    ("A", "normal", 42),
    ("B", "normal", 38),
    ("A", "normal", 31),
    ("A", "green", 27),
    ("C", "normal", 24),
    ("B", "normal", 19),
    ("A", "normal", 15),
    ("A", "normal", 9),
    ("B", "green", 6),
    ("C", "normal", 4),
    ("A", "normal", 2),
]


def demo_config_path(data_dir: Path) -> Path:
    return data_dir / "demo" / "config.toml"


def create_demo(data_dir: Path, language: str = "zh", clock: Clock | None = None) -> Station:
    """A fresh throwaway demo station: bundled catalog and a morning's waiting tickets.

    Its own config file sits beside its database, so the board, the kiosk and an export
    started with `--config` on it work for the demo station, never the real one.
    """
    demo_dir = data_dir / "demo"
    db = demo_dir / "demo.db"
    for leftover in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    config = demo_config_path(data_dir)
    settings = replace(DEMO_SETTINGS, language=language, data_dir=demo_dir, database=db, config_path=config)
    write_config(settings, config)
    clock = clock or Clock()
    station = open_station(settings, clock)
    ensure_catalog(station)
    now = clock.now()
    for queue, priority, minutes_ago in DEMO_TICKETS:
        past = Station(station.engine, settings, FixedClock(now - timedelta(minutes=minutes_ago)))
        issue_ticket(past, queue, priority, via="kiosk")
    return station
