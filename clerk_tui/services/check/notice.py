"""The one-time notice (一次性告知书 / 容缺受理通知书): built from a stored check.

It lists every material the applicant still has to bring, exactly once, with its
requirements, so nobody has to come back for a second list (《行政许可法》第三十二条).

Two renderings of the same content:
- plain text for receipt printers: every line fits `[notice] width` terminal cells, a
  Chinese character counting as two (`rich.cells`), wrapped with a hanging indent and
  without starting a line on closing punctuation;
- HTML for A4 paper.

`issue_notice` stores a Notice row (its number, the receipt text) and both files under
the station's notices folder (owner-only: the files carry applicants' names).
`print_notice` sends the text to `[notice] print_command`, run without a shell; it is
also the reprint.

Both renderings show every value inert (`display_text.neutral`): a name merged from
another station with an escape sequence in it must not reach a terminal or an ESC/POS
printer as a command, nor a page as markup. A reprint writes only into this station's own
notices folder, under a name made from the notice's number (`notice_files`): the
`file_path` stored with a notice, perhaps merged from a bundle, is never used as a path.
"""

from __future__ import annotations

import html
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from clerk_tui.db import next_number
from clerk_tui.display_text import neutral, one_line
from clerk_tui.errors import ClerkError
from clerk_tui.files import write_private
from clerk_tui.i18n import get_language, t
from clerk_tui.models import Case, DocumentCheck, Matter, Notice, Ticket
from clerk_tui.services.check.documents import StoredCheck, load_check
from clerk_tui.services.context import Station
from clerk_tui.services.station import printers
from clerk_tui.services.station.calendar import Dated, load_work_calendar

LAW = "law.xuke_32"
NOTICE_KINDS = ("correction", "rongque")  # the one-time notices; the other kinds are papers (services.papers)
KIND_PREFIX = {
    "correction": "BZ",
    "rongque": "RQ",
    # The papers a window hands over (services.papers), numbered in the same series.
    "acceptance": "SL",  # 受理通知书
    "pledge": "CN",  # 容缺受理承诺书
    "refusal": "BY",  # 不予受理通知书
    "collection": "LQ",  # 办结领取通知书
    "materials": "JS",  # 材料接收清单
}
# A line must not start with these (Chinese line-breaking rule, 避头点).
NO_LINE_START = set("，。、；：！？）》」』】”’,.;:!?)]%…·")


@dataclass(frozen=True)
class NoticeItem:
    name: str
    form: str
    copies: int
    necessity: int
    condition: str
    e_licence: bool


@dataclass(frozen=True)
class NoticeData:
    kind: str  # correction / rongque
    number: str
    office: str
    applicant: str
    matter_name: str
    matter_code: str
    issued: date
    checked: date
    clerk_no: str
    clerk_name: str
    window_no: int | None
    contact: str
    legal_basis: list[str]
    items: list[NoticeItem]
    supply_deadline: date | None
    ticket_number: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # 容缺 of a 承诺件: the completion date promised on acceptance; 暂定 when counted past
    # the calendar's last year (recomputed when that year's calendar is imported).
    promised_deadline: date | None = None
    deadline_provisional: bool = False


def notice_kind(check: StoredCheck) -> str:
    if check.verdict not in NOTICE_KINDS:
        raise ClerkError("notice.nothing_missing")
    return check.verdict


def build_data(station: Station, check: StoredCheck, applicant: str = "", number: str = "") -> NoticeData:
    kind = notice_kind(check)
    settings = station.settings
    with station.read() as session:
        basis = session.exec(select(Matter.legal_basis).where(Matter.id == check.matter_id)).first() or ""
        ticket = ""
        if check.ticket_id:
            ticket = session.exec(select(Ticket.number).where(Ticket.id == check.ticket_id)).first() or ""
        deadline = _promised_deadline(station, session, check) if kind == "rongque" else None
    law = t(LAW)
    lines = [law] + [
        b.strip() for b in basis.replace("；", "\n").replace(";", "\n").splitlines() if b.strip() and b.strip() != law
    ]
    items = [NoticeItem(m.name, m.form, m.copies, m.necessity, m.condition.strip(), m.e_licence) for m in check.missing]
    return NoticeData(
        kind=kind,
        number=number,
        office=settings.notice.office or settings.station_name,
        applicant=applicant.strip(),
        matter_name=check.matter_name,
        matter_code=check.matter_code,
        issued=station.clock.today(),
        checked=check.checked_at.date(),
        clerk_no=check.clerk_no or settings.clerk_no,
        clerk_name=settings.clerk_name if (check.clerk_no or settings.clerk_no) == settings.clerk_no else "",
        window_no=check.window_no,
        contact=settings.station_contact,
        legal_basis=lines,
        items=items,
        supply_deadline=check.supply_deadline,
        ticket_number=ticket,
        promised_deadline=deadline.day if deadline else None,
        deadline_provisional=bool(deadline and deadline.provisional),
    )


