"""Storage: pragmas, migrations, refusing newer schemas, record identity and change sequence."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from clerk_tui.db import latest_schema_version, open_database, open_engine, schema_version
from clerk_tui.errors import ClerkError
from clerk_tui.models import Department, Meta, all_tables
from clerk_tui.services.context import Station


@pytest.mark.sqlite_only
def test_pragmas_make_commits_durable(empty_station: Station) -> None:
    with empty_station.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_new_database_is_at_latest_version(empty_station: Station) -> None:
    with empty_station.engine.connect() as conn:
        assert schema_version(conn) == latest_schema_version() >= 1


def test_migrated_schema_matches_the_models(empty_station: Station) -> None:
    """The frozen migration DDL and the SQLModel tables must describe the same columns and indexes."""
    inspector = inspect(empty_station.engine)
    for table in all_tables().sorted_tables:
        db_columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(db_columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert db_columns[column.name]["nullable"] == column.nullable, f"{table.name}.{column.name}"
        db_indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        assert {i.name for i in table.indexes} <= db_indexes, table.name
        db_fks = {
            (fk["referred_table"], tuple(fk["constrained_columns"])) for fk in inspector.get_foreign_keys(table.name)
        }
        model_fks = {(fk.column.table.name, (fk.parent.name,)) for fk in table.foreign_keys}
        assert db_fks == model_fks, table.name


@pytest.mark.sqlite_only
def test_reopening_does_not_migrate_again(settings, tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    open_database(path).dispose()
    engine = open_database(path)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM meta WHERE key = 'schema_version'")).scalar() == 1
    engine.dispose()


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    before = path.read_bytes()
    with pytest.raises(ClerkError) as caught:
        open_database(path)
    assert caught.value.key == "db.too_new"
    assert "999" in caught.value.message()
    assert path.read_bytes() == before


def test_not_a_database_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 200)
    with pytest.raises(ClerkError) as caught:
        open_database(path)
    assert caught.value.key == "db.corrupt"


def test_migration_from_an_older_version_runs_forward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database made by an older program (fewer migrations) is brought up to date."""
    import clerk_tui.db.schema as db

    path = tmp_path / "old.db"
    real = db._migrations()
    calls: list[int] = []

    class Step:
        DESCRIPTION = "test step"

        @staticmethod
        def upgrade(conn) -> None:  # type: ignore[no-untyped-def]
            calls.append(1)
            conn.exec_driver_sql("CREATE TABLE extra_test (x INTEGER)")

    monkeypatch.setattr(db, "_migrations", lambda: real[:1])
    open_database(path).dispose()
    monkeypatch.setattr(db, "_migrations", lambda: [*real[:1], (len(real[:1]) + 1, Step)])
    engine = open_database(path)
    with engine.connect() as conn:
        assert schema_version(conn) == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM extra_test").scalar() == 0
    engine.dispose()
    assert calls == [1]


