"""Python's cyclic garbage collector while the clerk's window starts (issue 15).

Starting imports the libraries and builds some hundred thousand objects that live as long
as the program: modules, classes, SQLAlchemy's tables and mappers, Textual's styles. Each
full collection walks every one of them, and a start triggers several, for next to no
garbage: about 100 ms of a 1 s start on the bench machine, more on an old hall PC. So the
`clerk` command holds the collector from its first line (`clerk_tui.launch`); once the
first screen is on, what has been built so far is frozen (moved where collections never
walk it again; it lives as long as the program, and freezing stops only the search for
cycles: an object nothing refers to any more is still freed) and collection resumes. The clerk's later
full collections walk only what the day made, so their pauses stay short too. This is
CPython's own recipe for long-lived start-up state (`gc.freeze`).

Only a process that held the collector at start freezes anything: a test or a script that
builds the app runs with the collector as Python sets it.
"""

from __future__ import annotations

import gc

# None: the collector as Python set it (a test, a script, a command without a window);
# "held": since `hold`; "settled": the first screen is up; "done": the warm-up's loads frozen too.
_state: str | None = None


def hold() -> None:
    """No collections until `settle` (or `resume`): called first thing by `clerk`."""
    global _state
    _state = "held"
    gc.disable()


def settle() -> None:
    """The first screen has been drawn: freeze what start-up built, collect as usual again.
    Does nothing in a process that did not `hold`, or a second time."""
    global _state
    if _state == "held":
        _state = "settled"
        gc.freeze()
        gc.enable()


def warmed_up() -> None:
    """The background warm-up is done: what it loaded (every table, the screens' modules)
    lives as long as the app too. Once, and only after `settle`."""
    global _state
    if _state == "settled":
        _state = "done"
        gc.freeze()


def resume() -> None:
    """A command that opens no window (a report, an export): collection as usual, nothing
    frozen, as it may build and drop a great deal."""
    global _state
    if _state == "held":
        _state = None
        gc.enable()
