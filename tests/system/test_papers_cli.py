"""`clerk papers`: a case's papers listed, issued, printed through a configured receipt
printer that fails (one line, exit 1, the paper kept for the reprint list), reprinted."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from clerk_tui.cli import app as cli
from tests.unit.test_papers import promised_case

runner = CliRunner()


def invoke(station, config: Path, *args: str):
    return runner.invoke(cli, ["--db", str(station.settings.database_path), "--config", str(config), *args])


def write_config(station, tmp_path: Path, papers: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[station]\nid = "{station.settings.station_id}"\n[window]\nnumber = 3\n{papers}', encoding="utf-8"
    )
    return config


def test_issue_list_and_reprint_through_the_cli(station, tmp_path) -> None:
    case = promised_case(station)
    device = tmp_path / "receipt-printer"  # a printer device file, as /dev/usb/lp0 is
    config = write_config(station, tmp_path, f'[papers]\nreceipt_printer = "file:{device}"\n')
    listed = invoke(station, config, "papers", "list", "--case", case.case_no)
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[:2] for line in listed.output.splitlines()] == [
        ["未出具", "受理通知书"],
        ["未出具", "材料接收清单"],
    ]
    issued = invoke(station, config, "papers", "issue", case.case_no, "acceptance")
    assert issued.exit_code == 0, issued.output
    number = re.search(r"SL-\d{8}-03-001", issued.output)  # the CLI runs on today's date
    assert number is not None and "已打印（第 1 次）" in issued.output
    body = device.read_bytes()
    assert body.startswith(b"\x1b@\x1c&") and "受理通知书".encode("gb18030") in body
    # `clerk notice list` lists the papers too.
    notices = invoke(station, config, "notice", "list")
    assert f"{number.group()}\t受理通知书" in notices.output


def test_a_failing_printer_is_one_line_and_the_paper_waits_for_a_reprint(station, tmp_path) -> None:
    case = promised_case(station)
    missing = tmp_path / "no-such-folder" / "lp0"
    config = write_config(station, tmp_path, f'[papers]\nreceipt_printer = "file:{missing}"\n')
    failed = invoke(station, config, "papers", "issue", case.case_no, "materials")
    assert failed.exit_code == 1
    number = re.search(r"JS-\d{8}-03-001", failed.output)
    assert number is not None
    assert "找不到小票打印机" in failed.output and "Traceback" not in failed.output
    waiting = invoke(station, config, "papers", "list", "--unprinted")
    assert waiting.exit_code == 0 and waiting.output.startswith(f"{number.group()}\t材料接收清单")
    missing.parent.mkdir()
    again = invoke(station, config, "papers", "reprint", number.group())
    assert again.exit_code == 0, again.output
    assert invoke(station, config, "papers", "list", "--unprinted").output == ""


def test_templates_command_names_the_error(station, tmp_path) -> None:
    own = tmp_path / "own"
    (own / "zh").mkdir(parents=True)
    (own / "zh" / "refusal.txt").write_text("title: x\n{% for %}\n", encoding="utf-8")
    config = write_config(station, tmp_path, f'[papers]\ntemplates = "{own}"\n')
    result = invoke(station, config, "papers", "templates")
    assert result.exit_code == 1 and "refusal.txt" in result.output and "第 2 行" in result.output
    (own / "zh" / "refusal.txt").unlink()
    fine = invoke(station, config, "papers", "templates")
    assert fine.exit_code == 0 and "zh/refusal.txt" in fine.output
