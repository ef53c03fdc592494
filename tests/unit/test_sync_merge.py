"""Export → centre merge → receipt: the round trip, idempotence, order, gaps, conflicts, damage."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.queue.tickets import issue_in, issue_ticket
from clerk_tui.services.station.setup import open_station
from clerk_tui.services.sync.bundle import SYNC_TABLES, BundleError, verify_bundle
from clerk_tui.services.sync.export import export_bundle, sync_status
from clerk_tui.services.sync.merge import BundleMerge, merge_bundle, merge_bundles
from clerk_tui.services.sync.receipt import import_receipt, read_receipt, write_receipts
from tests.sync_helpers import edit_case, forge, make_centre, plain_member, populate, rows, same_data, trust


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def centre(tmp_path: Path, store: str, request: pytest.FixtureRequest, station: Station):
    """The centre runs on the other store: a station on SQLite sends its bundles to a centre
    on PostgreSQL, a hall on PostgreSQL to a centre on SQLite (each engine plays both parts).
    The station is enrolled there and has imported the centre's key."""
    database = request.getfixturevalue("pg_url") if store == "sqlite" else None
    c = make_centre(tmp_path, database=database)
    trust(c, station)
    yield c
    c.close()


def db(station: Station) -> Station:
    return station


def signer(centre: Station):  # type: ignore[no-untyped-def]
    from clerk_tui.services.sync import keys

    return keys.require_centre(centre.settings)


def counter(station: Station) -> int:
    with station.engine.connect() as conn:
        return conn.execute(text("SELECT value FROM counter WHERE name = 'change_seq'")).scalar()


def test_round_trip_gives_the_centre_equal_records(station, out, centre) -> None:
    populate(station, 3)
    result = export_bundle(station, out)
    assert result is not None and result.bundle_seq == 1 and result.previous_seq is None
    assert result.counts["service_case"] == 3 and result.counts["check_item"] == 6
    report = merge_bundles(centre, [result.path])
    assert report.ok and report.missing == {} and report.dangling == {}
    merged = report.bundles[0]
    for table in SYNC_TABLES:
        assert merged.counts[table].new == result.counts[table] == len(rows(db(centre), table)), table
    assert same_data(db(station), db(centre))  # ids, versions, times to the microsecond, booleans
    case = next(iter(rows(db(centre), "service_case").values()))
    assert case["received_at"] == datetime(2026, 11, 24, 9, 23) and case["promised_deadline"] == date(2026, 12, 8)
    # What travelled is the wire format (`sync.wire`), not either engine's storage text.
    first = json.loads(plain_member(result.path, centre, "data/service_case.jsonl").decode("utf-8").splitlines()[0])
    assert first["received_at"] == "2026-11-24T09:23:00.000000" and first["promised_deadline"] == "2026-12-08"
    assert first["deadline_provisional"] is False


