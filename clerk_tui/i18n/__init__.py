"""The one translation table: every string the clerk sees goes through `t()`.

Each area keeps its strings in a module here (`core`, `catalog`, ...) as
`STRINGS = {key: (简体中文, English)}`; they are merged into one table at import, and a
key defined twice is an error. Simplified Chinese is the default language.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

LANGUAGES = ("zh", "en")
_language = "zh"


def _load() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in module.STRINGS.items():
            if key in table:
                raise RuntimeError(f"translation key {key!r} defined twice ({info.name})")
            table[key] = pair
    return table


TABLE = _load()


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def get_language() -> str:
    return _language


def t(key: str, **params: Any) -> str:
    """The text for `key` in the current language, with `{name}` fields filled in."""
    pair = TABLE.get(key)
    if pair is None:
        # A missing key is a bug, but the clerk should still see something usable.
        return key
    text = pair[0] if _language == "zh" else pair[1]
    return text.format(**params) if params else text
