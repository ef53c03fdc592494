"""Version 5: provisional deadlines, and what a 容缺 applicant supplied.

- `service_case.deadline_provisional` / `follow_up.due_provisional`: the date was
  counted past the last year the working-day calendar knows (weekends only for that
  year), so it is shown as 暂定 and recomputed when that year's calendar is imported.
  A partial index finds the few provisional rows without scanning years of cases.
- `service_case.supplied_on` / `supplied_note`: when and what a 容缺 applicant
  brought in; a 容缺 case cannot be completed without them.

Only columns are added, each with a default: existing rows keep every value they had
(a deadline computed before v005 was refused when its year was unknown, so none of
them is provisional).
"""

from sqlalchemy import Connection

DESCRIPTION = "provisional deadlines, 容缺 materials supplied"

STATEMENTS = """
ALTER TABLE service_case ADD COLUMN deadline_provisional BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE service_case ADD COLUMN supplied_on DATE;
ALTER TABLE service_case ADD COLUMN supplied_note VARCHAR NOT NULL DEFAULT '';
ALTER TABLE follow_up ADD COLUMN due_provisional BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX ix_service_case_provisional ON service_case (deadline_provisional) WHERE deadline_provisional;
CREATE INDEX ix_follow_up_provisional ON follow_up (due_provisional) WHERE due_provisional
"""


def upgrade(conn: Connection) -> None:
    for statement in STATEMENTS.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)