def _promised_deadline(station: Station, session: Session, check: StoredCheck) -> Dated | None:
    """The recorded case's deadline, or what accepting the matter today would promise."""
    row = session.exec(
        select(col(Case.promised_deadline), col(Case.deadline_provisional)).where(
            Case.check_id == check.id, Case.status != "voided", col(Case.promised_deadline).is_not(None)
        )
    ).first()
    if row is not None and row[0] is not None:  # a found row has a deadline (the query asks for one)
        return Dated(row[0], bool(row[1]))
    matter = session.get(Matter, check.matter_id)
    if matter is None or not matter.promised_limit:
        return None
    try:
        return load_work_calendar(station).deadline_of(
            station.clock.today(), matter.promised_limit, matter.promised_unit
        )
    except ClerkError:  # an unknown unit: the notice goes out without the line
        return None


# --- plain text for receipt printers ----------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Words of Latin text, single wide characters, and the spaces between them."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or get_character_cell_size(ch) == 2 or ch in NO_LINE_START:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int, indent: int = 0, first: str = "") -> list[str]:
    """Lines of at most `width` cells: `first` before line one, `indent` spaces before the rest.

    `text` is shown inert and on one line (`display_text.one_line`): what it holds comes
    from the database, and a control character would be a command to the printer."""
    text = one_line(text)
    lines: list[str] = []
    line, used = first, cell_len(first)
    start = used

    def flush() -> None:
        nonlocal line, used, start
        lines.append(line.rstrip())
        line, used = " " * indent, indent
        start = used

    for token in _tokens(text):
        size = cell_len(token)
        if token == " " and used == start:
            continue
        if used + size > width and used > start:
            if token in NO_LINE_START and len(line) - start > 1 and cell_len(line[-1]) <= size + 1:
                # Carry the last character down with the punctuation rather than start a line with it.
                carry = line[-1]
                line = line[:-1]
                flush()
                line += carry
                used += cell_len(carry)
            else:
                flush()
            if token == " ":
                continue
        while size > width - used:  # a word longer than a whole line: cut it
            room = width - used
            cut, cells = 0, 0
            while cut < len(token) and cells + get_character_cell_size(token[cut]) <= room:
                cells += get_character_cell_size(token[cut])
                cut += 1
            if cut == 0:
                flush()
                continue
            line += token[:cut]
            token = token[cut:]
            size = cell_len(token)
            flush()
        line += token
        used += size
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _deadline(data: NoticeData) -> str:
    text = _date(data.promised_deadline)
    return text + t("notice.provisional_suffix") if data.deadline_provisional else text


def _date(day: date | None) -> str:
    if day is None:
        return ""
    return t("notice.date", y=day.year, m=day.month, d=day.day)


