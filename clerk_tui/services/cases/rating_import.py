"""Ratings given on the 好差评 platform, imported from the file the centre passes on.

A rating given at the hall's device is stored at once (`ratings.rate_case`); one given on
the province's platform (PC, mobile, QR code) reaches the station later, in this file
(JSON, UTF-8), format `clerk-tui-ratings` version 1:

    {
      "format": "clerk-tui-ratings",
      "format_version": 1,
      "station_id": "510199-01",            // optional; a file for another station is refused
      "ratings": [
        {"case_no": "20261124-03-0007",      // the case's number, as printed (required)
         "level": 4,                         // 5 非常满意 … 1 非常不满意, or null: not rated (required)
         "rated_at": "2026-11-25T20:14",     // when it was given, local time (required)
         "channel": "2",                     // 1 PC, 2 mobile, 3 QR code, 4 hall device, 5 other (required)
         "points": ["efficiency"],           // optional: efficiency / skill / attitude
         "comment": "…"}                     // optional
      ]
    }

The rules are the window's (一次一评, `ratings`): a rating rates the visit of its time, a
pending 承诺件's acceptance or else the completed service, and a visit is rated once. So a
rating for a visit already rated the same is left as it is (the platform also returns
the ratings the hall's device sent it, and a file imported twice changes nothing); one
for a visit recorded as "not rated" fills it in; one that differs from the stored rating
is refused. Every row is checked, and every problem listed with where it is, before
anything is kept: the rows are checked and stored in one transaction, rolled back whole if
any row has a problem. A bad rating opens its follow-up, as at the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from clerk_tui.errors import ClerkError
from clerk_tui.i18n import t
from clerk_tui.json_stream import Items, JsonReader, JsonStreamError, NotAnObjectError, ValueTooLargeError, members
from clerk_tui.models import Case, Rating
from clerk_tui.services import audit
from clerk_tui.services.cases.ratings import CHANNELS, LEVELS, POINTS, open_follow_up, rating_stage
from clerk_tui.services.context import Station
from clerk_tui.services.file_problems import FileProblemsError, Problem
from clerk_tui.services.station.calendar import load_work_calendar

FORMAT = "clerk-tui-ratings"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 32 << 20
MAX_RATINGS = 200_000  # per file: a busy hall's year
MAX_ENTRY_CHARS = 8 << 10
MAX_PROBLEMS = 50
MAX_COMMENT = 500
HEAD_KEYS = ("format", "format_version", "station_id")
BATCH = 500  # cases looked up per statement


class RatingsFileError(FileProblemsError):
    REFUSED_KEY = "rating_import.invalid"
    PROBLEM_KEY = "rating_import.problem"


@dataclass(frozen=True)
class PlatformRating:
    where: str
    case_no: str
    level: int | None
    rated_at: datetime
    channel: str
    points: str
    comment: str


@dataclass
class RatingsReport:
    new: int = 0
    filled: int = 0  # a visit stored as "not rated", rated on the platform
    unchanged: int = 0
    follow_ups: int = 0


class _Problems(list[Problem]):
    def add(self, where: str, key: str, **params: Any) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(Problem(where, key, params))


def _entry(where: str, entry: Any, now: datetime, problems: _Problems) -> PlatformRating | None:
    """One row checked on its own; None (its problems added) when it cannot be used."""
    if not isinstance(entry, dict):
        problems.add(where, "rating_import.bad_field", field=where, value=type(entry).__name__)
        return None
    before = len(problems)
    for name in ("case_no", "rated_at", "channel"):  # said missing, not "an invalid value None"
        if entry.get(name) is None or entry.get(name) == "":
            problems.add(f"{where}.{name}", "rating_import.missing_field", field=name)
    case_no = entry.get("case_no")
    if case_no not in (None, "") and (not isinstance(case_no, str) or not case_no.strip() or len(case_no) > 40):
        problems.add(f"{where}.case_no", "rating_import.bad_field", field="case_no", value=str(case_no)[:40])
    if "level" not in entry:
        problems.add(f"{where}.level", "rating_import.missing_field", field="level")
    level = entry.get("level")
    if level is not None and (isinstance(level, bool) or level not in LEVELS):
        problems.add(f"{where}.level", "rating.bad_level", level=str(level)[:10])
    rated_at = None
    raw = entry.get("rated_at")
    try:
        rated_at = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        rated_at = None
    if raw not in (None, "") and (rated_at is None or rated_at.tzinfo is not None):
        problems.add(f"{where}.rated_at", "rating_import.bad_field", field="rated_at", value=str(raw)[:40])
    elif rated_at is not None and rated_at > now:
        problems.add(f"{where}.rated_at", "rating_import.in_future", value=str(raw)[:40])
    channel = entry.get("channel")
    if channel not in (None, "") and channel not in CHANNELS:
        problems.add(f"{where}.channel", "rating_import.bad_field", field="channel", value=str(channel)[:10])
    points = entry.get("points", [])
    if not isinstance(points, list) or any(p not in POINTS for p in points):
        problems.add(f"{where}.points", "rating.bad_point", point=str(points)[:40])
    comment = entry.get("comment", "") or ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        problems.add(f"{where}.comment", "rating_import.bad_field", field="comment", value=str(comment)[:20])
    if len(problems) > before or rated_at is None or not isinstance(case_no, str):
        return None
    return PlatformRating(
        where,
        case_no.strip(),
        level,
        rated_at.replace(microsecond=0),
        str(channel),
        ",".join(p for p in POINTS if p in points),
        comment.strip(),
    )


def read_ratings_file(
    station: Station, path: Path, on_read: Callable[[int], None] | None = None
) -> list[PlatformRating]:
    """Every row of the file, each checked on its own; raise RatingsFileError listing the problems."""
    problems = _Problems()
    rows: list[PlatformRating] = []
    head: dict[str, Any] = {}
    now = station.clock.now()
    count = 0

    def unreadable(reason: str) -> RatingsFileError:
        return RatingsFileError(path, [Problem("", "rating_import.unreadable", {"reason": reason})])

    def entries(items: Items) -> Iterator[tuple[int, Any]]:
        nonlocal count
        for i, entry in enumerate(items):
            count += 1
            if count <= MAX_RATINGS:
                yield i, entry  # past the limit the file is refused: the rest is only read to its end

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise unreadable("size")
        with path.open("rb") as handle:
            reader = JsonReader(handle, on_read)
            for key, value in members(
                reader, stream=("ratings",), keep=HEAD_KEYS, max_value=MAX_ENTRY_CHARS, max_item=MAX_ENTRY_CHARS
            ):
                if key != "ratings" or not isinstance(value, Items):
                    head[key] = value
                    continue
                head[key] = []
                for i, entry in entries(value):
                    row = _entry(f"ratings[{i}]", entry, now, problems)
                    if row is not None:
                        rows.append(row)
    except FileNotFoundError:
        raise ClerkError("cli.no_file", path=str(path)) from None
    except NotAnObjectError:
        raise RatingsFileError(path, [Problem("format", "rating_import.not_ratings", {"expected": FORMAT})]) from None
    except ValueTooLargeError as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise RatingsFileError(
            path, [Problem(where, "rating_import.value_too_large", {"limit": f"{exc.limit:,}"})]
        ) from None
    except JsonStreamError as exc:  # bad UTF-8 or JSON, too deep
        raise unreadable(str(exc)) from None
    except OSError as exc:
        raise unreadable(exc.strerror or str(exc)) from None
    head_problems = _Problems()
    if head.get("format") != FORMAT:
        raise RatingsFileError(path, [Problem("format", "rating_import.not_ratings", {"expected": FORMAT})])
    if head.get("format_version") != FORMAT_VERSION:
        found = str(head.get("format_version"))
        raise RatingsFileError(path, [Problem("format_version", "rating_import.bad_version", {"found": found})])
    station_id = head.get("station_id")
    if station_id is not None and station_id != station.settings.station_id:
        head_problems.add(
            "station_id", "rating_import.other_station", found=str(station_id), expected=station.settings.station_id
        )
    if "ratings" not in head:
        head_problems.add("ratings", "rating_import.missing_field", field="ratings")
    if count > MAX_RATINGS:
        head_problems.add("ratings", "rating_import.too_many", count=f"{count:,}", limit=f"{MAX_RATINGS:,}")
    all_problems = (head_problems + problems)[:MAX_PROBLEMS]
    if all_problems:
        raise RatingsFileError(path, all_problems)
    return rows


def _cases(session: Session, station: Station, numbers: list[str]) -> tuple[dict[str, Case], set[str]]:
    """This station's cases by number, and the numbers more than one case holds (a rating
    for one of those cannot say which case it rates)."""
    found: dict[str, Case] = {}
    twice: set[str] = set()
    for i in range(0, len(numbers), BATCH):
        query = select(Case).where(
            col(Case.case_no).in_(numbers[i : i + BATCH]), col(Case.station_id) == station.settings.station_id
        )
        for case in session.exec(query):
            if case.case_no in found:
                twice.add(case.case_no)
            found[case.case_no] = case
    return found, twice


def apply_ratings(station: Station, path: Path, rows: list[PlatformRating]) -> RatingsReport:
    """Check every row against the cases and their ratings, and store them, in one transaction."""
    report = RatingsReport()
    problems = _Problems()
    calendar = load_work_calendar(station)
    with station.write() as session:
        cases, ambiguous = _cases(session, station, sorted({r.case_no for r in rows}))
        stored: dict[str, list[Rating]] = {}
        for i in range(0, len(cases), BATCH):
            ids = [c.id for c in list(cases.values())[i : i + BATCH]]
            for rating in session.exec(select(Rating).where(col(Rating.case_id).in_(ids))):
                stored.setdefault(rating.case_id, []).append(rating)
        seen: set[tuple[str, str]] = set()
        for row in rows:
            case = cases.get(row.case_no)
            if row.case_no in ambiguous:
                problems.add(f"{row.where}.case_no", "rating_import.ambiguous", value=row.case_no)
                continue
            if case is None:
                problems.add(f"{row.where}.case_no", "rating_import.no_case", value=row.case_no)
                continue
            if case.status == "voided":
                problems.add(f"{row.where}.case_no", "case.is_voided", case_no=row.case_no)
                continue
            if row.rated_at < case.received_at:
                problems.add(f"{row.where}.rated_at", "rating_import.before_case", value=row.rated_at.isoformat())
                continue
            stage = rating_stage(case, row.rated_at)
            if (case.id, stage) in seen:
                problems.add(row.where, "rating_import.twice", case_no=row.case_no, stage=t(f"rating.stage.{stage}"))
                continue
            seen.add((case.id, stage))
            same_visit = [r for r in stored.get(case.id, []) if rating_stage(case, r.rated_at) == stage]
            if same_visit and same_visit[0].level == row.level:
                report.unchanged += 1
                continue
            if same_visit and same_visit[0].level is not None:
                problems.add(
                    row.where,
                    "rating_import.differs",
                    case_no=row.case_no,
                    stage=t(f"rating.stage.{stage}"),
                    stored=same_visit[0].level,
                    found="—" if row.level is None else row.level,
                )
                continue
            if problems:
                continue  # nothing will be kept: only look for more problems
            rating = same_visit[0] if same_visit else Rating(case_id=case.id, rated_at=row.rated_at)
            rating.level, rating.points, rating.comment = row.level, row.points, row.comment
            rating.channel, rating.rated_at = row.channel, row.rated_at
            session.add(rating)
            session.flush()
            audit.record(
                session, station, "case", case.id, "rate", new="" if row.level is None else row.level, reason=path.name
            )
            if same_visit:
                report.filled += 1
            else:
                report.new += 1
            if open_follow_up(session, station, rating, calendar) is not None:
                report.follow_ups += 1
        if problems:
            raise RatingsFileError(path, problems)  # rolls back what this transaction wrote
    return report


def import_ratings_file(station: Station, path: Path, on_read: Callable[[int], None] | None = None) -> RatingsReport:
    """Read and check the whole file, then check and store it against the database."""
    return apply_ratings(station, path, read_ratings_file(station, path, on_read))
