"""Forward-only schema migrations, one module per version: `vNNN_what.py`.

Each module has `DESCRIPTION` and `upgrade(conn)`; `clerk_tui.db.schema.migrate` finds them by
number and runs each in its own write transaction. Never edit a released migration.

Two engines: `upgrade(conn)` is SQLite's frozen DDL. A server (PostgreSQL) database is
made at the latest version from the models (`db.server_schema`), so v001–v005 never run
there; from v006 on, a module must also have `upgrade_server(conn)` with the same change
in PostgreSQL's DDL (`ALTER TABLE … ADD COLUMN … DEFAULT …` is the same text in both for
plain columns; booleans default to `false` there, not `0`). A server database made by an
older program is upgraded with it; a module without it refuses to open one.
`tests/unit/test_storage.py` checks that the migrated SQLite schema matches the models, and
the server tests that a server database does.
"""
