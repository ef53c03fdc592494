"""A report as tables, and those tables as text, csv (UTF-8 with BOM), xlsx or json.

Every output is made from the same `Table` list, so the screen, the terminal and the
files show the same numbers. Cell values keep their kind: `Ratio` (shown as a
percentage), `Minutes` (a duration in seconds, shown in minutes), datetimes and plain
counts; None is a figure that cannot be computed for the period (a dash), never an error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.models.case import CHANNELS, OUTCOMES
from clerk_tui.services.reports.aggregates import ratio
from clerk_tui.services.reports.breakdown import GroupLine
from clerk_tui.services.reports.cases import LEVELS
from clerk_tui.services.reports.queue import QueueLine
from clerk_tui.services.reports.report import Report, Series
from clerk_tui.spreadsheet import csv_cell, xlsx_cell

DASH = "—"
FORMATS = ("table", "csv", "xlsx", "json")


@dataclass(frozen=True)
class Ratio:
    """A share: shown as a percentage with `decimals` places (two, or one where the figure
    halls publish has one: 网办率 87.7%), kept unrounded in json."""

    value: float | None
    decimals: int = 2


@dataclass(frozen=True)
class Minutes:
    seconds: float | None


@dataclass(frozen=True)
class Change:
    """A period's figure less the earlier period's: a signed count, or for a share the
    difference in percentage points (`points`; json keeps the fraction)."""

    value: float | None
    points: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (machine key, header in the clerk's language)
    rows: list[list[Any]] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)  # summary rows: the figure's machine key


def cell_text(value: Any) -> str:
    """How a value reads on screen and in csv."""
    if isinstance(value, Change):
        return change_text(value)
    if isinstance(value, Ratio):
        return DASH if value.value is None else f"{value.value * 100:.{value.decimals}f}%"
    if isinstance(value, Minutes):
        return DASH if value.seconds is None else f"{value.seconds / 60:.1f}"
    if value is None:
        return DASH
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_number(value: Any) -> Any:
    """The value a spreadsheet cell holds: numbers stay numbers (ratios 4 places, minutes 1)."""
    if isinstance(value, Change):
        return change_number(value)
    if isinstance(value, Ratio):
        return DASH if value.value is None else round(value.value, 4)
    if isinstance(value, Minutes):
        return DASH if value.seconds is None else round(value.seconds / 60, 1)
    if value is None:
        return DASH
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def cell_json(value: Any) -> Any:
    if isinstance(value, Change):
        return value.value
    if isinstance(value, Ratio):
        return value.value  # the fraction at full precision
    if isinstance(value, Minutes):
        return None if value.seconds is None else round(value.seconds, 1)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def csv_text(key: str, value: Any) -> Any:
    """A cell as csv holds it: the text shown on screen, identifiers and number-like text
    kept whole for spreadsheets (`clerk_tui.spreadsheet`)."""
    return csv_cell(key, value) if isinstance(value, str) else cell_text(value)


def _cols(*keys: str) -> list[tuple[str, str]]:
    return [(k, t(f"report.c.{k}")) for k in keys]


def _summary(report: Report) -> Table:
    table = Table("summary", t("report.t.summary"), _cols("section", "figure", "value"))

    def add(section: str, key: str, value: Any) -> None:
        table.rows.append([t(f"report.s.{section}"), t(f"report.f.{key}"), value])
        table.row_keys.append(key)

    value: object  # one loop variable for every section's cells: counts, Ratio, Minutes, datetimes
    if report.tickets is not None:
        total = report.tickets.total
        for key, value in (
            ("tickets_issued", total.issued),
            ("tickets_served", total.served),
            ("tickets_no_show", total.no_show),
            ("wait_mean", Minutes(total.wait_mean)),
            ("wait_p90", Minutes(total.wait_p90)),
            ("service_mean", Minutes(total.service_mean)),
            ("service_p90", Minutes(total.service_p90)),
            ("peak", total.peak),
            ("peak_at", total.peak_at),
        ):
            add("tickets", key, value)
    if report.cases is not None:
        c = report.cases
        for key, value in (
            ("cases_total", c.total),
            ("handled", c.handled),
            ("on_the_spot", c.on_the_spot),
            ("promised", c.promised),
            ("on_the_spot_share", Ratio(c.on_the_spot_share)),
            ("rongque", c.by_outcome["rongque"]),
            ("correction", c.by_outcome["correction"]),
            ("refused", c.by_outcome["refused"]),
            ("forwarded", c.by_outcome["forwarded"]),
            ("voided", c.voided),
        ):
            add("cases", key, value)
    if report.promised is not None:
        p = report.promised
        for key, value in (
            ("on_time", p.on_time),
            ("late", p.late),
            ("on_time_rate", Ratio(p.on_time_rate)),
            ("returned", p.returned),
            ("pending", p.pending),
            ("overdue", p.overdue),
            ("provisional", p.provisional),
        ):
            add("promised", key, value)
    if report.cohort is not None:
        k = report.cohort
        for key, value in (
            ("cohort_accepted", k.accepted),
            ("cohort_on_time", k.on_time),
            ("cohort_early", k.early),
            ("cohort_late", k.late),
            ("cohort_on_time_rate", Ratio(k.on_time_rate)),
            ("cohort_early_rate", Ratio(k.early_rate)),
            ("cohort_returned", k.returned),
            ("cohort_pending", k.pending),
            ("cohort_overdue", k.overdue),
        ):
            add("cohort", key, value)
    if report.cases is not None:
        for key in ("bangban", "daiban", "home_visit"):
            add("assistance", key, report.cases.assistance[key])
        add("assistance", "consultation", report.cases.by_outcome["consultation"])
    _channel_and_service_rows(report, add)
    if report.ratings is not None:
        r = report.ratings
        for key, value in (
            ("rated", r.rated),
            ("satisfaction", Ratio(r.satisfaction)),
            ("good", r.good),
            ("good_rate", Ratio(r.good_rate)),
            ("bad", r.bad),
            ("not_rated", r.not_rated),
            ("follow_ups_open", r.follow_ups_open),
            ("follow_ups_overdue", r.follow_ups_overdue),
            ("follow_ups_closed", r.follow_ups_closed),
            ("follow_ups_in_time", r.follow_ups_in_time),
            ("fix_rate", Ratio(r.fix_rate)),
        ):
            add("ratings", key, value)
    if report.licensing is not None:
        lic = report.licensing
        for key, value in (
            ("licensing_total", lic.total),
            ("licensing_granted", lic.granted),
            ("licensing_returned", lic.returned),
            ("licensing_refused", lic.refused),
            ("penalty_decisions", report.decisions["02"].total),
            ("enforcement_decisions", report.decisions["03"].total),
        ):
            add("licensing", key, value)
    if report.breakdown is not None:
        add("breakdown", "windows_served", report.breakdown.windows_served)
        add("breakdown", "clerks_served", report.breakdown.clerks_served)
    if report.catalog is not None:
        cat, tot = report.catalog, report.catalog.total
        for key, value in (
            ("matters", tot.matters),
            ("matters_on_the_spot", tot.on_the_spot),
            ("matters_on_the_spot_share", Ratio(tot.on_the_spot_share)),
            ("matters_promised", tot.promised),
            ("matters_promised_share", Ratio(tot.promised_share)),
            ("matters_other", tot.other),
            ("matters_other_share", Ratio(tot.other_share)),
            ("matters_online", tot.online),
            ("matters_online_share", Ratio(tot.online_share, 1)),
            ("matters_at_most_once", tot.at_most_once),
            ("matters_at_most_once_share", Ratio(tot.at_most_once_share, 1)),
            ("compression", Ratio(cat.compression, 1)),
            ("limits_compared", cat.limits_compared),
            ("units_differ", cat.units_differ),
            ("matters_licensing", tot.licensing),
        ):
            add("catalog", key, value)
    return table


# --- channels and assistance as published (issue 19, items 3 and 6) --------------------


def _channel_and_service_rows(report: Report, add: Callable[[str, str, Any], None]) -> None:
    """The summary's 办件渠道 lines and the assistance lines halls publish beside 帮办代办."""
    if report.service is not None:
        s = report.service
        for key, value in (
            ("after_hours", s.after_hours),
            ("appointment", s.appointment),
            ("green", s.green),
            ("assisted_total", s.total),
            ("daiban_organisations", s.daiban_organisations),
            ("daiban_enterprises", s.daiban_enterprises),
        ):
            add("assistance", key, value)
    if report.channels is not None:
        c = report.channels
        for channel in CHANNELS:
            add("channels", f"channel_{channel}", c.by_channel[channel])
        add("channels", "online_cases", c.online)
        add("channels", "online_cases_share", Ratio(c.online_share))


