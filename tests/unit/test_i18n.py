"""The translation table: both languages for every key, fields that match, keys in use exist."""

from __future__ import annotations

import re
import string
from pathlib import Path

from clerk_tui.i18n import TABLE, set_language, t

PACKAGE = Path(__file__).resolve().parents[2] / "clerk_tui"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_fields() -> None:
    for key, (zh, en) in TABLE.items():
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_keys_used_in_code_exist() -> None:
    used = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
    for path in PACKAGE.rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in TABLE)
    assert missing == []


def test_language_switch() -> None:
    set_language("en")
    assert t("key.help") == "Help"
    set_language("zh")
    assert t("key.help") == "帮助"
    assert t("header.window", n=3) == "3号窗口"
