"""The PostgreSQL store itself: its schema against SQLite's, the guards, a new database
opened by two programs at once, reconnecting after a restart, a connection lost in the
middle of a save, and `clerk check`'s look at a server database (issue 14, item 5)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError

from clerk_tui.clock import FixedClock
from clerk_tui.db import (
    META_ROLE,
    StorageError,
    clerk_error_of,
    latest_schema_version,
    open_database,
    open_engine,
    schema_version,
    set_meta,
)
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models import all_tables
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.cases import record as cases
from clerk_tui.services.catalog.importer import import_catalog_file
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_ticket
from clerk_tui.services.station.server_maintenance import check_server_database
from clerk_tui.services.station.setup import DEMO_SETTINGS, open_station
from tests.case_factory import draft
from tests.conftest import FIXED_NOW, table_counts
from tests.pg_cluster import Cluster

# --- the schema: made from the models on PostgreSQL, by the migrations on SQLite ---------


def _where(value: object) -> str:
    """A partial index's WHERE as both engines would agree on it: no parentheses, casts or case."""
    words = "" if value is None else str(value).lower()
    words = re.sub(r"::\w+", "", words)
    return re.sub(r"[()\s]+", " ", words).strip()


def _shape(engine: Engine) -> dict[str, object]:
    """Every table's columns (kind, length, nullable), primary key, unique keys, indexes
    (columns, unique, WHERE) and foreign keys, in words both engines share."""
    inspector = inspect(engine)
    shape: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            c["name"]: (c["type"]._type_affinity.__name__, getattr(c["type"], "length", None), c["nullable"])
            for c in inspector.get_columns(table)
        }
        indexes = {
            i["name"]: (
                tuple(i["column_names"]),
                bool(i["unique"]),
                _where(next((v for k, v in i["dialect_options"].items() if k.endswith("_where")), None)),
            )
            for i in inspector.get_indexes(table)
            if not i.get("duplicates_constraint")  # PostgreSQL lists a unique constraint's index too
        }
        unique = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in inspector.get_foreign_keys(table)
        )
        pk = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
        shape[table] = {"columns": columns, "pk": pk, "unique": unique, "indexes": indexes, "fks": fks}
    return shape


def test_the_server_schema_is_the_one_the_migrations_make_on_sqlite(pg_url: str, tmp_path: Path) -> None:
    sqlite = open_database(tmp_path / "station.db")
    server = open_engine(pg_url)
    try:
        on_sqlite, on_server = _shape(sqlite), _shape(server)
    finally:
        sqlite.dispose()
        server.dispose()
    assert set(on_server) == set(on_sqlite) == {t.name for t in all_tables().sorted_tables}
    for table in on_sqlite:
        assert on_server[table] == on_sqlite[table], table
    # The partial indexes really are partial on both, with the same condition.
    partial = {
        (table, name): shape[2]
        for table, value in on_server.items()
        for name, shape in value["indexes"].items()  # type: ignore[index]
        if shape[2]
    }
    assert partial[("ticket", "ux_ticket_number_per_day")] == "transferred_from_id is null"
    assert partial[("service_case", "ix_service_case_provisional")] == "deadline_provisional"


# --- the guards: an append-only audit trail, cases never deleted -------------------------


@pytest.fixture
def pg_station(pg_url: str, tmp_path: Path) -> Iterator[Station]:
    """A station on a server database, the bundled catalog imported."""
    settings = replace(DEMO_SETTINGS, data_dir=tmp_path / "data", database=pg_url)
    station = open_station(settings, FixedClock(FIXED_NOW))
    import_catalog_file(station, bundled_catalog())
    yield station
    station.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET reason = 'rewritten'",
        "DELETE FROM audit_entry",
        "DELETE FROM service_case",
    ],
)
def test_the_server_refuses_to_rewrite_the_audit_trail_or_delete_a_case(pg_station: Station, statement: str) -> None:
    cases.save_case(pg_station, draft(pg_station))
    before = table_counts(pg_station.settings)
    with pg_station.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() > 0
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text(statement))
        conn.rollback()
        detail = conn.execute(text("SELECT count(*) FROM audit_entry WHERE reason = 'rewritten'")).scalar_one()
    assert "append-only" in str(caught.value) or "never deleted" in str(caught.value)
    assert detail == 0 and table_counts(pg_station.settings) == before


# --- a new database opened by two programs at once ----------------------------------------