def test_v006_keeps_every_notice_and_lets_a_paper_belong_to_a_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station or centre database made by v005 keeps every notice, value for value, when
    v006 rebuilds the table, including one whose check never arrived (a centre's)."""
    import clerk_tui.db.schema as db

    path = tmp_path / "v005.db"
    real = db._migrations()
    monkeypatch.setattr(db, "_migrations", lambda: real[:5])
    open_database(path).dispose()
    columns = "id, created_at, updated_at, version, change_seq, check_id, kind, number, text, file_path, print_count"
    rows = [
        ("n1", "2026-11-24 09:30:00.000000", "2026-11-24 09:31:00.500000", 2, 7, "check-never-received",
         "correction", "BZ-20261124-01-001", "一次性告知书\n第二行\n", "/notices/2026/11/BZ.html", 3),
        ("n2", None, None, 1, 8, "another-check", "rongque", "RQ-20261124-01-002", "", "", 0),
    ]  # fmt: skip
    raw = sqlite3.connect(path)
    raw.executemany(f"INSERT INTO notice ({columns}) VALUES ({', '.join('?' * 11)})", rows)
    raw.commit()
    raw.close()
    monkeypatch.setattr(db, "_migrations", lambda: real)
    engine = open_database(path)
    with engine.connect() as conn:
        assert schema_version(conn) == latest_schema_version()
        shape = {c["name"]: c["nullable"] for c in inspect(conn).get_columns("notice")}
        indexes = {i["name"] for i in inspect(conn).get_indexes("notice")}
    engine.dispose()
    assert shape["check_id"] is True and shape["case_id"] is True
    assert {"ix_notice_change_seq", "ix_notice_check_id", "ix_notice_case_id"} <= indexes
    raw = sqlite3.connect(path)
    try:
        assert raw.execute(f"SELECT {columns} FROM notice ORDER BY id").fetchall() == rows
        assert raw.execute("SELECT count(*) FROM notice WHERE case_id IS NULL").fetchone() == (2,)
        # The references that pointed nowhere still do (kept as they were, not refused).
        assert len(raw.execute("PRAGMA foreign_key_check(notice)").fetchall()) == 2
    finally:
        raw.close()
    engine = open_database(path)  # reference checks are back on for everything else
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_v008_indexes_the_booked_appointments_every_start_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A v007 database keeps every appointment when v008 adds the index of booked ones,
    and the expiry of past bookings each start runs reads that index, not every slot."""
    import clerk_tui.db.schema as db

    path = tmp_path / "v007.db"
    real = db._migrations()
    monkeypatch.setattr(db, "_migrations", lambda: real[:7])
    open_database(path).dispose()
    columns = "id, version, change_seq, external_id, queue, slot, applicant_name, phone, matter_code, note, status, source, content_sha256, imported_at"
    rows = [
        (f"a{i}", 1, i, f"YY-{i:04d}", "A", f"2026-11-{20 + i % 5} 10:30:00.000000", "", "", "", "",
         ("booked", "issued", "expired")[i % 3], "", "0" * 64, "2026-11-19 08:00:00.000000")
        for i in range(30)
    ]  # fmt: skip
    raw = sqlite3.connect(path)
    raw.executemany(f"INSERT INTO appointment ({columns}) VALUES ({', '.join('?' * 14)})", rows)
    raw.commit()
    raw.close()
    monkeypatch.setattr(db, "_migrations", lambda: real)
    open_database(path).dispose()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute(f"SELECT {columns} FROM appointment ORDER BY change_seq").fetchall() == rows
        [(sql,)] = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_appointment_booked'").fetchall()
        assert sql == "CREATE INDEX ix_appointment_booked ON appointment (slot) WHERE status = 'booked'"
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM appointment WHERE status = 'booked' AND slot < '2026-11-23' LIMIT 500"
        ).fetchall()
        assert [step[3] for step in plan] == ["SEARCH appointment USING INDEX ix_appointment_booked (slot<?)"]
    finally:
        raw.close()


def test_records_get_uuid_times_and_increasing_change_seq(empty_station: Station, clock) -> None:
    with empty_station.write() as session:
        a = Department(code="D1", name="甲")
        b = Department(code="D2", name="乙")
        session.add_all([a, b])
    assert uuid.UUID(a.id) and uuid.UUID(b.id) and a.id != b.id
    assert a.created_at == a.updated_at == clock.now()
    assert (a.version, b.version) == (1, 1)
    assert b.change_seq > a.change_seq > 0

    clock.advance(minutes=5)
    with empty_station.write() as session:
        row = session.get(Department, a.id)
        row.name = "甲改"
    with empty_station.read() as session:
        edited = session.get(Department, a.id)
    assert edited.version == 2
    assert edited.change_seq > b.change_seq
    assert edited.updated_at == clock.now() and edited.created_at < edited.updated_at
    assert edited.id == a.id


def test_failed_transaction_leaves_nothing(empty_station: Station) -> None:
    with pytest.raises(RuntimeError), empty_station.write() as session:
        session.add(Department(code="D9", name="丙"))
        session.flush()
        raise RuntimeError("power cut")
    with empty_station.read() as session:
        assert session.execute(select(Department)).first() is None
        counter = session.execute(text("SELECT value FROM counter WHERE name = 'change_seq'")).scalar()
    assert counter == 0


def test_foreign_keys_are_enforced(empty_station: Station) -> None:
    from sqlalchemy.exc import IntegrityError

    from clerk_tui.models import TicketEvent

    with pytest.raises(IntegrityError), empty_station.write() as session:
        session.add(TicketEvent(ticket_id="missing", kind="x", at=empty_station.clock.now(), station_id="s"))


def test_meta_table_exists_and_engine_opens_without_migrating(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "raw.db")
    with engine.connect() as conn:
        assert schema_version(conn) == 0
    engine.dispose()
    assert Meta.__tablename__ == "meta"


@pytest.mark.sqlite_only
def test_new_database_is_readable_by_its_owner_only(empty_station: Station, settings) -> None:
    import os

    if os.name != "posix":
        return
    with empty_station.write() as session:
        session.add(Department(code="D1", name="甲"))
    for suffix in ("", "-wal"):
        path = Path(str(settings.database_path) + suffix)
        assert path.stat().st_mode & 0o077 == 0, path


@pytest.mark.sqlite_only
def test_a_v006_database_with_cases_migrates_them_to_the_window(
    settings, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station database made by the program before channels (v006) opens with the new
    program: its cases, all recorded at the window (the only channel it knew), read
    `window`; every value they had stays; the channel index is made."""
    import clerk_tui.db.schema as db
    from clerk_tui.models import Case
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.cases import record as cases
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import open_station
    from clerk_tui.services.sync.export import columns_of
    from tests.case_factory import draft

    real = db._migrations()
    assert [n for n, _ in real][:7] == [1, 2, 3, 4, 5, 6, 7]
    monkeypatch.setattr(db, "_migrations", lambda: real[:6])
    station = open_station(settings, clock)
    import_catalog_file(station, bundled_catalog())
    # Saved by today's service on yesterday's schema: the insert names only the columns
    # the v006 table has, as the older program's did.
    with station.engine.connect() as conn:
        assert "channel" not in columns_of(conn, "service_case")
    first = _insert_v006_case(station, draft(station, "on_the_spot"))
    second = _insert_v006_case(station, draft(station, "consultation", applicant_name="李四"))
    with station.engine.connect() as conn:
        old_cols = columns_of(conn, "service_case")
        before = conn.exec_driver_sql(f"SELECT {', '.join(old_cols)} FROM service_case ORDER BY id").fetchall()
    station.close()

    monkeypatch.setattr(db, "_migrations", lambda: real)
    station = open_station(settings, clock)
    try:
        with station.engine.connect() as conn:
            assert schema_version(conn) == latest_schema_version()
            after = conn.exec_driver_sql(f"SELECT {', '.join(old_cols)} FROM service_case ORDER BY id").fetchall()
            channels = dict(conn.exec_driver_sql("SELECT id, channel FROM service_case").fetchall())
            indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("service_case")}
        assert after == before and len(after) == 2
        assert channels == {first: "window", second: "window"}
        assert indexes["ix_service_case_report_channel"] == [
            "received_at",
            "status",
            "channel",
            "assistance",
            "ticket_id",
        ]
        # And a case recorded now gets the channel chosen for it.
        third = cases.save_case(station, draft(station, "on_the_spot", channel="online"))
        with station.read() as session:
            assert session.get(Case, third.id).channel == "online"
    finally:
        station.close()