def channel_table(report: Report) -> Table:
    """Cases per channel, with each channel's share of the cases and their 合计."""
    assert report.channels is not None
    c = report.channels
    table = Table("channels", t("report.t.channels"), _cols("channel", "count", "share"))
    table.rows = [[t(f"channel.{k}"), c.by_channel[k], Ratio(c.share(k))] for k in CHANNELS]
    table.rows.append([t("report.all_channels"), c.total, Ratio(ratio(c.total, c.total))])
    return table


def _queue_row(line: QueueLine, name: str) -> list[Any]:
    return [
        name,
        line.issued,
        line.served,
        line.no_show,
        line.transferred,
        Minutes(line.wait_mean),
        Minutes(line.wait_p90),
        Minutes(line.service_mean),
        Minutes(line.service_p90),
        line.peak,
        line.peak_at,
    ]


def queue_table(report: Report) -> Table:
    table = Table(
        "queues",
        t("report.t.queues"),
        _cols(
            "queue",
            "issued",
            "served",
            "no_show",
            "transferred",
            "wait_mean",
            "wait_p90",
            "service_mean",
            "service_p90",
            "peak",
            "peak_at",
        ),
    )
    assert report.tickets is not None
    table.rows = [_queue_row(line, line.queue) for line in report.tickets.lines]
    table.rows.append(_queue_row(report.tickets.total, t("report.all_queues")))
    return table


