"""The `clerk` command. Every command builds the app or the services the same way.

Errors reach the clerk as one line in their language and a non-zero exit code, never a
traceback. Textual is imported only by the commands that open a screen.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import typer

from clerk_tui import __version__, collector
from clerk_tui.cli.common import CliState, fail, require_database, run_guarded
from clerk_tui.cli.usage import ClerkGroup
from clerk_tui.i18n import t


def build(every_command: bool = True) -> typer.Typer:
    """The `clerk` command. Without `every_command`, only the root options and the window's
    own commands: all a start of the clerk's window parses (`main`), without importing the
    other commands' modules and turning their options into typer's (about 10 ms of the start
    to the first screen, issue 15)."""
    root = typer.Typer(
        name="clerk",
        help="clerk-tui: the window clerk's terminal for government service halls.",
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=ClerkGroup,
    )
    root.callback(invoke_without_command=True)(main_callback)
    if every_command:
        from clerk_tui.cli import keys as keys_cli
        from clerk_tui.cli import maintenance, ticket
        from clerk_tui.cli import report as report_cli
        from clerk_tui.cli import sync as sync_cli
        from clerk_tui.cli.catalog import catalog_app
        from clerk_tui.cli.notice import notice_app
        from clerk_tui.cli.papers import papers_app

        root.add_typer(catalog_app, name="catalog")
        root.add_typer(notice_app, name="notice")
        root.add_typer(papers_app, name="papers")
        maintenance.register(root)
        ticket.register(root)
        sync_cli.register(root)
        keys_cli.register(root, sync_cli.import_app)
        report_cli.register(root)
    root.command()(demo)
    root.command()(init)
    return root


@cache
def _every_command() -> typer.Typer:
    return build()


def __getattr__(name: str) -> typer.Typer:
    # `clerk_tui.cli.app`: every command (tests, scripts), built on first use.
    if name == "app":
        return _every_command()
    raise AttributeError(name)


# What starts the clerk's window (None: no command): the collector stays held until its first
# screen is up (`clerk_tui.collector`).
WINDOW_COMMANDS = (None, "demo")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clerk-tui {__version__}")
        raise typer.Exit()


def main_callback(
    ctx: typer.Context,
    # readable=False: a file this account may not read is the command's to word (issue 18).
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database file, or a hall server postgresql://user@host/dbname (overrides $CLERK_TUI_DB and the config).",
    ),
    config: Path | None = typer.Option(None, "--config", help="Config file (overrides $CLERK_TUI_CONFIG)."),
    lang: str | None = typer.Option(None, "--lang", help="Interface language: zh or en."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Start the clerk's window (the default command)."""
    ctx.obj = CliState(db=db, config=config, lang=lang)
    if ctx.invoked_subcommand not in WINDOW_COMMANDS:
        collector.resume()  # no clerk's window to start: see `clerk_tui.collector`
    if ctx.invoked_subcommand is None:
        run_guarded(lambda: _launch(ctx.obj))


def _launch(state: CliState) -> None:
    from clerk_tui.app import make_app
    from clerk_tui.services.station.setup import database_station, ensure_catalog, open_station, write_config

    settings = state.settings()
    config_path = settings.config_path
    first_start = config_path is not None and not config_path.exists()
    if config_path is not None and first_start:
        # The first start is an init: a station id no other install has (or the one its
        # database already carries), so no two townships both come out as the default.
        settings = settings.with_overrides(
            station_id=database_station(settings.database_target) or _new_station_id(None)
        )
        write_config(settings, config_path)
    else:
        require_database(settings)
    station = open_station(settings)
    ensure_catalog(station)
    application = make_app(settings, station=station)
    if first_start:
        application.call_later(
            application.notify, t("config.first_start_written", path=str(settings.config_path)), timeout=15
        )
    application.run()


def _interactive() -> bool:
    """A clerk at a terminal (not a script) can be asked."""
    return sys.stdin.isatty()


def _new_station_id(area_code: str | None) -> str:
    from clerk_tui.services.station.setup import bundled_area_code, new_station_id

    return new_station_id(area_code if area_code is not None else bundled_area_code())