def test_bundle_holds_manifest_jsonl_and_bom_csv(station, out) -> None:
    """CSV copies go on the stick only when asked for (clear text); by default they do not."""
    populate(station, 1)
    plain = export_bundle(station, out)
    with zipfile.ZipFile(plain.path) as zf:
        assert set(zf.namelist()) == {f"data/{t}.jsonl" for t in SYNC_TABLES} | {"manifest.json", "manifest.sig"}
    assert not plain.encrypted  # this station has not imported the centre's key
    result = export_bundle(station, out, full=True, csv_on_stick=True)
    assert result.csv_on_stick
    assert not list(out.glob(".*partial"))
    with zipfile.ZipFile(result.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["signer"] and manifest["encryption"] is None
        assert manifest["format"] == "clerk-tui-sync-bundle" and manifest["station_id"] == "DEMO-510199-01"
        assert manifest["change_seq"] == {"from": 1, "to": result.seq_to}
        assert manifest["tables"]["service_case"]["records"] == 1 and manifest["bundle_seq"] == 2
        assert set(manifest["members"]) == {f"data/{t}.jsonl" for t in SYNC_TABLES} | {
            f"csv/{t}.csv" for t in SYNC_TABLES
        }
        raw = zf.read("csv/service_case.csv")
        assert raw.startswith(b"\xef\xbb\xbf")
        table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert table[0]["applicant_name"] == "王芳0"
        record = json.loads(zf.read("data/service_case.jsonl").splitlines()[0])
        assert record["applicant_name"] == "王芳0" and record["version"] == 1


def test_csv_copies_keep_identifiers_whole_for_spreadsheets(station, out, tmp_path) -> None:
    """An 18-digit ID number of digits only, a phone with a leading zero: on the stick and in
    the centre's copies they are `="…"` cells a spreadsheet keeps as text; numbers stay bare."""
    from clerk_tui.services.sync.csv_copies import write_csv_copies
    from clerk_tui.spreadsheet import read_csv_cell
    from tests.excel import DIGITS_ID, excel_opens

    [case_id] = populate(station, 1)
    edit_case(station, case_id, id_number=DIGITS_ID, agent_phone="02812345678")
    result = export_bundle(station, out, full=True, csv_on_stick=True)
    with zipfile.ZipFile(result.path) as zf:
        on_stick = zf.read("csv/service_case.csv").decode("utf-8-sig")
    folder = write_csv_copies(verify_bundle(result.path), tmp_path / "centre")
    at_centre = (folder / "service_case.csv").read_text(encoding="utf-8-sig")
    for copy in (on_stick, at_centre):
        [row] = list(csv.DictReader(io.StringIO(copy)))
        assert row["id_number"] == f'="{DIGITS_ID}"'
        shown = {key: excel_opens(cell) for key, cell in row.items()}
        assert shown["id_number"] == DIGITS_ID and shown["agent_phone"] == "02812345678"
        assert shown["phone"] == "13800001234" and shown["case_no"] == "20261124-03-0001"
        assert read_csv_cell(row["id_number"]) == DIGITS_ID
        assert row["window_no"].isdigit() and row["version"].isdigit()  # numbers stay numbers
        assert row["deadline_provisional"] == "0"


def test_same_bundle_twice_changes_nothing(station, out, centre) -> None:
    populate(station, 2)
    result = export_bundle(station, out)
    merge_bundles(centre, [result.path])
    before = {t: rows(db(centre), t) for t in SYNC_TABLES}
    seq_before = counter(centre)
    again = merge_bundles(centre, [result.path]).bundles[0]
    assert again.ok and again.already_merged_at is not None
    assert all(c.new == c.updated == c.conflicts == 0 for c in again.counts.values())
    assert again.counts["service_case"].skipped == 2
    assert {t: rows(db(centre), t) for t in SYNC_TABLES} == before
    assert counter(centre) == seq_before
    with centre.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_merge")).scalar() == 1


def test_nothing_new_writes_nothing_and_edits_go_out_again(station, out, centre) -> None:
    [case_id, _] = populate(station, 2)
    first = export_bundle(station, out)
    assert export_bundle(station, out) is None
    assert len(list(out.glob("*.zip"))) == 1
    edit_case(station, case_id, status="completed", completion_note="已办结")
    second = export_bundle(station, out)
    assert second.bundle_seq == 2 and second.previous_seq == 1 and second.seq_from == first.seq_to + 1
    assert second.counts["service_case"] == 1 and second.records == 1
    merge_bundles(centre, [first.path])
    merged = merge_bundles(centre, [second.path]).bundles[0]
    assert merged.counts["service_case"].updated == 1
    assert rows(db(centre), "service_case")[case_id]["version"] == 2
    assert same_data(db(station), db(centre))


def test_out_of_order_and_a_gap_are_reported_and_end_in_the_latest_state(station, out, centre) -> None:
    [case_id] = populate(station, 1)
    b1 = export_bundle(station, out)
    edit_case(station, case_id, notes="第二次")
    b2 = export_bundle(station, out)
    edit_case(station, case_id, notes="第三次")
    populate(station, 1)
    b3 = export_bundle(station, out)
    # Bundle 3 first (rating/follow-up rows of bundle 3 refer to its own case; fine), then 1.
    report = merge_bundles(centre, [b3.path])
    assert report.missing == {"DEMO-510199-01": [1, 2]}
    report = merge_bundles(centre, [b1.path])
    assert report.bundles[0].counts["service_case"].stale == 1
    assert report.missing == {"DEMO-510199-01": [2]}
    report = merge_bundles(centre, [b2.path])
    assert report.missing == {} and report.bundles[0].counts["service_case"].stale == 1
    assert same_data(db(station), db(centre))


def test_a_child_arriving_before_its_parent_is_reported_then_resolved(station, out, centre) -> None:
    [case_id] = populate(station, 1)
    b1 = export_bundle(station, out)
    from clerk_tui.models import Rating

    with station.write() as session:
        session.add(Rating(case_id=case_id, level=5, rated_at=station.clock.now()))
    b2 = export_bundle(station, out)
    report = merge_bundles(centre, [b2.path])
    assert report.ok and report.dangling == {"rating.case_id": 1}
    assert merge_bundles(centre, [b1.path]).dangling == {}


def test_a_full_export_covers_missing_bundles(station, out, centre) -> None:
    populate(station, 1)
    b1 = export_bundle(station, out)
    populate(station, 1)
    export_bundle(station, out)  # bundle 2 never reaches the centre
    b3 = export_bundle(station, out, full=True)
    assert b3.full and b3.seq_from == 1 and b3.counts["service_case"] == 2
    assert merge_bundles(centre, [b1.path, b3.path]).missing == {}
    assert same_data(db(station), db(centre))


def test_two_stations_share_ticket_numbers_at_the_centre(station, out, centre, tmp_path, clock) -> None:
    populate(station, 1)
    other = open_station(
        replace(station.settings, station_id="DEMO-510199-02", database=tmp_path / "other.db", data_dir=tmp_path / "o"),
        clock,
    )
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file

    import_catalog_file(other, bundled_catalog())
    populate(other, 1)
    trust(centre, other)
    report = merge_bundles(centre, [export_bundle(station, out).path, export_bundle(other, out).path])
    other.close()
    assert report.ok
    assert sorted(r["number"] for r in rows(db(centre), "ticket").values()) == ["A001", "A001"]


def test_conflict_is_reported_never_overwritten_and_stays_unacknowledged(station, out, centre) -> None:
    [case_id] = populate(station, 1)
    b1 = export_bundle(station, out)
    merge_bundles(centre, [b1.path])
    with centre.engine.begin() as conn:  # someone at the centre edited the record in place
        conn.execute(text("UPDATE service_case SET notes = '中心改动' WHERE id = :id"), {"id": case_id})
    edit_case(station, case_id, notes="站点改动")  # version 2 at the station
    b2 = export_bundle(station, out)
    with centre.engine.begin() as conn:  # ...and the centre's copy claims version 2 too
        conn.execute(text("UPDATE service_case SET version = 2 WHERE id = :id"), {"id": case_id})
    report = merge_bundles(centre, [b2.path])
    merged = report.bundles[0]
    assert merged.counts["service_case"].conflicts == 1 and merged.conflicts[0].record_id == case_id
    assert rows(db(centre), "service_case")[case_id]["notes"] == "中心改动"
    with centre.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar() == 1
    merge_bundles(centre, [b2.path])  # again: still one conflict row
    with centre.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_conflict")).scalar() == 1
    [receipt] = write_receipts(report.bundles, report.missing, None, "CENTRE", centre.clock.now(), signer(centre))
    assert read_receipt(receipt)["not_applied"][0]["id"] == case_id
    result = import_receipt(station, receipt)
    assert result.acknowledged == [2] and result.not_applied == 1
    assert sync_status(station).unacknowledged["service_case"] == 1


def test_receipt_marks_what_the_centre_has(station, out, centre) -> None:
    [case_id, _] = populate(station, 2)
    b1 = export_bundle(station, out)
    status = sync_status(station)
    assert status.total_unacknowledged == b1.records and status.total_not_exported == 0
    report = merge_bundles(centre, [b1.path])
    [receipt] = write_receipts(report.bundles, report.missing, out, "CENTRE", centre.clock.now(), signer(centre))
    assert receipt.parent == out
    result = import_receipt(station, receipt)
    assert result.acknowledged == [1]
    status = sync_status(station)
    assert status.total_unacknowledged == 0 and status.acknowledged_bundles == 1
    assert status.last_receipt_at == station.clock.now()
    assert import_receipt(station, receipt).already == [1]  # again: nothing changes
    edit_case(station, case_id, notes="改")
    status = sync_status(station)
    assert status.unacknowledged["service_case"] == 1 and status.not_exported["service_case"] == 1


def test_damaged_or_foreign_receipts_are_refused(station, out, centre) -> None:
    populate(station, 1)
    report = merge_bundles(centre, [export_bundle(station, out).path])
    [receipt] = write_receipts(report.bundles, report.missing, None, "CENTRE", centre.clock.now(), signer(centre))
    doc = json.loads(receipt.read_text(encoding="utf-8"))
    doc["bundles"][0]["change_seq"]["to"] += 100
    receipt.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ClerkError) as caught:
        import_receipt(station, receipt)
    assert caught.value.key == "keys.bad_file_signature"  # altered after the centre signed it
    # Its own checksum recomputed too: still not the centre's signature.
    body = {k: v for k, v in doc.items() if k != "sha256"}
    doc["sha256"] = hashlib.sha256(
        json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    receipt.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ClerkError) as caught:
        import_receipt(station, receipt)
    assert caught.value.key == "keys.bad_file_signature"
    station.settings = replace(station.settings, station_id="SOMEONE-ELSE")
    [receipt] = write_receipts(report.bundles, report.missing, out / "r2", "CENTRE", centre.clock.now(), signer(centre))
    with pytest.raises(ClerkError) as caught:
        import_receipt(station, receipt)
    assert caught.value.key == "receipt.other_station"
    assert sync_status(station).acknowledged_bundles == 0


