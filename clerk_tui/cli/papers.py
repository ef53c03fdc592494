"""`clerk papers list|issue|reprint|templates`: the papers windows hand over.

Papers are stored with the one-time notices: `clerk notice list` and `clerk notice show`
list and show them too.
"""

from __future__ import annotations

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.display_text import one_line
from clerk_tui.i18n import t

papers_app = typer.Typer(
    help="Papers handed over at each outcome (受理通知书, 不予受理通知书 ...): list, issue, reprint.",
    no_args_is_help=True,
)


@papers_app.command("list")
def list_(
    ctx: typer.Context,
    case: str | None = typer.Option(None, "--case", help="Only this case's papers (case number), issued or not."),
    unprinted: bool = typer.Option(False, "--unprinted", help="Only papers never printed: the reprint list."),
) -> None:
    """List papers: number, paper, matter, times printed, file."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.papers import store

        station = state.station()
        try:
            if case is not None:
                papers = store.case_papers(station, store.find_case(station, case))
                for line in papers.lines:
                    if unprinted and (not line.issued or line.print_count):
                        continue
                    number = line.number or t("papers.not_issued")
                    cells = (number, t(f"notice.title.{line.kind}"), str(line.print_count), line.file_path)
                    typer.echo("\t".join(one_line(cell) for cell in cells))
                return
            for notice in store.list_papers(station, unprinted=unprinted):
                typer.echo(
                    "\t".join(
                        one_line(cell)
                        for cell in (
                            notice.number,
                            t(f"notice.title.{notice.kind}"),
                            notice.matter_name,
                            str(notice.print_count),
                            notice.file_path,
                        )
                    )
                )
        finally:
            station.close()

    run_guarded(run)


@papers_app.command("issue")
def issue(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="Case number, e.g. 20261124-01-0001."),
    kind: str = typer.Argument(..., help="acceptance, pledge, refusal, collection or materials."),
    print_it: bool = typer.Option(True, "--print/--no-print", help="Print it once saved."),
) -> None:
    """Issue (number and save) one of a case's papers, then print it."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.errors import ClerkError
        from clerk_tui.services.check.notice import print_notice
        from clerk_tui.services.papers import store

        station = state.station()
        try:
            issued, new = store.issue_paper(station, store.find_case(station, case), kind)
            paper = t(f"notice.title.{kind}")
            if new:
                typer.echo(t("papers.issued_msg", paper=paper, number=issued.number, path=str(issued.html_path)))
            else:
                typer.echo(t("papers.already_issued", paper=paper, number=one_line(issued.number)))
            if not print_it or not new:
                return
            try:
                count = print_notice(station, issued.id)
            except ClerkError as exc:  # saved all the same: in the reprint list
                fail(exc.message())
        finally:
            station.close()
        if count is None:
            typer.echo(t("papers.no_printer", path=str(issued.html_path)))
        else:
            typer.echo(t("papers.printed", paper=paper, number=issued.number, count=count))

    run_guarded(run)


@papers_app.command("reprint")
def reprint(
    ctx: typer.Context, number: str = typer.Argument(..., help="Paper number, e.g. SL-20261124-01-001.")
) -> None:
    """Print a stored paper again (as `clerk notice reprint`)."""
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
            fail(t("papers.no_printer", path=str(files.html if files.local else files.txt)))
        paper = t(f"notice.title.{line.kind}")
        typer.echo(t("papers.printed", paper=paper, number=one_line(line.number), count=count))

    run_guarded(run)


@papers_app.command("templates")
def templates(ctx: typer.Context) -> None:
    """Check every paper template (the station's and the bundled) and name the one in use."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.papers import store

        station = state.station()
        try:
            for name in store.check_templates(station):
                typer.echo(name)
        finally:
            station.close()

    run_guarded(run)
