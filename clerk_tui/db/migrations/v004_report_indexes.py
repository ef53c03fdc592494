"""Version 4: covering indexes for the reports (daily, monthly, annual figures).

Each index holds every column its report query reads, so a year's figures come from
index ranges alone instead of one table look-up per row (see bench/report.py):
- ticket by service day: counts, waiting and service times, the longest queue;
- cases by received, completed and decided time: outcomes and matters, 承诺件
  timeliness, 行政许可 decisions;
- ratings by rating time.
"""

from sqlalchemy import Connection

DESCRIPTION = "report indexes on tickets, cases and ratings"

STATEMENTS = """
CREATE INDEX ix_ticket_report ON ticket (service_date, queue, status, transferred_from_id, issued_at, sort_at, first_called_at, service_started_at, finished_at);
CREATE INDEX ix_service_case_report_received ON service_case (received_at, status, outcome, assistance, matter_id);
CREATE INDEX ix_service_case_report_completed ON service_case (completed_at, outcome, status, promised_deadline);
CREATE INDEX ix_service_case_report_decided ON service_case (decided_at, status, outcome, matter_id);
CREATE INDEX ix_rating_report ON rating (rated_at, level, case_id)
"""


def upgrade(conn: Connection) -> None:
    for statement in STATEMENTS.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
