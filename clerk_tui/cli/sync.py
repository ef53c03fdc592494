"""`clerk export`, `clerk merge`, `clerk import receipt|catalog|calendar|appointments|ratings`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.display_text import one_line
from clerk_tui.i18n import t

import_app = typer.Typer(
    help="Files from the centre: receipts, catalog, calendar, appointments, ratings.", no_args_is_help=True
)
MAX_CONFLICTS_SHOWN = 20


def _seqs(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")

    @app.command("export")
    def export(
        ctx: typer.Context,
        to: Path | None = typer.Option(None, "--to", help="Folder to write the bundle to (remembered)."),
        all_: bool = typer.Option(False, "--all", help="Export every record again, not only changes."),
        csv_: bool = typer.Option(
            False,
            "--csv",
            help="Also put CSV copies in the bundle: clear text on the stick (the centre writes its own).",
        ),
    ) -> None:
        """Write a verified sync bundle of what changed since the last export."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.services.sync.export import export_bundle, sync_status

            station = state.station()
            show = sys.stderr.isatty()

            def progress(done: int, total: int) -> None:
                if show and total:
                    sys.stderr.write("\r" + t("sync.progress", done=done, total=total))
                    sys.stderr.flush()

            try:
                result = export_bundle(station, to, full=all_, progress=progress, csv_on_stick=csv_)
                status = sync_status(station)
            finally:
                if show:
                    sys.stderr.write("\r\033[K")
                station.close()
            if result is None:
                last = status.last_export.bundle_seq if status.last_export else 0
                typer.echo(t("sync.nothing_new", seq=last))
            else:
                line = t("sync.exported", seq=result.bundle_seq, records=result.records, path=str(result.path))
                typer.echo(line + (t("sync.exported_full") if result.full else ""))
                typer.echo(
                    t("sync.exported_station", station=station.settings.station_id, name=station.settings.station_name)
                )
                if not result.encrypted:
                    typer.echo(t("sync.exported_clear"), err=True)
                if result.csv_on_stick:
                    typer.echo(t("sync.exported_csv"), err=True)
            typer.echo(t("receipt.pending", n=status.total_unacknowledged))

        run_guarded(run)

    @app.command("merge")
    def merge(
        ctx: typer.Context,
        bundles: list[Path] = typer.Argument(..., help="Bundle files from stations."),
        into: str = typer.Option(
            ..., "--into", help="The centre database: a file (created if new) or postgresql://user@host/dbname."
        ),
        receipts: Path | None = typer.Option(
            None, "--receipts", help="Folder for receipts (default: beside each bundle)."
        ),
        csv_folder: Path | None = typer.Option(
            None, "--csv", help="Also write each merged bundle's records as CSV files into this folder."
        ),
    ) -> None:
        """Centre: verify bundles, merge them (one transaction each), print a report, write receipts."""
        state: CliState = ctx.obj

        def run() -> None:
            from clerk_tui.clock import Clock
            from clerk_tui.config import database_value
            from clerk_tui.db import open_database
            from clerk_tui.services.context import Station
            from clerk_tui.services.station.setup import mark_centre
            from clerk_tui.services.sync import keys
            from clerk_tui.services.sync.merge import merge_bundles
            from clerk_tui.services.sync.receipt import write_receipts

            target = database_value(into)
            assert target is not None
            settings = state.settings().with_overrides(database=target)
            centre = Station(open_database(target), settings, Clock())
            try:
                mark_centre(centre.engine, settings.database_label)
                report = merge_bundles(centre, bundles)
            finally:
                centre.close()
            _print_report(report)
            if csv_folder is not None:
                from clerk_tui.services.sync.csv_copies import write_csv_copies

                for merged in report.bundles:
                    if merged.ok and merged.bundle is not None:
                        typer.echo(t("merge.csv_written", path=str(write_csv_copies(merged.bundle, csv_folder))))
            written = write_receipts(
                report.bundles,
                report.missing,
                receipts,
                settings.station_id,
                centre.clock.now(),
                keys.require_centre(settings),
                report.station_keys,
            )
            for path in written:
                typer.echo(t("merge.receipt", path=str(path)))
            if not report.ok:
                raise typer.Exit(1)

        run_guarded(run)


def _print_report(report) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    for merge in report.bundles:
        if not merge.ok:
            # The file name and anything quoted from the bundle are data, not terminal commands.
            typer.echo(
                t("merge.rejected", file=one_line(merge.path.name), message=one_line(merge.error.message())), err=True
            )
            continue
        m = merge.bundle.manifest
        typer.echo(
            t(
                "merge.bundle",
                file=one_line(merge.path.name),
                station=one_line(m.station_id),
                seq=m.bundle_seq,
                records=m.records,
            )
        )
        if merge.already_merged_at is not None:
            typer.echo(t("merge.already", at=f"{merge.already_merged_at:%Y-%m-%d %H:%M}"))
        if merge.seq_reused:
            typer.echo(t("merge.seq_reused"))
        table = Table(box=None, pad_edge=False)
        for key in (
            "merge.col_table",
            "merge.col_new",
            "merge.col_updated",
            "merge.col_skipped",
            "merge.col_stale",
            "merge.col_conflicts",
        ):
            table.add_column(t(key), justify="left" if key == "merge.col_table" else "right")
        for name, c in merge.counts.items():
            if c.new or c.updated or c.skipped or c.stale or c.conflicts:
                table.add_row(
                    t(f"sync.table.{name}"), str(c.new), str(c.updated), str(c.skipped), str(c.stale), str(c.conflicts)
                )
        console.print(table)
        for c in merge.conflicts[:MAX_CONFLICTS_SHOWN]:
            typer.echo(t("merge.conflict", table=c.table, id=one_line(c.record_id), version=c.version))
        if len(merge.conflicts) > MAX_CONFLICTS_SHOWN:
            typer.echo(t("merge.more_conflicts", n=len(merge.conflicts) - MAX_CONFLICTS_SHOWN))
    for station_id, seqs in report.missing.items():
        typer.echo(t("merge.missing", station=station_id, seqs=_seqs(seqs)))
    if report.dangling:
        refs = ", ".join(f"{k} {v}" for k, v in report.dangling.items())
        typer.echo(t("merge.dangling", count=sum(report.dangling.values()), refs=refs))


