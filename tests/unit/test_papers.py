"""The papers a window hands over: content field by field, templates, storage and numbering,
receipt bytes for an ESC/POS printer, and printing failures that leave everything saved."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from escpos.printer import Dummy
from rich.cells import cell_len
from sqlalchemy import select
from sqlmodel import col

from clerk_tui.clock import FixedClock
from clerk_tui.config import parse_settings
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import set_language
from clerk_tui.models import Case, Notice
from clerk_tui.services.cases import changes as case_changes
from clerk_tui.services.cases.record import save_case
from clerk_tui.services.catalog.search import load_index
from clerk_tui.services.check import documents as dc
from clerk_tui.services.check import notice as notices
from clerk_tui.services.papers import content, markup, store
from clerk_tui.services.papers.content import Subject
from clerk_tui.services.station import printers
from tests.case_factory import PROMISED_MATTER, draft, matter

COMPANY = "公司设立登记"  # 承诺 1 工作日, one 容缺 material


def checked(station, name: str, missing_necessity: int | None = None) -> str:
    """A saved check of `name`: every material that applies provided, except those of
    `missing_necessity` (3 = 容缺) marked missing."""
    entry = next(h.entry for h in load_index(station).search(name[:4]).hits if h.entry.name == name)
    start = dc.start_check(station, entry.id)
    answers = {q: False for q in dc.questions(start.guide.materials)}
    marks = {
        m.position: ("missing" if m.necessity == missing_necessity else "provided")
        for m in start.guide.materials
        if dc.applies(m, answers)
    }
    supply = start.supply_limit if missing_necessity == 3 else None
    return dc.save_check(station, start, answers, marks, supply)


def promised_case(station, **changes) -> Case:
    check_id = checked(station, PROMISED_MATTER)
    return save_case(station, draft(station, "promised", PROMISED_MATTER, check_id=check_id, **changes))


def rongque_case(station) -> Case:
    check_id = checked(station, COMPANY, 3)
    notices.issue_notice(station, check_id)  # the 容缺 notice comes before the case (record.py)
    supply = dc.load_check(station, check_id).supply_deadline
    return save_case(station, draft(station, "rongque", COMPANY, check_id=check_id, supply_deadline=supply))


def refused_case(station) -> Case:
    check_id = checked(station, PROMISED_MATTER)
    return save_case(
        station, draft(station, "refused", PROMISED_MATTER, check_id=check_id, refusal_reason="不属于本机关职权范围")
    )


def rendered(station, case: Case, kind: str, number: str = "X-1") -> store.Rendered:
    subject = Subject(dc.load_check(station, case.check_id), case)
    with station.read() as session:
        return store.render(station, session, kind, subject, number)


def items(blocks: list[markup.Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "item"]


def paragraphs(blocks: list[markup.Block]) -> str:
    return "\n".join(b.text for b in blocks if b.kind in ("para", "text"))


def with_papers(station, **papers) -> None:
    station.settings = replace(station.settings, extra={**station.settings.extra, "papers": papers})


# --- content, field by field --------------------------------------------------------------------


def test_acceptance_receipt_fields(station) -> None:
    """承诺件 存量房过户 (5 working days) accepted Tuesday 2026-11-24: due Tuesday 12-01."""
    case = promised_case(station)
    paper = rendered(station, case, "acceptance")
    fields = markup.fields(paper.blocks)
    assert fields["编号"] == "X-1"
    assert fields["申请人"] == "王小明"
    assert fields["证件号码"] == "110***********002X"  # masked on paper as on screen
    assert fields["申请事项"] == PROMISED_MATTER
    assert fields["事项编码"] == matter(station, PROMISED_MATTER).code
    assert fields["办件编号"] == case.case_no
    assert fields["承诺时限"] == "5个工作日"
    assert fields["承诺办结日"] == "2026年12月1日"
    assert fields["结果送达"].startswith("办结后凭本通知书到受理窗口领取")
    assert fields["进度查询"].startswith("凭办件编号")
    assert fields["受理窗口"] == f"{station.settings.window_no}号窗口"
    assert fields["经办人"] == f"{station.settings.clerk_no} {station.settings.clerk_name}".strip()
    check = dc.load_check(station, case.check_id)
    assert items(paper.blocks) == [m.name for m in content.received(check)]
    assert "予以受理" in paragraphs(paper.blocks) and "2026年11月24日" in paragraphs(paper.blocks)
    assert [b.text for b in paper.blocks if b.kind == "sign"] == ["申请人签收", "签收日期"]


def test_acceptance_takes_delivery_and_progress_from_the_station(station) -> None:
    with_papers(station, delivery="免费邮寄送达", progress_query="拨打 12345 查询")
    fields = markup.fields(rendered(station, promised_case(station), "acceptance").blocks)
    assert fields["结果送达"] == "免费邮寄送达" and fields["进度查询"] == "拨打 12345 查询"


def test_acceptance_marks_a_provisional_deadline(station) -> None:
    """Accepted 2026-12-31, 1 working day: 2027-01-01 counted on weekends only is 暂定."""
    station.clock = FixedClock(datetime(2026, 12, 31, 10, 0))
    check_id = checked(station, COMPANY)
    case = save_case(station, draft(station, "promised", COMPANY, check_id=check_id))
    paper = rendered(station, case, "acceptance")
    assert markup.fields(paper.blocks)["承诺办结日"] == "2027年1月1日（暂定）"
    assert "承诺办结日为暂定" in paragraphs(paper.blocks)
    assert "（暂定）" in paper.html


def test_rongque_case_has_acceptance_pledge_and_materials(station) -> None:
    case = rongque_case(station)
    papers = store.case_papers(station, case.id)
    assert [line.kind for line in papers.lines] == ["acceptance", "pledge", "materials"]
    pledge = rendered(station, case, "pledge")
    fields = markup.fields(pledge.blocks)
    assert fields["承诺人（申请人）"] == "王小明"
    assert fields["补齐期限"] == content.date_text(case.supply_deadline)
    assert fields["承诺办结日"] == content.date_text(case.promised_deadline)
    check = dc.load_check(station, case.check_id)
    assert items(pledge.blocks) == [m.name for m in check.missing] and items(pledge.blocks)
    assert "承诺人签字（盖章）" in [b.text for b in pledge.blocks if b.kind == "sign"]
    acceptance = rendered(station, case, "acceptance")
    assert "容缺受理" in paragraphs(acceptance.blocks)


def test_refusal_notice_reason_basis_and_remedies(station) -> None:
    with_papers(station, reconsideration_body="示例县人民政府", court="示例县人民法院")
    case = refused_case(station)
    assert [line.kind for line in store.case_papers(station, case.id).lines] == ["refusal", "materials"]
    paper = rendered(station, case, "refusal")
    fields = markup.fields(paper.blocks)
    assert fields["不予受理理由"] == "不属于本机关职权范围"
    basis = matter(station, PROMISED_MATTER).legal_basis
    assert items(paper.blocks) and all(b in basis for b in items(paper.blocks))
    remedies = paragraphs(paper.blocks)
    assert "60日内向示例县人民政府申请行政复议" in remedies
    assert "6个月内向示例县人民法院提起行政诉讼" in remedies


def test_refusal_remedies_default_wording(station) -> None:
    remedies = paragraphs(rendered(station, refused_case(station), "refusal").blocks)
    assert "作出本决定的行政机关的本级人民政府" in remedies and "有管辖权的人民法院" in remedies


def test_collection_notice_once_the_promised_case_is_completed(station, clock) -> None:
    case = promised_case(station)
    assert "collection" not in [line.kind for line in store.case_papers(station, case.id).lines]
    with pytest.raises(ClerkError) as refused:
        store.issue_paper(station, case.id, "collection")
    assert refused.value.key == "papers.not_for_case"
    clock.at = datetime(2026, 11, 27, 15, 0)
    case_changes.finish_pending(station, case.id, False, "已出证")
    assert "collection" in [line.kind for line in store.case_papers(station, case.id).lines]
    with station.read() as session:
        case = session.get(Case, case.id)
    fields = markup.fields(rendered(station, case, "collection").blocks)
    assert fields["办结日期"] == "2026年11月27日"
    assert fields["受理日期"] == "2026年11月24日"
    assert fields["办理结果"] == "已出证"


def test_materials_received_list(station) -> None:
    case = promised_case(station)
    paper = rendered(station, case, "materials")
    check = dc.load_check(station, case.check_id)
    assert items(paper.blocks) == [m.name for m in content.received(check)]
    assert f"共 {len(content.received(check))} 项。" in paragraphs(paper.blocks)
    assert markup.fields(paper.blocks)["收件日期"] == "2026年11月24日"


def test_english_papers(station) -> None:
    case = refused_case(station)
    try:
        set_language("en")
        paper = rendered(station, case, "refusal")
    finally:
        set_language("zh")
    fields = markup.fields(paper.blocks)
    assert fields["Reason"] == "不属于本机关职权范围" and fields["Case no."] == case.case_no
    assert "within 60 days" in paragraphs(paper.blocks) and "within 6 months" in paragraphs(paper.blocks)
    assert paper.html.startswith("<!DOCTYPE html>") and 'lang="en"' in paper.html


@pytest.mark.parametrize("width", [24, 32, 48])
def test_every_receipt_line_fits_the_printer(station, width) -> None:
    station.settings = replace(station.settings, extra={**station.settings.extra, "notice": {"width": width}})
    case = rongque_case(station)
    for kind in ("acceptance", "pledge", "materials"):
        text = rendered(station, case, kind).text
        assert all(cell_len(line) <= width for line in text.splitlines()), (kind, width)


def test_html_escapes_what_was_typed_and_has_print_css(station) -> None:
    case = promised_case(station, applicant_name="<b>王</b>&小明", notes="x")
    page = rendered(station, case, "acceptance").html
    assert "<b>王</b>" not in page and "&lt;b&gt;王&lt;/b&gt;&amp;小明" in page
    assert "@page" in page and "size: A4" in page and "counter(page)" in page


def test_a_newline_typed_into_a_case_cannot_add_a_directive(station) -> None:
    check_id = checked(station, PROMISED_MATTER)
    case = save_case(
        station,
        draft(station, "refused", PROMISED_MATTER, check_id=check_id, refusal_reason="理由\nsign: 伪造的签字栏"),
    )
    blocks = rendered(station, case, "refusal").blocks
    assert [b.text for b in blocks if b.kind == "sign"] == ["申请人签收", "签收日期"]
    assert "伪造的签字栏" in markup.fields(blocks)["不予受理理由"]


# --- storage, numbering, snapshot ------------------------------------------------------------


def test_issued_papers_are_numbered_with_the_notices_and_stored(station) -> None:
    case = rongque_case(station)
    numbers = []
    for kind in ("acceptance", "pledge", "materials"):
        issued, new = store.issue_paper(station, case.id, kind)
        assert new and issued.html_path.exists() and issued.txt_path.exists()
        assert store.a4_text_path(issued.html_path).exists()
        numbers.append(issued.number)
    window = f"{station.settings.window_no:02d}"
    # The case's own 容缺 notice took 001; the papers continue the notices' series.
    assert numbers == [f"SL-20261124-{window}-002", f"CN-20261124-{window}-003", f"JS-20261124-{window}-004"]
    # The next one-time notice continues the same series (the notices' own numbering).
    notice = notices.issue_notice(station, checked(station, COMPANY, 3))
    assert notice.number == f"RQ-20261124-{window}-005"
    again, new = store.issue_paper(station, case.id, "acceptance")
    assert not new and again.number == numbers[0]
    assert [line.number for line in store.list_papers(station)] == numbers
    assert sorted(line.kind for line in notices.list_notices(station)) == [
        "acceptance",
        "materials",
        "pledge",
        "rongque",
        "rongque",
    ]


def test_a_paper_is_a_snapshot(station) -> None:
    case = promised_case(station)
    issued, _ = store.issue_paper(station, case.id, "acceptance")
    case_changes.edit_case(
        station, case.id, draft(station, "promised", PROMISED_MATTER, applicant_name="王晓明"), "更正"
    )
    assert store.preview(station, case.id, "acceptance") == issued.text
    assert "王小明" in issued.text and "王晓明" not in issued.text


def test_case_detail_still_names_the_one_time_notice_not_a_paper(station) -> None:
    from clerk_tui.services.cases.history import case_detail

    check_id = checked(station, COMPANY, 3)
    notice = notices.issue_notice(station, check_id)
    supply = dc.load_check(station, check_id).supply_deadline
    case = save_case(station, draft(station, "rongque", COMPANY, check_id=check_id, supply_deadline=supply))
    store.issue_paper(station, case.id, "acceptance")
    assert case_detail(station, case.id).notice_number == notice.number


def test_pledge_issued_with_the_rongque_notice_belongs_to_the_case(station) -> None:
    check_id = checked(station, COMPANY, 3)
    pledge, new = store.issue_pledge(station, check_id, "李四")
    assert new and "李四" in pledge.text
    assert store.issue_pledge(station, check_id)[0].number == pledge.number
    notices.issue_notice(station, check_id)
    supply = dc.load_check(station, check_id).supply_deadline
    case = save_case(station, draft(station, "rongque", COMPANY, check_id=check_id, supply_deadline=supply))
    line = next(line for line in store.case_papers(station, case.id).lines if line.kind == "pledge")
    assert line.number == pledge.number


def test_a_case_recorded_again_from_the_same_check_starts_afresh(station, clock) -> None:
    case = promised_case(station)
    store.issue_paper(station, case.id, "acceptance")
    clock.advance(minutes=1)
    case_changes.void_case(station, case.id, "录错")
    clock.advance(minutes=1)
    again = save_case(station, draft(station, "promised", PROMISED_MATTER, check_id=case.check_id))
    assert not any(line.issued for line in store.case_papers(station, again.id).lines)
    assert store.case_papers(station, case.id).lines[0].issued  # the voided case keeps its paper
    with pytest.raises(ClerkError) as voided:
        store.issue_paper(station, case.id, "materials")
    assert voided.value.key == "papers.case_voided"


def test_a_case_recorded_without_a_check_gets_its_papers(station) -> None:
    """Papers belong to the case itself when it has no document check (migration v006):
    numbered, stored, listed and reprinted like the others; no materials are listed."""
    case = save_case(station, draft(station, "refused", PROMISED_MATTER, refusal_reason="材料虚假"))
    assert case.check_id is None
    assert [line.kind for line in store.case_papers(station, case.id).lines] == ["refusal"]
    paper, new = store.issue_paper(station, case.id, "refusal")
    assert new and paper.number.startswith("BY-")
    with station.read() as session:
        row = session.get(Notice, paper.id)
    assert (row.check_id, row.case_id, row.kind) == (None, case.id, "refusal")
    flat_text = paper.text.replace("\n", "")
    assert "材料虚假" in flat_text and case.case_no in flat_text and PROMISED_MATTER[:6] in flat_text
    assert paper.html_path.parent == notices.notice_folder(station, station.clock.today())
    again, new_again = store.issue_paper(station, case.id, "refusal")
    assert (again.number, new_again) == (paper.number, False)
    lines = store.case_papers(station, case.id).lines
    assert [(line.kind, line.number, line.issued) for line in lines] == [("refusal", paper.number, True)]
    listed = [line for line in store.list_papers(station) if line.id == paper.id]
    assert [line.matter_name for line in listed] == [case.matter_name]
    assert notices.stored_notice_files(station, paper.id).local
    with pytest.raises(ClerkError) as none:
        store.issue_paper(station, case.id, "materials")
    assert none.value.key == "papers.not_for_case"


def test_a_promised_case_without_a_check_gets_its_receipt_with_no_materials(station) -> None:
    case = save_case(station, draft(station, "promised", PROMISED_MATTER))
    with station.read() as session:
        fields = content.build_fields(station, session, "acceptance", Subject(None, case), "SL-1")
    assert fields["materials"] == [] and fields["missing"] == []
    assert (fields["matter_name"], fields["case_no"]) == (case.matter_name, case.case_no)
    assert fields["promised_deadline"] and fields["received"]
    paper, new = store.issue_paper(station, case.id, "acceptance")
    assert new and store.preview(station, case.id, "acceptance") == paper.text


def test_numbers_seeded_from_the_papers_of_cases_without_a_check(station) -> None:
    """A notice counter made afresh (a database from before counters) counts the papers
    stored on cases too, so the next number is never one already handed out."""
    from clerk_tui.models import Counter

    first = save_case(station, draft(station, "refused", PROMISED_MATTER, refusal_reason="一"))
    issued, _ = store.issue_paper(station, first.id, "refusal")
    with station.write() as session:
        for counter in session.execute(select(Counter).where(col(Counter.name).like("notice:%"))).scalars():
            session.delete(counter)
    second = save_case(station, draft(station, "refused", PROMISED_MATTER, refusal_reason="二"))
    following, _ = store.issue_paper(station, second.id, "refusal")
    assert int(following.number.rsplit("-", 1)[1]) == int(issued.number.rsplit("-", 1)[1]) + 1


# --- templates ----------------------------------------------------------------------------------


def station_template(station, tmp_path: Path, kind: str, text: str) -> None:
    folder = tmp_path / "own-templates"
    (folder / "zh").mkdir(parents=True, exist_ok=True)
    (folder / "zh" / f"{kind}.txt").write_text(text, encoding="utf-8")
    with_papers(station, templates=str(folder))


def test_a_station_template_replaces_the_bundled_one(station, tmp_path) -> None:
    station_template(station, tmp_path, "refusal", "title: 不予受理决定书\nfield: 当事人 | {{ applicant }}\n")
    case = refused_case(station)
    blocks = rendered(station, case, "refusal").blocks
    assert blocks[0].text == "不予受理决定书" and markup.fields(blocks) == {"当事人": "王小明"}
    assert markup.fields(rendered(station, case, "materials").blocks)["申请人"] == "王小明"  # others bundled


@pytest.mark.parametrize(
    ("source", "line", "reason"),
    [
        ("title: x\nfield: a | {{ applicant }\n", 2, "unexpected"),  # Jinja syntax
        ("title: x\n\nheading: y\n", 3, "unknown directive 'heading'"),
        ("title: x\n{% if applicant %}\nfield: a | {{ aplicant }}\n{% endif %}\n", 3, "'aplicant' is undefined"),
        ("title: x\ntext: {{ applicant.__class__.__mro__ }}\n", 2, "sandbox"),
        ("title: x\ntext: {{ applicant.upper.__globals__ }}\n", 2, "__globals__"),
    ],
)
def test_a_template_with_an_error_is_refused_naming_file_and_line(station, tmp_path, source, line, reason) -> None:
    station_template(station, tmp_path, "refusal", source)
    case = refused_case(station)
    with pytest.raises(ClerkError) as error:
        store.issue_paper(station, case.id, "refusal")
    assert error.value.key == "papers.template_error"
    assert error.value.params["line"] == line and reason in error.value.params["reason"]
    assert "refusal.txt" in error.value.message() and f"第 {line} 行" in error.value.message()
    assert store.list_papers(station) == []  # nothing stored


def test_a_template_cannot_read_files(station, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", encoding="utf-8")
    station_template(station, tmp_path, "refusal", f'title: x\n{{% include "{secret}" %}}\n')
    with pytest.raises(ClerkError) as error:
        store.issue_paper(station, refused_case(station).id, "refusal")
    assert error.value.key == "papers.template_error" and error.value.params["line"] == 2


def test_every_bundled_template_loads(station) -> None:
    names = store.check_templates(station)
    assert len(names) == 10 and "zh/acceptance.txt" in names and "en/refusal.txt" in names


# --- printing -------------------------------------------------------------------------------------


def test_receipt_bytes_on_an_escpos_printer_are_gb18030_in_chinese_mode() -> None:
    device = Dummy()
    printers.print_receipt("file:/dev/null", "受理通知书\n编号：SL-1\n", 5, device=device)
    out = device.output
    assert out.startswith(b"\x1b@" + b"\x1c&")  # ESC @ (reset), FS & (Chinese mode)
    body = "受理通知书\r\n编号：SL-1\r\n".encode("gb18030")
    assert out[4 : 4 + len(body)] == body
    assert out.endswith(b"\x1dV\x00") or b"\x1dV" in out[-8:]  # GS V: cut


def test_paper_receipt_goes_to_the_configured_printer(station, monkeypatch) -> None:
    device = Dummy()
    monkeypatch.setattr(printers, "open_receipt_printer", lambda spec, timeout: device)
    with_papers(station, receipt_printer="net:192.0.2.10:9100")
    issued, _ = store.issue_paper(station, promised_case(station).id, "acceptance")
    monkeypatch.setattr(printers, "_status_problem", lambda d: None)
    assert notices.print_notice(station, issued.id) == 1
    assert issued.text.rstrip("\n").replace("\n", "\r\n").encode("gb18030") in device.output


class OutOfPaper(Dummy):
    def is_online(self) -> bool:
        return True

    def paper_status(self) -> int:
        return 0


class Offline(Dummy):
    def is_online(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("device", "key"), [(OutOfPaper, "papers.receipt_no_paper"), (Offline, "papers.receipt_offline")]
)
def test_a_printer_that_cannot_print_leaves_the_paper_for_reprint(station, monkeypatch, device, key) -> None:
    printer = device()
    monkeypatch.setattr(printers, "open_receipt_printer", lambda spec, timeout: printer)
    with_papers(station, receipt_printer="usb:0x0416:0x5011")
    case = promised_case(station)
    with station.read() as session:
        before = session.get(Case, case.id).version
    issued, _ = store.issue_paper(station, case.id, "acceptance")
    with pytest.raises(ClerkError) as error:
        notices.print_notice(station, issued.id)
    assert error.value.key == key and "\n" not in error.value.message()
    assert printer.output == b""  # nothing half-printed
    assert [line.number for line in store.list_papers(station, unprinted=True)] == [issued.number]
    with station.read() as session:
        assert session.get(Case, case.id).version == before  # the case as it was
        assert session.execute(select(Notice.print_count).where(Notice.id == issued.id)).scalar_one() == 0


def test_a_missing_network_printer_is_one_line(station) -> None:
    import socket

    with socket.socket() as sock:  # a local port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with_papers(station, receipt_printer=f"net:127.0.0.1:{port}")
    issued, _ = store.issue_paper(station, promised_case(station).id, "materials")
    with pytest.raises(ClerkError) as error:
        notices.print_notice(station, issued.id)
    assert error.value.key == "papers.receipt_missing" and str(port) in error.value.message()
    assert store.list_papers(station, unprinted=True)[0].number == issued.number


def fake_lp(tmp_path: Path, code: int = 0, message: str = "") -> Path:
    script = tmp_path / "lp"
    log = tmp_path / "lp.log"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"sys.stderr.write({message!r})\nsys.exit({code})\n"
    )
    script.chmod(0o755)
    return script


@pytest.mark.skipif(sys.platform == "win32", reason="lp is the Linux / macOS path")
def test_a4_goes_to_the_default_printer_through_lp(station, monkeypatch, tmp_path) -> None:
    lp = fake_lp(tmp_path)
    monkeypatch.setattr(printers, "system_printer", lambda: str(lp))
    issued, _ = store.issue_paper(station, refused_case(station).id, "refusal")
    assert notices.print_notice(station, issued.id) == 1
    args = (tmp_path / "lp.log").read_text().split()
    assert args[-1] == str(store.a4_text_path(issued.html_path)) and "-d" not in args
    with_papers(station, a4_printer="hall-a4")
    assert notices.print_notice(station, issued.id) == 2
    assert "-d hall-a4" in (tmp_path / "lp.log").read_text().splitlines()[-1]


@pytest.mark.skipif(sys.platform == "win32", reason="lp is the Linux / macOS path")
def test_a4_printer_failure_is_one_line_and_the_paper_stays(station, monkeypatch, tmp_path) -> None:
    lp = fake_lp(tmp_path, 1, "lp: The printer or class does not exist.\n")
    monkeypatch.setattr(printers, "system_printer", lambda: str(lp))
    issued, _ = store.issue_paper(station, refused_case(station).id, "refusal")
    with pytest.raises(ClerkError) as error:
        notices.print_notice(station, issued.id)
    assert error.value.key == "papers.a4_failed" and "does not exist" in error.value.message()
    assert store.list_papers(station, unprinted=True)[0].number == issued.number


def test_without_any_printer_the_paper_waits_for_a_reprint(station) -> None:
    issued, _ = store.issue_paper(station, promised_case(station).id, "acceptance")
    assert notices.print_notice(station, issued.id) is None  # no command, no receipt printer, no lp


def test_receipt_printer_setting_is_checked_on_load() -> None:
    assert parse_settings({"papers": {"receipt_printer": "usb:0x0416:0x5011"}}).papers.receipt_printer
    assert parse_settings({"papers": {"receipt_printer": "net:10.0.0.5"}}).papers.receipt_printer == "net:10.0.0.5"
    for bad in ("usb:0416", "net:", "lpt1", "net:host:99999"):
        with pytest.raises(ClerkError) as error:
            parse_settings({"papers": {"receipt_printer": bad}})
        assert error.value.key == "config.bad_value"


def test_targets() -> None:
    assert printers.targets("auto", "") == ("a4",)
    assert printers.targets("auto", "usb:1:2") == ("receipt",)
    assert printers.targets("both", "") == ("a4", "receipt")


def test_kinds_for_each_outcome(station) -> None:
    case = promised_case(station)
    assert content.kinds_for(case, True) == ["acceptance", "materials"]
    assert content.kinds_for(replace_case(case, outcome="on_the_spot", status="completed"), False) == []
    assert content.kinds_for(replace_case(case, status="completed"), False) == ["acceptance", "collection"]


def replace_case(case: Case, **changes) -> Case:
    return Case(**{**case.model_dump(), **changes})
