"""Cases (办件), the document checks behind them, ratings, follow-ups, audit trail.

A document check stores a snapshot of the materials as they stood in the catalog, so a
later catalog update never rewrites what was checked.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Boolean, Index, column
from sqlmodel import Field

import clerk_tui.models.catalog
import clerk_tui.models.queue  # noqa: F401  (with catalog: the tables its foreign keys name)
from clerk_tui.models.base import Record, partial_index

OUTCOMES = ("on_the_spot", "promised", "rongque", "correction", "refused", "consultation", "forwarded")
# 承诺件: accepted now (the case stays pending), completed or returned on a later visit.
PROMISED_OUTCOMES = ("promised", "rongque")
ASSISTANCE = ("none", "bangban", "daiban", "home_visit")
# How a case reached the hall (办件渠道): 窗口, 网上申报 (一网通办), 自助终端, 邮寄, 掌上办 (migration v007).
CHANNELS = ("window", "online", "kiosk", "post", "mobile")
MARKS = ("provided", "e_licence", "missing", "not_applicable")


class DocumentCheck(Record, table=True):
    __tablename__ = "document_check"

    station_id: str = Field(max_length=64)
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id", index=True)
    matter_id: str = Field(foreign_key="matter.id")
    matter_code: str = Field(max_length=120)
    matter_name: str
    catalog_version_id: str = Field(foreign_key="catalog_version.id")
    answers: str = Field(default="{}")  # JSON: condition text -> true/false
    verdict: str = Field(default="", max_length=16)  # accept / rongque / correction
    supply_deadline: date | None = None
    clerk_no: str | None = Field(default=None, max_length=32)
    window_no: int | None = None
    checked_at: NaiveDatetime


class CheckItem(Record, table=True):
    __tablename__ = "check_item"

    check_id: str = Field(foreign_key="document_check.id", index=True)
    position: int
    name: str
    material_type: int
    form: str
    copies: int
    necessity: int
    source: str = Field(default="")
    condition: str = Field(default="")
    e_licence: bool = False
    mark: str = Field(default="", max_length=16)


class Notice(Record, table=True):
    """A numbered paper handed to an applicant, as printed: the one-time notices of a
    document check (一次性告知书 / 容缺受理通知书) and a case's papers (受理通知书 …).

    A paper belongs to its check when there is one, and to its case when the case was
    recorded without a check (migration v006): at least one of the two is set.
    """

    check_id: str | None = Field(default=None, foreign_key="document_check.id", index=True)
    case_id: str | None = Field(default=None, foreign_key="service_case.id", index=True)
    kind: str = Field(max_length=16)  # correction / rongque / a paper's kind
    number: str = Field(max_length=40)
    text: str
    file_path: str = Field(default="")
    print_count: int = 0


class Case(Record, table=True):
    __tablename__ = "service_case"
    __table_args__ = (
        # Covering indexes for the reports (migration v004).
        Index("ix_service_case_report_received", "received_at", "status", "outcome", "assistance", "matter_id"),
        Index("ix_service_case_report_completed", "completed_at", "outcome", "status", "promised_deadline"),
        Index("ix_service_case_report_decided", "decided_at", "status", "outcome", "matter_id"),
        # The channel and assistance figures of the reports, with the ticket each case came
        # from (预约 / 绿色通道) (migration v007).
        Index("ix_service_case_report_channel", "received_at", "status", "channel", "assistance", "ticket_id"),
        # The few provisional deadlines a calendar import recomputes (migration v005).
        # A bare boolean column renders `WHERE deadline_provisional`, the DDL v005 wrote;
        # `== True` would render `= 1`, which no longer matches it.
        partial_index(
            "ix_service_case_provisional", "deadline_provisional", where=column("deadline_provisional", Boolean)
        ),
    )

    station_id: str = Field(max_length=64)
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id", index=True)
    matter_id: str = Field(foreign_key="matter.id", index=True)
    catalog_version_id: str = Field(foreign_key="catalog_version.id")
    check_id: str | None = Field(default=None, foreign_key="document_check.id")
    matter_code: str = Field(max_length=120)
    matter_name: str
    applicant_kind: str = Field(default="person", max_length=16)  # person / organisation
    applicant_name: str = Field(default="")
    id_type: str = Field(default="", max_length=16)
    id_number: str = Field(default="", max_length=64, index=True)
    phone: str = Field(default="", max_length=32)
    agent_name: str = Field(default="")
    agent_id_type: str = Field(default="", max_length=16)
    agent_id_number: str = Field(default="", max_length=64, index=True)
    agent_phone: str = Field(default="", max_length=32)
    outcome: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16, index=True)  # pending / completed / returned / closed / voided
    promised_deadline: date | None = Field(default=None, index=True)
    # Counted past the calendar's last known year (weekends only there): shown as 暂定,
    # recomputed when that year's calendar is imported.
    deadline_provisional: bool = False
    supply_deadline: date | None = None
    refusal_reason: str = Field(default="")
    assistance: str = Field(default="none", max_length=16)
    channel: str = Field(default="window", max_length=16)  # CHANNELS; older records and bundles: window
    notes: str = Field(default="")
    clerk_no: str = Field(max_length=32)
    window_no: int | None = None
    received_at: NaiveDatetime = Field(index=True)
    accepted_at: NaiveDatetime | None = None
    decided_at: NaiveDatetime | None = None
    completed_at: NaiveDatetime | None = None
    void_reason: str = Field(default="")
    case_no: str = Field(default="", max_length=40, index=True)  # printed on receipts: date-window-serial
    forwarded_to: str = Field(default="")  # 转报: the office the case went to
    completion_note: str = Field(default="")  # a later 办结 / 退件: what was done, or why returned
    supplied_on: date | None = None  # 容缺: the day the missing materials were supplied
    supplied_note: str = Field(default="")  # 容缺: what was supplied


class Rating(Record, table=True):
    """好差评 for one case; `level` None means the applicant did not rate."""

    __table_args__ = (Index("ix_rating_report", "rated_at", "level", "case_id"),)  # reports (migration v004)

    case_id: str = Field(foreign_key="service_case.id", index=True)
    level: int | None = None
    points: str = Field(default="")  # comma-separated: efficiency, skill, attitude
    comment: str = Field(default="")
    channel: str = Field(default="4", max_length=4)  # 4 = hall device
    rated_at: NaiveDatetime


class FollowUp(Record, table=True):
    """回访 that a bad rating requires."""

    __tablename__ = "follow_up"
    __table_args__ = (
        partial_index("ix_follow_up_provisional", "due_provisional", where=column("due_provisional", Boolean)),
    )

    case_id: str = Field(foreign_key="service_case.id", index=True)
    rating_id: str = Field(foreign_key="rating.id")
    due_date: date
    due_provisional: bool = False  # counted past the calendar's last known year (v005)
    status: str = Field(default="open", max_length=16)
    contacted_at: NaiveDatetime | None = None
    contact_note: str = Field(default="")
    fix_note: str = Field(default="")
    closed_at: NaiveDatetime | None = None
    clerk_no: str | None = Field(default=None, max_length=32)


class AuditEntry(Record, table=True):
    """Append-only trail of edits, voids and reveals of personal data."""

    __tablename__ = "audit_entry"

    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=36, index=True)
    action: str = Field(max_length=16)
    field: str = Field(default="")
    old_value: str = Field(default="")
    new_value: str = Field(default="")
    reason: str = Field(default="")
    clerk_no: str = Field(default="", max_length=32)
    station_id: str = Field(default="", max_length=64)
    at: NaiveDatetime
