"""`clerk export`, `clerk merge`, `clerk import receipt|catalog|calendar|appointments` end to end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clerk_tui.cli import app
from clerk_tui.clock import FixedClock
from clerk_tui.config import database_value, default_config_path, load_settings
from clerk_tui.db import open_database
from clerk_tui.resources import bundled_catalog
from clerk_tui.services.station.setup import open_station
from tests.conftest import FIXED_NOW, STORES
from tests.sync_helpers import centre_signs, populate

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def make_station(tmp_path: Path, db: str | None = None) -> str:
    db = db or str(tmp_path / "station.db")
    assert run("--db", db, "init", "--station-id", "510199-07")[0] == 0

    settings = load_settings(default_config_path()).with_overrides(database=database_value(db))
    station = open_station(settings, FixedClock(FIXED_NOW))
    populate(station, 2)
    station.close()
    return db


@pytest.mark.parametrize("station_store", STORES)
def test_export_merge_receipt_round_trip(tmp_path: Path, station_store: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    """A station on one store, its centre on the other: SQLite to PostgreSQL and back."""
    server, other = pg_cluster.new_database(), pg_cluster.new_database()
    db = make_station(tmp_path, server if station_store == "postgresql" else None)
    usb = tmp_path / "usb"
    usb.mkdir()
    centre = other if station_store == "sqlite" else str(tmp_path / "centre.db")
    # The keys, once: the centre's made and imported at the station, the station's enrolled.
    code, out = run("--lang", "en", "centre", "init")
    assert code == 0 and "fingerprint" in out, out
    assert run("centre", "export-key", str(tmp_path / "centre.pub.json"))[0] == 0
    code, out = run("--db", db, "import", "centre-key", str(tmp_path / "centre.pub.json"), "--yes")
    assert code == 0 and "中心公钥指纹" in out, out
    code, out = run("--db", db, "key", "export", str(tmp_path / "station.pub.json"))
    assert code == 0, out
    fingerprint = json.loads((tmp_path / "station.pub.json").read_text(encoding="utf-8"))["fingerprint"]
    assert fingerprint in run("--db", db, "key", "show")[1]
    code, out = run("--lang", "en", "centre", "enrol", str(tmp_path / "station.pub.json"), "--into", centre)
    assert code == 0 and fingerprint in out and "510199-07" in out, out
    code, out = run("--db", db, "export", "--to", str(usb))
    assert code == 0, out
    assert "已导出第 1 批" in out and "中心尚未确认的记录" in out and "未加密" not in out
    code, out = run("--db", db, "export")  # the folder is remembered; nothing new
    assert code == 0 and "没有新的或修改的记录" in out
    [bundle] = usb.glob("clerk-sync-510199-07-000001-*.zip")
    code, out = run("--lang", "en", "merge", str(bundle), "--into", centre, "--csv", str(tmp_path / "csv"))
    assert code == 0, out
    assert "station 510199-07 bundle 1" in out and "Cases" in out and "Receipt written" in out
    [copies] = (tmp_path / "csv").iterdir()
    assert "王芳0" in (copies / "service_case.csv").read_text(encoding="utf-8-sig")  # opened at the centre
    code, out = run("--lang", "en", "merge", str(bundle), "--into", centre)
    assert code == 0 and "Already merged" in out
    [receipt] = sorted(usb.glob("clerk-receipt-*.json"))[:1]
    assert receipt.with_name(receipt.name + ".sig").is_file()
    code, out = run("--db", db, "import", "receipt", str(receipt))
    assert code == 0 and "中心已确认第 1 批" in out and "中心尚未确认的记录：0 条" in out
    code, out = run("--db", db, "export", "--all")
    assert code == 0 and "第 2 批" in out and "全部重新导出" in out


def test_a_damaged_bundle_exits_non_zero_naming_the_file(tmp_path: Path) -> None:
    db = make_station(tmp_path)
    assert run("--db", db, "export", "--to", str(tmp_path))[0] == 0
    [bundle] = tmp_path.glob("clerk-sync-*.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bundle.read_bytes()[:-100])
    assert run("centre", "init")[0] == 0
    code, out = run("merge", str(cut), "--into", str(tmp_path / "c.db"))
    assert code == 1 and "cut.zip" in out and "拒收" in out and "Traceback" not in out


def test_export_to_a_missing_stick_is_a_clear_error(tmp_path: Path) -> None:
    db = make_station(tmp_path)
    code, out = run("--db", db, "export", "--to", str(tmp_path / "media" / "usb"))
    assert code == 1 and "U盘" in out and "Traceback" not in out


def test_import_catalog_and_calendar(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    open_database(Path(db)).dispose()  # an existing station without a catalog
    catalog = tmp_path / "catalog.json"
    catalog.write_bytes(bundled_catalog().read_bytes())
    centre_signs(db, tmp_path, catalog)
    code, out = run("--db", db, "import", "catalog", str(catalog))
    assert code == 0 and "新增 13" in out
    code, out = run("--db", db, "import", "catalog", str(catalog))
    assert code == 0 and "未作任何更改" in out
    calendar = tmp_path / "cal.json"
    calendar.write_text(
        json.dumps(
            {
                "format": "clerk-tui-calendar",
                "format_version": 1,
                "years": [2027],
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                "workdays": [],
            }
        ),
        encoding="utf-8",
    )
    centre_signs(db, tmp_path, calendar)
    code, out = run("--db", db, "import", "calendar", str(calendar))
    assert code == 0 and "2027" in out, out
    code, out = run("--db", db, "import", "calendar", str(tmp_path / "none.json"))
    assert code == 1 and "Traceback" not in out


def test_import_appointments_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "init")[0] == 0
    file = tmp_path / "appt.json"
    file.write_text(
        json.dumps(
            {
                "format": "clerk-tui-appointments",
                "format_version": 1,
                "appointments": [
                    # next year: a slot years away (2099) is refused as out of range (issue 18)
                    {"id": "YY-1", "queue": "A", "slot": f"{date.today().year + 1}-01-05T10:00"},
                    {"id": "YY-2", "queue": "Q", "slot": "tomorrow"},
                ],
            }
        ),
        encoding="utf-8",
    )
    centre_signs(db, tmp_path, file)
    code, out = run("--db", db, "import", "appointments", str(file))
    assert code == 1 and "appointments[1].queue" in out and "appointments[1].slot" in out
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["appointments"].pop()
    file.write_text(json.dumps(doc), encoding="utf-8")
    centre_signs(db, tmp_path, file)
    code, out = run("--db", db, "import", "appointments", str(file))
    assert code == 0 and "新增 1" in out, out
    assert len(out.strip().splitlines()) == 1, out  # no progress bar when stderr is not a terminal


def _whole_year_holidays(path: Path, first: int, last: int) -> Path:
    years = list(range(first, last + 1))
    doc = {
        "format": "clerk-tui-calendar",
        "format_version": 1,
        "years": years,
        "holidays": [{"name": "全年", "from": f"{y}-01-01", "to": f"{y}-12-31"} for y in years],
        "workdays": [],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_absurd_calendars_are_refused_naming_the_limit_or_forced(tmp_path: Path) -> None:
    """Issue 18: a whole-year-holiday calendar for 1901–2199 took 475 MB to import."""
    db = str(tmp_path / "s.db")
    open_database(Path(db)).dispose()
    centuries = _whole_year_holidays(tmp_path / "1901-2199.json", 1901, 2199)
    for force in ([], ["--force"]):
        code, out = run("--db", db, "import", "calendar", *force, str(centuries))
        assert code == 1 and "299" in out and "50" in out and "Traceback" not in out, out
    one = _whole_year_holidays(tmp_path / "2027.json", 2027, 2027)
    code, out = run("--db", db, "import", "calendar", str(one))
    assert code == 1 and "2027" in out and "--force" in out, out
    centre_signs(db, tmp_path, one)
    code, out = run("--db", db, "import", "calendar", "--force", str(one))
    assert code == 0 and "节假日 365 天" in out, out


def test_updates_from_the_centre_must_carry_its_signature(tmp_path: Path) -> None:
    """A catalog or calendar file is imported only with the centre's signature beside it."""
    db = make_station(tmp_path)
    catalog = tmp_path / "catalog.json"
    catalog.write_bytes(bundled_catalog().read_bytes())
    code, out = run("--db", db, "import", "catalog", str(catalog))
    assert code == 1 and "中心公钥" in out  # no centre key imported yet: nothing can be checked
    assert run("centre", "init")[0] == 0
    assert run("centre", "export-key", str(tmp_path / "centre.pub.json"))[0] == 0
    assert run("--db", db, "import", "centre-key", str(tmp_path / "centre.pub.json"), "--yes")[0] == 0
    code, out = run("--db", db, "import", "catalog", str(catalog))
    assert code == 1 and "catalog.json.sig" in out  # unsigned
    assert run("centre", "sign", str(catalog))[0] == 0
    code, out = run("--db", db, "import", "catalog", str(catalog))
    assert code == 0, out
    catalog.write_bytes(catalog.read_bytes().replace("户籍".encode(), "戶籍".encode(), 1))
    code, out = run("--lang", "en", "--db", db, "import", "catalog", str(catalog))
    assert code == 1 and "altered" in out  # changed after signing
    from clerk_tui.services.sync import crypto, keys

    keys.sign_file(crypto.new_signing_key(), catalog)  # signed, but by someone else
    code, out = run("--lang", "en", "--db", db, "import", "catalog", str(catalog))
    assert code == 1 and "someone other than the centre" in out


