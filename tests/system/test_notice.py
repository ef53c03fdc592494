"""The one-time notice: contents, width on receipt paper, files, printing and reprinting."""

from __future__ import annotations

import stat
import sys
from dataclasses import replace

import pytest
from rich.cells import cell_len
from sqlalchemy import select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import set_language
from clerk_tui.models import Notice
from clerk_tui.services.catalog.search import load_index
from clerk_tui.services.check import documents as dc
from clerk_tui.services.check import notice as notices

MISSING = ["经营者居民身份证", "经营场所使用证明（租赁合同/产权证明）或承诺书", "授权委托书及受托人居民身份证"]
PROVIDED = ["个体工商户登记（备案）申请书"]


def with_notice_config(station, **notice):
    station.settings = replace(station.settings, extra={**station.settings.extra, "notice": notice})
    return station


def correction_check(station) -> str:
    entry = load_index(station).search("gtgsh").hits[0].entry
    start = dc.start_check(station, entry.id)
    answers = {"委托他人代办时": True, "经营范围涉及前置许可时": False}
    marks = {
        m.position: ("missing" if m.name in MISSING else "provided")
        for m in start.guide.materials
        if dc.applies(m, answers)
    }
    return dc.save_check(station, start, answers, marks)


def rongque_check(station) -> str:
    entry = load_index(station).search("gtgsh").hits[0].entry
    start = dc.start_check(station, entry.id)
    answers = {"委托他人代办时": False, "经营范围涉及前置许可时": False}
    marks = {
        m.position: ("missing" if m.necessity == 3 else "provided")
        for m in start.guide.materials
        if dc.applies(m, answers)
    }
    return dc.save_check(station, start, answers, marks, start.supply_limit)


def flat(text: str) -> str:
    """The text without line breaks and indents, to find wrapped phrases."""
    return "".join(line.strip() for line in text.splitlines())


def test_every_missing_item_once_and_nothing_provided(station) -> None:
    _, text = notices.preview(station, correction_check(station), "张三")
    body = flat(text)
    for name in MISSING:
        assert body.count(name) == 1, name
    for name in [*PROVIDED, "前置审批许可文件"]:  # provided, and not applicable by answer
        assert name not in body
    for phrase in [
        "一次性告知书",
        "张三",
        "个体工商户设立登记",
        "2026年11月24日",
        "《中华人民共和国行政许可法》第三十二条",
        "《市场主体登记管理条例》",
        "3号窗口",
        station.settings.clerk_no,
        station.settings.station_contact,
        "适用情形：委托他人代办时",
        "原件·1份·必要",
        "申请人签字",
    ]:
        assert phrase.replace(" ", "") in body.replace(" ", ""), phrase


def test_rongque_notice_states_the_supply_deadline(station) -> None:
    data, text = notices.preview(station, rongque_check(station))
    assert data.kind == "rongque"
    body = flat(text)
    assert "容缺受理通知书" in body and "2026年12月1日" in body
    assert body.count("经营场所使用证明（租赁合同/产权证明）或承诺书") == 1
    assert "经营者居民身份证" not in body


def test_blank_applicant_line_to_fill_by_hand(station) -> None:
    _, text = notices.preview(station, correction_check(station), "  ")
    assert any(line.startswith("申请人：____") for line in text.splitlines())


