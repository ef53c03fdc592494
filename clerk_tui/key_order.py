"""Keys reach the app one at a time, in the order they were typed, whatever the speed.

Textual hands each key to the focused widget's own message queue and goes straight on to
the next key. A key the focused widget does not take (Tab, Esc, a screen's letter key)
only acts once it has bubbled back up to the app, and by then every key typed after it
has already been queued on the old widget: a card reader typing "ID, Tab, phone" in a few
milliseconds put the phone number behind the ID in the ID field. So the app delivers a
key only when the one before it is done: it sends a marker after each key to the widget
that got it; the marker bubbles up behind the key, and when it (or the key itself) is
back at the app, everything the key did (focus moves, screen changes) has happened.

A screen that is still loading what its keys act on (a form filling in, a check loading
its matter) holds the keys until it is ready (`ClerkScreen.hold_keys`/`keys_ready`), so
what the clerk types first is not overwritten by the form filling in, nor dropped.

Should a marker never come back (its widget removed under it), or a screen never say it
is ready, the keys go on after `STALL_SECONDS` / `HOLD_SECONDS`: a key may then land as it
would have before, but none waits for ever.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from textual import events
from textual.message import Message
from textual.timer import Timer

# How long keys wait behind a key whose marker was lost, and for a screen that never got ready.
STALL_SECONDS = 0.5
HOLD_SECONDS = 2.0


class KeyDone(Message):
    """Sent behind a key to the widget that received it; back at the app, the key is done."""

    def __init__(self, key: events.Event) -> None:
        super().__init__()
        self.key = key


class InOrderKeys:
    """App mixin (before `App` in the bases): deliver keys and pastes one at a time."""

    def _key_order_init(self) -> None:
        self._pending_keys: deque[events.Event] = deque()
        self._key_in_flight: events.Event | None = None
        self._key_target: Any = None
        self._keys_delivered = 0
        self._stall_timer: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._pending_keys.append(event)
            await self.deliver_keys()
            return
        await super().on_event(event)  # type: ignore[misc]
        if event is self._key_in_flight:
            # A key nobody below took came back up, and the app's own bindings have run.
            self._key_finished()
            await self.deliver_keys()

    async def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        if message.key is self._key_in_flight:
            self._key_finished()
        await self.deliver_keys()

    def _key_finished(self) -> None:
        self._key_in_flight = self._key_target = None

    def _keys_blocked(self) -> bool:
        if self._key_in_flight is not None:
            target = self._key_target
            if target is None or target.is_attached:
                return True
            self._key_finished()  # its widget is gone, and the marker with it
        return bool(getattr(self.screen, "keys_held", False))  # type: ignore[attr-defined]

    async def deliver_keys(self) -> None:
        """Hand the waiting keys on, one at a time, while nothing holds them."""
        while self._pending_keys and not self._keys_blocked():
            key = self._pending_keys.popleft()
            self._keys_delivered += 1
            self._key_in_flight = key
            self._key_target = None
            await super().on_event(key)  # type: ignore[misc]  # Textual's own dispatch
            if self._key_in_flight is not key:
                continue
            if not key.is_forwarded:
                self._key_finished()  # a priority binding took it here and has run
                continue
            target = self.focused or self.screen  # type: ignore[attr-defined]  # where it was just queued
            self._key_target = target
            if not target.post_message(KeyDone(key)):
                self._key_finished()
        if self._pending_keys and self._stall_timer is None:
            delivered = self._keys_delivered
            delay = STALL_SECONDS if self._key_in_flight is not None else HOLD_SECONDS
            self._stall_timer = self.set_timer(  # type: ignore[attr-defined]
                delay,
                lambda: self.call_later(self._unstall, delivered),  # type: ignore[attr-defined]
            )

    async def _unstall(self, delivered: int) -> None:
        self._stall_timer = None
        if self._pending_keys and delivered == self._keys_delivered:
            # Nothing moved for a while: let the keys go on rather than wait for ever.
            self._key_finished()
            if getattr(self.screen, "keys_held", False):  # type: ignore[attr-defined]
                self.screen.keys_held = False  # type: ignore[attr-defined]
        await self.deliver_keys()
