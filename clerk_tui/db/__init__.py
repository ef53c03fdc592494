"""Storage: everything specific to the database engine lives in this package.

The rest of the program imports only the names below. Opening and migrating a
database, sessions (one durable write transaction or a read), the `meta` table,
bulk-row stamping, the few SQL expressions whose spelling differs between engines
(`expressions`), rows moved in bulk by the sync (`rows`), backups, health checks and
read-only reads of a database file, and the errors the domain tells apart (`errors`).
The dialect's pragmas, transactions and SQL stay in the modules.
"""

from clerk_tui.db.backup import restore_backup, write_backup
from clerk_tui.db.counters import next_number
from clerk_tui.db.engine import BUSY_TIMEOUT_MS, open_engine, translate_lock_errors
from clerk_tui.db.errors import (
    CannotOpen,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DiskFailed,
    DiskFull,
    NotADatabase,
    RowRejected,
    StorageError,
    UniqueViolation,
    clerk_error_of,
    storage_error_of,
)
from clerk_tui.db.expressions import day_of, hour_of, month_text, seconds_between, time_of_day
from clerk_tui.db.integrity import foreign_key_violations, integrity_problems, lost_wal_frames, quick_probe
from clerk_tui.db.meta import META_ROLE, META_STATION_ID, META_STATION_KEY, get_meta, set_meta
from clerk_tui.db.readonly import ReadOnlyDatabase, log_holds_commits, open_readonly, read_only_reason
from clerk_tui.db.rows import insert_row, newest_value, read_rows, references_unchecked, update_row
from clerk_tui.db.schema import latest_schema_version, migrate, open_database, schema_version
from clerk_tui.db.session import CHANGE_SEQ, next_change_seq, read_session, snapshot, stamp_rows, write_session

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CHANGE_SEQ",
    "META_ROLE",
    "META_STATION_ID",
    "META_STATION_KEY",
    "CannotOpen",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseReadOnly",
    "DiskFailed",
    "DiskFull",
    "NotADatabase",
    "ReadOnlyDatabase",
    "RowRejected",
    "StorageError",
    "UniqueViolation",
    "clerk_error_of",
    "day_of",
    "foreign_key_violations",
    "get_meta",
    "hour_of",
    "insert_row",
    "integrity_problems",
    "latest_schema_version",
    "log_holds_commits",
    "lost_wal_frames",
    "migrate",
    "month_text",
    "newest_value",
    "next_change_seq",
    "next_number",
    "open_database",
    "open_engine",
    "open_readonly",
    "quick_probe",
    "read_only_reason",
    "read_rows",
    "read_session",
    "references_unchecked",
    "restore_backup",
    "schema_version",
    "seconds_between",
    "set_meta",
    "snapshot",
    "stamp_rows",
    "storage_error_of",
    "time_of_day",
    "translate_lock_errors",
    "update_row",
    "write_backup",
    "write_session",
]
