"""`clerk catalog import|list`."""

from __future__ import annotations

from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.display_text import one_line
from clerk_tui.i18n import t

catalog_app = typer.Typer(help="The matter catalog (实施清单).", no_args_is_help=True)


@catalog_app.command("import")
def import_(
    ctx: typer.Context, file: Path = typer.Argument(..., help="Catalog file (clerk-tui-catalog JSON).")
) -> None:
    """Validate a catalog file, then import it in one transaction."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.cli.progress import file_progress
        from clerk_tui.services.catalog.file import CatalogFileError, describe_problem
        from clerk_tui.services.catalog.importer import import_catalog_file
        from clerk_tui.services.sync.keys import check_update

        station = state.station()
        try:
            check_update(station, file)  # signed by the centre
            with file_progress(t("import.progress", name=file.name)) as progress:
                report = import_catalog_file(station, file, progress)
        except CatalogFileError as exc:
            lines = [t("cli.error", message=exc.message())] + [f"  - {describe_problem(p)}" for p in exc.problems]
            fail("\n".join(lines))
        finally:
            station.close()
        if report.already_imported:
            typer.echo(t("catalog.already", label=one_line(report.label)))
        else:
            typer.echo(
                t(
                    "catalog.imported",
                    label=one_line(report.label),
                    new=report.new,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    retired=report.retired,
                )
            )

    run_guarded(run)


@catalog_app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(0, "--limit", min=0, help="Show at most this many matters (0 = all)."),
    tsv: bool = typer.Option(False, "--tsv", help="Tab-separated, every column, for scripts."),
) -> None:
    """List the active matters of the catalog."""
    state: CliState = ctx.obj

    def run() -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from clerk_tui.services.catalog.summary import list_matters

        station = state.station()
        try:
            lines = list_matters(station, limit or None)
        finally:
            station.close()
        if not lines:
            typer.echo(t("catalog.empty"))
            return
        if tsv:
            for line in lines:
                typer.echo(
                    "\t".join(
                        one_line(cell)
                        for cell in (
                            line.code,
                            line.basic_code,
                            line.name,
                            line.task_type,
                            str(line.project_type),
                            str(line.materials),
                            line.department,
                        )
                    )
                )
            return
        # The long 实施编码 is left to --tsv: on an 80-column terminal it would crowd out the names.
        table = Table(box=None, pad_edge=False)
        table.add_column(t("catalog.col_name"), min_width=16, ratio=2, overflow="fold")
        table.add_column(t("catalog.col_basic_code"), no_wrap=True)
        table.add_column(t("catalog.col_type"), no_wrap=True)
        table.add_column(t("catalog.col_kind"), no_wrap=True)
        table.add_column(t("catalog.col_materials"), no_wrap=True, justify="right")
        table.add_column(t("catalog.col_dept"), ratio=1, overflow="fold")
        for line in lines:
            table.add_row(
                *(
                    Text(one_line(cell))
                    for cell in (
                        line.name,
                        line.basic_code,
                        t(f"task_type.{line.task_type}"),
                        t(f"project_type.{line.project_type}"),
                        str(line.materials),
                        line.department,
                    )
                )
            )
        Console(soft_wrap=False).print(table)

    run_guarded(run)
