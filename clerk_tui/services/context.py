"""The station a service works for: its database, settings and clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from clerk_tui.clock import Clock
from clerk_tui.config import Settings
from clerk_tui.db import read_session, write_session


@dataclass
class Station:
    engine: Engine
    settings: Settings
    clock: Clock = field(default_factory=Clock)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One durable write transaction."""
        with write_session(self.engine, self.clock) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
