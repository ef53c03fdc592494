"""Forward-only schema migrations, one module per version: `vNNN_what.py`.

Each module has `DESCRIPTION` and `upgrade(conn)`; `clerk_tui.db.schema.migrate` finds them by
number and runs each in its own write transaction. Never edit a released migration.
"""
