"""Version 7: the channel a case came by (办件渠道), and the index its report figures read.

- `service_case.channel`: window (窗口), online (网上申报), kiosk (自助终端), post (邮寄) or
  mobile (掌上办). Every case recorded before this version came to the window, the only
  channel the program knew: the column's default gives them `window`, and so it does to
  records of a bundle written by an older station, which carry no channel.
- `ix_service_case_report_channel`: cases by received time with the columns the channel
  and assistance figures read (the case's ticket gives 预约 and 绿色通道), so a year's
  figures come from an index range instead of a look-up of every case row.

Only a column and an index are added: every existing row keeps every value it had.
"""

from sqlalchemy import Connection

DESCRIPTION = "the channel of each case"

# The same text on both engines: a plain column with a default, and an index.
STATEMENTS = """
ALTER TABLE service_case ADD COLUMN channel VARCHAR(16) NOT NULL DEFAULT 'window';
CREATE INDEX ix_service_case_report_channel ON service_case (received_at, status, channel, assistance, ticket_id)
"""


def _run(conn: Connection) -> None:
    for statement in STATEMENTS.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)


def upgrade(conn: Connection) -> None:
    _run(conn)


def upgrade_server(conn: Connection) -> None:
    _run(conn)
