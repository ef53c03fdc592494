"""Keys as a card reader or a fast typist sends them: all at once, no pause between them.

`pilot.press` waits until the app is idle after every key, so it can never show a key
landing in the wrong place. A keyboard-wedge reader's 18 characters and Enter arrive in
one read of the terminal; here they are queued on the driver the same way, in one go.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


def key_event(key: str) -> events.Key:
    """The event Textual's driver makes for `key` (a Pilot key name or one character)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send_at_once(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Queue every key on the app at once, as the terminal driver does with one read."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)


async def burst(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Send the keys at once, then let it all settle."""
    from tests.conftest import settle

    app = pilot.app
    send_at_once(app, *keys)
    await pilot.pause()
    for _ in range(200):  # keys still waiting their turn (the app hands them on one at a time)
        if not getattr(app, "_pending_keys", None) and getattr(app, "_key_in_flight", None) is None:
            break
        await pilot.pause()
    await settle(pilot)
