"""Pinyin search keys for matter names, computed once at catalog import.

pypinyin is large and slow to import, so only the import path loads it; the running UI
searches the stored keys.
"""

from __future__ import annotations


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, without tones or punctuation.

    Latin letters and digits in the name are kept as they are, so `A类` still matches `a`.
    """
    from pypinyin import Style, lazy_pinyin

    full: list[str] = []
    initials: list[str] = []
    # pypinyin's stub types `errors` as returning one str, but its converter also takes a
    # list (one syllable per character, so `AB` gives the initials `ab`).
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=_one_per_char)  # type: ignore[arg-type]
    for syllable in syllables:
        word = "".join(ch for ch in syllable.lower() if ch.isascii() and ch.isalnum())
        if not word:
            continue
        full.append(word)
        initials.append(word[0])
    return "".join(full), "".join(initials)


def _one_per_char(chars: str) -> list[str]:
    """Characters without pinyin (Latin letters, digits, punctuation): each its own syllable."""
    return list(chars)