# --- damaged and hostile bundles ----------------------------------------------------------


def _empty_centre(centre: Station) -> bool:
    return all(not rows(db(centre), t) for t in SYNC_TABLES)


def _rewrite(src: Path, dst: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def test_an_altered_record_is_rejected_whole_naming_the_member(station, out, centre, tmp_path) -> None:
    populate(station, 2)
    good = export_bundle(station, out).path
    bad = tmp_path / "altered.zip"
    forge(  # the plain record changed and sealed again, the manifest's checksums left as they were
        good,
        bad,
        centre,
        lambda n, d: d.replace("王芳1".encode(), "王芬1".encode()) if n == "data/service_case.jsonl" else d,
        rehash=False,
    )
    result = merge_bundle(centre, bad)
    assert not result.ok and result.error.key == "sync.checksum_mismatch"
    assert result.error.member == "data/service_case.jsonl" and "data/service_case.jsonl" in result.error.message()
    assert _empty_centre(centre)


def test_a_flipped_byte_in_the_file_is_rejected_with_nothing_applied(station, out, centre, tmp_path) -> None:
    populate(station, 3)
    good = export_bundle(station, out).path
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("data/ticket.jsonl")
    raw = bytearray(good.read_bytes())
    name_len, extra_len = (
        int.from_bytes(raw[info.header_offset + o : info.header_offset + o + 2], "little") for o in (26, 28)
    )
    raw[info.header_offset + 30 + name_len + extra_len + 5] ^= 0xFF  # inside its compressed data
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(raw))
    report = merge_bundles(centre, [bad])
    assert not report.ok and report.bundles[0].error.member == "data/ticket.jsonl"
    assert _empty_centre(centre)


