"""Issuing, storing and listing a case's papers.

A paper is stored as the one-time notices are: a `Notice` row on the case's document check,
or on the case itself when it was recorded without a check (its kind, its number from the
notices' own numbering, the receipt text as handed over)
and its files under the station's notices folder: `<number>.txt` (receipt), `<number>.html`
(A4) and `<number>.a4.txt` (A4 as plain text, what `lp` prints). The row is the snapshot:
a later edit of the case or the catalog never changes a paper once issued; printing it
again (`notice.print_notice`) prints the same.

Issuing and printing are separate steps: the paper is saved first, so a printer that is
missing, offline or out of paper leaves it in the reprint list, and the case untouched.

A case's papers are the notices of its kinds on its check made after the last voided case
of that check was voided (a case recorded again from the same check starts afresh); for a
case without a check, the notices on the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from clerk_tui.errors import ClerkError
from clerk_tui.files import write_private
from clerk_tui.i18n import get_language, t
from clerk_tui.models import Case, DocumentCheck, Notice
from clerk_tui.services.check import notice as notices
from clerk_tui.services.check.documents import StoredCheck, load_check
from clerk_tui.services.context import Station
from clerk_tui.services.papers import content, markup, templates
from clerk_tui.services.papers.content import KINDS, Subject

A4_TEXT_WIDTH = 72  # cells: an A4 line at the text filter's 10 characters an inch


@dataclass(frozen=True)
class Rendered:
    blocks: list[markup.Block]
    text: str  # receipt width
    html: str
    a4_text: str


@dataclass(frozen=True)
class PaperLine:
    kind: str
    notice_id: str | None  # None: not issued yet
    number: str
    print_count: int
    file_path: str
    created_at: datetime | None = None

    @property
    def issued(self) -> bool:
        return self.notice_id is not None


@dataclass(frozen=True)
class CasePapers:
    case_id: str
    case_no: str
    check_id: str | None
    voided: bool
    lines: list[PaperLine]


def a4_text_path(html_path: Path) -> Path:
    return html_path.with_name(html_path.stem + ".a4.txt")


def render(station: Station, session: Session, kind: str, subject: Subject, number: str) -> Rendered:
    """A paper's text and HTML from its template (the station's, else the bundled one)."""
    language = get_language()
    template = templates.template_for(kind, language, station.settings.papers.templates, content.sample_fields(kind))
    blocks = template.render(content.build_fields(station, session, kind, subject, number))
    title = f"{t(f'notice.title.{kind}')} {number}"
    return Rendered(
        blocks,
        markup.render_text(blocks, station.settings.notice.width, language),
        markup.render_html(blocks, language, title),
        markup.render_text(blocks, A4_TEXT_WIDTH, language),
    )


def _case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise ClerkError("papers.case_not_found")
    return case


def _fresh_after(session: Session, case: Case) -> datetime | None:
    """Papers on the check older than this belong to a voided case of the same check."""
    if case.check_id is None:
        return None
    query = select(Case.updated_at).where(Case.check_id == case.check_id, Case.status == "voided", Case.id != case.id)
    if case.created_at is not None:
        query = query.where(col(Case.created_at) < case.created_at)
    times = [when for when in session.exec(query).all() if when is not None]
    return max(times) if times else None


def _stored(session: Session, case: Case) -> dict[str, Notice]:
    """The newest stored paper of each kind for this case."""
    if case.check_id is None:
        query = select(Notice).where(Notice.case_id == case.id, col(Notice.kind).in_(KINDS))
    else:
        query = select(Notice).where(Notice.check_id == case.check_id, col(Notice.kind).in_(KINDS))
    after = _fresh_after(session, case)
    if after is not None:
        query = query.where(col(Notice.created_at) > after)
    if case.status == "voided" and case.updated_at is not None:
        query = query.where(col(Notice.created_at) <= case.updated_at)
    found: dict[str, Notice] = {}
    for notice in session.exec(query.order_by(col(Notice.change_seq))).all():
        found[notice.kind] = notice
    return found


def _has_received(check: StoredCheck | None) -> bool:
    return check is not None and bool(content.received(check))


def case_papers(station: Station, case_id: str) -> CasePapers:
    """The papers this case has: each issued one with its number, the others to issue."""
    with station.read() as session:
        case = _case(session, case_id)
        stored = _stored(session, case)
    check = load_check(station, case.check_id) if case.check_id else None
    kinds = content.kinds_for(case, _has_received(check))
    kinds += [k for k in KINDS if k in stored and k not in kinds]  # issued before the case changed
    lines = []
    for kind in kinds:
        notice = stored.get(kind)
        if notice is None:
            lines.append(PaperLine(kind, None, "", 0, ""))
        else:
            lines.append(
                PaperLine(kind, notice.id, notice.number, notice.print_count, notice.file_path, notice.created_at)
            )
    return CasePapers(case.id, case.case_no, case.check_id, case.status == "voided", lines)


def _subject(station: Station, case: Case) -> Subject:
    return Subject(load_check(station, case.check_id) if case.check_id else None, case)


def preview(station: Station, case_id: str, kind: str) -> str:
    """The paper's receipt text: as stored once issued, else as it would print now."""
    with station.read() as session:
        case = _case(session, case_id)
        notice = _stored(session, case).get(kind)
        if notice is not None:
            return notice.text
    subject = _subject(station, case)
    with station.read() as session:
        return render(station, session, kind, subject, "").text


