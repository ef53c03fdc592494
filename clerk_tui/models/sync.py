"""Sync bookkeeping: bundles a station exported, what the centre acknowledged, what the
centre merged and the conflicts it found (appointments booked upstream: `appointment`).

A station database uses `sync_export`, `sync_rejected` and `appointment`; a centre
database (a clerk-tui database too) uses `sync_merge` and `sync_conflict`. None of these
tables travel in a bundle.
"""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field

from clerk_tui.models.base import Record


class SyncExport(Record, table=True):
    """One bundle this station wrote and verified (recorded only after the check passed)."""

    __tablename__ = "sync_export"

    bundle_seq: int = Field(unique=True)
    previous_seq: int | None = None
    file_name: str
    folder: str = Field(default="")
    seq_from: int  # change sequence range carried, inclusive
    seq_to: int
    full: bool = False  # `--all`: everything up to seq_to, not just what changed
    records: int = 0
    sha256: str = Field(max_length=64)
    exported_at: NaiveDatetime
    acknowledged_at: NaiveDatetime | None = None
    receipt_name: str = Field(default="")


class SyncRejected(Record, table=True):
    """A record version the centre did not take (a conflict): not acknowledged."""

    __tablename__ = "sync_rejected"
    __table_args__ = (Index("ux_sync_rejected_record", "table_name", "record_id", "record_version", unique=True),)

    bundle_seq: int
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=36)
    record_version: int
    reason: str = Field(max_length=16)
    received_at: NaiveDatetime


class SyncMerge(Record, table=True):
    """Centre side: one bundle merged (the ledger that makes re-merging a no-op)."""

    __tablename__ = "sync_merge"
    __table_args__ = (Index("ux_sync_merge_bundle", "station_id", "bundle_seq", "bundle_sha256", unique=True),)

    station_id: str = Field(max_length=64)
    bundle_seq: int
    previous_seq: int | None = None
    bundle_sha256: str = Field(max_length=64)
    file_name: str = Field(default="")
    seq_from: int
    seq_to: int
    full: bool = False
    records: int = 0
    counts: str = Field(default="{}")  # JSON: table -> {new, updated, skipped, stale, conflicts}
    merged_at: NaiveDatetime


class SyncConflict(Record, table=True):
    """Centre side: a record arrived at a version the centre holds with other content."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        Index("ux_sync_conflict_version", "table_name", "record_id", "record_version", "incoming_sha256", unique=True),
    )

    station_id: str = Field(max_length=64)
    bundle_seq: int
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=36)
    record_version: int
    existing_sha256: str = Field(max_length=64)
    incoming_sha256: str = Field(max_length=64)
    incoming: str  # the record as it arrived (JSON), for whoever resolves it
    detected_at: NaiveDatetime
    resolved: bool = False
