"""`clerk catalog import|list`."""

from __future__ import annotations

from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.i18n import t

catalog_app = typer.Typer(help="The matter catalog (实施清单).", no_args_is_help=True)


@catalog_app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., help="Catalog file (clerk-tui-catalog JSON).")) -> None:
    """Validate a catalog file, then import it in one transaction."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.catalog_file import CatalogFileError, describe_problem
        from clerk_tui.services.catalog_import import import_catalog_file

        station = state.station()
        try:
            report = import_catalog_file(station, file)
        except CatalogFileError as exc:
            lines = [t("cli.error", message=exc.message())] + [f"  - {describe_problem(p)}" for p in exc.problems]
            fail("\n".join(lines))
        finally:
            station.close()
        if report.already_imported:
            typer.echo(t("catalog.already", label=report.label))
        else:
            typer.echo(t("catalog.imported", label=report.label, new=report.new, updated=report.updated,
                         unchanged=report.unchanged, retired=report.retired))

    run_guarded(run)


@catalog_app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(0, "--limit", min=0, help="Show at most this many matters (0 = all)."),
) -> None:
    """List the active matters of the catalog."""
    state: CliState = ctx.obj

    def run() -> None:
        from rich.console import Console
        from rich.table import Table

        from clerk_tui.services.catalog import list_matters

        station = state.station()
        try:
            lines = list_matters(station, limit or None)
        finally:
            station.close()
        if not lines:
            typer.echo(t("catalog.empty"))
            return
        table = Table(box=None, pad_edge=False)
        for key in ("catalog.col_name", "catalog.col_type", "catalog.col_kind", "catalog.col_materials",
                    "catalog.col_dept", "catalog.col_code"):
            table.add_column(t(key), no_wrap=key != "catalog.col_name", overflow="fold")
        for line in lines:
            table.add_row(line.name, t(f"task_type.{line.task_type}"), t(f"project_type.{line.project_type}"),
                          str(line.materials), line.department, line.code)
        Console(soft_wrap=False).print(table)

    run_guarded(run)