def test_import_ratings_cli(tmp_path: Path) -> None:
    """A platform ratings file, signed by the centre: a bad one lists its rows and keeps
    nothing (exit 1); a good one is stored and says what it did."""
    from clerk_tui.services.cases.record import save_case
    from tests.case_factory import draft

    db = make_station(tmp_path)
    settings = load_settings(default_config_path()).with_overrides(database=database_value(db))
    station = open_station(settings, FixedClock(FIXED_NOW))
    case_no, rated_at = save_case(station, draft(station)).case_no, FIXED_NOW.isoformat(timespec="minutes")
    station.close()
    file = tmp_path / "ratings.json"
    rows = [{"case_no": case_no, "level": 2, "rated_at": rated_at, "channel": "3"}]
    doc = {"format": "clerk-tui-ratings", "format_version": 1, "ratings": [*rows, {**rows[0], "channel": "7"}]}
    file.write_text(json.dumps(doc), encoding="utf-8")
    centre_signs(db, tmp_path, file)
    code, out = run("--db", db, "import", "ratings", str(file))
    assert code == 1 and "ratings[1].channel" in out and "未导入" in out, out
    doc["ratings"] = rows
    file.write_text(json.dumps(doc), encoding="utf-8")
    centre_signs(db, tmp_path, file)
    code, out = run("--db", db, "import", "ratings", str(file))
    assert code == 0 and "新增 1" in out and "新开回访 1" in out, out
    code, out = run("--db", db, "import", "ratings", str(file))
    assert code == 0 and "已有 1" in out, out
