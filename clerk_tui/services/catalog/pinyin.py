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
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars))
    for syllable in syllables:
        word = "".join(ch for ch in syllable.lower() if ch.isascii() and ch.isalnum())
        if not word:
            continue
        full.append(word)
        initials.append(word[0])
    return "".join(full), "".join(initials)
