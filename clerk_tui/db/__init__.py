"""Storage: everything specific to the database engine lives in this package.

The rest of the program imports only the names below. Opening and migrating a
database, sessions (one durable write transaction or a read), the `meta` table,
bulk-row stamping, and the few SQL expressions whose spelling differs between engines
(`expressions`); the dialect's pragmas, transactions and SQL stay in the modules.
"""

from clerk_tui.db.engine import BUSY_TIMEOUT_MS, open_engine, translate_lock_errors
from clerk_tui.db.expressions import day_of, hour_of, month_text, seconds_between
from clerk_tui.db.meta import META_ROLE, META_STATION_ID, META_STATION_KEY, get_meta, set_meta
from clerk_tui.db.schema import latest_schema_version, migrate, open_database, schema_version
from clerk_tui.db.session import CHANGE_SEQ, next_change_seq, read_session, stamp_rows, write_session

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CHANGE_SEQ",
    "META_ROLE",
    "META_STATION_ID",
    "META_STATION_KEY",
    "day_of",
    "get_meta",
    "hour_of",
    "latest_schema_version",
    "migrate",
    "month_text",
    "next_change_seq",
    "open_database",
    "open_engine",
    "read_session",
    "schema_version",
    "seconds_between",
    "set_meta",
    "stamp_rows",
    "translate_lock_errors",
    "write_session",
]
