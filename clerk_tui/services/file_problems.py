"""A file from the centre refused whole, with every problem found in it (up to the file
kind's limit), each said with where it is, in the clerk's language.

The appointments and the ratings files share this; the catalog's problems also name their
matter (`services.catalog.file`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t


@dataclass(frozen=True)
class Problem:
    where: str  # an entry's place in the file, such as appointments[3].slot
    key: str  # translation key of what is wrong
    params: dict[str, Any]


class FileProblemsError(ClerkError):
    """A kind of file names its two messages: the file refused, and one problem in it."""

    REFUSED_KEY: ClassVar[str]
    PROBLEM_KEY: ClassVar[str]

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__(self.REFUSED_KEY, path=str(path), count=len(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [t(self.PROBLEM_KEY, where=p.where, problem=t(p.key, **p.params)) for p in self.problems]
