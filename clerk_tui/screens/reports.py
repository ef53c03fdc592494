"""Reports: the day's, month's or year's figures, the catalog indicators, and a chart.

D / M / Y pick the period kind, [ and ] step to the previous or next one, T comes back
to the current one, C shows the catalog indicators; 1–7 switch pages (summary, queues,
cases, chart, catalog, by department / window / clerk, the change against earlier periods)
and X writes the report as an xlsx file to the data folder. The figures are counted in a
worker; a result for a period no longer chosen is dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from clerk_tui.display_text import one_line
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.services.reports.output import (
    Table,
    as_of,
    cell_text,
    heading,
    report_tables,
    write_xlsx,
)
from clerk_tui.services.reports.period import Period, period_for
from clerk_tui.services.reports.report import Report, build_report
from clerk_tui.widgets.bar_chart import BarChart
from clerk_tui.widgets.safe_text import safe
from clerk_tui.widgets.table import ClerkTable

SCROLLBARS = 4  # a page of tables scrolls, and so may a long table inside it
NARROWEST_TEXT = 8  # a narrowed text column keeps this many cells (a label wraps, a code folds)

PAGES = ("summary", "queues", "cases", "chart", "catalog", "groups", "compare")
PAGE_TABLES = {
    "queues": ("queues",),
    "cases": ("outcomes", "channels", "matters", "ratings", "open_government"),
    "catalog": ("project_types", "departments"),
    "groups": ("by_department", "by_window", "by_clerk"),
    "compare": ("compare_year", "compare_previous"),
}
# What a page's first missing table says instead (by the table's key, else the page's):
# a page of figures only a monthly or annual report has says so once.
MISSING = {
    "catalog": "reports.catalog_only",
    "groups": "reports.groups_none",
    "compare": "reports.compare_none",
    "compare_previous": "reports.monthly_only",  # a year has 同比 but no 环比
}


def fit_widths(headers: list[str], rows: list[list[Text]], room: int, padding: int) -> list[int]:
    """Column widths that fit `room` cells: each column as wide as its widest cell, then the
    widest columns narrowed one cell at a time until the table fits. A text cell wraps (a
    code folds); a header wraps at its spaces; a figure is never narrowed: a value cut off
    at the screen's edge is a wrong value. (English labels and headers are longer than the
    Chinese ones: "Satisfaction (very satisfied + satisfied) / rated".) What cannot fit
    even so scrolls sideways."""
    widths = [max([cell_len(h), *(cell_len(r[i].plain) for r in rows)]) for i, h in enumerate(headers)]
    least = []
    for i, header in enumerate(headers):
        words = max((cell_len(w) if cell_len(w) == len(w) else 4 for w in header.split()), default=1)
        if all(r[i].justify != "right" for r in rows):
            least.append(min(widths[i], max(words, NARROWEST_TEXT)))
        else:
            least.append(max([words, *(cell_len(r[i].plain) for r in rows)]))
    excess = sum(widths) + 2 * padding * len(widths) - room
    while excess > 0:
        narrowable = [i for i in range(len(widths)) if widths[i] > least[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


class ReportsScreen(ClerkScreen):
    TITLE_KEY = "reports.title"
    TITLE_ID = "reports-heading"
    COMPACT_FOOTER = True
    FOOTER_APP_KEYS = ()  # its own keys fill 80 columns (F1 still works and lists them all)
    BINDINGS = [
        # Esc first, so it is never the key cut off a narrow footer.
        Binding("escape", "app.pop_screen", "key.back", id="reports-back"),
        Binding("d", "kind('daily')", "reports.key.daily", id="reports-daily"),
        Binding("m", "kind('monthly')", "reports.key.monthly", id="reports-monthly"),
        Binding("y", "kind('annual')", "reports.key.annual", id="reports-annual"),
        Binding("c", "kind('catalog')", "reports.key.catalog", id="reports-catalog"),
        Binding("left_square_bracket", "step(-1)", "reports.key.previous", id="reports-previous"),
        Binding("right_square_bracket", "step(1)", "reports.key.next", id="reports-next"),
        Binding("t", "current", "reports.key.current", id="reports-current", show=False),  # F1 lists it
        Binding("x", "export", "reports.key.export", id="reports-export"),
        *[
            Binding(str(i + 1), f"page('{page}')", f"reports.tab.{page}", id=f"reports-page-{page}", show=False)
            for i, page in enumerate(PAGES)
        ],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "daily"
        self.period: Period | None = None
        self.report: Report | None = None

    def title_text(self) -> str:
        return ""  # the report's kind and period, set as it loads

    def compose_body(self) -> ComposeResult:
        yield Static(t("reports.loading"), id="reports-as-of", classes="muted")
        with TabbedContent(id="reports-tabs", initial="page-summary"):
            for index, page in enumerate(PAGES):
                with TabPane(f"{index + 1} {t(f'reports.tab.{page}')}", id=f"page-{page}"):
                    if page == "summary":  # one table: it scrolls itself
                        yield ClerkTable(id="table-summary", cursor_type="row", zebra_stripes=True)
                        continue
                    with VerticalScroll(classes="reports-page"):
                        if page == "chart":
                            yield BarChart(id="chart-main")
                            yield BarChart(id="chart-second")
                        else:
                            for key in PAGE_TABLES[page]:
                                yield Static("", id=f"title-{key}", classes="reports-table-title")
                                yield ClerkTable(id=f"table-{key}", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.period = period_for("daily", self.station.clock.today())
        self.reload()

    def reload(self) -> None:
        wanted = (self.kind, self.period if self.kind != "catalog" else None)
        self.query_one("#reports-heading", Static).update(self._heading_text())
        self.query_one("#reports-as-of", Static).update(t("reports.loading"))

        def done(report: Report) -> None:
            # Drop a result for a period the clerk has already stepped away from.
            if (report.kind, report.period) == wanted:
                self.show(report)

        self.db_call(build_report, self.station, self.kind, wanted[1], done=done, group="reports", exclusive=True)

    def _heading_text(self) -> str:
        if self.kind == "catalog" or self.period is None:
            return f"{t('reports.title')} · {t('report.kind.catalog')}"
        return f"{t('reports.title')} · {t(f'report.kind.{self.period.kind}')} · {self.period.label}"

    # --- showing ------------------------------------------------------------------

    def show(self, report: Report) -> None:
        self.report = report
        self.query_one("#reports-heading", Static).update(f"{t('reports.title')} · {safe(heading(report))}")
        self.query_one("#reports-as-of", Static).update(as_of(report))
        tables = {table.key: table for table in report_tables(report)}
        self._fill("summary", tables["summary"])
        for page, keys in PAGE_TABLES.items():
            said = False  # a page whose tables this period lacks says so once, not per table
            for key in keys:
                table = tables.get(key)
                missing = t(MISSING.get(key) or MISSING.get(page, "reports.annual_only"))
                title = self.query_one(f"#title-{key}", Static)
                title.update(safe(table.title) if table else "" if said else missing)
                title.display = table is not None or not said
                said = said or table is None
                self._fill(key, table)
        self._charts(report)

    def _fill(self, key: str, table: Table | None) -> None:
        widget = self.query_one(f"#table-{key}", DataTable)
        widget.clear(columns=True)
        if table is None:
            return
        headers = [title for _, title in table.columns]
        rows = [[self._cell(v) for v in row] for row in table.rows]
        # The room a table has: the screen's width less vertical scrollbars. Not the table's
        # own width: the pages not shown have none yet.
        room = (self.size.width or self.app.size.width) - SCROLLBARS
        widths = fit_widths(headers, rows, room, widget.cell_padding)
        if sum(widths) + 2 * widget.cell_padding * len(widths) > room and len(rows) + 1 < len(headers):
            # More figures than fit side by side (a queue has eleven): one line per figure
            # and one column per queue, so every figure shows without scrolling sideways.
            headers, rows = (
                [headers[0], *(escape(row[0].plain) for row in rows)],
                [[Text(header, overflow="fold"), *(row[i] for row in rows)] for i, header in enumerate(headers[1:], 1)],
            )
            widths = fit_widths(headers, rows, room, widget.cell_padding)
        for header, width in zip(headers, widths, strict=False):
            widget.add_column(header, width=width)
        widget.header_height = max(
            len(Text(header).wrap(self.app.console, width)) for header, width in zip(headers, widths, strict=False)
        )
        for row in rows:
            # Height from the content: a label narrowed to fit the screen wraps onto a second line.
            widget.add_row(*row, height=None)

    @staticmethod
    def _cell(value: Any) -> Text:
        text = one_line(cell_text(value))
        if isinstance(value, str):
            return Text(text, overflow="fold")  # matter codes have no spaces to wrap at
        return Text(text, justify="right")

    def _charts(self, report: Report) -> None:
        charts = [self.query_one("#chart-main", BarChart), self.query_one("#chart-second", BarChart)]
        for chart, series in zip(charts, [*report.series, None, None], strict=False):
            if series is None:
                chart.set_series("", [], [])
                chart.display = False
                continue
            chart.display = True
            title = t(f"report.t.series_{series.unit}")
            if series.total:
                top = max(range(len(series.values)), key=lambda i: series.values[i])
                caption = t(
                    "reports.chart_total",
                    title=title,
                    total=series.total,
                    peak=series.values[top],
                    label=series.labels[top],
                )
            else:
                caption = t("reports.chart_empty", title=title)
            chart.set_series(caption, series.labels, series.values)

    # --- actions ------------------------------------------------------------------

    def action_kind(self, kind: str) -> None:
        if kind != "catalog":
            assert self.period is not None
            self.period = self.period.containing(kind)
        self.kind = kind
        if kind == "catalog":
            self.query_one(TabbedContent).active = "page-catalog"
        self.reload()

    def action_step(self, steps: int) -> None:
        if self.kind != "catalog" and self.period is not None:
            self.period = self.period.shifted(steps)
            self.reload()

    def action_current(self) -> None:
        if self.kind != "catalog":
            self.period = period_for(self.kind, self.station.clock.today())
            self.reload()

    def action_page(self, page: str) -> None:
        self.query_one(TabbedContent).active = f"page-{page}"

    def action_export(self) -> None:
        report = self.report
        if report is None:
            return
        folder = self.station.settings.data_dir / "reports"
        label = report.period.label if report.period else f"{report.generated_at:%Y%m%d}"
        name = f"{report.kind}-{label}.xlsx"

        def write() -> Path:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            write_xlsx(report, path)
            return path

        self.db_call(write, done=lambda path: self.app.notify(t("reports.exported", path=str(path))))