def test_a_truncated_bundle_is_rejected_and_can_be_merged_later(station, out, centre, tmp_path) -> None:
    populate(station, 2)
    good = export_bundle(station, out).path
    bad = tmp_path / "cut.zip"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    report = merge_bundles(centre, [bad])
    assert not report.ok and report.bundles[0].error.key == "sync.bundle_damaged"
    assert _empty_centre(centre)
    assert merge_bundles(centre, [good]).ok and same_data(db(station), db(centre))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("../../etc/evil.jsonl", "sync.unsafe_member"),
        ("/abs/path.jsonl", "sync.unsafe_member"),
        ("data\\..\\x.jsonl", "sync.unsafe_member"),
        ("data/extra.jsonl", "sync.bundle_unexpected_member"),
    ],
)
def test_hostile_member_names_are_rejected(station, out, centre, tmp_path, name, key) -> None:
    populate(station, 1)
    good = export_bundle(station, out).path
    bad = tmp_path / "hostile.zip"
    shutil.copy(good, bad)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr(name, b"{}")
    with pytest.raises(BundleError) as caught:
        verify_bundle(bad)
    assert caught.value.key == key
    assert merge_bundles(centre, [bad]).ok is False and _empty_centre(centre)


def test_zip_bombs_and_absurd_sizes_are_refused_before_reading(station, out, tmp_path) -> None:
    populate(station, 1)
    good = export_bundle(station, out, csv_on_stick=True).path
    bomb = tmp_path / "bomb.zip"
    _rewrite(good, bomb, lambda n, d: b"\n" * (40 << 20) if n == "csv/ticket.csv" else d)
    with pytest.raises(BundleError) as caught:
        verify_bundle(bomb)
    assert caught.value.key == "sync.member_bomb" and caught.value.member == "csv/ticket.csv"
    with pytest.raises(BundleError) as caught:
        verify_bundle(good, max_member_bytes=100)
    assert caught.value.key == "sync.member_too_large"


def test_a_manifest_that_lies_about_counts_or_members_is_refused(station, out, tmp_path) -> None:
    populate(station, 1)
    good = export_bundle(station, out, csv_on_stick=True).path

    def lie(field: str):  # type: ignore[no-untyped-def]
        def change(name: str, data: bytes) -> bytes:
            if name != "manifest.json":
                return data
            doc = json.loads(data)
            if field == "records":
                doc["tables"]["ticket"]["records"] += 1
            else:
                del doc["members"]["csv/notice.csv"]
            return json.dumps(doc).encode()

        return change

    for field, key in (("records", "sync.count_mismatch"), ("members", "sync.bundle_unexpected_member")):
        bad = tmp_path / f"{field}.zip"
        _rewrite(good, bad, lie(field))
        with pytest.raises(BundleError) as caught:
            verify_bundle(bad)
        assert caught.value.key == key


# --- export failures ------------------------------------------------------------------------


def _nothing_recorded(station: Station, folder: Path) -> None:
    assert not list(folder.glob("*")) if folder.exists() else True
    with station.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sync_export")).scalar() == 0


def test_a_full_disk_gives_a_clear_message_and_records_nothing(station, out, monkeypatch) -> None:
    import errno

    from clerk_tui.services.sync import bundle as sync_bundle

    populate(station, 1)
    real = sync_bundle.BundleWriter.write_member
    calls = []

    def full(self, name, chunks, **_options):  # type: ignore[no-untyped-def]
        calls.append(name)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, name, chunks)

    monkeypatch.setattr(sync_bundle.BundleWriter, "write_member", full)
    with pytest.raises(ClerkError) as caught:
        export_bundle(station, out)
    assert caught.value.key == "sync.disk_full" and "空间已满" in caught.value.message()
    _nothing_recorded(station, out)
    monkeypatch.setattr(sync_bundle.BundleWriter, "write_member", real)
    assert export_bundle(station, out).bundle_seq == 1  # the same records go out next time


def test_a_pulled_stick_gives_a_clear_message_and_records_nothing(station, tmp_path, monkeypatch) -> None:
    from clerk_tui.services.sync import bundle as sync_bundle

    populate(station, 1)
    with pytest.raises(ClerkError) as caught:
        export_bundle(station, tmp_path / "media" / "usb")
    assert caught.value.key == "sync.folder_missing"
    stick = tmp_path / "stick"
    stick.mkdir()
    real = sync_bundle.BundleWriter.write_member

    def pulled(self, name, chunks, **_options):  # type: ignore[no-untyped-def]
        shutil.rmtree(stick)
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(sync_bundle.BundleWriter, "write_member", pulled)
    with pytest.raises(ClerkError) as caught:
        export_bundle(station, stick)
    assert caught.value.key == "sync.folder_gone"
    monkeypatch.setattr(sync_bundle.BundleWriter, "write_member", real)
    _nothing_recorded(station, stick)


