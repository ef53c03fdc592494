"""A start of the clerk's window parses only the root options (issue 15): the other
commands' modules stay unimported, and every other command line gets the whole `clerk`."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from clerk_tui.cli import build, names_a_command


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--db", "x.db"],
        ["--config=c.toml", "--lang", "en"],
        ["--lang=zh", "--db=postgresql://u@h/d"],
        ["--version"],
    ],
)
def test_the_windows_start_is_the_root_options_alone(args: list[str]) -> None:
    assert not names_a_command(args)


@pytest.mark.parametrize(
    "args",
    [
        ["demo"],
        ["--db", "x.db", "report", "--day"],
        ["--help"],
        ["--db"],
        ["tiket"],
        ["--lang", "en", "-x"],
        ["--dbx=1"],
    ],
)
def test_anything_more_is_the_whole_command(args: list[str]) -> None:
    assert names_a_command(args)


def test_the_small_command_has_the_same_root_options_as_the_whole() -> None:
    def options(app: typer.Typer) -> list[tuple[str, ...]]:
        return [tuple(p.opts) for p in typer.main.get_command(app).params]

    small, whole = build(every_command=False), build()
    assert options(small) == options(whole)
    assert set(typer.main.get_group(small).commands) == {"demo", "init"}
    assert {"report", "export", "catalog", "ticket"} <= set(typer.main.get_group(whole).commands)


def test_starting_the_window_imports_no_other_command() -> None:
    code = (
        "import sys\n"
        "from clerk_tui import cli\n"
        "cli._launch = lambda state: None\n"  # the window itself is not what is checked here
        "sys.argv = ['clerk', '--db', sys.argv[1]]\n"
        "try:\n"
        "    cli.main()\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('clerk_tui.cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, "unused.db"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['clerk_tui.cli.common', 'clerk_tui.cli.usage']"