def test_two_programs_opening_a_new_empty_server_database_at_once_both_succeed(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    name = "fresh_race"
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name}")
    pg_cluster.admin(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    try:
        for _ in range(3):  # the schema made again from nothing each round
            start = threading.Barrier(2)
            outcomes: list[object] = []

            def open_it(start: threading.Barrier = start, outcomes: list[object] = outcomes) -> None:
                start.wait()
                try:
                    open_database(url).dispose()
                    outcomes.append("ok")
                except BaseException as exc:
                    outcomes.append(exc)

            threads = [threading.Thread(target=open_it) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert outcomes == ["ok", "ok"]
            engine = open_engine(url)
            with engine.connect() as conn:
                assert schema_version(conn) == latest_schema_version()
                assert conn.execute(text("SELECT count(*) FROM meta WHERE key = 'schema_version'")).scalar_one() == 1
                assert conn.execute(text("SELECT count(*) FROM counter WHERE name = 'change_seq'")).scalar_one() == 1
                conn.rollback()
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
                conn.commit()
            engine.dispose()
    finally:
        pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the server restarts; a connection is lost during a save ------------------------------


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this test's own: restarting it disturbs no other test."""
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_after_the_server_restarts_the_next_call_works(own_cluster: Cluster, tmp_path: Path) -> None:
    settings = replace(DEMO_SETTINGS, data_dir=tmp_path / "data", database=own_cluster.new_database())
    station = open_station(settings, FixedClock(FIXED_NOW))
    try:
        first = issue_ticket(station, "A")
        own_cluster.restart()  # every pooled connection is now dead
        second = issue_ticket(station, "A")
        assert second.serial == first.serial + 1
    finally:
        station.close()


def _terminate_on(engine: Engine, admin: Cluster, statement: str) -> list[int]:
    """From the moment `statement` (its start) is sent on `engine`, its server process is
    terminated from another connection, as a server restart or a network cut would:
    the transaction is open and written into, not committed. Returns the pids cut."""
    cut: list[int] = []

    def before(conn, cursor, sql, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith(statement) and not cut:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            cut.append(pid)
            admin.admin(f"SELECT pg_terminate_backend({pid})")

    event.listen(engine, "before_cursor_execute", before)
    return cut


def test_a_connection_lost_in_the_middle_of_a_save_says_not_saved_and_saves_nothing(
    pg_station: Station, pg_cluster
) -> None:  # type: ignore[no-untyped-def]
    the_draft = draft(pg_station)
    before = table_counts(pg_station.settings)
    cut = _terminate_on(pg_station.engine, pg_cluster, "INSERT INTO SERVICE_CASE")
    with pytest.raises(StorageError) as caught:
        cases.save_case(pg_station, the_draft)
    assert cut, "the save never reached the case insert"
    said = clerk_error_of(caught.value)
    assert isinstance(said, ClerkError) and said.key == "server.connection_lost"
    assert "未保存" in said.message()
    assert table_counts(pg_station.settings) == before
    # The next save takes a new connection and goes through.
    saved = cases.save_case(pg_station, the_draft)
    assert saved.case_no


# --- clerk check on a server database ------------------------------------------------------


def test_check_finds_a_healthy_station_database_sound(pg_station: Station, pg_url: str) -> None:
    cases.save_case(pg_station, draft(pg_station))
    assert check_server_database(pg_url, "s") == []


def _run(url: str, *statements: str) -> None:
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_check_reports_references_to_nothing_on_a_station(pg_station: Station, pg_url: str) -> None:
    # Loaded around the constraints (as a restore with triggers off, or a replica, can).
    _run(
        pg_url,
        "SET LOCAL session_replication_role = replica",
        "INSERT INTO ticket_event (id, version, change_seq, ticket_id, kind, at, station_id, detail) "
        "VALUES ('x', 1, 0, 'no-such-ticket', 'called', '2026-11-24 09:00:00', 's', '')",
    )
    problems = check_server_database(pg_url, "s")
    assert problems == [t("check.foreign_keys", count=1, tables="ticket_event")]


def test_check_on_a_centre_counts_its_dropped_references_as_the_sqlite_centre_check_does(
    pg_station: Station, pg_url: str
) -> None:
    from clerk_tui.db.server_schema import drop_reference_constraints

    cases.save_case(pg_station, draft(pg_station))
    engine = open_engine(pg_url)
    with engine.begin() as conn:
        assert drop_reference_constraints(conn) > 0
        set_meta(conn, META_ROLE, "centre")
        conn.execute(text("DELETE FROM meta WHERE key IN ('station_id', 'station_key')"))
    engine.dispose()
    # The centre holds no catalog: cases point at matters it never had; that is expected.
    _run(pg_url, "DELETE FROM material", "DELETE FROM matter", "DELETE FROM department")
    assert check_server_database(pg_url, "c") == []
    # A reference to a record the centre should hold (a ticket) is reported.
    _run(
        pg_url,
        "INSERT INTO ticket_event (id, version, change_seq, ticket_id, kind, at, station_id, detail) "
        "VALUES ('x', 1, 0, 'no-such-ticket', 'called', '2026-11-24 09:00:00', 's', '')",
    )
    assert check_server_database(pg_url, "c") == [t("check.centre_foreign_keys", count=1, tables="ticket_event")]


def test_check_reports_a_missing_unique_key_its_duplicates_and_a_disabled_guard(
    pg_station: Station, pg_url: str
) -> None:
    _run(
        pg_url,
        "ALTER TABLE calendar_day DROP CONSTRAINT calendar_day_day_key",
        "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only_update",
        "INSERT INTO calendar_day (id, version, change_seq, day, kind, name) VALUES "
        "('d1', 1, 0, '2026-10-01', 'holiday', ''), ('d2', 1, 0, '2026-10-01', 'holiday', '')",
    )
    problems = check_server_database(pg_url, "s")
    assert len(problems) == 2, problems
    assert "calendar_day(day)" in problems[0] and "audit_entry_append_only_update" in problems[0]
    assert problems[1] == t("check.duplicates", count=1, tables="calendar_day(day)")


def test_check_says_which_schema_version_is_wrong(pg_url: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    latest = latest_schema_version()
    _run(pg_url, f"UPDATE meta SET value = '{latest + 1}' WHERE key = 'schema_version'")
    assert check_server_database(pg_url, "s") == [t("db.too_new", found=latest + 1, supported=latest)]
    _run(pg_url, f"UPDATE meta SET value = '{latest - 1}' WHERE key = 'schema_version'")
    assert check_server_database(pg_url, "s") == [t("check.schema_behind", found=latest - 1, latest=latest)]
    pg_cluster.admin("DROP DATABASE IF EXISTS empty_one")
    pg_cluster.admin("CREATE DATABASE empty_one")
    try:
        empty = pg_cluster.url("empty_one")
        assert check_server_database(empty, "e") == [t("check.server_empty", path="e")]
        _run(empty, "CREATE TABLE something_else (x int)")
        assert check_server_database(empty, "e") == [t("check.server_not_clerk", path="e")]
        # The check made nothing.
        engine = open_engine(empty)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["something_else"]
        engine.dispose()
    finally:
        pg_cluster.admin("DROP DATABASE IF EXISTS empty_one WITH (FORCE)")


def test_a_server_database_made_before_v006_is_upgraded_in_place(pg_url: str) -> None:
    """A hall's database made by the program before papers of cases without a check
    (v005: `notice.check_id NOT NULL`, no `case_id`) gets v006's `upgrade_server` on the
    next start, and then has the schema the models make."""
    _run(
        pg_url,
        "DROP INDEX ix_appointment_booked",  # v008's, which a v005 database has not either
        "DROP INDEX ix_notice_case_id",
        "ALTER TABLE notice DROP COLUMN case_id",
        "ALTER TABLE notice ALTER COLUMN check_id SET NOT NULL",
        # v007's change undone too: v006 and every later version run again.
        "DROP INDEX ix_service_case_report_channel",
        "ALTER TABLE service_case DROP COLUMN channel",
        "UPDATE meta SET value = '5' WHERE key = 'schema_version'",
    )
    engine = open_database(pg_url)
    try:
        with engine.connect() as conn:
            assert schema_version(conn) == latest_schema_version()
            columns = {c["name"]: c["nullable"] for c in inspect(conn).get_columns("notice")}
            indexes = {i["name"] for i in inspect(conn).get_indexes("notice")}
        assert columns["check_id"] is True and columns["case_id"] is True
        assert "ix_notice_case_id" in indexes
    finally:
        engine.dispose()


def test_a_server_database_made_before_v007_with_cases_migrates_them_to_the_window(pg_station: Station) -> None:
    """A hall's database made by the program before channels (v006: no `service_case.channel`)
    gets v007's `upgrade_server` on the next start: its cases, recorded at the window (the
    only channel that program knew), read `window`; everything else stays as it was."""
    case = cases.save_case(pg_station, draft(pg_station, "on_the_spot"))
    url = pg_station.settings.database_url
    assert url is not None
    pg_station.close()
    _run(
        url,
        "DROP INDEX ix_service_case_report_channel",
        "ALTER TABLE service_case DROP COLUMN channel",
        "DROP INDEX ix_appointment_booked",  # v008's, which a v006 database has not either
        "UPDATE meta SET value = '6' WHERE key = 'schema_version'",
    )
    engine = open_database(url)
    try:
        with engine.connect() as conn:
            assert schema_version(conn) == latest_schema_version()
            row = conn.execute(
                text("SELECT channel, outcome, case_no, version FROM service_case WHERE id = :id"), {"id": case.id}
            ).one()
            indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("service_case")}
        assert tuple(row) == ("window", "on_the_spot", case.case_no, 1)
        assert indexes["ix_service_case_report_channel"] == [
            "received_at",
            "status",
            "channel",
            "assistance",
            "ticket_id",
        ]
    finally:
        engine.dispose()


def test_a_server_database_made_before_v008_gets_the_index_of_booked_appointments(pg_url: str) -> None:
    """A hall's database made at v007 gets v008's `upgrade_server` on the next start: the
    partial index of the appointments still booked, as the models make it."""
    _run(pg_url, "DROP INDEX ix_appointment_booked", "UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    engine = open_database(pg_url)
    try:
        with engine.connect() as conn:
            assert schema_version(conn) == latest_schema_version()
            indexes = {i["name"]: i for i in inspect(conn).get_indexes("appointment")}
        booked = indexes["ix_appointment_booked"]
        assert booked["column_names"] == ["slot"]
        assert _where(booked["dialect_options"]["postgresql_where"]) == "status = 'booked'"
    finally:
        engine.dispose()
