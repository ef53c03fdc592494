"""The command line's own messages in the clerk's language.

typer (with its vendored click) writes usage errors and `--help` in English, with the
text made inside the library. `ClerkGroup` is the `clerk` command's group class: before
parsing it picks the language (`--lang`, else the config's), puts the translated help
headings into typer's `rich_utils` constants when help is shown, and prints usage errors itself, translated
from the exception's parts.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click import exceptions as click_exceptions
from typer._click import formatting
from typer._click.core import Command
from typer.core import TyperCommand, TyperGroup

from clerk_tui.i18n import LANGUAGES, set_language, t

_write_usage = formatting.HelpFormatter.write_usage


def _translated_write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, t("cli.usage") if prefix is None else prefix)


formatting.HelpFormatter.write_usage = _translated_write_usage  # type: ignore[method-assign]
_get_help_option = Command.get_help_option


def _translated_help_option(self: Any, ctx: Any) -> Any:
    option = _get_help_option(self, ctx)
    if option is not None:
        option.help = t("cli.help_option_help")
    return option


Command.get_help_option = _translated_help_option  # type: ignore[method-assign]


def _with_headings(format_help: Any) -> Any:
    def translated(self: Any, ctx: Any, formatter: Any) -> Any:
        apply_help_headings()  # only now: rich takes a fifth of a second to import, help is rare
        return format_help(self, ctx, formatter)

    return translated


for _cls in (TyperCommand, TyperGroup):
    _cls.format_help = _with_headings(_cls.format_help)  # type: ignore[method-assign]


def prepare_language(args: Sequence[str]) -> None:
    """The language for messages made before any command runs: --lang, else the config's."""
    args = list(args)
    lang = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    if lang is None:
        try:
            from pathlib import Path

            from clerk_tui.config import default_config_path, load_settings

            config = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--config"), None)
            lang = load_settings(Path(config) if config else default_config_path()).language
        except Exception:  # a broken config is reported by the command itself, in its place
            lang = None
    if lang in LANGUAGES:
        set_language(lang)


def apply_help_headings() -> None:
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = t("cli.help_arguments")
    rich_utils.OPTIONS_PANEL_TITLE = t("cli.help_options")
    rich_utils.COMMANDS_PANEL_TITLE = t("cli.help_commands")
    rich_utils.ERRORS_PANEL_TITLE = t("cli.help_error")
    rich_utils.DEFAULT_STRING = t("cli.help_default")
    rich_utils.REQUIRED_LONG_STRING = t("cli.help_required")
    rich_utils.ENVVAR_STRING = t("cli.help_envvar")
    rich_utils.ABORTED_TEXT = t("cli.aborted")


def translate_help(command: Any) -> None:
    """Command and option help from the translations (`cli.cmd.<path>`), where there is one."""
    from clerk_tui.i18n import get_language

    if get_language() == "en":
        return  # the docstrings are the English help, with their full text

    def walk(cmd: Any, path: str) -> None:
        key = f"cli.cmd.{path}" if path else "cli.cmd.clerk"
        text = t(key)
        if text != key:
            cmd.help = text
            cmd.short_help = None
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = option_help(path or "clerk", param.name) or param.help
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path}.{name}" if path else name)

    walk(command, "")


def option_help(path: str, name: str) -> str | None:
    """An option's help in the clerk's language: its command's own (`cli.opt.<path>.<name>`),
    else the words several commands share (`cli.opt.<name>`); None if neither exists."""
    for key in (f"cli.opt.{path}.{name}", f"cli.opt.{name}"):
        text = t(key)
        if text != key:
            return text
    return None


def _hint(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("-")]
    return opts[0] if opts else str(getattr(param, "human_readable_name", "") or getattr(param, "name", "")).upper()


def _detail(message: str) -> str:
    if "valid integer" in message:
        return t("cli.expected_int")
    if "valid number" in message or "valid float" in message:
        return t("cli.expected_float")
    found = re.search(r"greater than or equal to (\S+)", message)
    if found:
        return t("cli.expected_min", min=found.group(1))
    found = re.search(r"('[^']*') is not one of (.+?)\.?$", message)
    if found:
        return t("cli.expected_choice", value=found.group(1), choices=found.group(2))
    return message


def usage_message(exc: click_exceptions.UsageError) -> str:
    """One line in the clerk's language for what typer/click refused."""
    ctx = exc.ctx
    text = exc.format_message()
    if isinstance(exc, click_exceptions.MissingParameter) and exc.param is not None:
        key = "cli.missing_option" if getattr(exc.param, "opts", [""])[0].startswith("-") else "cli.missing_argument"
        return t(key, name=_hint(exc.param))
    if isinstance(exc, click_exceptions.NoSuchOption):
        if exc.possibilities:
            return t("cli.no_such_option_maybe", name=exc.option_name, suggestion=" / ".join(exc.possibilities))
        return t("cli.no_such_option", name=exc.option_name)
    if isinstance(exc, click_exceptions.BadParameter) and exc.param is not None:
        return t(
            "cli.bad_value_plain", name=_hint(exc.param), message=_detail(exc.message.replace("Value error, ", ""))
        )
    found = re.match(r"No such command '(.+?)'", text)
    if found:
        names = sorted(getattr(ctx.command, "commands", {})) if ctx else []
        close = difflib.get_close_matches(found.group(1), names, n=2, cutoff=0.6)
        if close:
            return t("cli.no_such_command_maybe", name=found.group(1), suggestion=" / ".join(close))
        return t("cli.no_such_command", name=found.group(1))
    if text == "Missing command.":
        return t("cli.missing_command")
    found = re.match(r"Option '(.+?)' requires an argument", text)
    if found:
        return t("cli.needs_value", name=found.group(1))
    found = re.match(r"Got unexpected extra arguments? ?\(?(.*?)\)?$", text) or re.match(
        r"Got unexpected extra argument\(s\) \((.*)\)$", text
    )
    if found:
        return t("cli.extra_argument", value=found.group(1))
    return text


def show_usage_error(exc: click_exceptions.UsageError) -> None:
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(t("cli.try_help", command=ctx.command_path, option=ctx.help_option_names[0]))
    lines.append(t("cli.error", message=usage_message(exc)))
    typer.echo("\n".join(lines), err=True)


class ClerkGroup(TyperGroup):
    """The `clerk` group: help and usage errors in the clerk's language."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        prepare_language(args)
        translate_help(self)
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        # typer's own standalone handling, with usage errors printed in the clerk's language.
        try:
            rv = super().main(
                args, prog_name, complete_var, standalone_mode=False, windows_expand_args=windows_expand_args, **extra
            )
        except click_exceptions.NoArgsIsHelpError:
            sys.exit(2)  # the help was shown
        except click_exceptions.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(t("cli.aborted"), err=True)
            sys.exit(1)
        except click_exceptions.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)