# 政府信息公开工作年度报告, 二、主动公开政府信息情况: the rows a hall's data can fill, in
# the order and wording of the published table (seeds 000, 002).
OPEN_GOVERNMENT_ROWS = (("5", "01"), ("6", "02"), ("6", "03"))


def open_government_table(report: Report) -> Table:
    table = Table("open_government", t("report.t.open_government"), _cols("provision", "content", "decisions"))
    for item, kind in OPEN_GOVERNMENT_ROWS:
        figures = report.decisions[kind]
        table.rows.append([t(f"report.provision.{item}"), t(f"task_type.{kind}"), figures.total])
    return table


def series_table(series: Series) -> Table:
    table = Table(f"series_{series.unit}", t(f"report.t.series_{series.unit}"), _cols(series.unit, "count"))
    table.rows = [[label, value] for label, value in zip(series.labels, series.values, strict=False)]
    return table


def report_tables(report: Report) -> list[Table]:
    if report.years:
        return [years_table(report)]
    tables = [_summary(report)]
    if report.tickets is not None:
        tables.append(queue_table(report))
    if report.cases is not None:
        c = report.cases
        outcomes = Table("outcomes", t("report.t.outcomes"), _cols("outcome", "count", "share"))
        outcomes.rows = [
            [t(f"outcome.{o}"), c.by_outcome[o], Ratio(c.by_outcome[o] / c.total if c.total else None)]
            for o in OUTCOMES
        ]
        tables.append(outcomes)
        if report.channels is not None:
            tables.append(channel_table(report))
        matters = Table(
            "matters",
            t("report.t.matters"),
            _cols("matter_code", "matter_name", "cases", "on_the_spot", "promised", "other"),
        )
        matters.rows = [[m.code, m.name, m.total, m.on_the_spot, m.promised, m.other] for m in report.matters]
        tables.append(matters)
    if report.ratings is not None:
        r = report.ratings
        ratings = Table("ratings", t("report.t.ratings"), _cols("level", "count", "share"))
        ratings.rows = [
            [t(f"report.level.{k}"), r.levels[k], Ratio(r.levels[k] / r.rated if r.rated else None)] for k in LEVELS
        ]
        ratings.rows.append([t("report.not_rated"), r.not_rated, Ratio(None)])
        tables.append(ratings)
    tables += [series_table(s) for s in report.series]
    if report.decisions:
        tables.append(open_government_table(report))
    if report.catalog is not None:
        cat = report.catalog
        types = Table("project_types", t("report.t.project_types"), _cols("project_type", "matters", "share"))
        types.rows = [
            [t(f"project_type.{kind}"), count, Ratio(ratio(count, cat.total.matters))]
            for kind, count in cat.by_type.items()
        ]
        types.rows.append(
            [t("report.all_queues"), cat.total.matters, Ratio(ratio(cat.total.matters, cat.total.matters))]
        )
        tables.append(types)
        departments = Table(
            "departments",
            t("report.t.departments"),
            _cols(
                "department", "matters", "on_the_spot", "promised", "other_types", "online", "at_most_once", "licensing"
            ),
        )
        departments.rows = [
            [d.department, d.matters, d.on_the_spot, d.promised, d.other, d.online, d.at_most_once, d.licensing]
            for d in cat.departments
        ]
        tables.append(departments)
    tables += breakdown_tables(report)
    tables += comparison_tables(report)
    return tables


