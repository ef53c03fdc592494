"""Channels (办件渠道) and assistance as halls publish it (帮办代办、延时、预约、绿色通道).

Every figure counts non-voided cases received in the period (docs/REPORTS.md, "Channels"
and "Assistance as published"). A case is 延时服务 when it was received outside the hall's
opening hours (`[cases] opening_hours`), 预约 / 绿色通道 when the ticket it came from was an
appointment / green-channel ticket. The channels, those three and the total (each case
once) come from one pass over the cases of the period joined to their tickets; 代办 for
organisations, by distinct credit code, from a second pass over the 代办 cases only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, false, func, not_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import Session, col

from clerk_tui.db import time_of_day
from clerk_tui.models import Case, Ticket
from clerk_tui.models.case import CHANNELS
from clerk_tui.services.ids import USCC
from clerk_tui.services.reports.aggregates import count_if, ratio
from clerk_tui.services.reports.period import Period

ONLINE = ("online", "mobile")  # 网上报件: 网上申报 (PC portal) and 掌上办 (app), both over the network
TICKET_KINDS = {"appointment": "appointment", "green": "green"}  # figure -> ticket priority


@dataclass
class ChannelFigures:
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    @property
    def online(self) -> int:
        """网上报件: cases that came over the network (网上申报 + 掌上办)."""
        return sum(self.by_channel[c] for c in ONLINE)

    @property
    def online_share(self) -> float | None:
        return ratio(self.online, self.total)

    def share(self, channel: str) -> float | None:
        return ratio(self.by_channel[channel], self.total)


@dataclass
class ServiceFigures:
    """Assistance as published, beside the 帮办 / 代办 / 上门服务 counts of `CaseFigures`."""

    after_hours: int = 0  # 延时服务: received outside the opening hours
    appointment: int = 0  # 预约: from an appointment ticket
    green: int = 0  # 绿色通道: from a green-channel ticket
    total: int = 0  # cases with any assistance or any of the three above, each counted once
    daiban_organisations: int = 0  # 代办 cases whose applicant is an organisation
    daiban_enterprises: int = 0  # distinct credit codes among them


def outside_hours(hours: tuple[str, ...]) -> ColumnElement[bool]:
    """The case was received outside every opening span ("HH:MM-HH:MM", end not included)."""
    at = time_of_day(col(Case.received_at))
    spans = [and_(at >= start, at < end) for start, _, end in (span.partition("-") for span in hours)]
    return not_(or_(false(), *spans))


def channel_and_service_figures(
    session: Session, period: Period, hours: tuple[str, ...], station_id: str | None = None
) -> tuple[ChannelFigures, ServiceFigures]:
    ticket = aliased(Ticket)
    after = outside_hours(hours)
    kinds = [col(ticket.priority) == priority for priority in TICKET_KINDS.values()]
    where = [
        col(Case.status) != "voided",
        col(Case.received_at) >= period.start_at,
        col(Case.received_at) < period.end_at,
    ]
    if station_id:
        where.append(col(Case.station_id) == station_id)
    row = session.execute(
        select(
            *[count_if(col(Case.channel) == c) for c in CHANNELS],
            count_if(after),
            *[count_if(kind) for kind in kinds],
            count_if(or_(col(Case.assistance) != "none", after, *kinds)),
        )
        .select_from(Case)
        .outerjoin(ticket, col(ticket.id) == col(Case.ticket_id))
        .where(*where)
    ).one()
    values = [int(v) for v in row]
    channels = ChannelFigures(dict(zip(CHANNELS, values[: len(CHANNELS)], strict=True)))
    service = ServiceFigures(*values[len(CHANNELS) :])
    # An organisation's credit code: its ID number when the ID type is 统一社会信用代码.
    credit_code = case((and_(col(Case.id_type) == USCC, col(Case.id_number) != ""), col(Case.id_number)))
    daiban = session.execute(
        select(func.count(), func.count(func.distinct(credit_code))).where(
            *where, col(Case.assistance) == "daiban", col(Case.applicant_kind) == "organisation"
        )
    ).one()
    service.daiban_organisations, service.daiban_enterprises = int(daiban[0]), int(daiban[1])
    return channels, service
