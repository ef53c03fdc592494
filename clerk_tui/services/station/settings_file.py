"""Changing a few settings from the app: written back into the config file, comments kept.

The file is edited in place with tomlkit (every comment, blank line and key order stays as
the station head left it), then checked by the very loader the app starts with before it
replaces the old file: a value the loader would refuse leaves the file as it was. The new
text is written owner-only under a side name, fsynced and renamed over the config, so a
power cut leaves the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from clerk_tui.config import Settings, load_settings, render_config
from clerk_tui.errors import ClerkError
from clerk_tui.files import fsync_folder, write_private

# (section, key) -> value; None removes the key (back to the default).
Changes = dict[tuple[str, str], Any]


def _document(path: Path, base: Settings) -> Any:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else render_config(base)
    except (OSError, UnicodeDecodeError) as exc:
        raise ClerkError(
            "config.unreadable", path=str(path), reason=getattr(exc, "strerror", None) or str(exc)
        ) from exc
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ClerkError("config.unreadable", path=str(path), reason=str(exc)) from exc


def edit_config_text(path: Path, base: Settings, changes: Changes) -> str:
    """The config file's text with `changes` made; a missing file starts from `clerk init`'s."""
    import tomlkit

    doc = _document(path, base)
    for (section, key), value in changes.items():
        table = doc.get(section)
        if table is None:
            if value is None:
                continue
            table = tomlkit.table()
            doc[section] = table
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    return tomlkit.dumps(doc)


def save_config(settings: Settings, changes: Changes) -> Settings:
    """Write `changes` into the station's config file; the settings as the loader now reads them.

    Refused (`settings.no_config_file`) for a station started without a config file (the
    demo): there is nothing of the clerk's to change.
    """
    path = settings.config_path
    if path is None:
        raise ClerkError("settings.no_config_file")
    text = edit_config_text(path, settings, changes)
    candidate = path.with_name(path.name + ".new")
    write_private(candidate, text)
    try:
        loaded = load_settings(candidate)  # the loader's own checks, on exactly the text written
    except BaseException:
        candidate.unlink(missing_ok=True)
        raise
    os.replace(candidate, path)
    fsync_folder(path.parent)
    return replace(loaded, config_path=path)
