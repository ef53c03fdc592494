"""Text from other stations is data (issue 17, items 8 and 6): names and free text with
escape sequences, control characters, bidi overrides and markup are shown inert in the
CLI, the notices and the papers; a reprint writes only into this station's own notices
folder, whatever `file_path` a merged notice carries."""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from clerk_tui.cli import app as cli
from clerk_tui.display_text import ESCAPE_MARK, NEWLINE_MARK, REPLACEMENT, neutral, one_line
from clerk_tui.models import Notice
from clerk_tui.services.check import notice as notices
from clerk_tui.services.papers import store as papers
from clerk_tui.services.sync.export import export_bundle
from clerk_tui.services.sync.merge import merge_bundles
from tests.sync_helpers import make_centre, populate, trust
from tests.system.test_notice import correction_check, flat
from tests.unit.test_papers import promised_case

# Erase the screen, set the window title, a hyperlink, a bare CR, a bell, a right-to-left
# override, Rich markup (a style and an action link) and HTML.
HOSTILE = (
    "[red]张三[/]\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\点我\x1b]8;;\x1b\\"
    "\r王\x07五\u202eabc[@click=app.quit]x[/]<b>粗</b>"
)
# Anything a terminal, a printer or a page would act on (tab and line feed are layout).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

runner = CliRunner()


def inert(text: str) -> bool:
    return CONTROL.search(text) is None


# --- the function ------------------------------------------------------------------------------


def test_neutral_makes_every_hostile_part_a_visible_inert_mark() -> None:
    shown = neutral(HOSTILE)
    assert inert(shown) and "\x1b" not in shown and "pwned" not in shown and "evil.example" not in shown
    assert shown == (
        f"[red]张三[/]{ESCAPE_MARK * 3}点我{ESCAPE_MARK}␍王␇五{REPLACEMENT}abc[@click=app.quit]x[/]<b>粗</b>"
    )
    # 8-bit CSI and OSC, a lone ESC at the end, DEL, NUL, the isolates.
    assert (
        neutral("a\x9b31mb\x9d0;t\x9cc\x7f\x00\u2066d\x1b")
        == f"a{ESCAPE_MARK}b{ESCAPE_MARK}c␡␀{REPLACEMENT}d{ESCAPE_MARK}"
    )


def test_line_breaks_stay_in_text_and_become_a_mark_in_a_cell() -> None:
    assert neutral("一\r\n二\n三\u2028四\t五") == "一\n二\n三\n四 五"
    assert one_line("一\r\n二\n三") == f"一{NEWLINE_MARK}二{NEWLINE_MARK}三"


def test_ordinary_text_is_returned_unchanged() -> None:
    for text in ("王小明", "Zhang San", "营业执照（副本）复印件 2 份 · 原件核验", "", "[默认：3]"):
        assert neutral(text) is text and one_line(text) is text


# --- notices and papers --------------------------------------------------------------------------


def test_a_notice_for_a_hostile_name_prints_and_pages_it_inert(station) -> None:
    issued = notices.issue_notice(station, correction_check(station), HOSTILE)
    assert inert(issued.text) and "[red]张三[/]" in flat(issued.text) and "[@click=app.quit]x[/]" in flat(issued.text)
    assert all(len(line) for line in issued.text.splitlines()[:1])  # the layout is still the notice's
    page = issued.html_path.read_text(encoding="utf-8")
    assert inert(page) and "&lt;b&gt;粗&lt;/b&gt;" in page and "<b>粗" not in page and "[red]张三[/]" in page
    assert inert(issued.txt_path.read_text(encoding="utf-8"))
    # The stored row and the receipt text: what `notice show` prints.
    assert notices.notice_text(station, issued.id) == issued.text


def test_a_paper_for_a_hostile_name_prints_and_pages_it_inert(station) -> None:
    case = promised_case(station, applicant_name=HOSTILE, notes=HOSTILE)
    issued, new = papers.issue_paper(station, case.id, "acceptance")
    assert new and inert(issued.text) and "[red]张三[/]" in flat(issued.text)
    page = issued.html_path.read_text(encoding="utf-8")
    assert inert(page) and "&lt;b&gt;粗&lt;/b&gt;" in page and "<b>粗" not in page
    assert inert(papers.a4_text_path(issued.html_path).read_text(encoding="utf-8"))


# --- notices merged at a centre: inert text, paths of the centre's own -----------------------------


