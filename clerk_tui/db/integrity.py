"""Health checks of a database file: the engine's full integrity and foreign-key checks,
and a quick probe that reads only what every start reads anyway."""

from __future__ import annotations

from pathlib import Path

from clerk_tui.db.errors import NotADatabase
from clerk_tui.db.readonly import ReadOnlyDatabase, open_readonly

SQLITE_HEADER = b"SQLite format 3\x00"


def integrity_problems(db: ReadOnlyDatabase) -> list[str]:
    """What the engine's integrity check found, reading every page; empty when sound."""
    found = [str(row[0]) for row in db.dbapi.execute("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found


def foreign_key_violations(db: ReadOnlyDatabase, *, except_to: frozenset[str] = frozenset()) -> list[str]:
    """The table of every row whose reference points at no row (one entry per reference),
    leaving out references into the tables `except_to` from the other tables."""
    return [
        str(row[0])
        for row in db.dbapi.execute("PRAGMA foreign_key_check")
        if not (row[2] in except_to and row[0] not in except_to)
    ]


def quick_probe(path: Path) -> None:
    """Notice a damaged database file in about a millisecond, whatever its size.

    A full integrity check (or even SQLite's `quick_check`) reads every page: seconds to
    minutes on a multi-gigabyte station. This reads only the file header, the schema, and
    the path to the newest row of every table (where today's writes went).

    Raises `StorageError` for damage (`NotADatabase("header")` when the file is not an
    SQLite database at all), `DatabaseBusy` when another program holds it, `OSError` when the file cannot be
    read. An empty file is a database not written yet, not a damaged one.
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return
    if header != SQLITE_HEADER:
        raise NotADatabase("header", str(path))
    with open_readonly(path) as db:
        tables = db.dbapi.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for table, sql in tables:
            plain = "WITHOUT ROWID" not in (sql or "").upper() and "VIRTUAL" not in (sql or "").upper()
            order = " ORDER BY rowid DESC" if plain else ""
            db.dbapi.execute(f'SELECT * FROM "{table}"{order} LIMIT 1').fetchall()