def _centre(text: str, width: int) -> list[str]:
    out = []
    for line in wrap(text, width):
        pad = max(0, (width - cell_len(line)) // 2)
        out.append(" " * pad + line)
    return out


def _field(label: str, value: str, width: int) -> list[str]:
    head = f"{label}："
    if get_language() == "en":
        head = f"{label}: "
    return wrap(value, width, indent=min(cell_len(head), width // 3), first=head)


def _blank_field(label: str, width: int) -> str:
    head = f"{label}：" if get_language() != "en" else f"{label}: "
    return head + "_" * max(4, width - cell_len(head))


def item_requirements(item: NoticeItem) -> str:
    parts = [item.form, t("notice.copies", n=item.copies), t(f"necessity.{item.necessity}")]
    return " · ".join(p for p in parts if p)


def render_text(data: NoticeData, width: int) -> str:
    """The receipt printer's text: no line wider than `width` cells."""
    rule = "-" * width
    out: list[str] = []
    out += _centre(t(f"notice.title.{data.kind}"), width)
    out += _centre(t(f"notice.subtitle.{data.kind}"), width)
    out += _field(t("notice.number"), data.number or t("notice.number_pending"), width)
    out.append(rule)
    if data.applicant:
        out += _field(t("notice.applicant"), data.applicant, width)
    else:
        out.append(_blank_field(t("notice.applicant"), width))
    out += _field(t("notice.matter"), data.matter_name, width)
    out += _field(t("notice.matter_code"), data.matter_code, width)
    if data.ticket_number:
        out += _field(t("notice.ticket"), data.ticket_number, width)
    out.append("")
    if data.kind == "rongque":
        intro = t("notice.intro.rongque", date=_date(data.checked), deadline=_date(data.supply_deadline))
    else:
        intro = t("notice.intro.correction", date=_date(data.checked))
    out += wrap(intro, width, first="  " if get_language() != "en" else "")
    out.append("")
    for n, item in enumerate(data.items, 1):
        head = f"{n}. "
        out += wrap(item.name, width, indent=cell_len(head), first=head)
        pad = " " * cell_len(head)
        out += wrap(item_requirements(item), width, indent=cell_len(head), first=pad)
        if item.condition:
            out += wrap(t("notice.condition", condition=item.condition), width, indent=cell_len(head), first=pad)
        if item.e_licence:
            out += wrap(t("notice.e_licence"), width, indent=cell_len(head), first=pad)
    out.append("")
    if data.kind == "rongque":
        out += _field(t("notice.supply_deadline"), _date(data.supply_deadline), width)
        if data.promised_deadline:
            out += _field(t("notice.promised_deadline"), _deadline(data), width)
        if data.deadline_provisional:
            out += wrap(t("notice.provisional_note"), width, first="  " if get_language() != "en" else "")
        out += wrap(t("notice.rongque_terms"), width, first="  " if get_language() != "en" else "")
    else:
        out += wrap(t("notice.correction_terms"), width, first="  " if get_language() != "en" else "")
    out.append("")
    out += wrap(t("notice.legal_basis") + ("：" if get_language() != "en" else ":"), width)
    for basis in data.legal_basis:
        out += wrap(basis, width, indent=2, first="  ")
    out.append(rule)
    out += _field(t("notice.office"), data.office, width)
    out += _field(t("notice.window"), t("notice.window_no", n=data.window_no or ""), width)
    clerk = data.clerk_no + (f" {data.clerk_name}" if data.clerk_name else "")
    out += _field(t("notice.clerk"), clerk, width)
    if data.contact:
        out += _field(t("notice.contact"), data.contact, width)
    out += _field(t("notice.issued"), _date(data.issued), width)
    out.append(rule)
    out += wrap(t("notice.receipt"), width)
    out.append("")
    out.append(_blank_field(t("notice.signature"), width))
    out.append(_blank_field(t("notice.sign_date"), width))
    return "\n".join(out) + "\n"


# --- HTML for A4 --------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.7; }
h1 { text-align: center; font-size: 20pt; margin: 0; letter-spacing: 0.2em; }
p.sub { text-align: center; margin: 0 0 1em 0; }
p.no { text-align: right; }
table.fields td { padding: 0 1em 0 0; vertical-align: top; }
table.items { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
table.items th, table.items td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
.blank { display: inline-block; min-width: 12em; border-bottom: 1px solid #000; }
.sign { margin-top: 2em; }
"""


def render_html(data: NoticeData) -> str:
    def e(value: str) -> str:  # every value inert, then escaped: a name is text, never markup
        return html.escape(one_line(value))

    lang = "zh-CN" if get_language() == "zh" else "en"
    applicant = e(data.applicant) if data.applicant else '<span class="blank">&nbsp;</span>'
    if data.kind == "rongque":
        intro = t("notice.intro.rongque", date=_date(data.checked), deadline=_date(data.supply_deadline))
        terms = t("notice.rongque_terms")
    else:
        intro = t("notice.intro.correction", date=_date(data.checked))
        terms = t("notice.correction_terms")
    rows = "\n".join(
        f"<tr><td>{n}</td><td>{e(i.name)}</td><td>{e(i.form)}</td><td>{e(t('notice.copies', n=i.copies))}</td>"
        f"<td>{e(t(f'necessity.{i.necessity}'))}</td><td>{e(i.condition)}</td>"
        f"<td>{e(t('notice.e_licence_short')) if i.e_licence else ''}</td></tr>"
        for n, i in enumerate(data.items, 1)
    )
    fields = [
        (t("notice.applicant"), applicant),
        (t("notice.matter"), e(data.matter_name)),
        (t("notice.matter_code"), e(data.matter_code)),
    ]
    if data.ticket_number:
        fields.append((t("notice.ticket"), e(data.ticket_number)))
    footer = [
        (t("notice.office"), e(data.office)),
        (t("notice.window"), e(t("notice.window_no", n=data.window_no or ""))),
        (t("notice.clerk"), e(data.clerk_no + (f" {data.clerk_name}" if data.clerk_name else ""))),
    ]
    if data.contact:
        footer.append((t("notice.contact"), e(data.contact)))
    footer.append((t("notice.issued"), e(_date(data.issued))))

    def table(pairs: list[tuple[str, str]]) -> str:
        return (
            '<table class="fields">' + "".join(f"<tr><td>{e(k)}</td><td>{v}</td></tr>" for k, v in pairs) + "</table>"
        )

    supply = ""
    if data.kind == "rongque":
        supply = f"<p><strong>{e(t('notice.supply_deadline'))}：{e(_date(data.supply_deadline))}</strong></p>"
        if data.promised_deadline:
            supply += f"<p>{e(t('notice.promised_deadline'))}：{e(_deadline(data))}</p>"
        if data.deadline_provisional:
            supply += f"<p>{e(t('notice.provisional_note'))}</p>"
    basis = "".join(f"<li>{e(b)}</li>" for b in data.legal_basis)
    head = "".join(
        f"<th>{e(t(k))}</th>"
        for k in (
            "notice.col_no",
            "notice.col_name",
            "notice.col_form",
            "notice.col_copies",
            "notice.col_necessity",
            "notice.col_condition",
            "notice.col_e_licence",
        )
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{e(t(f"notice.title.{data.kind}"))} {e(data.number)}</title>
<style>{_CSS}</style></head>
<body>
<h1>{e(t(f"notice.title.{data.kind}"))}</h1>
<p class="sub">{e(t(f"notice.subtitle.{data.kind}"))}</p>
<p class="no">{e(t("notice.number"))}：{e(data.number or t("notice.number_pending"))}</p>
{table(fields)}
<p>{e(intro)}</p>
<table class="items"><thead><tr>{head}</tr></thead><tbody>
{rows}
</tbody></table>
{supply}
<p>{e(terms)}</p>
<p>{e(t("notice.legal_basis"))}：</p><ul>{basis}</ul>
{table(footer)}
<div class="sign"><p>{e(t("notice.receipt"))}</p>
<p>{e(t("notice.signature"))}：<span class="blank">&nbsp;</span>
&nbsp;&nbsp;{e(t("notice.sign_date"))}：<span class="blank">&nbsp;</span></p></div>
</body></html>
"""


# --- issuing, storing, printing -------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedNotice:
    id: str
    number: str
    kind: str
    text: str
    txt_path: Path
    html_path: Path


def preview(station: Station, check_id: str, applicant: str = "") -> tuple[NoticeData, str]:
    """The notice as it would print now (no number yet), and the receipt text."""
    data = build_data(station, load_check(station, check_id), applicant)
    return data, render_text(data, station.settings.notice.width)


def _next_number(session: Session, station: Station, kind: str, today: date) -> str:
    window = station.settings.window_no
    middle = f"-{today:%Y%m%d}-{window:02d}-"
    # One counter row per station, day and window for every kind of notice (`db.next_number`),
    # seeded from the notices numbered so far.
    taken = (
        with_owners(select(func.count()).select_from(Notice))
        .where(col(Notice.number).like(f"%{middle}%"), notice_station == station.settings.station_id)
        .scalar_subquery()
    )
    serial = next_number(session.connection(), f"notice:{station.settings.station_id}{middle}", taken)
    return f"{KIND_PREFIX[kind]}{middle}{serial:03d}"


def notice_folder(station: Station, day: date) -> Path:
    return station.settings.notices_path / f"{day:%Y}" / f"{day:%m}"


def issue_notice(station: Station, check_id: str, applicant: str = "") -> IssuedNotice:
    """Number the notice, save its text and HTML files and store its row, in one transaction."""
    check = load_check(station, check_id)
    today = station.clock.today()
    width = station.settings.notice.width
    with station.write() as session:
        number = _next_number(session, station, notice_kind(check), today)
        data = build_data(station, check, applicant, number)
        text = render_text(data, width)
        folder = notice_folder(station, today)
        txt, page = folder / f"{number}.txt", folder / f"{number}.html"
        try:
            write_private(txt, text, private_folder=True, newline=None)
            write_private(page, render_html(data), private_folder=True, newline=None)
        except OSError as exc:
            raise ClerkError("notice.save_failed", path=str(folder), reason=exc.strerror or str(exc)) from exc
        notice = Notice(check_id=check.id, kind=data.kind, number=number, text=text, file_path=str(page))
        session.add(notice)
        session.flush()
        return IssuedNotice(notice.id, number, data.kind, text, txt, page)


@dataclass(frozen=True)
class NoticeLine:
    id: str
    number: str
    kind: str
    matter_name: str
    created_at: object
    print_count: int
    file_path: str


# A NoticeLine's fields in order. Seven columns: more than SQLModel's `select` types, so
# these queries use SQLAlchemy's.
# A notice belongs to its document check, or, for a paper of a case recorded without one,
# to its case (migration v006): its station and matter come from whichever it has.
notice_station = func.coalesce(col(DocumentCheck.station_id), col(Case.station_id))
notice_matter = func.coalesce(col(DocumentCheck.matter_name), col(Case.matter_name), "")


def with_owners(query: Any) -> Any:
    """`query` over notices joined to the check or the case each belongs to."""
    return query.outerjoin(DocumentCheck, col(DocumentCheck.id) == Notice.check_id).outerjoin(
        Case, (col(Case.id) == Notice.case_id) & col(Notice.check_id).is_(None)
    )


_NOTICE_COLUMNS = (
    col(Notice.id),
    col(Notice.number),
    col(Notice.kind),
    notice_matter,
    col(Notice.created_at),
    col(Notice.print_count),
    col(Notice.file_path),
)


def find_notice(station: Station, number_or_id: str) -> NoticeLine:
    with station.read() as session:
        row = session.execute(
            with_owners(sa_select(*_NOTICE_COLUMNS))
            .where((col(Notice.number) == number_or_id) | (col(Notice.id) == number_or_id))
            .order_by(col(Notice.change_seq).desc())
        ).first()
    if row is None:
        raise ClerkError("notice.not_found", number=number_or_id)
    return NoticeLine(*row)


def list_notices(station: Station, day: date | None = None, check_id: str | None = None) -> list[NoticeLine]:
    query = with_owners(sa_select(*_NOTICE_COLUMNS)).order_by(col(Notice.change_seq))
    if day is not None:
        query = query.where(col(Notice.number).like(f"%-{day:%Y%m%d}-%"))
    if check_id is not None:
        query = query.where(col(Notice.check_id) == check_id)
    with station.read() as session:
        return [NoticeLine(*row) for row in session.execute(query)]


def notice_text(station: Station, notice_id: str) -> str:
    """The stored receipt text, inert (a notice merged from another station is shown as
    text: no escape sequence reaches the terminal)."""
    with station.read() as session:
        notice = session.get(Notice, notice_id)
        if notice is None:
            raise ClerkError("notice.not_found", number=notice_id)
        return neutral(notice.text)


# --- where a notice's files are: only ever in this station's notices folder ------------------

_NUMBER_DAY = re.compile(r"-(\d{4})(\d{2})(\d{2})-")
_NOT_IN_A_NAME = re.compile(r"[^A-Za-z0-9-]+")
_WINDOWS_DEVICE = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)", re.IGNORECASE)  # `LPT1.txt` is the port


def file_stem(value: str) -> str:
    """A file name's stem from a notice number (or a station id): ASCII letters, digits and
    "-" only, at most 64 characters. No separator, dot or drive survives, so a value read
    from a bundle (`../../x`, `/etc/x`, `C:\\x`) can never name a place outside the folder."""
    stem = _NOT_IN_A_NAME.sub("_", value)[:64].strip("_-")
    if _WINDOWS_DEVICE.fullmatch(stem):
        stem = f"notice-{stem}"
    return stem or "notice"


@dataclass(frozen=True)
class NoticeFiles:
    """A notice's files in this station's notices folder: receipt text, A4 page, A4 text."""

    txt: Path
    html: Path
    a4_text: Path
    local: bool  # issued by this station (else merged from another: only its text is here)


def _issue_day(number: str, created: datetime | None, today: date) -> date:
    """The day a notice was issued (its folder): from its number, as `issue_notice` filed it."""
    found = _NUMBER_DAY.search(number)
    if found is not None:
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            pass
    return created.date() if isinstance(created, datetime) else today


def notice_files(station: Station, number: str, created: datetime | None, station_id: str | None) -> NoticeFiles:
    """Where a notice's files are, or go when it is printed again: `<notices>/YYYY/MM/` of
    this station's own configured folder, named from the sanitised number (a notice of
    another station, at a centre, also from its station id: numbers repeat between
    stations). Never the `file_path` stored with the notice."""
    local = station_id == station.settings.station_id
    stem = file_stem(number)
    if not local:
        stem = f"{file_stem(station_id or 'unknown')}_{stem}"
    folder = notice_folder(station, _issue_day(number, created, station.clock.today()))
    return NoticeFiles(folder / f"{stem}.txt", folder / f"{stem}.html", folder / f"{stem}.a4.txt", local)


def stored_notice_files(station: Station, notice_id: str) -> NoticeFiles:
    """`notice_files` of a stored notice (what a reprint writes and prints)."""
    with station.read() as session:
        row = session.execute(
            with_owners(sa_select(col(Notice.number), col(Notice.created_at), notice_station)).where(
                col(Notice.id) == notice_id
            )
        ).first()
    if row is None:
        raise ClerkError("notice.not_found", number=notice_id)
    return notice_files(station, row[0], row[1], row[2])


def print_notice(station: Station, notice_id: str) -> int | None:
    """Send a stored notice or paper to the printer (also the reprint).

    With `[notice] print_command` set, the command prints it. Without one, the hall's own
    printers do (`[papers] output`: the system's default A4 printer, an ESC/POS receipt
    printer). Returns how many times it has now been printed, or None when this machine
    has no way to print (the clerk prints the saved file by hand). A failure is one
    ClerkError line; the notice stays saved, unprinted, for a reprint.

    What is printed is the stored text, inert; the files are this station's own
    (`notice_files`): a notice merged from another station is written, as text, into
    this station's notices folder and nowhere else.
    """
    config = station.settings.notice
    with station.read() as session:
        notice = session.get(Notice, notice_id)
        if notice is None:
            raise ClerkError("notice.not_found", number=notice_id)
        text = neutral(notice.text)
    files = stored_notice_files(station, notice_id)
    number, txt, page = file_stem(notice.number), files.txt, files.html
    try:
        # The stored text is the record; the file is a convenience, rewritten when it differs.
        if not txt.is_file() or txt.read_text(encoding="utf-8") != text:
            write_private(txt, text, private_folder=True, newline=None)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ClerkError("notice.save_failed", path=str(txt.parent), reason=reason) from exc
    if config.print_command:
        _run_print_command(config.print_command, text, txt, page, number, config.encoding, config.print_timeout)
    else:
        papers = station.settings.papers
        a4_text = files.a4_text
        # Another station's notice has only its text here: that is what prints, on A4 too.
        shown = page if files.local and page.is_file() else txt
        out = printers.Printout(number, text, shown, a4_text if files.local and a4_text.is_file() else txt)
        sent = printers.print_out(
            out,
            output=papers.output,
            a4_printer=papers.a4_printer,
            receipt_printer=papers.receipt_printer,
            timeout=config.print_timeout,
        )
        if not sent:
            return None
    with station.write() as session:
        stored = session.get(Notice, notice_id)
        assert stored is not None
        stored.print_count += 1
        return stored.print_count


def _run_print_command(
    command: str, text: str, txt: Path, page: Path, number: str, encoding: str, timeout: int
) -> None:
    args = [a.format(txt=str(txt), html=str(page), number=number) for a in shlex.split(command)]
    try:
        done = subprocess.run(
            args,
            input=text.encode(encoding, errors="replace"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ClerkError("notice.print_missing", program=args[0]) from exc
    except subprocess.TimeoutExpired as exc:
        raise ClerkError("notice.print_timeout", seconds=timeout) from exc
    except OSError as exc:
        raise ClerkError("notice.print_failed", reason=exc.strerror or str(exc)) from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise ClerkError("notice.print_failed", reason=reason[-1] if reason else f"exit {done.returncode}")
