"""The `clerk` command. Every command builds the app or the services the same way.

Errors reach the clerk as one line in their language and a non-zero exit code, never a
traceback. Textual is imported only by the commands that open a screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from clerk_tui import __version__
from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.cli import maintenance
from clerk_tui.cli import ticket
from clerk_tui.cli import sync as sync_cli
from clerk_tui.cli import report as report_cli
from clerk_tui.cli.catalog import catalog_app
from clerk_tui.cli.notice import notice_app
from clerk_tui.i18n import t

app = typer.Typer(
    name="clerk",
    help="clerk-tui: the window clerk's terminal for government service halls.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_app, name="catalog")
app.add_typer(notice_app, name="notice")
maintenance.register(app)
ticket.register(app)
sync_cli.register(app)
report_cli.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clerk-tui {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", help="Database file (overrides the config)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (overrides $CLERK_TUI_CONFIG)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Interface language: zh or en."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Start the clerk's window (the default command)."""
    ctx.obj = CliState(db=db, config=config, lang=lang)
    if ctx.invoked_subcommand is None:
        run_guarded(lambda: _launch(ctx.obj))


def _launch(state: CliState) -> None:
    from clerk_tui.app import make_app
    from clerk_tui.services.station_setup import ensure_catalog, open_station, write_config

    settings = state.settings()
    first_start = settings.config_path is not None and not settings.config_path.exists()
    if first_start:
        write_config(settings, settings.config_path)
    station = open_station(settings)
    ensure_catalog(station)
    application = make_app(settings, station=station)
    if first_start:
        application.call_later(
            application.notify, t("config.first_start_written", path=str(settings.config_path)), timeout=15
        )
    application.run()


@app.command()
def demo(ctx: typer.Context) -> None:
    """Start on a fresh throwaway demo station (catalog and waiting tickets included)."""
    state: CliState = ctx.obj

    def launch() -> None:
        from clerk_tui.app import make_app
        from clerk_tui.services.station_setup import create_demo

        settings = state.settings()
        station = create_demo(settings.data_dir, language=settings.language)
        make_app(station.settings, station=station).run()

    run_guarded(launch)


@app.command()
def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing config file."),
    station_id: Optional[str] = typer.Option(None, "--station-id"),
    station_name: Optional[str] = typer.Option(None, "--station-name"),
    window: Optional[int] = typer.Option(None, "--window", min=1),
    staff_no: Optional[str] = typer.Option(None, "--staff-no"),
    clerk_name: Optional[str] = typer.Option(None, "--clerk-name"),
) -> None:
    """Write a commented config file and create the database with the bundled catalog."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.station_setup import ensure_catalog, open_station, write_config

        settings = state.settings().with_overrides(
            station_id=station_id, station_name=station_name, window_no=window,
            clerk_no=staff_no, clerk_name=clerk_name,
        )
        path = settings.config_path
        assert path is not None
        if path.exists() and not force:
            fail(t("cli.init_exists", path=str(path)))
        write_config(settings, path)
        station = open_station(settings)
        ensure_catalog(station)
        station.close()
        typer.echo(t("cli.init_done", config=str(path), db=str(settings.database_path)))

    run_guarded(run)


def main() -> None:
    app(prog_name="clerk")