def test_a_failed_read_back_removes_the_file_and_records_nothing(station, out, monkeypatch) -> None:
    from clerk_tui.services.sync import export as sync_export

    populate(station, 1)

    def broken(path: Path):  # type: ignore[no-untyped-def]
        raise BundleError("sync.checksum_mismatch", "data/ticket.jsonl")

    monkeypatch.setattr(sync_export, "verify_bundle", broken)
    with pytest.raises(ClerkError) as caught:
        export_bundle(station, out)
    assert caught.value.key == "sync.verify_failed"
    _nothing_recorded(station, out)


def test_the_folder_is_remembered_and_progress_reported(station, out) -> None:
    populate(station, 2)
    seen: list[tuple[int, int]] = []
    result = export_bundle(station, out, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, result.records) and seen[-1] == (result.records, result.records)
    assert sync_status(station).folder == out
    issue_ticket(station, "B")
    assert export_bundle(station).path.parent == out


def test_export_sweeps_partial_files_left_by_exports_killed_long_ago(tmp_path) -> None:
    import os
    import time

    from clerk_tui.services.sync.export import STALE_PARTIAL_SECONDS, _sweep_stale_partials

    old = tmp_path / ".X-000001.zip.123.partial"
    fresh = tmp_path / ".X-000002.zip.456.partial"
    bundle = tmp_path / "X-000001.zip"
    for path in (old, fresh, bundle):
        path.write_bytes(b"x")
    long_ago = time.time() - STALE_PARTIAL_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(bundle, (long_ago, long_ago))
    _sweep_stale_partials(tmp_path)
    assert not old.exists() and fresh.exists() and bundle.exists()


def test_provisional_deadline_and_its_recompute_travel_to_the_centre(station, out, centre) -> None:
    """The 暂定 flag is a column of service_case: exported, merged, and the recomputed
    final deadline (a new version) goes out with the next bundle."""

    from clerk_tui.services.cases import record as cases
    from clerk_tui.services.station.calendar import import_calendar, parse_calendar
    from tests.case_factory import draft

    station.clock.at = datetime(2026, 12, 4, 9, 30)
    case = cases.save_case(station, draft(station, "promised", "公共租赁住房申请资格审核认定（保障性住房配租）"))
    first = export_bundle(station, out, csv_on_stick=True)
    with zipfile.ZipFile(first.path) as zf:
        header = next(csv.reader(io.StringIO(zf.read("csv/service_case.csv").decode("utf-8-sig"))))
    assert "deadline_provisional" in header and "supplied_on" in header
    assert merge_bundles(centre, [first.path]).ok
    stored = rows(db(centre), "service_case")[case.id]
    assert (stored["promised_deadline"], stored["deadline_provisional"]) == (date(2027, 1, 1), True)
    import_calendar(
        station,
        parse_calendar(
            {
                "format": "clerk-tui-calendar",
                "format_version": 1,
                "years": [2027],
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
            },
            source="2027.json",
        ),
    )
    second = export_bundle(station, out)
    assert merge_bundles(centre, [second.path]).ok
    stored = rows(db(centre), "service_case")[case.id]
    assert (stored["promised_deadline"], stored["deadline_provisional"]) == (date(2027, 1, 4), False)
    assert same_data(db(station), db(centre))


# --- one station id, one station (issue 12, blocker 2) ---------------------------------


def _township(tmp_path: Path, clock, name: str) -> Station:
    """A fresh install with the same station id as every other (the old default)."""
    from clerk_tui.config import Settings
    from clerk_tui.resources import bundled_catalog
    from clerk_tui.services.catalog.importer import import_catalog_file

    folder = tmp_path / name
    township = open_station(
        Settings(station_id="STATION-01", station_name=name, data_dir=folder, database=folder / "station.db"), clock
    )
    import_catalog_file(township, bundled_catalog())
    populate(township, 1)
    return township


def test_a_second_station_reusing_a_known_id_is_refused_naming_both(out, centre, tmp_path, clock) -> None:
    """Two installs with one station id: the second cannot be enrolled beside the first, and
    its bundles are refused whole, nothing written."""
    first, second = _township(tmp_path, clock, "甲镇便民服务中心"), _township(tmp_path, clock, "乙镇便民服务中心")
    try:
        trust(centre, first)
        assert merge_bundles(centre, [export_bundle(first, out / "甲").path]).ok
        with pytest.raises(ClerkError) as caught:
            trust(centre, second)
        assert caught.value.key == "keys.station_has_key" and "STATION-01" in caught.value.message()
        before = counter(centre)
        report = merge_bundles(centre, [export_bundle(second, out / "乙").path])
        after = counter(centre)
        again = merge_bundles(centre, [export_bundle(first, out / "甲", full=True).path])
    finally:
        first.close()
        second.close()
    [rejected] = report.bundles
    assert rejected.error.key == "sync.signer_unknown"
    message = rejected.error.message()
    assert "STATION-01" in message and "UNIQUE" not in message and "constraint" not in message
    assert after == before  # nothing of the second station was written
    assert again.ok  # the station first seen with the id merges on as before


