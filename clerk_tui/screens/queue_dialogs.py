"""Small dialogs of the queue screen: walk-in ticket, transfer, pause reason, ticket picker.

Each returns its answer through `dismiss` (None when the clerk pressed Esc); the queue
screen does the database work. Enter confirms, Esc cancels, Tab moves between fields.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from clerk_tui.i18n import t
from clerk_tui.models import Ticket
from clerk_tui.screens.base import ClerkModal
from clerk_tui.screens.queue_text import class_label, minutes, queue_name
from clerk_tui.widgets.safe_text import safe

CANCEL: list[BindingType] = [Binding("escape", "cancel", "queue.dialog.cancel", id="dialog-cancel")]
PRIORITIES = ("normal", "green", "appointment")
DEFAULT_PAUSE_REASONS = ("queue.pause.rest", "queue.pause.meeting", "queue.pause.consult", "queue.pause.system")


def parse_hhmm(text: str) -> time | None:
    try:
        hours, mins = text.strip().replace("：", ":").split(":")
        return time(int(hours), int(mins))
    except ValueError:
        return None


T = TypeVar("T")

# What the dialogs answer (None: Esc).
WalkInAnswer = tuple[str, str, datetime | None]  # queue letter, priority, appointment time
TransferAnswer = tuple[str, int | None, str]  # queue letter, window (or any), note
PickedTicket = tuple[str, str]  # ticket number, reason ("" where none is asked)


class QueueDialog(ClerkModal[T]):
    DIALOG_CLASSES = "queue-dialog"
    BINDINGS = CANCEL

    def action_cancel(self) -> None:
        self.dismiss(None)

    def error(self, key: str) -> None:
        self.query_one(".dialog-error", Static).update(t(key))

    def hint(self) -> ComposeResult:
        yield Static("", classes="dialog-error")
        yield Static(f"Enter {t('queue.dialog.ok')} · Esc {t('queue.dialog.cancel')}", classes="muted")


class WalkInDialog(QueueDialog[WalkInAnswer | None]):
    """Queue (list), priority (radio), slot time for appointments: Enter issues."""

    def __init__(self, title_key: str = "queue.dialog.walk_in") -> None:
        super().__init__()
        self.title_key = title_key  # the same choices issue a ticket, or serve the walk-in now

    def dialog_title(self) -> str:
        return t(self.title_key)

    def compose_body(self) -> ComposeResult:
        settings = self.station.settings
        yield Label(t("queue.dialog.queue"))
        yield OptionList(
            *[Option(f"{q.letter}  {queue_name(settings, q.letter)}", id=q.letter) for q in settings.queues],
            id="walkin-queue",
        )
        yield Label(t("queue.dialog.priority"))
        with RadioSet(id="walkin-priority"):
            for i, p in enumerate(PRIORITIES):
                yield RadioButton(t(f"priority.{p}"), value=i == 0, id=f"priority-{p}")
        yield Label(t("queue.dialog.appointment_time"))
        yield Input(placeholder="10:30", id="walkin-time", max_length=5)
        yield from self.hint()

    def on_mount(self) -> None:
        options = self.query_one("#walkin-queue", OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.pressed.id == "priority-appointment":
            self.query_one("#walkin-time", Input).focus()

    def submit(self) -> None:
        options = self.query_one("#walkin-queue", OptionList)
        if options.highlighted is None:
            return
        letter = options.get_option_at_index(options.highlighted).id
        assert letter is not None  # every option is a queue, its letter the id
        pressed = self.query_one("#walkin-priority", RadioSet).pressed_button
        priority = (pressed.id or "priority-normal").removeprefix("priority-") if pressed else "normal"
        at = None
        if priority == "appointment":
            slot = parse_hhmm(self.query_one("#walkin-time", Input).value)
            if slot is None:
                self.error("queue.bad_time")
                self.query_one("#walkin-time", Input).focus()
                return
            at = datetime.combine(self.station.clock.today(), slot)
        self.dismiss((letter, priority, at))


class TransferDialog(QueueDialog[TransferAnswer | None]):
    """To another queue and/or a given window; keeps the number, jumps ahead of normal tickets."""

    def __init__(self, number: str, queue: str) -> None:
        super().__init__()
        self.number, self.queue = number, queue

    def dialog_title(self) -> str:
        return t("queue.dialog.transfer", number=self.number)

    def compose_body(self) -> ComposeResult:
        settings = self.station.settings
        yield Label(t("queue.dialog.transfer_queue"))
        yield OptionList(
            *[Option(f"{q.letter}  {queue_name(settings, q.letter)}", id=q.letter) for q in settings.queues],
            id="transfer-queue",
        )
        yield Label(t("queue.dialog.transfer_window"))
        yield Input(id="transfer-window", type="integer", max_length=3)
        yield Label(t("queue.dialog.note"))
        yield Input(id="transfer-note", max_length=200)
        yield from self.hint()

    def on_mount(self) -> None:
        options = self.query_one("#transfer-queue", OptionList)
        letters = [q.letter for q in self.station.settings.queues]
        others = [i for i, q in enumerate(letters) if q != self.queue]
        options.highlighted = others[0] if others else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        options = self.query_one("#transfer-queue", OptionList)
        letter = options.get_option_at_index(options.highlighted or 0).id or self.queue
        raw = self.query_one("#transfer-window", Input).value.strip()
        window = None
        if raw:
            if not raw.isdigit() or int(raw) < 1:
                self.error("queue.dialog.bad_window")
                return
            window = int(raw)
        self.dismiss((letter, window, self.query_one("#transfer-note", Input).value))


class PauseDialog(QueueDialog[str | None]):
    """A reason from the list (`[queue] pause_reasons`) or typed in."""

    def dialog_title(self) -> str:
        return t("queue.dialog.pause")

    def compose_body(self) -> ComposeResult:
        configured = self.station.settings.queue_policy.pause_reasons
        reasons = list(configured) or [t(key) for key in DEFAULT_PAUSE_REASONS]
        yield Label(t("queue.dialog.reason"))
        yield OptionList(
            *[Option(r) for r in reasons], Option(t("queue.dialog.reason_other"), id="other"), id="pause-reasons"
        )
        yield Input(id="pause-other", max_length=100)
        yield from self.hint()

    def on_mount(self) -> None:
        options = self.query_one("#pause-reasons", OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "other":
            self.query_one("#pause-other", Input).focus()
        else:
            self.dismiss(str(event.option.prompt))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.error("queue.reason_required")


class TicketPicker(QueueDialog[PickedTicket | None]):
    """Pick one ticket (to call out of order, with a reason; or a no-show to reinstate)."""

    def __init__(self, title_key: str, tickets: list[Ticket], now: datetime, need_reason: bool) -> None:
        super().__init__()
        self.title_key, self.tickets, self.now, self.need_reason = title_key, tickets, now, need_reason

    def dialog_title(self) -> str:
        return t(self.title_key)

    def compose_body(self) -> ComposeResult:
        settings = self.station.settings
        if not self.tickets:
            empty = "queue.dialog.none_waiting" if self.need_reason else "queue.dialog.none_no_show"
            yield Static(t(empty), classes="muted")
        options = []
        for tk in self.tickets:
            label = f"{tk.number}  {queue_name(settings, tk.queue)}  {class_label(tk, self.now, settings)}"
            options.append(Option(safe(f"{label}  {minutes(self.now - tk.issued_at)}"), id=tk.number))
        yield OptionList(*options, id="picker-tickets")
        if self.need_reason:
            yield Label(t("queue.dialog.reason_required_label"))
            yield Input(id="picker-reason", max_length=200)
        yield from self.hint()

    def on_mount(self) -> None:
        options = self.query_one("#picker-tickets", OptionList)
        if self.tickets:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.need_reason:
            self.query_one("#picker-reason", Input).focus()
        else:
            assert event.option.id is not None  # every option is a ticket, its number the id
            self.dismiss((event.option.id, ""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#picker-tickets", OptionList)
        if options.highlighted is None:
            return
        if not event.value.strip():
            self.error("queue.reason_required")
            return
        number = options.get_option_at_index(options.highlighted).id
        assert number is not None
        self.dismiss((number, event.value.strip()))
