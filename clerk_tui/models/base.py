"""Columns every stored record carries.

Identity is made on the station when the record is created (never at export), so a
record keeps its id through edits, exports and the centre's merge. `version` goes up on
every edit and `change_seq` is the station-wide order of changes the sync export reads.
Both are filled in by `clerk_tui.db` when a session flushes, not by callers.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import ColumnElement, Index
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig

# Where a partial index keeps its condition for PostgreSQL (see `partial_index`).
WHERE_INFO = "where"


def new_id() -> str:
    """A new record's id: a version 7 UUID (RFC 9562), whose first 48 bits are the time it
    was made (ids made within one millisecond count on from it) and the other 74 random, so
    unique across stations as a random UUID is.

    Ids made one after another sort together: a new row's key lands beside the last one's
    in every index that holds it (its table's, and the foreign keys naming it), on pages
    already in memory. A random (version 4) id lands on a random page of a ten-year index,
    a disk read per index per insert: inserting one ticket event into the 10-year
    database's 4.8 million took 1.3 ms with random ids and 0.025 ms with these (issue 15).
    The text is the same 36 characters every store and bundle already holds."""
    # Imported at the first new record, not at start: uuid6 brings importlib.metadata and
    # the email package with it, which a start showing the queue never needs.
    from uuid6 import uuid7

    return str(uuid7())


def partial_index(name: str, *columns: str, where: ColumnElement[bool], unique: bool = False) -> Index:
    """An index of the rows where `where` holds. SQLite's spelling is given here; PostgreSQL's
    comes from `info` where a server's schema is made or checked (`db.server_schema.
    server_tables`): `postgresql_where` named here would load SQLAlchemy's PostgreSQL
    dialect (about 2 MB and 20 ms) at every start of a station on SQLite."""
    return Index(name, *columns, unique=unique, sqlite_where=where, info={WHERE_INFO: where})


class Record(SQLModel):
    # A table's rows are written and read through SQLAlchemy; pydantic never validates them
    # (a table model's __init__ does not). So its validator is built only if something ever
    # asks for it, not for every table at every start (issue 15: about 3 ms a table).
    model_config = SQLModelConfig(defer_build=True)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: NaiveDatetime | None = Field(default=None)
    updated_at: NaiveDatetime | None = Field(default=None)
    version: int = Field(default=1)
    change_seq: int = Field(default=0, index=True)