def test_a_bundle_from_before_signatures_is_refused_in_plain_words(out, centre, tmp_path, clock) -> None:
    first = _township(tmp_path, clock, "甲镇便民服务中心")
    try:
        trust(centre, first)
        old = forge(export_bundle(first, out / "甲").path, tmp_path / "old.zip", centre, sign_with=None)
    finally:
        first.close()
    [rejected] = merge_bundles(centre, [old]).bundles
    assert rejected.error.key == "sync.unsigned" and "STATION-01" in rejected.error.message()


# --- forgeries (issue 17) ------------------------------------------------------------------


def _forged_outcome(line: bytes) -> bytes:
    record = json.loads(line)
    record.update(outcome="refused", version=record["version"] + 1)
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def _change_first_case(name: str, data: bytes) -> bytes:
    if name != "data/service_case.jsonl":
        return data
    first, *rest = data.split(b"\n")
    return b"\n".join([_forged_outcome(first), *rest])


def _refused_with(centre: Station, path: Path, key: str) -> BundleMerge:
    before = counter(centre)
    [result] = merge_bundles(centre, [path]).bundles
    assert not result.ok and result.error.key == key, (result.error.key if result.error else None, key)
    assert result.error.message() and counter(centre) == before  # nothing written
    return result


def test_a_self_consistent_forgery_is_refused_whole(station, out, centre, tmp_path) -> None:
    """An outcome changed, the version bumped, every checksum and count recomputed: without
    the station's key the signature no longer covers the manifest."""
    populate(station, 2)
    good = export_bundle(station, out).path
    bad = forge(good, tmp_path / "forged.zip", centre, _change_first_case)
    _refused_with(centre, bad, "sync.bad_signature")
    cut = forge(good, tmp_path / "cut-sig.zip", centre, sign_with=None)
    _refused_with(centre, cut, "sync.unsigned")
    with zipfile.ZipFile(good) as zf:
        signature = zf.read("manifest.sig")
    truncated = tmp_path / "truncated-sig.zip"
    _rewrite(good, truncated, lambda n, d: signature[:40] if n == "manifest.sig" else d)
    _refused_with(centre, truncated, "sync.bad_signature")
    assert merge_bundles(centre, [good]).ok  # the genuine bundle still merges


def test_a_bundle_signed_by_another_enrolled_station_or_an_unknown_key_is_refused(
    station, out, centre, tmp_path, clock
) -> None:
    from clerk_tui.services.sync import crypto, keys

    populate(station, 1)
    good = export_bundle(station, out).path
    other = _township(tmp_path, clock, "乙镇便民服务中心")
    try:
        trust(centre, other)
        other_key = keys.station_secret(other.settings)
    finally:
        other.close()
    resigned = forge(
        good,
        tmp_path / "resigned.zip",
        centre,
        sign_with=other_key,
        manifest_change=lambda m: m.update(signer=crypto.b64(crypto.public_signing_key(other_key))),
    )
    _refused_with(centre, resigned, "sync.signer_other_station")
    stranger = crypto.new_signing_key()
    ghost = forge(
        good,
        tmp_path / "ghost.zip",
        centre,
        sign_with=stranger,
        manifest_change=lambda m: m.update(station_id="GHOST", signer=crypto.b64(crypto.public_signing_key(stranger))),
    )
    _refused_with(centre, ghost, "sync.signer_unknown")


def test_members_swapped_between_two_genuine_bundles_are_refused(station, out, centre, tmp_path) -> None:
    populate(station, 1)
    first = export_bundle(station, out).path
    populate(station, 1)
    second = export_bundle(station, out).path
    with zipfile.ZipFile(second) as zf:
        cases = zf.read("data/service_case.jsonl")
    swapped = tmp_path / "swapped.zip"
    _rewrite(first, swapped, lambda n, d: cases if n == "data/service_case.jsonl" else d)
    _refused_with(centre, swapped, "sync.checksum_mismatch")


def _their_case(centre: Station, tmp_path: Path, clock, out: Path) -> dict:  # type: ignore[no-untyped-def]
    """A case of another enrolled station, merged at the centre before the test's bundle."""
    other = _township(tmp_path, clock, "乙镇便民服务中心")
    try:
        trust(centre, other)
        assert merge_bundles(centre, [export_bundle(other, out / "乙").path]).ok
    finally:
        other.close()
    return next(iter(rows(db(centre), "service_case").values()))


def test_a_record_of_another_station_inside_a_genuine_bundle_is_refused(station, out, centre, tmp_path, clock) -> None:
    """Even signed by the station's own key (a stolen PC), a bundle may only write its own
    station's records: one naming another station, or overwriting one, refuses it whole."""
    from clerk_tui.services.sync import keys

    theirs = _their_case(centre, tmp_path, clock, out)
    populate(station, 1)
    good = export_bundle(station, out).path
    secret = keys.station_secret(station.settings)

    def claim(name: str, data: bytes) -> bytes:
        if name != "data/service_case.jsonl":
            return data
        record = json.loads(data.split(b"\n")[0])
        record.update(id=theirs["id"], version=theirs["version"] + 1, station_id=station.settings.station_id)
        return data + json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"

    overwrite = forge(good, tmp_path / "overwrite.zip", centre, claim, sign_with=secret)
    _refused_with(centre, overwrite, "sync.foreign_record")

    def label(name: str, data: bytes) -> bytes:
        if name != "data/ticket.jsonl":
            return data
        record = json.loads(data.split(b"\n")[0])
        record["station_id"] = "STATION-01"
        return b"\n".join([json.dumps(record, ensure_ascii=False).encode("utf-8"), *data.split(b"\n")[1:]])

    relabelled = forge(good, tmp_path / "label.zip", centre, label, sign_with=secret)
    _refused_with(centre, relabelled, "sync.foreign_record")
    assert rows(db(centre), "service_case")[theirs["id"]] == theirs