def heading(report: Report) -> str:
    kind = t(f"report.kind.{report.kind}")
    return t("report.heading", kind=kind, period=report.title_period) if report.title_period else kind


def as_of(report: Report) -> str:
    at = report.generated_at.strftime("%Y-%m-%d %H:%M")
    if report.years:
        return t("report.generated_years", at=at)
    if report.cases is None:
        return t("report.generated_catalog", at=at)
    return t("report.generated", at=at, voided=report.cases.voided)


# --- by department, window and clerk; period comparison; years (issue 19 items 2, 7) ---
# Definitions: docs/REPORTS.md, "By department, window and clerk" and "Period comparison".

GROUP_FIGURES = (
    "cases",
    "on_the_spot",
    "promised",
    "on_time",
    "late",
    "on_time_rate",
    "overdue",
    "rated",
    "satisfied",
    "satisfaction",
)
TICKET_FIGURES = ("served", "service_mean")
CHANGE_FORMAT = {False: "+0;-0;0", True: '+0.00"pp";-0.00"pp";0.00"pp"'}


def change_text(change: Change) -> str:
    if change.value is None:
        return DASH
    if change.points:
        return t("report.points", value=f"{change.value * 100:+.2f}")
    return f"{int(change.value):+d}"


def change_number(change: Change) -> Any:
    if change.value is None:
        return DASH
    return round(change.value * 100, 2) if change.points else int(change.value)


def _group_cells(line: GroupLine, tickets: bool) -> list[Any]:
    cells: list[Any] = [
        line.cases,
        line.on_the_spot,
        line.promised,
        line.on_time,
        line.late,
        Ratio(line.on_time_rate),
        line.overdue,
        line.rated,
        line.satisfied,
        Ratio(line.satisfaction),
    ]
    return [*cells, line.served, Minutes(line.service_mean)] if tickets else cells


def breakdown_tables(report: Report) -> list[Table]:
    """分部门 / 分窗口 / 分人员: a line per department, window and clerk (tickets carry no
    matter, so the department table has no ticket columns)."""
    if report.breakdown is None:
        return []
    tables = []
    for key, name, lines, tickets in (
        ("by_department", "department", report.breakdown.departments, False),
        ("by_window", "window", report.breakdown.windows, True),
        ("by_clerk", "clerk_no", report.breakdown.clerks, True),
    ):
        figures = GROUP_FIGURES + TICKET_FIGURES if tickets else GROUP_FIGURES
        title = t(f"report.t.{key}")
        if key == "by_window":
            title = t("report.t.by_window_count", title=title, count=report.breakdown.windows_served)
        table = Table(key, title, _cols(name, *figures))
        table.rows = [
            [t("report.not_recorded") if line.key is None else line.key, *_group_cells(line, tickets)] for line in lines
        ]
        tables.append(table)
    return tables


HEADLINE_FIGURES = (
    "cases",
    "on_the_spot",
    "promised",
    "on_the_spot_share",
    "on_time",
    "late",
    "on_time_rate",
    "rated",
    "satisfaction",
    "tickets_issued",
    "tickets_served",
)
SHARES = ("on_the_spot_share", "on_time_rate", "satisfaction")


def _compared(key: str, now: Any, before: Any) -> list[Any]:
    """本期, 上期, 增减, 增长率: a share changes in percentage points and has no growth rate."""
    if key in SHARES:
        change = None if now is None or before is None else now - before
        return [Ratio(now), Ratio(before), Change(change, points=True), Ratio(None)]
    return [now, before, Change(now - before), Ratio(ratio(now - before, before))]


