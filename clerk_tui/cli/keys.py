"""`clerk key show|export|rotate` (a station's signing key) and `clerk centre init|export-key|
enrol|revoke|stations|sign` (the centre's keys and its registry of stations).

What each key is for, and what to do when a stick is lost or a PC stolen: docs/SYNC.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.i18n import t

key_app = typer.Typer(
    help="This station's signing key: show it, export it for the centre, rotate it.", no_args_is_help=True
)
centre_app = typer.Typer(help="The centre's keys and its registry of enrolled stations.", no_args_is_help=True)


def _write_public(path: Path, doc: dict[str, object]) -> None:
    try:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(t("keys.write_failed", path=str(path), reason=exc.strerror or str(exc)))


@key_app.command("show")
def key_show(ctx: typer.Context) -> None:
    """Print this station's public key and its fingerprint (read it to the centre over the phone)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        doc = keys.public_file(state.settings())
        typer.echo(t("keys.station_key", station=doc["station_id"], fingerprint=doc["fingerprint"]))
        typer.echo(str(doc["signing"]))

    run_guarded(run)


@key_app.command("export")
def key_export(
    ctx: typer.Context, file: Path = typer.Argument(..., help="Where to write the public key file.")
) -> None:
    """Write this station's public key file for the centre to enrol (clerk centre enrol FILE)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        doc = keys.public_file(state.settings())
        _write_public(file, doc)
        typer.echo(t("keys.exported", path=str(file), fingerprint=doc["fingerprint"]))

    run_guarded(run)


@key_app.command("rotate")
def key_rotate(ctx: typer.Context) -> None:
    """Make a new signing key: the next bundles announce it, signed by the current key, and the
    station switches to it when the centre's receipt says it is enrolled."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        typer.echo(t("keys.rotating", fingerprint=keys.rotate_station_key(state.settings())))

    run_guarded(run)


@centre_app.command("init")
def centre_init(ctx: typer.Context) -> None:
    """Make the centre's signing and encryption keys (once; kept if they exist)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        settings = state.settings()
        public = keys.centre_init(settings).public
        typer.echo(t("keys.centre_ready", folder=str(keys.keys_folder(settings)), fingerprint=public.fingerprint))

    run_guarded(run)


@centre_app.command("export-key")
def centre_export(
    ctx: typer.Context, file: Path = typer.Argument(..., help="Where to write the centre's public key file.")
) -> None:
    """Write the centre's public key file, which every station imports once (clerk import centre-key)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        public = keys.require_centre(state.settings()).public
        _write_public(file, public.as_json())
        typer.echo(t("keys.exported", path=str(file), fingerprint=public.fingerprint))

    run_guarded(run)


def _centre(state: CliState, into: str):  # type: ignore[no-untyped-def]
    from clerk_tui.clock import Clock
    from clerk_tui.config import database_value
    from clerk_tui.db import open_database
    from clerk_tui.services.context import Station
    from clerk_tui.services.station.setup import mark_centre

    target = database_value(into)
    assert target is not None
    settings = state.settings().with_overrides(database=target)
    centre = Station(open_database(target), settings, Clock())
    mark_centre(centre.engine, settings.database_label)
    return centre


INTO = typer.Option(..., "--into", help="The centre database: a file or postgresql://user@host/dbname.")


@centre_app.command("enrol")
def centre_enrol(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A station's public key file (clerk key export)."),
    into: str = INTO,
) -> None:
    """Enrol a station's key: bundles signed by it, for that station, are merged from now on."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        centre = _centre(state, into)
        try:
            found = keys.enrol(centre, file)
        finally:
            centre.close()
        typer.echo(t("keys.enrolled", station=found.station_id, fingerprint=found.fingerprint))

    run_guarded(run)


@centre_app.command("revoke")
def centre_revoke(
    ctx: typer.Context,
    who: str = typer.Argument(..., help="A station id (all its keys) or one key's fingerprint."),
    into: str = INTO,
) -> None:
    """Revoke keys (a lost stick, a stolen PC): nothing signed by them is merged any more."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        centre = _centre(state, into)
        try:
            for found in keys.revoke(centre, who):
                typer.echo(t("keys.revoked", station=found.station_id, fingerprint=found.fingerprint))
        finally:
            centre.close()

    run_guarded(run)


@centre_app.command("stations")
def centre_stations(ctx: typer.Context, into: str = INTO) -> None:
    """List the enrolled stations and their keys."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        centre = _centre(state, into)
        try:
            with centre.engine.connect() as conn:
                found = keys.enrolments(conn)
        finally:
            centre.close()
        for e in found:
            typer.echo("\t".join([e.station_id, e.fingerprint, t(f"keys.status.{e.status}"), e.at]))

    run_guarded(run)


@centre_app.command("sign")
def centre_sign(
    ctx: typer.Context, files: list[Path] = typer.Argument(..., help="Catalog, calendar or appointment files.")
) -> None:
    """Sign files for the stations (FILE.sig beside each): they import only what the centre signed."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync import keys

        secrets = keys.require_centre(state.settings())
        for file in files:
            if not file.is_file():
                fail(t("cli.error", message=t("cli.no_file", path=str(file))))
            typer.echo(t("keys.signed", path=str(keys.sign_file(secrets.signing, file))))

    run_guarded(run)


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    app.add_typer(key_app, name="key")
    app.add_typer(centre_app, name="centre")

    @import_app.command("centre-key")
    def import_centre_key(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The centre's public key file (clerk centre export-key)."),
        yes: bool = typer.Option(False, "--yes", help="Do not ask to confirm the fingerprint."),
    ) -> None:
        """Import the centre's public key once: bundles are then encrypted to it, and what comes back
        from the centre must carry its signature."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.services.sync import keys

            doc = keys.read_public_file(file, "centre")
            typer.echo(t("keys.centre_fingerprint", fingerprint=doc["fingerprint"]))
            if not yes and not typer.confirm(t("keys.confirm_fingerprint")):
                raise typer.Exit(1)
            station = state.station()
            try:
                public = keys.import_centre_key(station, file)
            finally:
                station.close()
            typer.echo(t("keys.centre_imported", fingerprint=public.fingerprint))

        run_guarded(run)
