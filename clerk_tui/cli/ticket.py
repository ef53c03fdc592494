"""`clerk ticket issue|list|call|recall|start|finish|no-show|reinstate`, `clerk board`, `clerk kiosk`.

The ticket commands let scripts and other tools issue tickets and act as a window
(`--window N`); they go through the same services as the clerk's screen, so calls stay
atomic across processes. Errors are one line in the clerk's language, exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from clerk_tui.cli.common import CliState, fail, run_guarded
from clerk_tui.display_text import one_line
from clerk_tui.i18n import t

if TYPE_CHECKING:
    from clerk_tui.screens.hall import HallApp
    from clerk_tui.services.context import Station

ticket_app = typer.Typer(help="Tickets (叫号): issue, list, and act as a window.", no_args_is_help=True)

WindowOpt = typer.Option(None, "--window", "-w", min=1, help="Act as this window (default: the config's).")
StaffOpt = typer.Option(None, "--staff-no", help="Staff number recorded on the events (default: the config's).")


def _station(
    ctx: typer.Context, window: int | None = None, staff_no: str | None = None, appointments: bool = False
) -> Any:
    """The station, earlier days' leftovers closed; with `appointments`, today's imported
    appointments issued first (idempotent), so listing and calling see them as the app does.

    On a database that may only be read, that housekeeping waits for a start that may
    write: reading works, and a command that writes says the database is read-only."""
    from clerk_tui.db import DatabaseReadOnly
    from clerk_tui.services.queue.window import close_leftovers

    state: CliState = ctx.obj
    station = state.station(state.settings().with_overrides(window_no=window, clerk_no=staff_no))
    try:
        close_leftovers(station)
        if appointments:
            from clerk_tui.services.queue.appointments import issue_due_appointments

            issue_due_appointments(station)
    except DatabaseReadOnly:
        pass
    except BaseException:
        station.close()
        raise
    return station


def _window_command(
    ctx: typer.Context,
    window: int | None,
    staff_no: str | None,
    action: Callable[[Any], Any],
    message: Callable[[Any, Any], str],
    appointments: bool = False,
) -> None:
    def run() -> None:
        station = _station(ctx, window, staff_no, appointments)
        try:
            result = action(station)
        finally:
            station.close()
        typer.echo(message(result, station.settings))

    run_guarded(run)


@ticket_app.command("issue")
def issue(
    ctx: typer.Context,
    queue: str = typer.Option(..., "--queue", "-q", help="Queue letter, e.g. A."),
    green: bool = typer.Option(False, "--green", help="Green channel (绿色通道)."),
    appointment: str | None = typer.Option(None, "--appointment", help="Appointment slot today, HH:MM."),
    plain: bool = typer.Option(False, "--plain", help="Print only the number."),
) -> None:
    """Issue a ticket; prints its number, queue and how many wait ahead."""

    def run() -> None:
        from clerk_tui.errors import ClerkError
        from clerk_tui.screens.queue_text import queue_name
        from clerk_tui.services.queue.tickets import issue_ticket, waiting_ahead

        if green and appointment:
            fail(t("cli.error", message=t("cli.green_and_appointment")))
        station = _station(ctx)
        try:
            at = None
            if appointment is not None:
                at = _slot(appointment, station.clock.today())
                if at is None:
                    raise ClerkError("queue.bad_time")
            priority = "green" if green else "appointment" if at else "normal"
            ticket = issue_ticket(station, queue.strip().upper(), priority, at, via="cli")
            ahead = waiting_ahead(station, ticket)
        finally:
            station.close()
        if plain:
            typer.echo(one_line(ticket.number))
        else:
            typer.echo(
                t(
                    "cli.ticket_issued",
                    number=one_line(ticket.number),
                    queue_name=one_line(queue_name(station.settings, ticket.queue)),
                    ahead=ahead,
                )
            )

    run_guarded(run)


def _slot(text: str, day: Any) -> datetime | None:
    try:
        hours, minutes = text.strip().split(":")
        return datetime.combine(day, datetime.min.time()).replace(hour=int(hours), minute=int(minutes))
    except ValueError:
        return None


@ticket_app.command("list")
def list_(
    ctx: typer.Context,
    everything: bool = typer.Option(False, "--all", help="Every ticket of today, not only the waiting ones."),
    tsv: bool = typer.Option(False, "--tsv", help="Tab-separated, for scripts."),
) -> None:
    """Today's waiting tickets in call order (or all of today's with --all)."""

    def run() -> None:
        from clerk_tui.screens.queue_text import class_label, minutes, queue_name
        from clerk_tui.services.queue.tickets import list_tickets

        station = _station(ctx, appointments=True)
        try:
            tickets = list_tickets(station, everything)
        finally:
            station.close()
        if not tickets:
            typer.echo(t("cli.ticket_none"))
            return
        now, settings = station.clock.now(), station.settings
        rows = [
            [
                one_line(cell)
                for cell in (
                    tk.number,
                    tk.queue,
                    queue_name(settings, tk.queue),
                    class_label(tk, now, settings),
                    t(f"ticket.status.{tk.status}"),
                    tk.issued_at.strftime("%H:%M"),
                    minutes((tk.first_called_at or now) - tk.issued_at),
                    str(tk.window_no or tk.target_window or ""),
                )
            ]
            for tk in tickets
        ]
        if tsv:
            for row in rows:
                typer.echo("\t".join(row))
            return
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False)
        for key in (
            "queue.col_number",
            "queue.col_queue",
            "queue.col_class",
            "cli.col_status",
            "cli.col_issued",
            "queue.col_waited",
            "cli.col_window",
        ):
            table.add_column(t(key), no_wrap=True)
        for row in rows:
            table.add_row(*(Text(cell) for cell in (row[0], *row[2:])))  # the letter is in the number
        Console(soft_wrap=False).print(table)

    run_guarded(run)


@ticket_app.command("call")
def call(
    ctx: typer.Context,
    window: int | None = WindowOpt,
    staff_no: str | None = StaffOpt,
    number: str | None = typer.Option(None, "--ticket", help="Call this waiting ticket out of order."),
    reason: str = typer.Option("", "--reason", help="Why (required with --ticket)."),
) -> None:
    """Call the next ticket for the window (or a given one); prints number and window."""
    from clerk_tui.services.queue import calling

    def act(station: Any) -> Any:
        return calling.call_specific(station, number, reason) if number else calling.call_next(station)

    _window_command(
        ctx,
        window,
        staff_no,
        act,
        lambda tk, s: t("cli.ticket_called", number=tk.number, window=s.window_no),
        appointments=True,
    )


@ticket_app.command("recall")
def recall(ctx: typer.Context, window: int | None = WindowOpt, staff_no: str | None = StaffOpt) -> None:
    """Call the window's current ticket again."""
    from clerk_tui.services.queue.calling import recall as do

    _window_command(ctx, window, staff_no, do, lambda tk, s: t("queue.recalled", number=tk.number, n=tk.call_count))