def _merged_centre(station, tmp_path: Path, file_paths: list[str]):
    """A centre that merged the station's notices, each with hostile text and a `file_path`."""
    populate(station, len(file_paths))
    with station.write() as session:
        rows = session.execute(select(Notice).order_by(Notice.number)).scalars().all()
        for notice, path in zip(rows, file_paths, strict=True):
            notice.text = f"{HOSTILE}\n第二行\n"
            notice.file_path = path
    centre = make_centre(tmp_path)
    trust(centre, station)
    out = tmp_path / "usb"
    out.mkdir()
    result = export_bundle(station, out)
    assert result is not None
    report = merge_bundles(centre, [result.path])
    assert report.ok
    return centre


def _tree(folder: Path) -> dict[str, int]:
    return {str(p): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


def test_reprint_of_a_merged_notice_writes_only_into_the_centres_notices_folder(station, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    before = _tree(tmp_path / "elsewhere")
    absolute = str(elsewhere / "sub" / "BZ-0.html")
    climbing = "../../../../../../../../.." + str(elsewhere / "x" / "BZ-1.html")
    centre = _merged_centre(station, tmp_path, [absolute, climbing])
    slip = tmp_path / "slip.bin"
    script = f"import sys; open({str(slip)!r}, 'ab').write(sys.stdin.buffer.read())"
    command = f'{sys.executable} -c "{script}" {{txt}}'
    centre.settings = replace(centre.settings, extra={**centre.settings.extra, "notice": {"print_command": command}})
    try:
        lines = notices.list_notices(centre)
        assert len(lines) == 2
        for line in lines:
            assert notices.print_notice(centre, line.id) == 1
        assert _tree(tmp_path / "elsewhere") == before  # nothing made, nothing chmod-ed
        assert not (elsewhere / "sub").exists() and not (elsewhere / "x").exists()
        printed = slip.read_bytes().decode("utf-8")
        assert inert(printed) and printed.count("[red]张三[/]") == 2
        folder = centre.settings.notices_path.resolve()
        for line in lines:
            files = notices.stored_notice_files(centre, line.id)
            assert not files.local and files.txt.resolve().is_relative_to(folder)
            assert files.txt.name == f"{station.settings.station_id}_{line.number}.txt"
            assert files.txt.read_text(encoding="utf-8") == neutral(f"{HOSTILE}\n第二行\n")
            assert inert(notices.notice_text(centre, line.id))
    finally:
        centre.close()


def test_file_stem_keeps_nothing_that_names_another_place() -> None:
    assert notices.file_stem("BZ-20261124-01-001") == "BZ-20261124-01-001"
    for hostile in ("../../etc/passwd", "/etc/cron.d/x", "C:\\Windows\\x", "..", "", "\x1b]0;x\x07", "名字", "LPT1"):
        stem = notices.file_stem(hostile)
        assert stem and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*|notice", stem), (hostile, stem)
        assert stem.upper() not in ("LPT1", "CON", "NUL"), (hostile, stem)


# --- the CLI --------------------------------------------------------------------------------------


def test_cli_lists_show_and_tables_print_stored_text_inert(station, tmp_path) -> None:
    issued = notices.issue_notice(station, correction_check(station), HOSTILE)
    case = promised_case(station, applicant_name=HOSTILE)
    papers.issue_paper(station, case.id, "acceptance")
    with station.write() as session:  # a notice as a bundle could bring it (text and file_path)
        stored = session.get(Notice, issued.id)
        assert stored is not None
        stored.text = HOSTILE + "\n"
        stored.file_path = "/tmp/\x1b]0;pwned\x07/x.html"
    config = tmp_path / "config.toml"
    config.write_text(f'[station]\nid = "{station.settings.station_id}"\n[window]\nnumber = 3\n', encoding="utf-8")
    base = ["--db", str(station.settings.database_path), "--config", str(config)]
    for args in (
        ["notice", "list"],
        ["notice", "show", issued.number],
        ["papers", "list"],
        ["papers", "list", "--case", case.case_no],
        ["report", "daily", "--date", "2026-11-24"],
        ["catalog", "list", "--limit", "3"],
        ["ticket", "list", "--all"],
    ):
        result = runner.invoke(cli, [*base, *args])
        assert result.exit_code == 0, (args, result.output)
        assert inert(result.output), (args, result.output)
    shown = runner.invoke(cli, [*base, "notice", "show", issued.number]).output
    assert "[red]张三[/]" in shown and "[@click=app.quit]x[/]" in shown
    listed = runner.invoke(cli, [*base, "notice", "list"]).output
    assert all(len(line.split("\t")) == 5 for line in listed.splitlines())
