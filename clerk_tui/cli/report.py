"""`clerk report daily|monthly|annual|catalog|years`: the hall's figures on the terminal or in a file.

    clerk report daily --date 2026-11-24
    clerk report monthly --month 2026-11 --format csv --out 2026-11.csv
    clerk report annual --year 2026 --format xlsx --out 2026.xlsx
    clerk report catalog --format json
    clerk report years --from 2020 --to 2026

Without a period option the current day, month or year is reported. csv is UTF-8 with a
byte-order mark so spreadsheet programs read the Chinese headers; xlsx keeps numbers as
numbers; json is for scripts (shares as fractions, durations in seconds).
"""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, run_guarded
from clerk_tui.i18n import t


class Kind(str, Enum):
    daily = "daily"
    monthly = "monthly"
    annual = "annual"
    catalog = "catalog"
    years = "years"


class Format(str, Enum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


PERIOD_OPTIONS = {"daily": ("--date",), "monthly": ("--month",), "annual": ("--year",), "years": ("--from", "--to")}


def _render(report, console) -> None:  # type: ignore[no-untyped-def]
    """The report's tables on a rich console: numbers right-aligned, a dash for n/a."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from clerk_tui.display_text import one_line
    from clerk_tui.services.reports.output import as_of, cell_text, heading, report_tables

    console.print(Text(one_line(heading(report)), style="bold"))
    console.print(Text(one_line(as_of(report))))
    for table in report_tables(report):
        shown = RichTable(title=table.title, title_justify="left", show_edge=False, pad_edge=False)
        for index, (_key, header) in enumerate(table.columns):
            numeric = bool(table.rows) and all(not isinstance(row[index], str) for row in table.rows)
            shown.add_column(header, justify="right" if numeric else "left", overflow="fold")
        for row in table.rows:
            shown.add_row(*(Text(one_line(cell_text(v))) for v in row))
        console.print()
        console.print(shown)


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        ctx: typer.Context,
        kind: Kind = typer.Argument(..., help="daily, monthly, annual, catalog or years."),
        on_date: str | None = typer.Option(None, "--date", help="Day of a daily report, 2026-11-24."),
        month: str | None = typer.Option(None, "--month", help="Month of a monthly report, 2026-11."),
        year: str | None = typer.Option(None, "--year", help="Year of an annual report, 2026."),
        first: int | None = typer.Option(None, "--from", help="First year of the years summary, 2020."),
        last: int | None = typer.Option(None, "--to", help="Last year of the years summary (default: this year)."),
        fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv, xlsx or json."),
        out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of the terminal."),
        station_id: str | None = typer.Option(
            None, "--station", help="Only this station (a centre's merged database)."
        ),
    ) -> None:
        """Daily, monthly, annual figures, catalog indicators or a years summary (voided cases left out)."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.errors import ClerkError
            from clerk_tui.services.reports.output import to_csv, to_json, write_text, write_xlsx
            from clerk_tui.services.reports.period import parse_period
            from clerk_tui.services.reports.report import build_report, build_years_report

            periods = {"--date": on_date, "--month": month, "--year": year}
            given: dict[str, object] = {**periods, "--from": first, "--to": last}
            wanted = PERIOD_OPTIONS.get(kind.value, ())
            for option, value in given.items():
                if value is not None and option not in wanted:
                    raise ClerkError("report.option_mismatch", option=option, kind=t(f"report.kind.{kind.value}"))
            if fmt is Format.xlsx and out is None:
                raise ClerkError("report.xlsx_needs_out")
            station = state.station(centre_ok=True)  # a centre reports on its merged database
            try:
                if kind is Kind.years:
                    this_year = station.clock.today().year
                    to = this_year if last is None else last
                    result = build_years_report(station, to if first is None else first, to, station_id)
                else:
                    period = None
                    if wanted:
                        period = parse_period(kind.value, periods[wanted[0]], station.clock.today())
                    result = build_report(station, kind.value, period, station_id)
            finally:
                station.close()
            if fmt is Format.xlsx:
                assert out is not None
                write_xlsx(result, out)
            elif fmt is Format.table:
                from rich.console import Console

                if out is None:
                    _render(result, Console(file=sys.stdout, highlight=False))
                    return
                console = Console(record=True, file=io.StringIO(), width=120, highlight=False)
                _render(result, console)
                write_text(out, console.export_text())
            else:
                text = to_csv(result) if fmt is Format.csv else to_json(result) + "\n"
                if out is None:
                    sys.stdout.write(text)
                    return
                write_text(out, text)
            typer.echo(t("report.written", path=str(out)), err=True)

        run_guarded(run)