@pytest.mark.parametrize("width", [24, 32, 48, 80])
def test_lines_fit_the_receipt_width_counting_cjk_as_two(station, width) -> None:
    with_notice_config(station, width=width)
    _, text = notices.preview(station, correction_check(station), "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert any(cell_len(line) > width - 4 for line in lines)  # the width is used, not wasted
    assert not any(line.lstrip().startswith(("，", "。", "：", "）")) for line in lines)


def test_wrap_cuts_long_words_and_keeps_hanging_indent() -> None:
    lines = notices.wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZ 中文字符测试", 10, indent=3, first="1. ")
    assert all(cell_len(line) <= 10 for line in lines)
    assert all(line.startswith("   ") for line in lines[1:])
    assert "".join(line[3:] for line in lines).replace(" ", "") == "ABCDEFGHIJKLMNOPQRSTUVWXYZ中文字符测试"


def test_english_notice(station) -> None:
    set_language("en")
    _, text = notices.preview(station, correction_check(station))
    assert "One-time notice" in text and "Administrative Licensing Law" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 32


def test_issue_saves_owner_only_files_and_a_row(station) -> None:
    check_id = correction_check(station)
    issued = notices.issue_notice(station, check_id, "张三")
    assert issued.number == "BZ-20261124-03-001"
    assert issued.txt_path.read_text(encoding="utf-8") == issued.text
    page = issued.html_path.read_text(encoding="utf-8")
    assert "<table" in page and "张三" in page and all(name in page for name in MISSING)
    for path in (issued.txt_path, issued.html_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(issued.txt_path.parent.stat().st_mode) == 0o700
    assert str(issued.txt_path).startswith(str(station.settings.notices_path))
    with station.read() as session:
        row = session.execute(select(Notice)).scalar_one()
        assert row.check_id == check_id and row.kind == "correction" and row.text == issued.text
        assert row.print_count == 0
    second = notices.issue_notice(station, rongque_check(station))
    assert second.number == "RQ-20261124-03-002"


def test_html_escapes_what_the_clerk_typed(station) -> None:
    issued = notices.issue_notice(station, correction_check(station), "<script>x</script>")
    assert "<script>" not in issued.html_path.read_text(encoding="utf-8")


def test_no_notice_when_nothing_is_missing(station) -> None:
    entry = load_index(station).search("jzz").hits[0].entry
    start = dc.start_check(station, entry.id)
    answers = {q: True for q in dc.questions(start.guide.materials)}
    marks = {m.position: "provided" for m in start.guide.materials}
    check_id = dc.save_check(station, start, answers, marks)
    with pytest.raises(ClerkError) as info:
        notices.preview(station, check_id)
    assert info.value.key == "notice.nothing_missing"


def test_without_print_command_nothing_is_run(station) -> None:
    issued = notices.issue_notice(station, correction_check(station))
    assert notices.print_notice(station, issued.id) is None


def test_print_command_gets_text_on_stdin_without_a_shell(station, tmp_path) -> None:
    out = tmp_path / "printed.txt"
    script = tmp_path / "fake_lp.py"
    script.write_text(
        "import sys, pathlib\n"
        "pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())\n"
        "pathlib.Path(sys.argv[1] + '.args').write_text('|'.join(sys.argv[2:]))\n"
    )
    command = f"{sys.executable} {script} {out} {{number}} '{{txt}}' 'a;rm -rf x'"
    with_notice_config(station, print_command=command, encoding="gb18030")
    issued = notices.issue_notice(station, correction_check(station))
    assert notices.print_notice(station, issued.id) == 1
    assert out.read_bytes().decode("gb18030") == issued.text
    assert (tmp_path / "printed.txt.args").read_text() == f"{issued.number}|{issued.txt_path}|a;rm -rf x"
    # Reprint: the stored text again, counted.
    out.unlink()
    line = notices.find_notice(station, issued.number)
    assert notices.print_notice(station, line.id) == 2
    assert out.read_bytes().decode("gb18030") == issued.text


def test_print_failures_are_clear(station, tmp_path) -> None:
    issued = notices.issue_notice(station, correction_check(station))
    with_notice_config(station, print_command="no-such-printer-program-xyz")
    with pytest.raises(ClerkError) as info:
        notices.print_notice(station, issued.id)
    assert info.value.key == "notice.print_missing"
    with_notice_config(station, print_command=f"{sys.executable} -c 'import sys; sys.exit(\"paper out\")'")
    with pytest.raises(ClerkError) as info:
        notices.print_notice(station, issued.id)
    assert info.value.key == "notice.print_failed" and "paper out" in info.value.message()


def test_config_section_is_validated() -> None:
    from clerk_tui.config import parse_settings

    for bad in (
        {"notice": {"width": 8}},
        {"notice": {"encoding": "latin-1"}},
        {"notice": {"print_command": "lp {nope}"}},
        {"check": {"instant_rongque_days": -1}},
    ):
        with pytest.raises(ClerkError):
            parse_settings(bad)
    settings = parse_settings({"notice": {"width": 48, "print_command": "lp -d slip {txt}"}})
    assert settings.notice.width == 48 and settings.notice.print_command == "lp -d slip {txt}"


def test_cli_lists_shows_and_reprints(station, tmp_path) -> None:
    from typer.testing import CliRunner

    from clerk_tui.cli import app as cli

    issued = notices.issue_notice(station, correction_check(station), "张三")
    out = tmp_path / "slip.txt"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[station]\nid = "{station.settings.station_id}"\n[window]\nnumber = 3\n[notice]\nprint_command = "{sys.executable} -c \\"import sys; '
        f"open('{out}', 'wb').write(sys.stdin.buffer.read())\\\"\"\n",
        encoding="utf-8",
    )
    db = str(station.settings.database_path)
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", db, "--config", str(config), "notice", "list", "--date", "2026-11-24"])
    assert listed.exit_code == 0 and issued.number in listed.output
    shown = runner.invoke(cli, ["--db", db, "--config", str(config), "notice", "show", issued.number])
    assert shown.exit_code == 0 and shown.output == issued.text
    printed = runner.invoke(cli, ["--db", db, "--config", str(config), "notice", "reprint", issued.number])
    assert printed.exit_code == 0, printed.output
    assert out.read_text(encoding="utf-8") == issued.text
    missing = runner.invoke(cli, ["--db", db, "--config", str(config), "notice", "reprint", "BZ-nope"])
    assert missing.exit_code != 0 and "BZ-nope" in missing.output


def test_rongque_notice_of_a_promised_matter_marks_a_provisional_deadline(station) -> None:
    """December: 公司设立登记 (承诺 1 工作日) accepted 2026-12-31 is due 2027-01-01 counted on
    weekends only; the notice says the date is 暂定, in text and HTML, in both languages."""
    from datetime import datetime

    from clerk_tui.clock import FixedClock

    station.clock = FixedClock(datetime(2026, 12, 31, 10, 0))
    entry = next(h.entry for h in load_index(station).search("公司设立").hits if h.entry.name == "公司设立登记")
    start = dc.start_check(station, entry.id)
    answers = {q: False for q in dc.questions(start.guide.materials)}
    marks = {
        m.position: ("missing" if m.necessity == 3 else "provided")
        for m in start.guide.materials
        if dc.applies(m, answers)
    }
    check_id = dc.save_check(station, start, answers, marks, start.supply_limit)
    data, text = notices.preview(station, check_id)
    assert data.promised_deadline.isoformat() == "2027-01-01" and data.deadline_provisional
    body = flat(text)
    assert "2027年1月1日（暂定）" in body and "承诺办结日为暂定" in body
    assert "（暂定）" in notices.render_html(data)
    try:
        set_language("en")
        data, text = notices.preview(station, check_id)
        assert "(provisional)" in flat(text) and "provisional" in notices.render_html(data)
    finally:
        set_language("zh")
