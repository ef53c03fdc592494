"""What every `clerk` command shares: global options, settings, error handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import typer

from clerk_tui.config import (
    CONFIG_ENV,
    DB_ENV,
    LANGUAGES,
    Settings,
    database_value,
    default_config_path,
    default_data_dir,
    load_settings,
)
from clerk_tui.display_text import neutral
from clerk_tui.errors import ClerkError
from clerk_tui.failure_log import log_failure, log_folder
from clerk_tui.i18n import set_language, t

# The data folder of the settings the command runs on: its failure log goes there.
_data_dir: Path | None = None


@dataclass
class CliState:
    db: str | None = None
    config: Path | None = None
    lang: str | None = None

    @property
    def config_named(self) -> bool:
        """The clerk named a config file (--config or $CLERK_TUI_CONFIG): it must be there."""
        return self.config is not None or bool(os.environ.get(CONFIG_ENV))

    def settings(self, *, config_may_be_missing: bool = False) -> Settings:
        if self.lang is not None and self.lang not in LANGUAGES:
            raise ClerkError("config.bad_language", value=self.lang)
        if self.lang is not None:
            set_language(self.lang)  # so even a config error is in the language asked for
        settings = load_settings(
            self.config or default_config_path(), must_exist=self.config_named and not config_may_be_missing
        )
        database = database_value(self.db or os.environ.get(DB_ENV) or None)
        settings = settings.with_overrides(database=database, language=self.lang)
        set_language(settings.language)
        global _data_dir
        _data_dir = settings.data_dir
        return settings

    def station(self, settings: Settings | None = None, *, centre_ok: bool = False) -> Any:
        """The station on an existing database: only `init` and `demo` create one."""
        from clerk_tui.services.station.setup import open_station

        settings = settings or self.settings()
        require_database(settings)
        return open_station(settings, centre_ok=centre_ok)


def require_database(settings: Settings) -> None:
    """A mistyped --db must not quietly start a new, empty station.

    A server database is checked when it is opened: unreachable, refused or not made yet
    (`clerk init --db postgresql://…` makes it) each say so there."""
    if settings.database_url is not None:
        return
    if not settings.database_path.exists():
        raise ClerkError("db.missing", path=str(settings.database_path))
    if settings.database_path.is_dir():
        raise ClerkError("db.is_directory", path=str(settings.database_path))
    try:
        settings.database_path.open("rb").close()
    except OSError as exc:
        raise ClerkError("db.unreadable", path=str(settings.database_path), reason=exc.strerror or str(exc)) from exc
    from clerk_tui.services.station.maintenance import quick_check

    quick_check(settings.database_path, settings.backups_path)


def fail(message: str, code: int = 1) -> NoReturn:
    # Messages quote names, numbers and paths from the database and from files: inert.
    typer.echo(neutral(message), err=True)
    raise typer.Exit(code)


def run_guarded(fn: Callable[[], None]) -> None:
    """Run a command; a ClerkError becomes one line on stderr and exit code 1.

    So does every failure of storage or of a file (a read-only database, a full or
    failing disk, a damaged file: `db.clerk_error_of`), in the clerk's language; its
    traceback goes to the failure log (`clerk_tui.failure_log`), never to the screen.
    """
    from clerk_tui.db import clerk_error_of

    try:
        fn()
    except ClerkError as exc:
        if exc.__cause__ is not None and clerk_error_of(exc.__cause__) is not None:
            _log(exc)
        fail(t("cli.error", message=exc.message()))
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # typer's own exits and usage errors are not storage errors
        error = clerk_error_of(exc)
        if error is None:
            raise
        _log(exc)
        fail(t("cli.error", message=error.message()))


def _log(exc: BaseException) -> None:
    folder = log_folder(_data_dir or default_data_dir())
    log_failure(exc, folder, context=" ".join(sys.argv[1:]))