def comparison_tables(report: Report) -> list[Table]:
    """同比 (against the same period a year before) and, for a month, 环比 (against the month before)."""
    tables = []
    for comparison in report.comparisons:
        now, before = comparison.current, comparison.previous
        table = Table(
            f"compare_{comparison.basis}",
            t(f"report.t.compare_{comparison.basis}", now=now.label, before=before.label),
            _cols("figure", "current", "previous", "change", "growth"),
        )
        for key in HEADLINE_FIGURES:
            table.rows.append([t(f"report.h.{key}"), *_compared(key, getattr(now, key), getattr(before, key))])
            table.row_keys.append(key)
        tables.append(table)
    return tables


def years_table(report: Report) -> Table:
    """`clerk report years`: the headline figures, a line per year."""
    table = Table("years", t("report.t.years"), _cols("year", *HEADLINE_FIGURES))
    for line in report.years:
        values = [getattr(line, key) for key in HEADLINE_FIGURES]
        cells = [Ratio(v) if k in SHARES else v for k, v in zip(HEADLINE_FIGURES, values, strict=True)]
        table.rows.append([int(line.label), *cells])
    return table


# --- writers --------------------------------------------------------------------------


def to_csv(report: Report) -> str:
    """One file, a block per table: its title, the header row, the rows, a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading(report)])
    writer.writerow([as_of(report)])
    writer.writerow([])
    for table in report_tables(report):
        writer.writerow([f"【{table.title}】"])
        writer.writerow([title for _key, title in table.columns])
        keys = [key for key, _title in table.columns]
        for row in table.rows:
            writer.writerow([csv_text(key, v) for key, v in zip(keys, row, strict=False)])
        writer.writerow([])
    return "\ufeff" + buffer.getvalue()


def to_json(report: Report) -> str:
    tables = report_tables(report)
    summary = tables[0] if tables[0].key == "summary" else Table("summary", "", [])
    document = {
        "report": report.kind,
        "period": None
        if report.period is None
        else {
            "kind": report.period.kind,
            "label": report.period.label,
            "start": report.period.start.isoformat(),
            "end_exclusive": report.period.end.isoformat(),
        },
        "generated_at": report.generated_at.isoformat(),
        "station_id": report.station_id,
        "units": {"ratio": "fraction 0..1", "duration": "seconds"},
        "figures": {key: cell_json(row[2]) for key, row in zip(summary.row_keys, summary.rows, strict=False)},
        "tables": {
            table.key: {
                "title": table.title,
                "columns": [key for key, _title in table.columns],
                "headers": [title for _key, title in table.columns],
                "rows": [[cell_json(v) for v in row] for row in table.rows],
            }
            for table in tables
            if table is not summary
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _sheet_name(title: str, taken: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "sheet"
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]}-{n}"
        n += 1
    taken.add(name)
    return name


def write_xlsx(report: Report, path: Path) -> None:
    """A workbook with a sheet per table; numbers stay numbers, shares formatted as %,
    identifiers text (`clerk_tui.spreadsheet`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for index, table in enumerate(report_tables(report)):
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        if index == 0:
            sheet.append([heading(report)])
            sheet.append([as_of(report)])
        sheet.append([title for _key, title in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        keys = [key for key, _title in table.columns]
        for row in table.rows:
            sheet.append([cell_number(v) for v in row])
            for cell, key, value in zip(sheet[sheet.max_row], keys, row, strict=False):
                if isinstance(value, Ratio) and value.value is not None:
                    cell.number_format = "0." + "0" * value.decimals + "%"
                elif isinstance(value, Change) and value.value is not None:
                    cell.number_format = CHANGE_FORMAT[value.points]
                elif isinstance(value, Minutes) and value.seconds is not None:
                    cell.number_format = "0.0"
                else:
                    xlsx_cell(cell, key, value)
        for column in sheet.columns:
            width = max(
                len(str(c.value or "")) * (2 if any(ord(ch) > 0x2E80 for ch in str(c.value or "")) else 1)
                for c in column
            )
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    try:
        book.save(path)
    except OSError as exc:
        raise ClerkError("report.write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc


def write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ClerkError("report.write_failed", path=str(path), reason=exc.strerror or str(exc)) from exc
