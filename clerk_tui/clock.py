"""Where "now" comes from. Services ask a clock, so tests and snapshots can fix time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class Clock:
    """Local wall-clock time: halls work, report and reset queues by local days."""

    def now(self) -> datetime:
        # Millisecond precision: what survives every export format unchanged.
        moment = datetime.now()
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock(Clock):
    """A clock that stands still unless moved; for tests and demos."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.at = self.at + timedelta(**delta)