def _insert_v006_case(station: Station, case_draft) -> str:  # type: ignore[no-untyped-def]
    """A case stored in a v006 table: the row the service builds, without the channel column."""
    from clerk_tui.models import Case
    from clerk_tui.services.sync.export import columns_of

    with station.read() as session:
        matter = session.execute(
            text("SELECT id, catalog_version_id, code, name FROM matter WHERE id = :id"), {"id": case_draft.matter_id}
        ).one()
    now = station.clock.now()
    case = Case(
        station_id="S",
        matter_id=matter[0],
        catalog_version_id=matter[1],
        matter_code=matter[2],
        matter_name=matter[3],
        applicant_name=case_draft.applicant_name,
        outcome=case_draft.outcome,
        status="completed" if case_draft.outcome == "on_the_spot" else "closed",
        clerk_no="A0123",
        received_at=now,
        case_no=f"20261124-01-{case_draft.outcome[:4]}",
        version=1,
        change_seq=1,
        created_at=now,
        updated_at=now,
    )
    with station.engine.begin() as conn:
        cols = columns_of(conn, "service_case")
        conn.execute(
            text(f"INSERT INTO service_case ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"),
            {c: getattr(case, c) for c in cols},
        )
    return case.id


@pytest.mark.sqlite_only
def test_a_v004_database_upgrades_in_place_without_changing_data(
    settings, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station database made by the program before v005 (provisional deadlines) opens
    with the new program: the columns are added, every stored value stays as it was."""
    from datetime import date

    import clerk_tui.db.schema as db
    from clerk_tui.models import Case, FollowUp
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file
    from clerk_tui.services.station.setup import open_station
    from clerk_tui.services.sync.export import columns_of

    real = db._migrations()
    assert [n for n, _ in real][:5] == [1, 2, 3, 4, 5]
    monkeypatch.setattr(db, "_migrations", lambda: real[:4])
    station = open_station(settings, clock)
    import_catalog_file(station, bundled_catalog())
    with station.read() as session:
        matter = session.execute(text("SELECT id, catalog_version_id, code, name FROM matter LIMIT 1")).one()
    now = clock.now()
    case = Case(
        station_id="S",
        matter_id=matter[0],
        catalog_version_id=matter[1],
        matter_code=matter[2],
        matter_name=matter[3],
        outcome="rongque",
        status="pending",
        promised_deadline=date(2026, 12, 1),
        supply_deadline=date(2026, 11, 27),
        clerk_no="A0123",
        received_at=now,
        accepted_at=now,
        case_no="20261124-03-0001",
        version=1,
        change_seq=1,
        created_at=now,
        updated_at=now,
    )
    with station.engine.begin() as conn:
        cols = columns_of(conn, "service_case")
        assert "deadline_provisional" not in cols
        values = {c: getattr(case, c) for c in cols}
        conn.execute(
            text(f"INSERT INTO service_case ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"), values
        )

    def dump(conn) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
        return {
            t: conn.exec_driver_sql(f'SELECT {", ".join(columns_of(conn, t))} FROM "{t}" ORDER BY id').fetchall()
            for t in ("service_case", "follow_up", "matter", "audit_entry", "calendar_year")
        }

    with station.engine.connect() as conn:
        old_cols = {t: columns_of(conn, t) for t in ("service_case", "follow_up")}
        before = dump(conn)
    station.close()

    monkeypatch.setattr(db, "_migrations", lambda: real)
    station = open_station(settings, clock)
    with station.engine.connect() as conn:
        assert schema_version(conn) == latest_schema_version() >= 5
        after = {
            t: conn.exec_driver_sql(
                f'SELECT {", ".join(old_cols.get(t) or columns_of(conn, t))} FROM "{t}" ORDER BY id'
            ).fetchall()
            for t in before
        }
    assert after == before
    with station.read() as session:
        stored = session.get(Case, case.id)
        assert (stored.deadline_provisional, stored.supplied_on, stored.supplied_note) == (False, None, "")
        assert stored.promised_deadline == date(2026, 12, 1) and stored.version == 1
        assert session.execute(select(FollowUp)).first() is None
    station.close()


# --- damage noticed at start (issue 12) ------------------------------------------------


def _overwrite_page(db: Path, page: int) -> None:
    with sqlite3.connect(db) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xa5" * size)


@pytest.mark.sqlite_only
def test_quick_check_passes_a_healthy_database_and_names_the_latest_backup_for_a_damaged_one(
    station: Station, tmp_path: Path
) -> None:
    import os
    import time

    from clerk_tui.services.queue.tickets import issue_ticket
    from clerk_tui.services.station.maintenance import backup_database, quick_check

    issue_ticket(station, "A")
    db = station.settings.database_path
    backups = tmp_path / "backups"
    quick_check(db, backups)  # healthy: nothing raised
    older = backup_database(db, backups / "clerk-20261120-daily.db")
    newer = backup_database(db, backups / "clerk-20261123-daily.db")
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    with station.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'ticket'").scalar()
    station.close()
    _overwrite_page(db, root)  # the table today's tickets went to
    with pytest.raises(ClerkError) as info:
        quick_check(db, backups)
    assert info.value.key == "db.damaged" and info.value.params["backup"] == str(newer)
    assert "clerk restore" in info.value.message() and str(newer) in info.value.message()
    with pytest.raises(ClerkError) as info:
        quick_check(db, tmp_path / "no-backups")
    assert info.value.key == "db.damaged_no_backup"


def test_quick_check_catches_a_file_that_is_not_sqlite_by_its_header(tmp_path: Path) -> None:
    from clerk_tui.services.station.maintenance import quick_check

    db = tmp_path / "x.db"
    db.write_bytes(b"not a database at all" * 1000)
    with pytest.raises(ClerkError) as info:
        quick_check(db, tmp_path)
    assert info.value.key == "db.damaged_no_backup" and info.value.params["detail"] == "header"


def test_a_database_and_its_wal_and_shm_left_readable_by_others_are_made_owner_only(tmp_path: Path) -> None:
    import os
    import sqlite3
    import stat

    from clerk_tui.db import open_engine

    if os.name != "posix":
        return
    db = tmp_path / "s.db"
    other = sqlite3.connect(db, isolation_level=None)  # another program holds -wal and -shm open
    try:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("CREATE TABLE t (x)")
        files = [db, tmp_path / "s.db-wal", tmp_path / "s.db-shm"]
        for path in files:
            path.chmod(0o644)  # as an older version or a copy by hand left them
        engine = open_engine(db)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM t").scalar()
        engine.dispose()
        assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == dict.fromkeys(
            ("s.db", "s.db-wal", "s.db-shm"), "0o600"
        )
    finally:
        other.close()


# --- storage errors sorted into the clerk's words (issue 18) ----------------------------


@pytest.mark.parametrize(
    ("error", "kind", "key"),
    [
        (sqlite3.OperationalError("database or disk is full"), "DiskFull", "storage.disk_full"),
        (sqlite3.OperationalError("disk I/O error"), "DiskFailed", "storage.disk_failed"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "DatabaseReadOnly", "storage.read_only"),
        (sqlite3.DatabaseError("database disk image is malformed"), "DatabaseDamaged", "storage.damaged"),
        (sqlite3.DatabaseError("file is not a database"), "NotADatabase", "storage.not_a_database"),
        (sqlite3.OperationalError("unable to open database file"), "CannotOpen", "storage.cannot_open"),
        (sqlite3.OperationalError("database is locked"), "DatabaseBusy", "db.locked"),
        (sqlite3.OperationalError("no such table: x"), "StorageError", "storage.failed"),
        (OSError(28, "No space left on device", "/x/report.xlsx"), "DiskFull", "storage.disk_full"),
        (OSError(5, "Input/output error", "/x/y"), "DiskFailed", "storage.disk_failed"),
    ],
)
def test_storage_errors_are_sorted_by_kind_raw_or_wrapped(error: BaseException, kind: str, key: str) -> None:
    import sqlalchemy.exc

    from clerk_tui.db import clerk_error_of, storage_error_of

    wrapped = sqlalchemy.exc.OperationalError("UPDATE counter SET value = 1", None, error)
    for exc in (error, wrapped) if isinstance(error, sqlite3.Error) else (error,):
        found = storage_error_of(exc, "/data/c.db")
        assert found is not None and type(found).__name__ == kind
        said = clerk_error_of(exc, "/data/c.db")
        assert said is not None and said.key == key and "{" not in said.message()


def test_other_os_errors_are_file_errors_and_anything_else_is_none() -> None:
    from clerk_tui.db import clerk_error_of

    said = clerk_error_of(PermissionError(13, "Permission denied", "/x/out.csv"))
    assert said is not None and said.key == "storage.file_failed" and "/x/out.csv" in said.message()
    assert clerk_error_of(OSError(30, "Read-only file system", "/mnt/usb/a")).key == "storage.file_read_only_disk"
    assert clerk_error_of(ValueError("a bug")) is None


def test_the_engine_raises_storage_kinds_naming_the_file(tmp_path: Path) -> None:
    """A real refusal of the engine (its size limit reached) comes out as DiskFull."""
    from sqlalchemy import event

    from clerk_tui.db import DiskFull, write_session

    db = tmp_path / "s.db"
    engine = open_database(db)

    @event.listens_for(engine, "connect")
    def tight(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    with pytest.raises(DiskFull) as info, write_session(engine) as session:
        for n in range(2000):
            session.add(Department(code=f"D{n:05d}", name="部门" * 40))
    assert info.value.path == str(db)
    engine.dispose()


def test_a_database_that_may_not_be_written_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`read_only_reason` is the permission bits (tests/system/test_storage_faults.py runs
    the program held to them); here its answer is given, to test what follows from it."""
    from clerk_tui.db import DatabaseReadOnly, read_session, write_session
    from clerk_tui.db import engine as engine_module

    db = tmp_path / "s.db"
    open_database(db).dispose()
    monkeypatch.setattr(engine_module, "read_only_reason", lambda _path: "file")
    engine = open_database(db)
    try:
        with read_session(engine) as session:
            assert session.exec(select(Meta)).all()
        with pytest.raises(DatabaseReadOnly) as info, write_session(engine) as session:
            session.add(Department(code="D1", name="部门"))
        assert info.value.path == str(db)
        with engine.connect() as conn, pytest.raises(DatabaseReadOnly):  # even past write_session
            conn.exec_driver_sql("INSERT INTO counter (name, value) VALUES ('x', 1)")
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_a_write_waits_its_turn_and_only_a_stuck_holder_makes_it_busy(
    empty_station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holding the write lock briefly is waited for; one holding it past
    the wait gives the clerk "busy", with nothing saved (issue 14, item 7)."""
    import threading

    from clerk_tui.db import engine as db_engine

    blocker = sqlite3.connect(empty_station.settings.database_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, blocker.execute, args=("COMMIT",)).start()
    with empty_station.write() as session:  # waits the 0.3 s out
        session.add(Department(code="D1", name="甲"))
    monkeypatch.setattr(db_engine, "WRITE_WAIT_S", 0.3)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ClerkError) as caught, empty_station.write() as session:
            session.add(Department(code="D2", name="乙"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert caught.value.key == "db.locked"
    with empty_station.read() as session:
        assert [d.code for d in session.execute(select(Department)).scalars()] == ["D1"]


def test_a_database_up_to_date_imports_no_migration(tmp_path: Path) -> None:
    """Every start but the first after an upgrade finds the schema current: the migrations'
    modules are not even imported (issue 15, the start to the first screen)."""
    code = (
        "import sys\n"
        "from clerk_tui.db import open_database\n"
        "from pathlib import Path\n"
        "open_database(Path(sys.argv[1])).dispose()\n"
        "print(sorted(m for m in sys.modules if m.startswith('clerk_tui.db.migrations.')))\n"
    )
    path = str(tmp_path / "station.db")
    made = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    assert made.stdout.count("clerk_tui.db.migrations.v") == latest_schema_version()
    later = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    assert later.stdout.strip() == "[]"