def test_a_paper_of_a_case_without_a_check_travels_and_may_only_be_of_its_own_station(
    station, out, centre, tmp_path, clock
) -> None:
    """A paper stored on a case (no document check, migration v006) merges with its case;
    one pointed at another station's case refuses the bundle as a foreign record would."""
    from clerk_tui.services.cases.record import save_case
    from clerk_tui.services.papers import store as papers
    from clerk_tui.services.sync import keys
    from tests.case_factory import PROMISED_MATTER, draft

    theirs = _their_case(centre, tmp_path, clock, out)
    case = save_case(station, draft(station, "refused", PROMISED_MATTER, refusal_reason="材料虚假"))
    paper, _ = papers.issue_paper(station, case.id, "refusal")
    good = export_bundle(station, out).path

    def claim(name: str, data: bytes) -> bytes:
        if name != "data/notice.jsonl":
            return data
        lines = [json.loads(line) for line in data.splitlines() if line.strip()]
        for record in lines:
            if record["id"] == paper.id:
                record["case_id"] = theirs["id"]
        return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in lines)

    forged = forge(good, tmp_path / "claim.zip", centre, claim, sign_with=keys.station_secret(station.settings))
    _refused_with(centre, forged, "sync.foreign_record")
    report = merge_bundles(centre, [good])
    assert report.ok and not report.dangling
    merged = rows(db(centre), "notice")[paper.id]
    assert (merged["check_id"], merged["case_id"], merged["text"]) == (None, case.id, paper.text)


def test_a_replay_and_a_bad_value_are_refused(station, out, centre, tmp_path) -> None:
    from clerk_tui.services.sync import keys

    populate(station, 1)
    good = export_bundle(station, out).path
    assert merge_bundles(centre, [good]).ok
    secret = keys.station_secret(station.settings)
    replay = forge(good, tmp_path / "replay.zip", centre, _change_first_case, sign_with=secret)
    _refused_with(centre, replay, "sync.replayed_seq")

    def bad_time(name: str, data: bytes) -> bytes:
        if name != "data/service_case.jsonl":
            return data
        record = json.loads(data.split(b"\n")[0])
        record["created_at"] = "2026-12-04 15:01:33.06000X"
        return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"

    populate(station, 1)
    later = export_bundle(station, out).path
    odd = forge(later, tmp_path / "odd.zip", centre, bad_time, sign_with=secret)
    result = _refused_with(centre, odd, "sync.bad_value")
    assert "created_at" in result.error.message()


def test_encryption_only_the_centre_reads_a_bundle(station, out, centre, tmp_path) -> None:
    """The stick holds no clear text of a record; another centre's key cannot open it."""
    populate(station, 1)
    result = export_bundle(station, out)
    assert result.encrypted
    raw = result.path.read_bytes()
    with zipfile.ZipFile(result.path) as zf:
        members = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("data/"))
    assert "王芳0".encode() not in members and "王芳0".encode() not in raw
    other_centre = make_centre(tmp_path / "elsewhere")
    try:
        trust(other_centre, station)  # enrolled there too, but the bundle is sealed to the first centre
        _refused_with(other_centre, result.path, "sync.other_centre")
    finally:
        other_centre.close()
    assert merge_bundles(centre, [result.path]).ok


def test_an_unencrypted_bundle_needs_the_centres_consent(station, out, centre, tmp_path) -> None:
    from sqlmodel import delete

    from clerk_tui.models import Meta
    from clerk_tui.services.sync import keys

    with station.write() as session:  # as before the station imported the centre's key
        session.execute(delete(Meta).where(Meta.key == keys.CENTRE_KEYS_META))
    populate(station, 1)
    clear = export_bundle(station, out)
    assert not clear.encrypted
    _refused_with(centre, clear.path, "sync.not_encrypted")
    centre.settings = replace(centre.settings, extra={**centre.settings.extra, "sync": {"accept_unencrypted": True}})
    assert merge_bundles(centre, [clear.path]).ok