@import_app.command("receipt")
def import_receipt_cmd(
    ctx: typer.Context, file: Path = typer.Argument(..., help="A receipt from clerk merge.")
) -> None:
    """Mark the records the centre confirmed (from its receipt)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.sync.export import sync_status
        from clerk_tui.services.sync.receipt import import_receipt

        station = state.station()
        try:
            report = import_receipt(station, file)
            status = sync_status(station)
        finally:
            station.close()
        if report.acknowledged:
            typer.echo(t("receipt.imported", seqs=_seqs(report.acknowledged)))
        if report.already:
            typer.echo(t("receipt.already", seqs=_seqs(report.already)))
        if report.unknown:
            typer.echo(t("receipt.unknown", seqs=_seqs(report.unknown)), err=True)
        if report.mismatched:
            typer.echo(t("receipt.mismatched", seqs=_seqs(report.mismatched)), err=True)
        if report.not_applied:
            typer.echo(t("receipt.not_applied", n=report.not_applied))
        if report.missing_seqs:
            typer.echo(t("receipt.missing", seqs=_seqs(report.missing_seqs)))
        typer.echo(t("receipt.pending", n=status.total_unacknowledged))

    run_guarded(run)


@import_app.command("catalog")
def import_catalog_cmd(
    ctx: typer.Context, file: Path = typer.Argument(..., help="Catalog file (clerk-tui-catalog JSON).")
) -> None:
    """Validate a catalog file, then import it in one transaction (same as clerk catalog import)."""
    from clerk_tui.cli.catalog import import_

    import_(ctx, file)


@import_app.command("calendar")
def import_calendar_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Calendar update (clerk-tui-calendar JSON)."),
    force: bool = typer.Option(False, "--force", help="Import even a year that has no working day at all."),
) -> None:
    """Validate a working-day calendar update, then store it in one transaction."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.services.station.calendar import import_calendar, import_lines, load_calendar_file
        from clerk_tui.services.sync.keys import check_update

        if not file.exists():
            fail(t("cli.error", message=t("cli.no_file", path=str(file))))
        update = load_calendar_file(file, force)  # everything checked before anything is stored
        station = state.station()
        try:
            check_update(station, file)  # signed by the centre
            result = import_calendar(station, update)  # provisional deadlines recomputed with it
        finally:
            station.close()
        for line in import_lines(result):
            typer.echo(line)

    run_guarded(run)


@import_app.command("appointments")
def import_appointments_cmd(
    ctx: typer.Context, file: Path = typer.Argument(..., help="Appointments (clerk-tui-appointments JSON).")
) -> None:
    """Validate an appointments file, store it in one transaction; today's join the queue at their slot."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.cli.progress import file_progress
        from clerk_tui.services.sync.appointments import AppointmentsFileError, import_appointments_file
        from clerk_tui.services.sync.keys import check_update

        station = state.station()
        try:
            check_update(station, file)  # signed by the centre
            with file_progress(t("import.progress", name=file.name)) as progress:
                report = import_appointments_file(station, file, progress)
        except AppointmentsFileError as exc:
            lines = [t("cli.error", message=exc.message())] + [f"  - {p}" for p in exc.lines()]
            fail("\n".join(lines))
        finally:
            station.close()
        typer.echo(
            t(
                "appointments.done",
                new=report.new,
                updated=report.updated,
                unchanged=report.unchanged,
                cancelled=report.cancelled,
                issued=report.issued,
                expired=report.expired,
            )
        )

    run_guarded(run)


@import_app.command("ratings")
def import_ratings_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Ratings from the 好差评 platform (clerk-tui-ratings JSON)."),
) -> None:
    """Check a platform ratings file whole, then store it in one transaction (one per visit; bad ones open follow-ups)."""
    state: CliState = ctx.obj

    def run() -> None:
        from clerk_tui.cli.progress import file_progress
        from clerk_tui.services.cases.rating_import import RatingsFileError, import_ratings_file
        from clerk_tui.services.sync.keys import check_update

        station = state.station()
        try:
            check_update(station, file)  # signed by the centre, like every file that comes back
            with file_progress(t("import.progress", name=file.name)) as progress:
                size = file.stat().st_size if file.is_file() else 0
                report = import_ratings_file(station, file, lambda done: progress(done, size))
        except RatingsFileError as exc:
            lines = [t("cli.error", message=exc.message())] + [f"  - {p}" for p in exc.lines()]
            fail("\n".join(lines))
        finally:
            station.close()
        typer.echo(
            t(
                "rating_import.done",
                new=report.new,
                filled=report.filled,
                unchanged=report.unchanged,
                follow_ups=report.follow_ups,
            )
        )

    run_guarded(run)