@ticket_app.command("start")
def start(ctx: typer.Context, window: int | None = WindowOpt, staff_no: str | None = StaffOpt) -> None:
    """Start serving the window's called ticket."""
    from clerk_tui.services.queue.calling import start_service

    _window_command(ctx, window, staff_no, start_service, lambda tk, s: t("queue.started", number=tk.number))


@ticket_app.command("finish")
def finish(ctx: typer.Context, window: int | None = WindowOpt, staff_no: str | None = StaffOpt) -> None:
    """Finish the window's current ticket."""
    from clerk_tui.services.queue.calling import finish as do

    _window_command(ctx, window, staff_no, do, lambda tk, s: t("queue.finished", number=tk.number))


@ticket_app.command("no-show")
def no_show(ctx: typer.Context, window: int | None = WindowOpt, staff_no: str | None = StaffOpt) -> None:
    """Mark the window's called ticket as no-show (过号)."""
    from clerk_tui.services.queue.calling import no_show as do

    _window_command(ctx, window, staff_no, do, lambda tk, s: t("queue.marked_no_show", number=tk.number))


@ticket_app.command("reinstate")
def reinstate(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="The no-show ticket, e.g. A007."),
    window: int | None = WindowOpt,
    staff_no: str | None = StaffOpt,
) -> None:
    """Put a no-show ticket back in the queue (per the config's queue.reinstate)."""
    from clerk_tui.services.queue.calling import reinstate as do

    _window_command(
        ctx, window, staff_no, lambda st: do(st, number), lambda tk, s: t("queue.reinstated", number=tk.number)
    )


def register(app: typer.Typer) -> None:
    app.add_typer(ticket_app, name="ticket")

    @app.command()
    def board(ctx: typer.Context) -> None:
        """Run the hall's calling board on this database (a separate screen)."""
        run_guarded(lambda: _run_hall(ctx, "board"))

    @app.command()
    def kiosk(ctx: typer.Context) -> None:
        """Run the self-service ticket kiosk on this database."""
        run_guarded(lambda: _run_hall(ctx, "kiosk"))


def _run_hall(ctx: typer.Context, which: str) -> None:
    state: CliState = ctx.obj
    station = state.station()
    make: Callable[[Station], HallApp]  # imported below: only the display asked for loads
    if which == "board":
        from clerk_tui.screens.board import make_board_app as make
    else:
        from clerk_tui.screens.kiosk import make_kiosk_app as make
    try:
        make(station).run()
    finally:
        station.close()
