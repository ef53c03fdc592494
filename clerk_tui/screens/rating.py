"""The rating prompt: the applicant's satisfaction rating in one key.

5 (very satisfied) … 1 (very dissatisfied), 0 or N "not rated". Before the digit, E / S / A
mark the points the rating is about (efficiency / skill / attitude) and C opens the comment. A rating of 2 or
less opens a follow-up; the prompt says when it is due. Returns the saved result.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import Input, Static

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.screens.base import ClerkModal
from clerk_tui.services.cases import ratings
from clerk_tui.services.station.calendar import date_text
from clerk_tui.widgets.key_footer import KeyFooter


class RatingPrompt(ClerkModal[Any]):
    DIALOG_ID = "rating-dialog"
    busy = var(False, bindings=True)  # a rating on its way: the rating keys are off
    BINDINGS = [
        *[Binding(str(n), f"rate({n})", f"rating.level.{n}", id=f"rate-{n}", show=False) for n in ratings.LEVELS],
        Binding("0", "rate(None)", "rating.none", id="rate-none", show=False),
        Binding("n", "rate(None)", "rating.none", id="rate-none-n", show=False),
        Binding("e", "point('efficiency')", "rating.point.efficiency", id="rate-point-efficiency", show=False),
        Binding("s", "point('skill')", "rating.point.skill", id="rate-point-skill", show=False),
        Binding("a", "point('attitude')", "rating.point.attitude", id="rate-point-attitude", show=False),
        Binding("c", "comment", "rating_prompt.comment", id="rate-comment"),
    ]

    def __init__(self, case_id: str, case_no: str) -> None:
        super().__init__()
        self.case_id, self.case_no = case_id, case_no
        self.points: list[str] = []

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield KeyFooter()  # under the dialog, at the bottom of the screen

    def dialog_title(self) -> str:
        return t("rating_prompt.title", case_no=self.case_no)

    def compose_body(self) -> ComposeResult:
        yield Static(t("rating_prompt.ask"), id="rating-ask")
        for n in ratings.LEVELS:
            yield Static(Text.assemble(("  " + str(n), "bold"), "   " + t(f"rating.level.{n}")), classes="rating-level")
        yield Static(Text.assemble(("  0", "bold"), "   " + t("rating.none")), classes="rating-level")
        yield Static("", id="rating-points")
        yield Input(id="rating-comment", placeholder=t("rating_prompt.comment_hint"), compact=True)
        yield Static("", id="rating-error", classes="field-error")

    def on_mount(self) -> None:
        self._show_points()
        self.query_one("#rating-comment").can_focus = False
        self.set_focus(None)

    def _show_points(self) -> None:
        marks = "  ".join(
            f"{'■' if p in self.points else '□'} {key.upper()} {t(f'rating.point.{p}')}"
            for key, p in (("e", "efficiency"), ("s", "skill"), ("a", "attitude"))
        )
        self.query_one("#rating-points", Static).update(Text(t("rating_prompt.points", marks=marks)))

    def action_point(self, point: str) -> None:
        if point in self.points:
            self.points.remove(point)
        else:
            self.points.append(point)
        self._show_points()

    def action_comment(self) -> None:
        comment = self.query_one("#rating-comment", Input)
        comment.can_focus = True
        comment.focus()

    @on(Input.Submitted, "#rating-comment")
    def comment_done(self) -> None:
        comment = self.query_one("#rating-comment", Input)
        comment.can_focus = False
        self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.busy and action == "rate")  # one rating at a time

    def action_rate(self, level: int | None) -> None:
        self.busy = True
        comment = self.query_one("#rating-comment", Input).value
        points = tuple(self.points)

        def attempt() -> Any:
            try:
                return ratings.rate_case(self.station, self.case_id, level, points, comment)
            except ClerkError as exc:
                return exc

        self.db_call(attempt, done=self.rated)

    def rated(self, result: Any) -> None:
        self.busy = False
        if isinstance(result, ClerkError):
            self.query_one("#rating-error", Static).update(result.message())
            return
        follow_up = result.follow_up
        if follow_up is not None:
            due = date_text(follow_up.due_date, follow_up.due_provisional)
            self.app.notify(t("rating_prompt.follow_up", date=due), severity="warning", timeout=8)
        self.dismiss(result)
