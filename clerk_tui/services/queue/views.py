"""Read-only pictures of the queue: the clerk's screen, the hall board, timings.

Each picture is read in one short read transaction (WAL readers never wait for writers)
and returned as plain data the screens only display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from clerk_tui.models import Ticket, WindowEvent
from clerk_tui.services.context import Station
from clerk_tui.services.queue.calling import current
from clerk_tui.services.queue.order import pick_next, waiting_in_order
from clerk_tui.services.queue.tickets import QueueCount, today_counts
from clerk_tui.services.queue.window import last_window_event


@dataclass(frozen=True)
class Timings:
    """What a ticket's times say: waiting, walking to the window, being served."""

    waited: timedelta | None
    walk: timedelta | None
    service: timedelta | None


def timings(ticket: Ticket) -> Timings:
    def span(a: datetime | None, b: datetime | None) -> timedelta | None:
        return b - a if a is not None and b is not None else None

    return Timings(
        waited=span(ticket.issued_at, ticket.first_called_at),
        walk=span(ticket.last_called_at, ticket.service_started_at),
        service=span(ticket.service_started_at, ticket.finished_at),
    )


@dataclass(frozen=True)
class WindowStats:
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    avg_wait: timedelta | None = None
    avg_service: timedelta | None = None


@dataclass(frozen=True)
class QueueView:
    now: datetime
    current: Ticket | None
    waiting: list[Ticket]
    next_id: str | None
    counts: list[QueueCount]
    stats: WindowStats
    paused_reason: str | None  # None: not paused
    no_shows: list[Ticket] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.paused_reason is not None:
            return "paused"
        if self.current is not None:
            return self.current.status  # called / serving
        return "idle"


def _average(spans: list[timedelta | None]) -> timedelta | None:
    known = [s for s in spans if s is not None]
    return sum(known, timedelta()) / len(known) if known else None


def load_queue_view(station: Station) -> QueueView:
    settings, now = station.settings, station.clock.now()
    day = now.date()
    counts = today_counts(station, day)
    with station.read() as session:
        mine = list(
            session.exec(
                select(Ticket).where(
                    col(Ticket.service_date) == day,
                    col(Ticket.station_id) == settings.station_id,
                    col(Ticket.window_no) == settings.window_no,
                )
            )
        )
        done = [t for t in mine if t.status == "done"]
        stats = WindowStats(
            served=len(done),
            no_show=sum(t.status == "no_show" for t in mine),
            transferred=sum(t.status == "transferred" for t in mine),
            avg_wait=_average([timings(t).waited for t in mine if t.first_called_at]),
            avg_service=_average([timings(t).service for t in done]),
        )
        no_shows = list(
            session.exec(
                select(Ticket)
                .where(
                    col(Ticket.service_date) == day,
                    col(Ticket.station_id) == settings.station_id,
                    col(Ticket.status) == "no_show",
                )
                # Two calls in the same instant (a fast clerk, a coarse clock): the later change first,
                # not whichever row the engine happens to meet first.
                .order_by(col(Ticket.last_called_at).desc(), col(Ticket.change_seq).desc())
            )
        )
        last = last_window_event(session, settings, now)
        picked = pick_next(session, settings, now)
        return QueueView(
            now=now,
            current=current(session, settings, now),
            waiting=waiting_in_order(session, settings, now),
            next_id=picked[0].id if picked else None,
            counts=counts,
            stats=stats,
            paused_reason=last.reason if last is not None and last.kind == "pause" else None,
            no_shows=no_shows,
        )


# --- the hall board ---------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    ticket_id: str
    number: str
    queue: str
    window_no: int
    at: datetime
    call_count: int

    @property
    def key(self) -> tuple[str, int]:
        """A recall is a new call to show and announce."""
        return (self.ticket_id, self.call_count)


@dataclass(frozen=True)
class BoardView:
    calls: list[Call]  # latest first
    counts: list[QueueCount]
    paused_windows: dict[int, str]  # window -> reason


def board_marker(station: Station) -> tuple[object, ...]:
    """Changes whenever a ticket or a window changes: two index look-ups, no scan."""
    with station.read() as session:
        row = session.exec(
            select(
                select(func.max(col(Ticket.change_seq))).scalar_subquery(),
                select(func.max(col(WindowEvent.change_seq))).scalar_subquery(),
            )
        ).one()
    return (station.clock.today(), row[0], row[1])


def load_board(station: Station, recent: int) -> BoardView:
    settings = station.settings
    day = station.clock.today()
    counts = today_counts(station, day)
    with station.read() as session:
        # Six columns: SQLModel's `select` is typed for four at most, so SQLAlchemy's.
        rows = session.execute(
            sql_select(
                col(Ticket.id),
                col(Ticket.number),
                col(Ticket.queue),
                col(Ticket.window_no),
                col(Ticket.last_called_at),
                col(Ticket.call_count),
            )
            .where(
                col(Ticket.service_date) == day,
                col(Ticket.station_id) == settings.station_id,
                col(Ticket.last_called_at).is_not(None),
                col(Ticket.window_no).is_not(None),
                # A no-show is no longer called to a window: off the board, or the
                # hall keeps reading "A001 → window 3" after the window gave up on it.
                col(Ticket.status) != "no_show",
            )
            # Two calls in the same instant (a fast clerk, a coarse clock): the later change first,
            # not whichever row the engine happens to meet first.
            .order_by(col(Ticket.last_called_at).desc(), col(Ticket.change_seq).desc())
            .limit(recent + 1)
        ).all()
        events = session.exec(
            select(col(WindowEvent.window_no), col(WindowEvent.kind), col(WindowEvent.reason))
            .where(
                col(WindowEvent.station_id) == settings.station_id,
                col(WindowEvent.at) >= datetime.combine(day, datetime.min.time()),
            )
            .order_by(col(WindowEvent.at), col(WindowEvent.change_seq))
        ).all()
    paused: dict[int, str] = {}
    for window_no, kind, reason in events:
        if kind == "pause":
            paused[window_no] = reason
        else:
            paused.pop(window_no, None)
    return BoardView(
        calls=[Call(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows],
        counts=counts,
        paused_windows=paused,
    )
