"""The `clerk` console script: the collector held (`clerk_tui.collector`), then the CLI.

Kept apart from `clerk_tui.cli` so that holding comes before the libraries are imported,
and so that importing the CLI (tests, scripts) never touches the collector.
"""

from __future__ import annotations


def main() -> None:
    from clerk_tui import collector

    collector.hold()
    from clerk_tui.cli import main as cli_main

    cli_main()
