"""Shared fixtures: a station on a throwaway database seeded from `data/`, a fixed clock."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

# CI runs the property tests with a fixed seed, so a red build always reproduces;
# developers' runs keep exploring new examples (and found real bugs that way).
from hypothesis import settings as hypothesis_settings

from clerk_tui.clock import FixedClock
from clerk_tui.config import Settings
from clerk_tui.i18n import set_language
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.catalog.importer import import_catalog_file
from clerk_tui.services.context import Station
from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station

hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# A Tuesday morning; 2026-11-24 is an ordinary working day.
FIXED_NOW = datetime(2026, 11, 24, 9, 30)

TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "ui", "system")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test by its folder, so `-m unit`, `-m ui` and `-m system` pick a kind."""
    for item in items:
        try:
            kind = item.path.resolve().relative_to(TESTS).parts[0]
        except ValueError:  # a test outside tests/, named on the command line
            continue
        if kind not in KINDS:
            raise pytest.UsageError(f"{item.nodeid}: test modules live in tests/unit, tests/ui or tests/system")
        item.add_marker(kind)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the real user's config or data folders.

    The config is found where a first start looks for it (not through $CLERK_TUI_CONFIG,
    which must name an existing file): `config.default_config_path()` is tmp/config/config.toml.
    """
    from types import SimpleNamespace

    from clerk_tui import config

    monkeypatch.delenv("CLERK_TUI_CONFIG", raising=False)
    monkeypatch.setattr(
        config,
        "_dirs",
        lambda: SimpleNamespace(
            user_config_dir=str(tmp_path / "config"), user_data_dir=str(tmp_path / "xdg-data" / "clerk-tui")
        ),
    )
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # Tests run side by side (pytest-xdist): nothing may fall back on the shared home folder.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def no_real_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test prints on the machine's own printer (`lp`, Windows' default printer): a test
    that prints A4 puts its own stand-in here."""
    from clerk_tui.services.station import printers

    monkeypatch.setattr(printers, "system_printer", lambda: None)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A focused field's cursor stays shown. It blinks every 0.5 s, so a snapshot taken
    more than half a second after the last key (a loaded machine) caught it hidden: the
    case form's snapshot failed one run in three with tests running side by side."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


# --- the two stores ----------------------------------------------------------------------
# A station's embedded SQLite file, and a hall's or centre's PostgreSQL server. The service,
# concurrency and sync tests run on both (`tests/unit/conftest.py` and the system tests that
# ask for `store` parametrize it); everything else runs on SQLite.
STORES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """One throwaway PostgreSQL cluster per test process, started when a test first needs it."""
    from tests.pg_cluster import Cluster

    cluster = Cluster()
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A new server database holding the migrated, empty schema (dropped afterwards)."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture
def store() -> str:
    """The store a test runs on: SQLite unless its folder or module parametrizes it."""
    return "sqlite"


@pytest.fixture
def settings(tmp_path: Path, store: str, request: pytest.FixtureRequest) -> Settings:
    database: Path | str = tmp_path / "data" / "station.db"
    if store == "postgresql":
        database = request.getfixturevalue("pg_url")
    return replace(DEMO_SETTINGS, data_dir=tmp_path / "data", database=database)


@pytest.fixture
def empty_station(settings: Settings, clock: FixedClock) -> Iterator[Station]:
    """A migrated station database with nothing in it."""
    station = open_station(settings, clock)
    yield station
    station.close()


@pytest.fixture
def station(empty_station: Station) -> Station:
    """A station with the bundled catalog imported."""
    import_catalog_file(empty_station, bundled_catalog())
    return empty_station


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let pending database workers finish and the screen repaint.

    A DataTable measures its columns when the app next goes idle, not when rows are added;
    with timers ticking that can be after a snapshot is taken, so wait until no table has
    a pending measurement.
    """
    from textual.widgets import DataTable
    from textual.worker import WorkerCancelled, WorkerState

    await pilot.pause()
    # wait_for_complete waits for the workers running when it is called, but a worker's
    # callback can start the next one (an action's result refreshes the view). On a loaded
    # machine, with tests running side by side, that one was often still running: wait
    # until none is left.
    for _ in range(50):
        with contextlib.suppress(WorkerCancelled):  # an exclusive load replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers):
            break
    await pilot.wait_for_scheduled_animations()
    # A pushed screen mounts and takes focus in its own message queue, after the app's
    # queue is idle: on a loaded machine a key pressed now would reach a screen with no
    # focused widget (an Enter meant for a dialog's list would be lost). A clerk sees
    # the dialog before typing; wait for what they would see.
    for _ in range(250):
        screen = pilot.app.screen
        if screen.is_mounted and (screen.focused is not None or not screen.focus_chain):
            break
        await pilot.pause(0.02)
    for _ in range(50):
        tables = list(pilot.app.screen.query(DataTable))
        if not any(t._require_update_dimensions or t._updated_cells for t in tables):
            break
        await pilot.pause(0.02)
    await pilot.pause()


def press(*keys: str):  # type: ignore[no-untyped-def]
    """A snapshot's `run_before`: settle, then each key in turn, settling after each."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def table_counts(db: Path | str | Settings) -> tuple:
    """Rows per table and the change counter: equal before and after means nothing was written."""
    if isinstance(db, Settings):
        db = db.database_target
    if isinstance(db, str):
        return _server_table_counts(db)
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        counts = tuple(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        counter = conn.execute("SELECT value FROM counter WHERE name = 'change_seq'").fetchone()[0]
    finally:
        conn.close()
    return counts, counter


def _server_table_counts(url: str) -> tuple:
    from sqlalchemy import inspect, text

    from clerk_tui.db import open_engine

    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            counts = tuple(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables)
            counter = conn.execute(text("SELECT value FROM counter WHERE name = 'change_seq'")).scalar_one()
    finally:
        engine.dispose()
    return counts, counter
