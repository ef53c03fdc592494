"""`clerk backup`, `clerk restore`, `clerk check`."""

from __future__ import annotations

from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        ctx: typer.Context,
        to: Path | None = typer.Option(None, "--to", help="File or folder (default: the backups folder)."),
    ) -> None:
        """Make a consistent copy of the database, even while the app is running."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.services.station.maintenance import backup_database
            from clerk_tui.services.station.server_maintenance import backup_server_database

            settings = state.settings()
            if settings.database_url is not None:  # a hall's server: PostgreSQL's pg_dump
                made = backup_server_database(settings.database_url, to or settings.backups_path)
                typer.echo(t("backup.done", path=str(made)))
                return
            if not settings.database_path.exists():
                raise ClerkError("db.missing", path=str(settings.database_path))
            target = to or settings.backups_path
            typer.echo(t("backup.done", path=str(backup_database(settings.database_path, target))))
            from clerk_tui.services.sync.keys import back_up_keys

            back_up_keys(settings, target if target.is_dir() else target.parent)

        run_guarded(run)

    @app.command()
    def restore(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="A backup made by clerk backup."),
        yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    ) -> None:
        """Replace the database with a backup (the current one is kept aside first)."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.services.station.maintenance import restore_database
            from clerk_tui.services.station.server_maintenance import restore_server_database, server_holds_data

            settings = state.settings()
            if not file.exists():
                fail(t("cli.error", message=t("cli.no_file", path=str(file))))
            if settings.database_url is not None:  # a hall's server: PostgreSQL's pg_restore
                url = settings.database_url
                overwrite = yes or not server_holds_data(url)
                if not overwrite and not typer.confirm(
                    t("restore.confirm_server", backup=str(file), db=settings.database_label)
                ):
                    typer.echo(t("restore.cancelled"))
                    raise typer.Exit(1)
                kept = restore_server_database(url, file, settings.backups_path, overwrite=True)
                typer.echo(t("restore.done", kept=str(kept or "-")))
                return
            if not yes and not typer.confirm(t("restore.confirm", backup=str(file), db=str(settings.database_path))):
                typer.echo(t("restore.cancelled"))
                raise typer.Exit(1)
            kept = restore_database(file, settings.database_path, settings.backups_path)
            typer.echo(t("restore.done", kept=str(kept or "-")))
            from clerk_tui.services.sync.keys import restore_keys

            for path in restore_keys(settings, file.parent):  # a new PC: the station's key comes back too
                typer.echo(t("restore.key_restored", path=str(path)))

        run_guarded(run)

    @app.command()
    def pin(
        ctx: typer.Context,
        reset: bool = typer.Option(
            False,
            "--reset",
            help="Forgot the PIN: set a new one without it (written to the audit trail, said at the next start).",
        ),
    ) -> None:
        """Set or change the PIN that unlocks the idle lock (the current one first; never shown)."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.services.station.pin import change_pin, check_new_pin, check_pin, has_pin, reset_pin

            station = state.station()
            try:
                old = None
                if has_pin(station) and not reset:
                    old = typer.prompt(t("pin.old"), hide_input=True)
                    if not check_pin(station, old):
                        fail(t("cli.error", message=t("pin.wrong_old_cli")))
                first = typer.prompt(t("pin.prompt"), hide_input=True)
                check_new_pin(first)
                if typer.prompt(t("pin.again"), hide_input=True) != first:
                    fail(t("cli.error", message=t("pin.mismatch")))
                if reset:
                    reset_pin(station, first)
                else:
                    change_pin(station, old, first)
            finally:
                station.close()
            typer.echo(t("pin.reset_done" if reset else "pin.set"))

        run_guarded(run)

    @app.command()
    def check(ctx: typer.Context) -> None:
        """Check the database: integrity, references between records, schema version (a server's too)."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.db import latest_schema_version
            from clerk_tui.services.station.maintenance import check_database
            from clerk_tui.services.station.server_maintenance import check_server_database

            settings = state.settings()
            if settings.database_url is not None:
                problems = check_server_database(settings.database_url, settings.database_label)
            else:
                problems = check_database(settings.database_path, for_work=True)
            if problems:
                fail("\n".join(t("cli.error", message=p) for p in problems))
            typer.echo(t("check.ok", path=settings.database_label, version=latest_schema_version()))

        run_guarded(run)
