"""What every `clerk` command shares: global options, settings, error handling."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer

from clerk_tui.config import LANGUAGES, Settings, default_config_path, load_settings
from clerk_tui.errors import ClerkError
from clerk_tui.i18n import set_language, t


@dataclass
class CliState:
    db: Path | None = None
    config: Path | None = None
    lang: str | None = None

    def settings(self) -> Settings:
        if self.lang is not None and self.lang not in LANGUAGES:
            raise ClerkError("config.bad_language", value=self.lang)
        settings = load_settings(self.config or default_config_path())
        settings = settings.with_overrides(database=self.db, language=self.lang)
        set_language(settings.language)
        return settings

    def station(self):  # type: ignore[no-untyped-def]
        from clerk_tui.services.station_setup import open_station

        return open_station(self.settings())


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def run_guarded(fn: Callable[[], None]) -> None:
    """Run a command; a ClerkError becomes one line on stderr and exit code 1."""
    try:
        fn()
    except ClerkError as exc:
        fail(t("cli.error", message=exc.message()))
    except KeyboardInterrupt:
        sys.exit(130)