def demo(ctx: typer.Context) -> None:
    """Start on a fresh throwaway demo station (catalog and waiting tickets included)."""
    state: CliState = ctx.obj

    def launch() -> None:
        from clerk_tui.app import make_app
        from clerk_tui.services.station.setup import create_demo

        settings = state.settings(config_may_be_missing=True)
        station = create_demo(settings.data_dir, language=settings.language)
        demo_settings = station.settings
        note = t("cli.demo_config", station=demo_settings.station_id, config=str(demo_settings.config_path))
        application = make_app(demo_settings, station=station)
        # The full commands (two long paths) would cover the waiting list for 15 s at 80x24:
        # the toast names the station, the commands are printed on the terminal at exit.
        toast = t("cli.demo_toast", station=demo_settings.station_id)
        application.call_later(application.notify, toast, timeout=15)
        try:
            application.run()
        finally:
            station.close()
        typer.echo(note)

    run_guarded(launch)


def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing config file."),
    station_id: str | None = typer.Option(
        None, "--station-id", help="Default: asked, or the area code plus a random suffix."
    ),
    area_code: str | None = typer.Option(
        None, "--area-code", help="6-digit area code for the station id (default: the catalog's)."
    ),
    station_name: str | None = typer.Option(None, "--station-name"),
    window: int | None = typer.Option(None, "--window", min=1),
    staff_no: str | None = typer.Option(None, "--staff-no"),
    clerk_name: str | None = typer.Option(None, "--clerk-name"),
    db: str | None = typer.Option(
        None, "--db", help="The database to make or join: a file, or a hall's postgresql://user@host/dbname."
    ),
) -> None:
    """Write a commented config file and create the database with the bundled catalog."""
    state: CliState = ctx.obj
    if db is not None:  # `clerk init --db …` as well as `clerk --db … init`
        state = replace(state, db=db)

    def run() -> None:
        from clerk_tui.errors import ClerkError
        from clerk_tui.services.station.setup import (
            area_code_of,
            database_station,
            ensure_catalog,
            open_station,
            write_config,
        )

        base = state.settings(config_may_be_missing=True)
        path = base.config_path
        assert path is not None
        given = (station_id, area_code, station_name, window, staff_no, clerk_name)
        if path.exists() and not force:
            if (base.database_url is None and base.database_path.exists()) or any(v is not None for v in given):
                fail(t("cli.init_exists", path=str(path)))
            # The config is there (written by hand or copied), the database is not: make it.
            station = open_station(base)
            ensure_catalog(station)
            station.close()
            typer.echo(t("cli.init_db_only", config=str(path), db=base.database_label))
            typer.echo(t("cli.init_station", station=base.station_id))
            return
        if area_code is not None:
            area_code_of(area_code)  # refused with a reason before anything is written
        recorded = database_station(base.database_target)
        if station_id and recorded and station_id.strip() != recorded:
            raise ClerkError(
                "station.mismatch",
                config_id=station_id.strip(),
                db_id=recorded,
                config=str(path),
                db=base.database_label,
            )
        chosen = station_id or recorded
        if chosen is None:
            chosen = _new_station_id(area_code)
            if _interactive():
                chosen = typer.prompt(t("cli.init_ask_station"), default=chosen)
        chosen = chosen.strip()
        if not chosen or len(chosen) > 64:
            raise ClerkError("config.bad_value", where="station.id", expected="1..64")
        settings = base.with_overrides(
            station_id=chosen,
            station_name=station_name,
            window_no=window,
            clerk_no=staff_no,
            clerk_name=clerk_name,
        )
        write_config(settings, path)
        station = open_station(settings)
        ensure_catalog(station)
        station.close()
        typer.echo(t("cli.init_done", config=str(path), db=settings.database_label))
        typer.echo(t("cli.init_station", station=settings.station_id))

    run_guarded(run)


# The root options that take a value (`--db X` or `--db=X`), and those that take none.
ROOT_VALUE_OPTIONS = ("--db", "--config", "--lang")
ROOT_FLAGS = ("--version",)


def names_a_command(args: Sequence[str]) -> bool:
    """Whether the arguments go beyond the root options: a command, --help, anything else
    (a typo is answered by the whole command, with its suggestions)."""
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ROOT_VALUE_OPTIONS:
            if not rest:
                return True  # its value is missing: said by the whole command
            rest.pop(0)
        elif not (arg in ROOT_FLAGS or (arg.split("=", 1)[0] in ROOT_VALUE_OPTIONS and "=" in arg)):
            return True
    return False


def main() -> None:
    build(every_command=names_a_command(sys.argv[1:]))(prog_name="clerk")
