"""The reports a hall files: daily, monthly, annual figures and the catalog indicators.

`build_report` runs every aggregate in one read transaction, so the figures of one
report agree with each other. Nothing here loads rows to count them in Python: each
figure is a SQL aggregate (see `queue`, `cases` and `catalog` in this package, and
docs/REPORTS.md for every definition). Turning a report into tables and files is
`output`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from clerk_tui.errors import ClerkError
from clerk_tui.services.context import Station
from clerk_tui.services.reports.breakdown import Breakdown, breakdown
from clerk_tui.services.reports.cases import (
    LICENSING,
    CaseFigures,
    CohortFigures,
    LicensingFigures,
    MatterLine,
    PromisedFigures,
    RatingFigures,
    case_figures,
    cases_per,
    cohort_figures,
    decision_figures,
    matter_lines,
    promised_figures,
    rating_figures,
)
from clerk_tui.services.reports.catalog import CatalogFigures, catalog_figures
from clerk_tui.services.reports.channels import ChannelFigures, ServiceFigures, channel_and_service_figures
from clerk_tui.services.reports.compare import Comparison, Headline, comparisons, headline_of, years
from clerk_tui.services.reports.period import Period, parse_period
from clerk_tui.services.reports.queue import TicketFigures, ticket_figures

REPORT_KINDS = ("daily", "monthly", "annual", "catalog")


@dataclass
class Series:
    """One chart: a value per hour, day or month of the period."""

    unit: str  # hour / day / month
    what: str  # arrivals / cases
    labels: list[str]
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class Report:
    kind: str
    period: Period | None  # None for the catalog report
    generated_at: datetime
    station_id: str | None = None  # None: every station in the database
    tickets: TicketFigures | None = None
    cases: CaseFigures | None = None
    promised: PromisedFigures | None = None  # 承诺件 by completion date (办结口径)
    cohort: CohortFigures | None = None  # 承诺件 accepted in the period (受理口径)
    matters: list[MatterLine] = field(default_factory=list)
    ratings: RatingFigures | None = None
    licensing: LicensingFigures | None = None  # 事项类型 01, the same as decisions["01"]
    decisions: dict[str, LicensingFigures] = field(default_factory=dict)  # 政务信息公开 per 事项类型
    catalog: CatalogFigures | None = None
    series: list[Series] = field(default_factory=list)
    channels: ChannelFigures | None = None  # 办件渠道
    service: ServiceFigures | None = None  # assistance as published: 延时, 预约, 绿色通道, 合计, 代办企业
    breakdown: Breakdown | None = None  # per department, window and clerk
    comparisons: list[Comparison] = field(default_factory=list)  # monthly: 同比 and 环比; annual: 同比
    years: list[Headline] = field(default_factory=list)  # the multi-year summary, a line per year

    @property
    def title_period(self) -> str:
        if self.years:
            return f"{self.years[0].label}–{self.years[-1].label}"
        return self.period.label if self.period else ""


def _days(period: Period) -> list[date]:
    return [period.start + timedelta(days=i) for i in range((period.end - period.start).days)]


def _series(session: Session, report: Report, period: Period, station_id: str | None) -> list[Series]:
    assert report.tickets is not None
    hourly = Series("hour", "arrivals", [f"{h:02d}" for h in range(24)], report.tickets.arrivals_by_hour)
    if period.kind == "daily":
        return [hourly]
    if period.kind == "monthly":
        counts = cases_per(session, period, "day", station_id)
        days = _days(period)
        return [
            Series("day", "cases", [f"{d.day:02d}" for d in days], [counts.get(d.isoformat(), 0) for d in days]),
            hourly,
        ]
    counts = cases_per(session, period, "month", station_id)
    months = [f"{period.start.year}-{m:02d}" for m in range(1, 13)]
    return [Series("month", "cases", [m[-2:] for m in months], [counts.get(m, 0) for m in months]), hourly]


def build_report(station: Station, kind: str, period: Period | None = None, station_id: str | None = None) -> Report:
    """The report of `kind` for `period` (default: the current day, month or year)."""
    if kind not in REPORT_KINDS:
        raise ClerkError("report.bad_kind", value=kind)
    now = station.clock.now()
    today = now.date()
    with station.read() as session:
        if kind == "catalog":
            return Report(kind, None, now, station_id, catalog=catalog_figures(session))
        period = period or parse_period(kind, None, today)
        kind = period.kind
        report = Report(kind, period, now, station_id)
        report.tickets = ticket_figures(session, period, station_id)
        report.cases = case_figures(session, period, station_id)
        report.promised = promised_figures(session, period, today, station_id)
        report.cohort = cohort_figures(session, period, today, station_id)
        report.matters = matter_lines(session, period, station_id)
        report.channels, report.service = channel_and_service_figures(
            session, period, station.settings.cases.opening_hours, station_id
        )
        report.ratings = rating_figures(session, period, today, station_id)
        report.series = _series(session, report, period, station_id)
        report.breakdown = breakdown(session, period, today, station_id)
        if kind != "daily":
            current = headline_of(period.label, report.cases, report.promised, report.ratings, report.tickets)
            report.comparisons = comparisons(session, period, current, station_id)
        if kind == "annual":
            report.decisions = decision_figures(session, period, station_id)
            report.licensing = report.decisions[LICENSING]
            report.catalog = catalog_figures(session)
    return report


MAX_YEARS = 50  # a summary longer than a working life is a typo


def build_years_report(station: Station, first: int, last: int, station_id: str | None = None) -> Report:
    """`clerk report years --from first --to last`: the headline figures, a line per year."""
    if not 1900 < first <= last < 10000 or last - first >= MAX_YEARS:
        raise ClerkError("report.bad_years", first=first, last=last, most=MAX_YEARS)
    now = station.clock.now()
    with station.read() as session:
        return Report("years", None, now, station_id, years=years(session, first, last, station_id))
