"""The benchmark database generator (`bench/generate.py`), on a tiny database."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import bench.generate as bench_generate
from bench.generate import BULK_TABLES, generate_catalog_file, generate_station_db, stored_params
from clerk_tui.services.catalog.file import parse_catalog

END = date(2026, 11, 20)
TS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def _generate(tmp_path: Path, name: str) -> tuple[Path, dict]:
    db = tmp_path / f"{name}.db"
    counts = generate_station_db(
        db,
        days=21,
        tickets_per_day=20,
        seed=7,
        catalog_matters=200,
        catalog_path=tmp_path / f"{name}-catalog.json",
        end_date=END,
    )
    return db, counts


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path, dict]:
    tmp = tmp_path_factory.mktemp("bench")
    first, counts1 = _generate(tmp, "one")
    second, counts2 = _generate(tmp, "two")
    return first, counts1, second, counts2


def _record_tables(conn: sqlite3.Connection) -> list[str]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [t for t in tables if any(c[1] == "change_seq" for c in conn.execute(f"PRAGMA table_info({t})"))]


def test_counts_match_the_database(two_runs) -> None:
    db, counts, _, _ = two_runs
    conn = sqlite3.connect(db)
    tables = set(_record_tables(conn))
    checked = 0
    for key, value in counts.items():
        if key in tables:
            assert conn.execute(f"SELECT count(*) FROM {key}").fetchone()[0] == value, key
            checked += 1
    assert checked >= 14
    assert counts["matter"] == 200  # the synthetic catalog includes the 13 bundled matters
    assert counts["ticket"] > 200 and counts["service_case"] > 180 and counts["rating"] > 150
    # about one case per served ticket, outcomes and statuses the services would write
    served = conn.execute("SELECT count(*) FROM ticket WHERE status = 'done'").fetchone()[0]
    with_ticket = conn.execute("SELECT count(*) FROM service_case WHERE ticket_id IS NOT NULL").fetchone()[0]
    assert with_ticket == served
    assert (
        conn.execute("SELECT count(*) FROM service_case WHERE outcome = 'correction' AND check_id IS NULL").fetchone()[
            0
        ]
        == 0
    )
    conn.close()


def test_every_row_is_stamped_and_change_seq_is_unique(two_runs) -> None:
    db, counts, _, _ = two_runs
    conn = sqlite3.connect(db)
    seqs: list[int] = []
    for table in _record_tables(conn):
        rows = conn.execute(f"SELECT id, created_at, updated_at, version, change_seq FROM {table}").fetchall()
        for id_, created, updated, version, seq in rows:
            assert len(id_) == 36, (table, id_)
            if table in BULK_TABLES:  # the catalog's ids are the import service's (uuid5 of the code)
                assert id_[14] == "4", (table, id_)
            assert created and updated and version == 1, table
            assert TS.match(created) and TS.match(updated), (table, created, updated)
            assert updated >= created[:19], (table, created, updated)
            seqs.append(seq)
    assert len(seqs) == len(set(seqs))
    counter = conn.execute("SELECT value FROM counter WHERE name = 'change_seq'").fetchone()[0]
    assert counter == max(seqs) == counts["change_seq"]
    for (issued,) in conn.execute("SELECT issued_at FROM ticket LIMIT 50"):
        assert TS.match(issued)
    conn.close()


def test_foreign_keys_hold(two_runs) -> None:
    db, _, _, _ = two_runs
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_same_seed_same_data(two_runs) -> None:
    first, counts1, second, counts2 = two_runs
    for key in counts1:
        if key not in ("seconds", "catalog_seconds"):
            assert counts1[key] == counts2[key], key

    def content(db: Path) -> tuple[list, list]:
        conn = sqlite3.connect(db)
        tickets = conn.execute(
            "SELECT service_date, number, queue, priority, status, issued_at, first_called_at, window_no, clerk_no "
            "FROM ticket ORDER BY change_seq"
        ).fetchall()
        cases = conn.execute(
            "SELECT case_no, matter_code, outcome, status, applicant_name, id_number, promised_deadline "
            "FROM service_case ORDER BY change_seq"
        ).fetchall()
        conn.close()
        return tickets, cases

    assert content(first) == content(second)
    assert stored_params(first) == stored_params(second)
    assert stored_params(first)["days"] == 21


def test_synthetic_catalog_parses(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    info = generate_catalog_file(path, matters=300, seed=3)
    doc = parse_catalog(path.read_bytes(), str(path))
    assert len(doc.matters) == info["matters"] == 300
    assert len(doc.departments) == info["departments"]
    assert len({m["code"] for m in doc.matters}) == 300
    assert all(3 <= len(m["materials"]) <= 8 for m in doc.matters[13:])
    again = tmp_path / "again.json"
    generate_catalog_file(again, matters=300, seed=3)
    assert again.read_bytes() == path.read_bytes()


def _time_order_violations(db: Path) -> tuple[list, list]:
    """Tickets whose times run backwards, and tickets whose events do (in the order written)."""
    conn = sqlite3.connect(db)
    try:
        tickets = []
        for row in conn.execute(
            "SELECT number, service_date, priority, issued_at, first_called_at, last_called_at, "
            "service_started_at, finished_at FROM ticket"
        ):
            times = [t for t in row[3:] if t is not None]
            if times != sorted(times):
                tickets.append(row)
        events = []
        last: dict[str, tuple[str, str]] = {}
        for ticket_id, kind, at in conn.execute("SELECT ticket_id, kind, at FROM ticket_event ORDER BY change_seq"):
            before = last.get(ticket_id)
            if before is not None and at < before[1]:
                events.append((ticket_id, before, (kind, at)))
            last[ticket_id] = (kind, at)
        return tickets, events
    finally:
        conn.close()


def test_ticket_times_run_forward(two_runs) -> None:
    """issued ≤ first called ≤ last called ≤ started ≤ finished, and each ticket's events in time order."""
    db, _, _, _ = two_runs
    tickets, events = _time_order_violations(db)
    assert tickets == []
    assert events == []


@pytest.mark.parametrize("overloaded", [False, True])
def test_ticket_times_run_forward_with_several_windows_per_queue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overloaded: bool
) -> None:
    """A busier hall (several windows per queue: idle windows, lunch pauses, appointments, transfers).

    Overloaded: services take twice as long and many A tickets go on to B/C, so queues run past
    the day end and some transfers come out of a service that ended after it.
    """
    if overloaded:
        monkeypatch.setattr(bench_generate, "TRANSFER_SHARE", 0.3)
        monkeypatch.setattr(
            bench_generate, "SERVICE_MEDIAN", {k: 2 * v for k, v in bench_generate.SERVICE_MEDIAN.items()}
        )
    db = tmp_path / "busy.db"
    generate_station_db(db, days=10, tickets_per_day=480, seed=1, catalog_matters=None, end_date=END)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(DISTINCT window_no) FROM ticket").fetchone()[0] > 3
    assert conn.execute("SELECT count(*) FROM ticket WHERE priority = 'appointment'").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM ticket WHERE transferred_from_id IS NOT NULL").fetchone()[0] > 0
    conn.close()
    tickets, events = _time_order_violations(db)
    assert tickets == []
    assert events == []
