"""The command palette (Ctrl+P): every action of the screen the clerk is on, the app's own
keys and every destination, found by its Chinese or its English name.

A clerk who learnt the program in one language, or a helper from the centre reading the
English manual, finds an action by either name; it is shown in the clerk's language, with
its key and its name in the other language beside it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from clerk_tui.i18n import TABLE, get_language
from clerk_tui.keys import key_label, screen_keys
from clerk_tui.navigation import DESTINATIONS

# Actions the palette does not offer: the palette itself.
NOT_OFFERED = ("command_palette", "app.command_palette")


def both(key: str) -> tuple[str, str]:
    """The text of `key` in the clerk's language, then in the other one."""
    zh, en = TABLE.get(key, (key, key))
    return (zh, en) if get_language() == "zh" else (en, zh)


@dataclass(frozen=True)
class PaletteCommand:
    name: str  # in the clerk's language
    other_name: str  # in the other language
    key: str  # the key that does the same, as shown in the footer and F1
    run: Callable[[], Awaitable[Any] | None]

    @property
    def help(self) -> str:
        return f"{self.key} · {self.other_name}" if self.key else self.other_name


def _runs(target: Screen[Any] | App[Any], action: str) -> Callable[[], Awaitable[Any]]:
    """Run `action` on `target`, as its key does."""
    return lambda: target.run_action(action)


def palette_commands(app: App[Any], screen: Screen[Any]) -> Iterator[PaletteCommand]:
    """The current screen's actions, then the app's keys, then the destinations."""
    offered: set[str] = set()
    targets: tuple[Screen[Any] | App[Any], ...] = (screen, app)
    for target in targets:
        for binding in screen_keys(type(target)):
            if binding.action in NOT_OFFERED or binding.action.startswith("app.open(") or binding.action in offered:
                continue
            offered.add(binding.action)
            name, other = both(binding.description)
            yield PaletteCommand(name, other, key_label(binding.key), _runs(target, binding.action))
    open_here, open_other = both("palette.open")
    for d in DESTINATIONS:
        title, other_title = both(d.title_key)
        # The destination's own key action (`app.open('<name>')`), run on the app as the key runs it.
        yield PaletteCommand(
            open_here.format(title=title),
            open_other.format(title=other_title),
            d.key.upper(),
            _runs(app, d.binding().action),
        )


class ClerkCommands(Provider):
    """The palette's only provider (the app's COMMANDS)."""

    def _commands(self) -> list[PaletteCommand]:
        return list(palette_commands(self.app, self.screen))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            # Scored on both names; shown by the one that matched (the clerk's if both did).
            score, shown = max(
                (matcher.match(command.name), command.name),
                (matcher.match(command.other_name), command.other_name),
                key=lambda pair: pair[0],
            )
            if score > 0:
                help_text = command.help if shown == command.name else f"{command.key} · {command.name}"
                yield Hit(score, matcher.highlight(shown), command.run, text=shown, help=help_text)
