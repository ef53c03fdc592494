"""The key bar at the bottom of every screen: Textual's Footer without its memory leak."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, pruning the watchers its removed keys leave behind.

    Each FooterKey binds to the footer's `compact` reactive (`data_bind`), which registers a
    watcher on the footer. The footer recomposes whenever the active bindings change (every
    screen switch, every dialog), removing its keys, but Textual prunes a reactive's dead
    watchers only when that reactive changes, and `compact` never does. So every switch left
    a dozen removed FooterKeys alive, with their styles and render caches: about 380 KB a
    switch, tens of MB over a clerk's day (issue 12, measured with `python -m bench.day`).
    """

    async def recompose(self) -> None:
        await super().recompose()
        # The same test Textual applies when it does prune: a watcher whose node is closing.
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if not getattr(node, "_closing", False)]
