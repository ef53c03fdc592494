"""Columns every stored record carries.

Identity is made on the station when the record is created (never at export), so a
record keeps its id through edits, exports and the centre's merge. `version` goes up on
every edit and `change_seq` is the station-wide order of changes the sync export reads.
Both are filled in by `clerk_tui.db` when a session flushes, not by callers.
"""

from __future__ import annotations

import uuid

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


class Record(SQLModel):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: NaiveDatetime | None = Field(default=None)
    updated_at: NaiveDatetime | None = Field(default=None)
    version: int = Field(default=1)
    change_seq: int = Field(default=0, index=True)
