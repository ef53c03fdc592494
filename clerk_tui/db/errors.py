"""What storage says when the database refuses: the engine's own words, sorted into the
few cases the domain tells apart. The domain turns them into the clerk's words."""

from __future__ import annotations


class StorageError(Exception):
    """The database (or a database file) could not do what was asked; `str()` is the
    engine's own message, e.g. "database disk image is malformed"."""


class DatabaseBusy(StorageError):
    """Another program holds the database longer than the wait allowed."""


class RowRejected(StorageError):
    """A row the database would not store: a value it cannot hold, or a constraint."""


class UniqueViolation(RowRejected):
    """The row's unique key is taken by another row: `columns` are the key's columns."""

    def __init__(self, message: str, columns: tuple[str, ...]) -> None:
        super().__init__(message)
        self.columns = columns
