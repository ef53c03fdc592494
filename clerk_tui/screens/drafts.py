"""A form the clerk leaves half-filled keeps what was typed, and gives it back next time.

Esc on a half-filled case form is most often "back to the check to fix a mark", not "throw
this away": asking every time would cost a key, losing the typing costs the applicant's
patience. So leaving keeps a draft, and the same form opened again (same ticket, matter
or case) comes back filled in as it was left, with a line saying so.

One draft is kept, in memory, for `DRAFT_MINUTES`: an old draft must not fill the next
applicant's form with the last one's name. Quitting with a draft kept asks first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import Input, Select

from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkScreen, Draft, StationApp

DRAFT_MINUTES = 30
FIELDS = (Input, Select)


def fresh_draft(app: StationApp) -> Draft | None:
    """The draft kept on this app, if it is recent enough to give back."""
    draft = app.kept_draft
    if draft is not None and app.station.clock.now() - draft.kept_at > timedelta(minutes=DRAFT_MINUTES):
        app.kept_draft = None
        return None
    return draft


class KeepsDraft(ClerkScreen):
    """A form screen: `mark_clean()` once it is filled in from the database,
    `restore_draft()` right after, `leave_keeping_draft()` for Esc. Its text fields and
    choices (with ids) are the draft; `draft_key` says which form it is."""

    draft_key: tuple[object, ...] = ()
    _clean: dict[str, Any] | None = None

    def form_values(self) -> dict[str, Any]:
        return {
            w.id: w.value
            for w in self.query("Input, Select").results()
            if isinstance(w, FIELDS) and w.id and not w.disabled
        }

    def mark_clean(self) -> None:
        self._clean = self.form_values()

    def unsaved_work(self) -> bool:
        return self._clean is not None and self.form_values() != self._clean

    def before_restoring(self, values: dict[str, Any]) -> None:
        """Hook: set up what the values depend on (e.g. the choices of a Select)."""

    def restore_draft(self) -> bool:
        draft = fresh_draft(self.app)
        if draft is None or draft.key != self.draft_key:
            return False
        self.app.kept_draft = None  # it is in the form now; leaving again keeps it again
        self.before_restoring(draft.values)
        for widget_id, value in draft.values.items():
            widget = self.query_one(f"#{widget_id}")
            if widget.disabled or not isinstance(widget, FIELDS):
                continue
            if isinstance(widget, Select) and value not in widget._legal_values:
                continue  # the choices changed since (another matter): keep the form's own
            widget.value = value
        self.app.notify(t("draft.restored"), timeout=4)
        return True

    def keep_draft(self) -> bool:
        if not self.unsaved_work():
            return False
        self.app.kept_draft = Draft(self.draft_key, self.form_values(), self.app.station.clock.now())
        return True

    def drop_draft(self) -> None:
        """The form was saved: a draft of it must not come back."""
        draft = self.app.kept_draft
        if draft is not None and draft.key == self.draft_key:
            self.app.kept_draft = None
        self._clean = self.form_values()

    def leave_keeping_draft(self) -> None:
        if self.keep_draft():
            self.app.notify(t("draft.kept"), timeout=5)
        self.app.pop_screen()
