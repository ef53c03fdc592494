"""What is written from the key declarations: `clerk init`'s commented file and the README table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clerk_tui.config import SECTIONS, QueueConfig, Section, Settings, default_data_dir
from clerk_tui.config.keys import UNSET, Key, declared

HEADER = "# clerk-tui station configuration. Written by `clerk init`; edit and restart the app."
# A trailing comment starts in this column (after the "# " of a commented-out key), so the
# comments of a section line up.
COMMENT_COLUMN = 31
README_START = "<!-- config-keys:start (python -m clerk_tui.config --markdown; tests/unit/test_config.py checks it) -->"
README_END = "<!-- config-keys:end -->"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value)  # text, or a path
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment_lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _station_key(spec: Key, settings: Settings) -> list[str]:
    """A key of the station's own sections: its comment above it, the station's value."""
    lines = [f"# {line}" for line in _comment_lines(spec.comment)]
    if spec.example is not UNSET:
        return [*lines, f"# {spec.name} = {toml_value(spec.example)}"]
    value = getattr(settings, spec.attr)
    if spec.convert is not None and value == spec.value_of(spec.default):
        value = spec.default  # a path left at the program's default stays empty
    return [*lines, f"{spec.name} = {toml_value(value)}"]


def _feature_key(spec: Key, live: bool) -> list[str]:
    """A feature's key: written with its default (or commented out with an example), its
    comment after it."""
    value = spec.default if live or spec.example is UNSET else spec.example
    prefix = "" if live else "# "
    body = f"{spec.name} = {toml_value(value)}"
    comment = _comment_lines(spec.comment)
    if not comment:
        return [prefix + body]
    first = body.ljust(COMMENT_COLUMN) if len(body) < COMMENT_COLUMN else body + "  "
    indent = prefix.rstrip().ljust(len(prefix) + COMMENT_COLUMN)
    return [f"{prefix}{first}# {comment[0]}", *(f"{indent}# {line}" for line in comment[1:])]


def _queue_tables(settings: Settings, section: Section) -> list[str]:
    lines = [f"# {line}" for line in _comment_lines(section.comment)]
    for i, queue in enumerate(settings.queues):
        if i:
            lines.append("")
        lines.append("[[queues]]")
        for spec in declared(section.holder, section.name):
            value = getattr(queue, spec.attr)
            if spec.kind is tuple and not value:
                continue  # an empty list is the default: not worth a line per queue
            lines.append(f"{spec.name} = {toml_value(value)}")
    return lines


def config_file(settings: Settings) -> str:
    """The commented config file `clerk init` writes for `settings`.

    The station's own sections carry the station's values; a feature section's keys are
    written with their defaults ([lock], [cases], [backup]) or commented out, ready to be
    switched on; `[[queues]]` lists the station's queues.
    """
    blocks = [[HEADER]]
    for section in SECTIONS:
        if section.holder is QueueConfig:
            blocks.append([*_queue_tables(settings, section), ""])
            continue
        lines = [f"[{section.name}]"]
        comment = section.comment.replace("{default_data_dir}", str(default_data_dir()))
        lines += [f"# {line}" for line in _comment_lines(comment)]
        for spec in section.keys:
            lines += _station_key(spec, settings) if section.holder is Settings else _feature_key(spec, section.live)
        blocks.append(lines)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# --- the README table ------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _allowed(spec: Key) -> str:
    if spec.choices:
        return " / ".join(f"`{c}`" for c in spec.choices)
    if spec.kind is bool:
        return "`true` / `false`"
    if spec.kind in (int, float):
        return f"`{spec.limits()}`" if spec.low is not None or spec.high is not None else "number"
    if spec.kind is tuple:
        return "list of text" + (f", at most {spec.high:g}" if spec.high is not None else "")
    return "text"


def markdown_table() -> str:
    """One row per key: where it is, its default, what it may be, what it is for."""
    rows = ["| key | default | allowed | what it is for |", "|---|---|---|---|"]
    for section in SECTIONS:
        place = f"[[{section.name}]]" if section.name == "queues" else f"[{section.name}]"
        for spec in section.keys:
            default = "—" if spec.default is UNSET else f"`{toml_value(spec.default)}`"
            rows.append(f"| `{place} {spec.name}` | {_cell(default)} | {_allowed(spec)} | {_cell(spec.comment)} |")
    return "\n".join(rows) + "\n"


def readme_with_table(text: str) -> str:
    """The README's text with the table between its markers replaced by the declared one."""
    start = text.index(README_START) + len(README_START)
    end = text.index(README_END)
    return text[:start] + "\n" + markdown_table() + text[end:]


def update_readme(path: Path) -> bool:
    """Rewrite the README's table from the declarations; whether it changed."""
    text = path.read_text(encoding="utf-8")
    new = readme_with_table(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