def _save(station: Station, session: Session, kind: str, subject: Subject) -> notices.IssuedNotice:
    today = station.clock.today()
    number = notices._next_number(session, station, kind, today)
    paper = render(station, session, kind, subject, number)
    folder = notices.notice_folder(station, today)
    txt, page = folder / f"{number}.txt", folder / f"{number}.html"
    try:
        write_private(txt, paper.text, private_folder=True, newline=None)
        write_private(page, paper.html, private_folder=True, newline=None)
        write_private(a4_text_path(page), paper.a4_text, private_folder=True, newline=None)
    except OSError as exc:
        raise ClerkError("notice.save_failed", path=str(folder), reason=exc.strerror or str(exc)) from exc
    notice = Notice(
        check_id=subject.check.id if subject.check is not None else None,
        case_id=subject.case.id if subject.case is not None else None,
        kind=kind,
        number=number,
        text=paper.text,
        file_path=str(page),
    )
    session.add(notice)
    session.flush()
    return notices.IssuedNotice(notice.id, number, kind, paper.text, txt, page)


def _as_issued(station: Station, session: Session, notice: Notice) -> notices.IssuedNotice:
    """A paper issued before, with its files where this station keeps them (never the
    `file_path` stored with it: that may have come from another station's bundle)."""
    owner = session.get(DocumentCheck, notice.check_id) if notice.check_id else session.get(Case, notice.case_id)
    files = notices.notice_files(station, notice.number, notice.created_at, owner.station_id if owner else None)
    return notices.IssuedNotice(notice.id, notice.number, notice.kind, notice.text, files.txt, files.html)


def issue_paper(station: Station, case_id: str, kind: str) -> tuple[notices.IssuedNotice, bool]:
    """Number, save and store one of the case's papers; (the paper, whether it is new).

    A paper already issued is returned as it was (print it again to reprint it)."""
    if kind not in KINDS:
        raise ClerkError("papers.unknown_kind", kind=kind)
    with station.read() as session:
        case = _case(session, case_id)
    subject = _subject(station, case)
    with station.write() as session:
        case = _case(session, case_id)
        existing = _stored(session, case).get(kind)
        if existing is not None:
            return _as_issued(station, session, existing), False
        if case.status == "voided":
            raise ClerkError("papers.case_voided", case_no=case.case_no)
        if kind not in content.kinds_for(case, _has_received(subject.check)):
            raise ClerkError("papers.not_for_case", paper=t(f"notice.title.{kind}"), case_no=case.case_no)
        return _save(station, session, kind, subject), True


def issue_pledge(station: Station, check_id: str, applicant: str = "") -> tuple[notices.IssuedNotice, bool]:
    """The 容缺受理承诺书 that goes with a 容缺 notice, issued from the check (no case yet)."""
    check = load_check(station, check_id)
    if check.verdict != "rongque":
        raise ClerkError("papers.pledge_needs_rongque")
    with station.write() as session:
        existing = session.exec(
            select(Notice)
            .where(Notice.check_id == check_id, Notice.kind == "pledge")
            .order_by(col(Notice.change_seq).desc())
        ).first()
        if existing is not None:
            return _as_issued(station, session, existing), False
        return _save(station, session, "pledge", Subject(check, None, applicant)), True


def list_papers(station: Station, unprinted: bool = False) -> list[notices.NoticeLine]:
    """Every paper issued (oldest first); `unprinted`: only those never printed, the reprint list."""
    lines = [line for line in notices.list_notices(station) if line.kind in KINDS]
    return [line for line in lines if line.print_count == 0] if unprinted else lines


def check_templates(station: Station) -> list[str]:
    """Load every paper template in both languages; the names checked (errors raise)."""
    names = []
    for language in ("zh", "en"):
        for kind in KINDS:
            template = templates.template_for(
                kind, language, station.settings.papers.templates, content.sample_fields(kind)
            )
            names.append(template.name)
    return names


def find_case(station: Station, case_no_or_id: str) -> str:
    """A case's id from its number (as printed on its papers) or its id."""
    with station.read() as session:
        found = session.exec(
            select(Case.id)
            .where((Case.case_no == case_no_or_id) | (Case.id == case_no_or_id))
            .order_by(col(Case.change_seq).desc())
        ).first()
    if found is None:
        raise ClerkError("papers.case_not_found")
    return found
