"""Version 8: an index of the appointments still booked.

Every start's first queue load expires the bookings of earlier days that never became a
ticket (`status = 'booked' AND slot < today`) and issues today's. With only the index on
`slot`, that read every appointment of past years to find none (104,280 on the 10-year
benchmark station: ~90 ms of each start, issue 15). A partial index of the booked ones
holds only those waiting for their day, so both reads stay small however old the station.

Only an index is added: no row changes. The same statement on both engines.
"""

from sqlalchemy import Connection

DESCRIPTION = "index of appointments still booked"

STATEMENT = "CREATE INDEX ix_appointment_booked ON appointment (slot) WHERE status = 'booked'"


def upgrade(conn: Connection) -> None:
    conn.exec_driver_sql(STATEMENT)


def upgrade_server(conn: Connection) -> None:
    conn.exec_driver_sql(STATEMENT)
