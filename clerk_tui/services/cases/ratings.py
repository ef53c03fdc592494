"""好差评: the applicant's rating of a visit, and the follow-ups bad ones require.

Five levels (5 非常满意 … 1 非常不满意) or none ("not rated"); optionally the points the
rating is about (效率 efficiency, 水平 skill, 态度 attitude) and a comment. A rating of
2 or less opens a follow-up (回访) due a configurable number of working days later
(`[cases] follow_up_days`, default 5); the follow-up records the call and the fix.

一次一评: each visit is rated once. A case finished at the window is one visit, rated once;
a 承诺件 (promised, 容缺) is two: its acceptance, and the collection of its result. So a
rating given before a 承诺件 is completed (or returned) rates its acceptance (`ACCEPTANCE`),
never the completed service (`SERVICE`), and each case holds at most one rating of each.
The stage is read off the times (`rating_stage`), so ratings need no extra column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import col, select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models import Case, FollowUp, Rating
from clerk_tui.models.case import PROMISED_OUTCOMES
from clerk_tui.services import audit
from clerk_tui.services.context import Station
from clerk_tui.services.station.calendar import Dated, WorkCalendar, load_work_calendar

if TYPE_CHECKING:
    from sqlmodel import Session

LEVELS = (5, 4, 3, 2, 1)
POINTS = ("efficiency", "skill", "attitude")
BAD = 2  # this level or lower needs a follow-up
HALL_DEVICE = "4"
CHANNELS = ("1", "2", "3", "4", "5")  # the platform's: 1 PC, 2 mobile, 3 QR code, 4 hall device, 5 other
PROMISED = PROMISED_OUTCOMES
ACCEPTANCE, SERVICE = "acceptance", "service"


def rating_stage(case: Case, rated_at: datetime) -> str:
    """The visit a rating given at `rated_at` is about: a 承诺件's acceptance until it is done."""
    if case.outcome in PROMISED and (case.completed_at is None or rated_at < case.completed_at):
        return ACCEPTANCE
    return SERVICE


@dataclass(frozen=True)
class RatingResult:
    rating: Rating
    follow_up: FollowUp | None


def follow_up_due(station: Station, today: date, calendar: WorkCalendar) -> Dated:
    """When the call back is due: provisional (暂定) when it falls past the calendar's end."""
    return calendar.working_days_later(today, station.settings.follow_up_days)


def rate_case(
    station: Station,
    case_id: str,
    level: int | None,
    points: tuple[str, ...] = (),
    comment: str = "",
    channel: str = HALL_DEVICE,
    calendar: WorkCalendar | None = None,
) -> RatingResult:
    """Record the rating (or "not rated", level None), opening a follow-up for a bad one."""
    if level is not None and level not in LEVELS:
        raise ClerkError("rating.bad_level", level=level)
    unknown = [p for p in points if p not in POINTS]
    if unknown:
        raise ClerkError("rating.bad_point", point=",".join(unknown))
    calendar = calendar or load_work_calendar(station)
    now = station.clock.now()
    with station.write() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise ClerkError("case.not_found")
        if case.status == "voided":
            raise ClerkError("case.is_voided", case_no=case.case_no)
        stage = rating_stage(case, now)
        if any(rating_stage(case, r.rated_at) == stage for r in ratings_of(session, case_id)):
            raise ClerkError("rating.already", case_no=case.case_no, stage=t(f"rating.stage.{stage}"))
        rating = Rating(
            case_id=case_id,
            level=level,
            points=",".join(p for p in POINTS if p in points),
            comment=comment.strip(),
            channel=channel,
            rated_at=now,
        )
        session.add(rating)
        session.flush()
        audit.record(session, station, "case", case_id, "rate", new="" if level is None else level, at=now)
        follow_up = open_follow_up(session, station, rating, calendar)
    return RatingResult(rating, follow_up)


def ratings_of(session: Session, case_id: str) -> list[Rating]:
    return list(session.exec(select(Rating).where(Rating.case_id == case_id).order_by(col(Rating.rated_at))))


def open_follow_up(session: Session, station: Station, rating: Rating, calendar: WorkCalendar) -> FollowUp | None:
    """The follow-up a bad rating requires, due counted from the day it was rated, or from
    today for a rating that reaches the station later (from the platform): the window cannot
    call back before it knows."""
    if rating.level is None or rating.level > BAD:
        return None
    due = follow_up_due(station, max(rating.rated_at.date(), station.clock.today()), calendar)
    follow_up = FollowUp(
        case_id=rating.case_id,
        rating_id=rating.id,
        due_date=due.day,
        due_provisional=due.provisional,
        clerk_no=station.settings.clerk_no,
    )
    session.add(follow_up)
    session.flush()
    audit.record(session, station, "case", rating.case_id, "follow_up_open", new=due.day, at=station.clock.now())
    return follow_up


@dataclass(frozen=True)
class FollowUpLine:
    id: str
    case_id: str
    case_no: str
    matter_name: str
    applicant_name: str
    phone: str  # stored value: screens mask it
    level: int | None
    points: str
    comment: str
    due_date: date
    status: str  # open / contacted / closed
    contacted_at: datetime | None
    contact_note: str
    fix_note: str
    due_provisional: bool = False  # 暂定: counted past the calendar's last year


def list_follow_ups(station: Station, include_closed: bool = False) -> list[FollowUpLine]:
    query = (
        select(FollowUp, Case, Rating)
        .join(Case, col(Case.id) == FollowUp.case_id)
        .join(Rating, col(Rating.id) == FollowUp.rating_id)
        .order_by(col(FollowUp.due_date), col(FollowUp.created_at))
    )
    if not include_closed:
        query = query.where(FollowUp.status != "closed")
    with station.read() as session:
        return [
            FollowUpLine(
                f.id,
                c.id,
                c.case_no,
                c.matter_name,
                c.applicant_name,
                c.phone or c.agent_phone,
                r.level,
                r.points,
                r.comment,
                f.due_date,
                f.status,
                f.contacted_at,
                f.contact_note,
                f.fix_note,
                f.due_provisional,
            )
            for f, c, r in session.exec(query)
        ]


def record_follow_up(station: Station, follow_up_id: str, contact_note: str, fix_note: str = "") -> FollowUp:
    """Record the call (and, when given, the fix, which closes the follow-up)."""
    contact_note, fix_note = contact_note.strip(), fix_note.strip()
    if not contact_note:
        raise ClerkError("follow_up.contact_required")
    now = station.clock.now()
    with station.write() as session:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is None:
            raise ClerkError("follow_up.not_found")
        if follow_up.status == "closed":
            raise ClerkError("follow_up.already_closed")
        changes = [("contact_note", follow_up.contact_note, contact_note), ("fix_note", follow_up.fix_note, fix_note)]
        for name, old, new in changes:
            if old != new:
                audit.record(
                    session, station, "case", follow_up.case_id, "follow_up", field=name, old=old, new=new, at=now
                )
        follow_up.contact_note, follow_up.fix_note = contact_note, fix_note
        follow_up.contacted_at = follow_up.contacted_at or now
        follow_up.clerk_no = station.settings.clerk_no
        follow_up.status = "closed" if fix_note else "contacted"
        if fix_note:
            follow_up.closed_at = now
            audit.record(session, station, "case", follow_up.case_id, "follow_up_close", at=now)
    return follow_up
