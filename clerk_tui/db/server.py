"""A hall's or a centre's shared database on a PostgreSQL server (14 or newer).

One SQLite file cannot be shared over a network, so a hall whose windows, kiosk and board
run on separate PCs points all of them at one PostgreSQL database with a URL:
`postgresql://clerk@db-server/hall`. The driver is psycopg 3 (binary wheels: nothing to
compile on a hall PC). libpq reads a password file (`PGPASSFILE`, `~/.pgpass`,
`%APPDATA%\\postgresql\\pgpass.conf`) and service files (`?service=hall`), so a password
never needs to be written in the config; the URL's password, when there is one, is never
shown or logged (`display_url`).

Connections are checked when taken from the pool (`pool_pre_ping`): after the server
restarts, the next action opens a fresh connection instead of failing on a dead one. A
connection lost in the middle of a transaction rolls it back on the server; the clerk is
told the work was not saved (`ConnectionLost`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import URL, Engine, ExceptionContext, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from clerk_tui.db.errors import (
    AuthenticationFailed,
    ConnectionLost,
    DatabaseBusy,
    DiskFull,
    RowRejected,
    ServerTooOld,
    ServerUnreachable,
    ServerUrlInvalid,
    StorageError,
)

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
OLDEST_SERVER = (14,)
CONNECT_TIMEOUT_S = 5
# A write waits this long for a row another window holds (FOR UPDATE without SKIP LOCKED:
# a case being edited at two windows) before it gives up with "busy", like SQLite's timeout.
LOCK_TIMEOUT_MS = 5000


def is_server_url(value: object) -> bool:
    """Whether a `--db` / `[paths] database` value names a database server, not a file."""
    return isinstance(value, str) and value.strip().lower().startswith(SCHEMES)


def server_url(value: str) -> URL:
    """The SQLAlchemy URL for a `postgresql://` value, on the psycopg 3 driver; a value
    libpq could not use (a port that is no number, an option it does not know) is refused
    with `ServerUrlInvalid` before anything connects."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import make_conninfo

    try:
        url = make_url(value.strip()).set(drivername="postgresql+psycopg")
        _args, params = url.get_dialect()().create_connect_args(url)
        make_conninfo("", **{k: str(v) for k, v in params.items() if v is not None})
    except (ArgumentError, ValueError, ProgrammingError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ServerUrlInvalid(_without_password(reason, value), display_url(value)) from None
    return url


def _without_password(words: str, value: str) -> str:
    """`words` with any password the URL value carries masked."""
    match = re.match(r"^[a-z+]+://[^:@/]*:([^@/]+)@", value.strip(), re.IGNORECASE)
    return words.replace(match.group(1), "***") if match else words


def display_url(value: str | URL) -> str:
    """The URL as it may be shown or logged: the password, if any, masked."""
    try:
        url = make_url(value) if isinstance(value, str) else value
    except (ArgumentError, ValueError):  # ValueError: a port that is no number
        return "postgresql://…"
    shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return shown


def open_server_engine(value: str) -> Engine:
    """An engine on the server database; nothing is created or checked until first used."""
    url = server_url(value)
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=6,
        # Bound values are applicants' ID numbers and phones: never in a log or a message.
        hide_parameters=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "clerk-tui",
            # Every connection speaks UTC-free local time as the stations do (timestamps are
            # naive, as on SQLite); the session's zone must not shift them.
            "options": f"-c timezone=UTC -c lock_timeout={LOCK_TIMEOUT_MS}",
        },
    )
    shown = display_url(url)
    event.listen(engine, "handle_error", _server_errors(shown))
    event.listen(engine, "first_connect", lambda dbapi_conn, _record: check_server_version(dbapi_conn, shown))
    return engine


def check_server_version(dbapi_conn: Any, shown: str = "") -> None:
    """Refuse a server older than `OLDEST_SERVER` (`ServerTooOld`), before anything is made."""
    version = dbapi_conn.info.server_version  # e.g. 150018 for 15.18
    major = version // 10000
    if (major,) < OLDEST_SERVER:
        raise ServerTooOld(f"PostgreSQL {major}", shown)


# SQLSTATE classes and codes (PostgreSQL's "Appendix A. Error Codes").
_AUTH = ("28000", "28P01")  # invalid authorization / password
_LOST = ("08000", "08003", "08006", "57P01", "57P02", "57P03")  # connection gone, server shutting down
_BUSY = ("55P03", "40P01", "40001")  # lock not available, deadlock, serialization failure
_FULL = ("53100",)  # disk full


def _server_errors(shown: str) -> Callable[[ExceptionContext], None]:
    def handle(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            # The pool's check of a pooled connection: a dead one (the server restarted)
            # must stay the driver's error, so the pool replaces it with a fresh one.
            return
        found = server_error_of(context.original_exception, shown)
        if found is not None and not isinstance(found, RowRejected):
            raise found from context.sqlalchemy_exception

    return handle


def server_error_of(exc: BaseException, shown: str = "") -> StorageError | None:
    """The storage error a psycopg error stands for; None for one services tell apart
    themselves (constraints: SQLAlchemy's IntegrityError)."""
    import psycopg

    if isinstance(exc, DBAPIError) and isinstance(exc.orig, BaseException):
        exc = exc.orig
    if not isinstance(exc, psycopg.Error):
        return None
    state = exc.sqlstate or ""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state in _AUTH or "password authentication failed" in message or "no password supplied" in message:
        return AuthenticationFailed(message, shown)
    if state in _BUSY:
        return DatabaseBusy(message, shown)
    if state in _FULL:
        return DiskFull(message, shown)
    if state in _LOST or (isinstance(exc, psycopg.OperationalError) and not state):
        # No SQLSTATE: libpq never reached the server (refused, unknown host, timeout), or
        # lost it mid-way. Which of the two depends on whether this connection ever worked.
        if "connection" in message.lower() and ("closed" in message.lower() or "lost" in message.lower()):
            return ConnectionLost(message, shown)
        if state in _LOST:
            return ConnectionLost(message, shown)
        return ServerUnreachable(message, shown)
    if isinstance(exc, psycopg.IntegrityError):
        return RowRejected(message, shown)
    return None
