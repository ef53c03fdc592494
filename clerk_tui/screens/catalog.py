"""The matter catalog (key C on the main screen): the search of screens/matter_search.py,
where Enter starts a document check of the highlighted matter."""

from __future__ import annotations

from textual.binding import Binding

from clerk_tui.screens.matter_search import MatterSearchScreen


class CatalogScreen(MatterSearchScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("enter", "choose", "catalog.key.check", id="catalog-choose"),
        Binding("ctrl+f", "focus_search", "catalog.key.search", id="catalog-search"),
        Binding("ctrl+g", "focus_guide", "catalog.key.guide", id="catalog-guide"),
    ]

    def choose_matter(self, matter_id: str) -> None:
        from clerk_tui.screens.check import CheckScreen  # loaded when first used, like the destinations

        self.app.push_screen(CheckScreen(matter_id=matter_id))

    def action_back(self) -> None:
        self.app.pop_screen()
