"""`clerk notice list|show|reprint`: the one-time notices this station issued."""

from __future__ import annotations

from datetime import date

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.display_text import one_line
from clerk_tui.i18n import t

notice_app = typer.Typer(help="One-time notices (一次性告知书): list, show, reprint.", no_args_is_help=True)


@notice_app.command("list")
def list_(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="Only notices of this day (YYYY-MM-DD)."),
) -> None:
    """List the notices issued (number, kind, matter, times printed, file)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.check.notice import list_notices

        try:
            when = date.fromisoformat(day) if day else None
        except ValueError:
            fail(t("check.bad_date"))
        station = state.station()
        try:
            lines = list_notices(station, when)
        finally:
            station.close()
        for line in lines:
            # One line per notice, every field inert (notices merged from stations included).
            typer.echo(
                "\t".join(
                    one_line(cell)
                    for cell in (
                        line.number,
                        t(f"notice.title.{line.kind}"),
                        line.matter_name,
                        str(line.print_count),
                        line.file_path,
                    )
                )
            )

    run_guarded(run)


@notice_app.command("show")
def show(ctx: typer.Context, number: str = typer.Argument(..., help="Notice number, e.g. BZ-20261124-01-001.")) -> None:
    """Print a stored notice's receipt text to the terminal."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.check.notice import find_notice, notice_text

        station = state.station()
        try:
            typer.echo(notice_text(station, find_notice(station, number).id), nl=False)
        finally:
            station.close()

    run_guarded(run)


@notice_app.command("reprint")
def reprint(
    ctx: typer.Context, number: str = typer.Argument(..., help="Notice number, e.g. BZ-20261124-01-001.")
) -> None:
    """Send a stored notice to the configured print command again.

    Its files are written only into this station's notices folder (never where the
    stored `file_path`, perhaps merged from a station's bundle, points)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.check.notice import find_notice, print_notice, stored_notice_files

        station = state.station()
        try:
            line = find_notice(station, number)
            count = print_notice(station, line.id)
            files = stored_notice_files(station, line.id)
        finally:
            station.close()
        if count is None:
            fail(t("notice.no_printer", path=str(files.html if files.local else files.txt)))
        typer.echo(t("notice.printed", number=one_line(line.number), count=count))

    run_guarded(run)