def test_a_key_rotation_goes_through_a_bundle_signed_by_the_old_key(station, out, centre, tmp_path) -> None:
    from clerk_tui.services.sync import crypto, keys

    old = keys.station_secret(station.settings)
    populate(station, 1)
    fingerprint = keys.rotate_station_key(station.settings)
    announcing = export_bundle(station, out)
    report = merge_bundles(centre, [announcing.path])
    assert report.ok and report.bundles[0].enrolled_key == fingerprint
    [receipt] = write_receipts(
        report.bundles, report.missing, None, "CENTRE", centre.clock.now(), signer(centre), report.station_keys
    )
    assert import_receipt(station, receipt).key_rotated
    new = keys.station_secret(station.settings)
    assert new != old and crypto.fingerprint(crypto.public_signing_key(new)) == fingerprint
    populate(station, 1)
    assert merge_bundles(centre, [export_bundle(station, out).path]).ok  # signed by the new key
    with centre.engine.connect() as conn:
        status = {e.fingerprint: e.status for e in keys.enrolments(conn)}
    assert status[fingerprint] == "active" and status[crypto.fingerprint(crypto.public_signing_key(old))] == "retired"
    stale = forge(
        announcing.path,
        tmp_path / "stale.zip",
        centre,
        _change_first_case,
        sign_with=old,
        manifest_change=lambda m: m.update(bundle_seq=9, previous_seq=None),
    )
    _refused_with(centre, stale, "sync.signer_retired")
    keys.revoke(centre, station.settings.station_id)
    populate(station, 1)
    _refused_with(centre, export_bundle(station, out).path, "sync.signer_revoked")


# --- an export while another window is writing (issue 14, item 3) -------------------------


def test_an_export_never_skips_a_record_committed_late_by_a_writer_held_open(station, out, centre) -> None:
    """A writer holds its transaction open (records stamped, not committed) while the
    export runs: the export does not wait for it and does not cover its change numbers;
    once it commits, the next export carries its records, and the centre ends up equal."""
    import threading

    populate(station, 1)
    stamped, release, held_ticket = threading.Event(), threading.Event(), []

    def window() -> None:
        with station.write() as held:
            held_ticket.append(issue_in(held, station.settings, "A", "normal", None, "kiosk", station.clock.now()))
            held.flush()  # stamped: this writer holds change numbers above everything committed
            stamped.set()
            release.wait(30)

    writer = threading.Thread(target=window)
    writer.start()
    assert stamped.wait(30)

    def read_all(done: int, total: int) -> None:
        if done == total:  # every row read: the writer commits before the export records itself
            release.set()

    first = export_bundle(station, out, progress=read_all)
    writer.join(30)
    ticket = held_ticket[0]
    assert first is not None and first.seq_to < ticket.change_seq
    second = export_bundle(station, out)
    assert second is not None and second.seq_from == first.seq_to + 1 <= ticket.change_seq <= second.seq_to
    assert second.counts["ticket"] == 1
    assert merge_bundles(centre, [first.path, second.path]).ok
    assert ticket.id in rows(db(centre), "ticket")
    assert same_data(db(station), db(centre))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX idea")
def test_merge_reads_only_regular_files(tmp_path: Path) -> None:
    """A FIFO or a link to /dev/zero named as a bundle is refused at once, never read."""
    fifo = tmp_path / "bundle.zip"
    os.mkfifo(fifo)
    link = tmp_path / "zero.zip"
    link.symlink_to("/dev/zero")
    for path in (fifo, link, tmp_path):
        with pytest.raises(BundleError) as caught:
            verify_bundle(path)
        assert caught.value.key == "sync.bundle_not_a_file"


def test_the_channel_travels_and_an_older_bundle_without_it_merges_as_the_window(
    station, out, centre, tmp_path
) -> None:
    """`service_case.channel` (v007) is exported, shown in the CSV copy and merged; a bundle
    from a station still on v006 carries no channel, and its cases merge with the
    default, 窗口 (the only channel that program knew)."""
    from clerk_tui.services.cases.record import save_case
    from clerk_tui.services.sync import keys
    from tests.case_factory import draft

    mobile = save_case(station, draft(station, channel="mobile"))
    first = export_bundle(station, out, csv_on_stick=True)
    with zipfile.ZipFile(first.path) as zf:
        copy = list(csv.DictReader(io.StringIO(zf.read("csv/service_case.csv").decode("utf-8-sig"))))
    assert [row["channel"] for row in copy] == ["mobile"]
    assert merge_bundles(centre, [first.path]).ok
    assert rows(db(centre), "service_case")[mobile.id]["channel"] == "mobile"

    online = save_case(station, draft(station, channel="online", applicant_name="李四"))
    second = export_bundle(station, out).path

    def without_channel(name: str, data: bytes) -> bytes:
        if name != "data/service_case.jsonl":
            return data
        records = [json.loads(line) for line in data.splitlines() if line.strip()]
        for record in records:
            del record["channel"]
        return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records)

    def older_manifest(doc: dict) -> None:
        columns = doc["tables"]["service_case"]["columns"]
        columns.remove("channel")
        doc["schema_version"] = 6

    older = forge(
        second,
        tmp_path / "v006.zip",
        centre,
        without_channel,
        sign_with=keys.station_secret(station.settings),
        manifest_change=older_manifest,
    )
    report = merge_bundles(centre, [older])
    assert report.ok, report.bundles[0].error
    merged = rows(db(centre), "service_case")
    assert merged[online.id]["channel"] == "window" and merged[online.id]["applicant_name"] == "李四"
    assert merged[mobile.id]["channel"] == "mobile"  # what the centre had stays
