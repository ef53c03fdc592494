"""Creating a station: its config file, its database, the bundled catalog, the demo."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from clerk_tui.clock import Clock, FixedClock
from clerk_tui.config import QueueConfig, Settings, render_config
from clerk_tui.db import open_database
from clerk_tui.resources import bundled_catalog
from clerk_tui.services import catalog
from clerk_tui.services.catalog_import import ImportReport, import_catalog_file
from clerk_tui.services.context import Station
from clerk_tui.services.tickets import issue_ticket


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (it names the station and the clerk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_config(settings: Settings, path: Path) -> None:
    write_private(path, render_config(settings))


def open_station(settings: Settings, clock: Clock | None = None) -> Station:
    return Station(open_database(settings.database_path), settings, clock or Clock())


def ensure_catalog(station: Station) -> ImportReport | None:
    """Load the bundled catalog into a station that has none yet."""
    if catalog.summary(station).label is not None:
        return None
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
    ("A", "normal", 42), ("B", "normal", 38), ("A", "normal", 31), ("A", "green", 27),
    ("C", "normal", 24), ("B", "normal", 19), ("A", "normal", 15), ("A", "normal", 9),
    ("B", "green", 6), ("C", "normal", 4), ("A", "normal", 2),
]


def create_demo(data_dir: Path, language: str = "zh", clock: Clock | None = None) -> Station:
    """A fresh throwaway demo station: bundled catalog and a morning's waiting tickets."""
    demo_dir = data_dir / "demo"
    db = demo_dir / "demo.db"
    for leftover in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    settings = replace(DEMO_SETTINGS, language=language, data_dir=demo_dir, database=db)
    clock = clock or Clock()
    station = open_station(settings, clock)
    import_catalog_file(station, bundled_catalog())
    now = clock.now()
    for queue, priority, minutes_ago in DEMO_TICKETS:
        past = Station(station.engine, settings, FixedClock(now - timedelta(minutes=minutes_ago)))
        issue_ticket(past, queue, priority, via="kiosk")
    return station
