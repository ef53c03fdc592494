"""A progress bar on stderr for long file work, shown only to a person at a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn


@contextmanager
def file_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """Yield a `progress(done, total)` callback that draws a bar (percent, time left) while it runs.

    When stderr is not a terminal (a script, a pipe, a log) nothing is drawn at all.
    The bar goes away when the work ends, leaving the command's own lines.
    """
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update
