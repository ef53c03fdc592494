"""How tickets read on screen: queue names, class badges, waits and timers."""

from __future__ import annotations

from datetime import datetime, timedelta

from clerk_tui.config import Settings
from clerk_tui.i18n import get_language, t
from clerk_tui.models import Ticket
from clerk_tui.services.queue.order import (
    APPOINTMENT,
    GREEN,
    TRANSFER,
    not_due,
    ticket_class,
)


def queue_name(settings: Settings, letter: str) -> str:
    queue = settings.queue(letter)
    if queue is None:
        return letter
    return queue.name_en if get_language() == "en" and queue.name_en else queue.name


def class_label(ticket: Ticket, now: datetime, settings: Settings, short: bool = False) -> str:
    """The badge: green channel, transferred (to a window), appointment slot, normal.

    `short` is the waiting list's form, which must fit its 9-cell column in both languages
    ("Green channel" would be cut to "Green cha")."""
    policy = settings.queue_policy
    klass = ticket_class(ticket, now, policy)
    prefix = "queue.class_short." if short else "queue.class."
    if klass == GREEN:
        return t(prefix + "green")
    if klass == TRANSFER:
        label = t(prefix + "transfer")
        return label + (f"→{ticket.target_window}" if ticket.target_window else "")
    if (
        ticket.priority == "appointment"
        and ticket.appointment_at is not None
        and (klass == APPOINTMENT or not_due(ticket, now, policy))
    ):
        return t(prefix + "appointment_at", time=ticket.appointment_at.strftime("%H:%M"))
    return t(prefix + "normal")


def clip(text: str, cells: int) -> str:
    """`text` cut to `cells` terminal cells (a Chinese character takes two), with an
    ellipsis where it was cut, so a cut name never passes for a whole one."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, cells - 1).rstrip() + "…"


def whole_minutes(span: timedelta) -> int:
    return max(0, int(span.total_seconds() // 60))


def minutes(span: timedelta) -> str:
    return t("queue.minutes", n=whole_minutes(span))


def clock_span(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"
