"""Station settings: a TOML file found through platformdirs.

Where the file is: `--config`, else `$CLERK_TUI_CONFIG`, else the user config folder.
Where the database is: `--db`, else `[paths] database`, else the user data folder.
A missing file means `clerk init`'s defaults; a broken one is a clear error, never a guess.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from clerk_tui.errors import ClerkError

APP_NAME = "clerk-tui"
CONFIG_ENV = "CLERK_TUI_CONFIG"
LANGUAGES = ("zh", "en")


def _dirs() -> Any:
    # platformdirs is imported lazily: only path resolution needs it.
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return Path(_dirs().user_config_dir) / "config.toml"


def default_data_dir() -> Path:
    return Path(_dirs().user_data_dir)


@dataclass(frozen=True)
class QueueConfig:
    letter: str
    name: str
    name_en: str = ""
    matters: tuple[str, ...] = ()  # matter codes served by this queue; empty = any
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    station_id: str = "STATION-01"
    station_name: str = "便民服务中心"
    station_contact: str = ""
    window_no: int = 1
    clerk_no: str = "0001"
    clerk_name: str = ""
    language: str = "zh"
    queues: tuple[QueueConfig, ...] = (
        QueueConfig("A", "综合受理", "General"),
        QueueConfig("B", "社保医保", "Social insurance"),
        QueueConfig("C", "不动产登记", "Real estate"),
    )
    window_queues: tuple[str, ...] = ()  # letters this window serves; empty = all
    data_dir: Path = field(default_factory=default_data_dir)
    database: Path | None = None
    notices_dir: Path | None = None
    exports_dir: Path | None = None
    config_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # sections owned by later features

    @property
    def database_path(self) -> Path:
        return self.database or self.data_dir / "clerk.db"

    @property
    def backups_path(self) -> Path:
        return self.data_dir / "backups"

    @property
    def backup_keep(self) -> int:
        """How many daily backups to keep; 0 turns them off."""
        return int(self.section("backup").get("keep", 7))

    @property
    def lock_idle_minutes(self) -> int:
        """Minutes without a key press before the screen locks; 0 = never."""
        return int(self.section("lock").get("idle_minutes", 5))

    @property
    def follow_up_days(self) -> int:
        """Working days to call back an applicant who gave a bad rating (回访)."""
        return int(self.section("cases").get("follow_up_days", 5))

    @property
    def due_soon_days(self) -> int:
        """Promised cases due within this many working days show as "due soon"."""
        return int(self.section("cases").get("due_soon_days", 3))

    @property
    def notices_path(self) -> Path:
        return self.notices_dir or self.data_dir / "notices"

    @property
    def exports_path(self) -> Path:
        return self.exports_dir or self.data_dir / "exports"

    @property
    def sync_folder(self) -> Path | None:
        """`[sync] folder`: where bundles go until the clerk picks another (then remembered)."""
        value = self.section("sync").get("folder", "")
        return Path(value).expanduser() if isinstance(value, str) and value else None

    @property
    def queue_policy(self) -> QueuePolicy:
        """How calling orders tickets (`[queue]`)."""
        return parse_queue_policy(self.section("queue"))

    @property
    def board(self) -> BoardConfig:
        """The hall's calling board (`[board]`)."""
        return parse_board(self.section("board"))

    @property
    def kiosk(self) -> KioskConfig:
        """The self-service ticket kiosk (`[kiosk]`)."""
        return parse_kiosk(self.section("kiosk"))

    @property
    def check(self) -> CheckConfig:
        """The document check (`[check]`)."""
        return parse_check(self.section("check"))

    @property
    def notice(self) -> NoticeConfig:
        """One-time notices: receipt width, print command (`[notice]`)."""
        return parse_notice(self.section("notice"))

    def served_queues(self) -> tuple[str, ...]:
        """Letters this window calls: `[window] queues`, else every configured queue."""
        return self.window_queues or tuple(q.letter for q in self.queues)

    def section(self, name: str) -> dict[str, Any]:
        """A config section owned by one feature (e.g. `[queue]`, `[board]`)."""
        value = self.extra.get(name, {})
        return value if isinstance(value, dict) else {}

    def queue(self, letter: str) -> QueueConfig | None:
        return next((q for q in self.queues if q.letter == letter), None)

    def with_overrides(self, **changes: Any) -> Settings:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


_KNOWN_SECTIONS = {"station", "window", "clerk", "ui", "paths", "queues"}


def _get(table: dict[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    if not isinstance(table, dict):
        raise ClerkError("config.bad_value", where=where, expected="table")
    if key not in table:
        return default
    value = table[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise ClerkError("config.bad_value", where=f"{where}.{key}", expected=kind.__name__)
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _get(table, key, list, where, [])
    if not all(isinstance(v, str) for v in values):
        raise ClerkError("config.bad_value", where=f"{where}.{key}", expected="[str]")
    return tuple(values)


def parse_settings(data: dict[str, Any], path: Path | None = None) -> Settings:
    base = Settings()
    station = data.get("station", {})
    window = data.get("window", {})
    clerk = data.get("clerk", {})
    ui = data.get("ui", {})
    paths = data.get("paths", {})
    for name, table in (("station", station), ("window", window), ("clerk", clerk), ("ui", ui), ("paths", paths)):
        if not isinstance(table, dict):
            raise ClerkError("config.bad_value", where=name, expected="table")
    language = _get(ui, "language", str, "ui", base.language)
    if language not in LANGUAGES:
        raise ClerkError("config.bad_language", value=language)
    queues = base.queues
    if "queues" in data:
        raw = data["queues"]
        if not isinstance(raw, list) or not raw:
            raise ClerkError("config.bad_value", where="queues", expected="[[queues]]")
        parsed = []
        for i, q in enumerate(raw, 1):
            where = f"queues[{i}]"
            letter = _get(q, "letter", str, where, "")
            if not (letter.isascii() and letter.isalpha() and letter.isupper() and len(letter) == 1):
                raise ClerkError("config.bad_queue_letter", where=where, value=letter)
            parsed.append(
                QueueConfig(
                    letter=letter,
                    name=_get(q, "name", str, where, letter),
                    name_en=_get(q, "name_en", str, where, ""),
                    matters=_strings(q, "matters", where),
                    departments=_strings(q, "departments", where),
                )
            )
        letters = [q.letter for q in parsed]
        if len(set(letters)) != len(letters):
            raise ClerkError("config.duplicate_queue", letters=",".join(letters))
        queues = tuple(parsed)
    backup = data.get("backup", {})
    keep = _get(backup if isinstance(backup, dict) else {}, "keep", int, "backup", 7)
    if not isinstance(backup, dict) or keep < 0:
        raise ClerkError("config.bad_value", where="backup.keep", expected="0..")
    lock = data.get("lock", {})
    idle = _get(lock if isinstance(lock, dict) else {}, "idle_minutes", int, "lock", 5)
    if not isinstance(lock, dict) or idle < 0:
        raise ClerkError("config.bad_value", where="lock.idle_minutes", expected="0..")
    cases = data.get("cases", {})
    for key, default, low in (("follow_up_days", 5, 1), ("due_soon_days", 3, 0)):
        value = _get(cases if isinstance(cases, dict) else {}, key, int, "cases", default)
        if not isinstance(cases, dict) or not low <= value <= 60:
            raise ClerkError("config.bad_value", where=f"cases.{key}", expected=f"{low}..60")
    # Feature sections are checked now, so a typo stops the start with a clear message.
    _get(_table(data.get("sync", {}), "sync"), "folder", str, "sync", "")
    parse_queue_policy(data.get("queue", {}))
    parse_board(data.get("board", {}))
    parse_check(data.get("check", {}))
    parse_notice(data.get("notice", {}))
    kiosk_queues = parse_kiosk(data.get("kiosk", {})).queues
    for where, letters in (("window.queues", _get(window, "queues", list, "window", [])), ("kiosk.queues", kiosk_queues)):
        for letter in letters:
            if not any(q.letter == letter for q in queues):
                raise ClerkError("config.unknown_queue_in", where=where, value=str(letter))
    window_no = _get(window, "number", int, "window", base.window_no)
    if window_no < 1:
        raise ClerkError("config.bad_value", where="window.number", expected="1..")

    def opt_path(key: str) -> Path | None:
        value = _get(paths, key, str, "paths", "")
        return Path(value).expanduser() if value else None

    return Settings(
        station_id=_get(station, "id", str, "station", base.station_id),
        station_name=_get(station, "name", str, "station", base.station_name),
        station_contact=_get(station, "contact", str, "station", base.station_contact),
        window_no=window_no,
        clerk_no=_get(clerk, "staff_no", str, "clerk", base.clerk_no),
        clerk_name=_get(clerk, "name", str, "clerk", base.clerk_name),
        language=language,
        queues=queues,
        window_queues=_strings(window, "queues", "window"),
        data_dir=opt_path("data") or base.data_dir,
        database=opt_path("database"),
        notices_dir=opt_path("notices"),
        exports_dir=opt_path("exports"),
        config_path=path,
        extra={k: v for k, v in data.items() if k not in _KNOWN_SECTIONS},
    )


def load_settings(path: Path | None = None, *, must_exist: bool = False) -> Settings:
    """Settings from the config file; defaults when there is none yet (unless it `must_exist`:
    a file the clerk named that is not there is a typo, not a first start)."""
    path = path or default_config_path()
    if not path.exists():
        if must_exist:
            raise ClerkError("config.missing", path=str(path))
        return Settings(config_path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ClerkError("config.unreadable", path=str(path), reason=str(exc)) from exc
    except OSError as exc:
        raise ClerkError("config.unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    check_known_keys(data, path)
    return parse_settings(data, path)


def known_keys() -> dict[str, frozenset[str]]:
    """Every key the program reads, per section. A feature section's keys are its
    dataclass's fields, so a new setting is known as soon as it is parsed."""
    def names(cls: type) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))

    return {
        "station": frozenset({"id", "name", "contact"}),
        "window": frozenset({"number", "queues"}),
        "clerk": frozenset({"staff_no", "name"}),
        "ui": frozenset({"language"}),
        "paths": frozenset({"data", "database", "notices", "exports"}),
        "queues": frozenset({"letter", "name", "name_en", "matters", "departments"}),
        "lock": frozenset({"idle_minutes"}) | frozenset(EXTRA_KEYS.get("lock", ())),
        "cases": frozenset({"follow_up_days", "due_soon_days"}) | frozenset(EXTRA_KEYS.get("cases", ())),
        "backup": frozenset({"keep"}) | frozenset(EXTRA_KEYS.get("backup", ())),
        "sync": frozenset({"folder"}) | frozenset(EXTRA_KEYS.get("sync", ())),
        "queue": names(QueuePolicy),
        "board": names(BoardConfig),
        "kiosk": names(KioskConfig),
        "check": names(CheckConfig),
        "notice": names(NoticeConfig),
    } | {k: frozenset(v) for k, v in EXTRA_KEYS.items() if k not in ("lock", "cases", "backup", "sync")}


# Keys read straight from `Settings.section(...)` by later features: add them here.
EXTRA_KEYS: dict[str, tuple[str, ...]] = {}


def check_known_keys(data: dict[str, Any], path: Path | None) -> None:
    """A key the program does not read is a typo that would be silently ignored: name it,
    with the nearest known key (in its section, else the section that has it)."""
    import difflib

    known = known_keys()
    where = str(path or "-")

    def suggest(name: str, choices: list[str]) -> str:
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        return close[0] if close else ""

    for section, table in data.items():
        if section not in known:
            guess = suggest(section, sorted(known)) or suggest(section.rstrip("s"), sorted(known))
            raise ClerkError("config.unknown_section", path=where, section=section,
                             suggestion=f"[{guess}]" if guess else ", ".join(f"[{k}]" for k in sorted(known)))
        tables = table if isinstance(table, list) else [table]
        for item in tables:
            if not isinstance(item, dict):
                continue  # a wrong type is reported by the parser, with what was expected
            for key in item:
                if key in known[section]:
                    continue
                guess = suggest(key, sorted(known[section]))
                if guess:
                    hint = f"[{section}] {guess}"
                else:
                    homes = [s for s, keys in sorted(known.items()) if key in keys]
                    hint = f"[{homes[0]}] {key}" if homes else ", ".join(sorted(known[section]))
                raise ClerkError("config.unknown_key", path=where, section=section, name=key, suggestion=hint)


CONFIG_TEMPLATE = """\
# clerk-tui station configuration. Written by `clerk init`; edit and restart the app.

[station]
# Unique per station: it travels in every export bundle.
id = "{station_id}"
name = "{station_name}"
# Office address / phone printed on notices.
contact = "{station_contact}"

[window]
number = {window_no}
# Letters this window calls; leave out to serve all queues.
# queues = ["A", "B"]

[clerk]
# 工号, recorded on every ticket call and case.
staff_no = "{clerk_no}"
name = "{clerk_name}"

[ui]
# zh (简体中文) or en.
language = "{language}"

[paths]
# Leave empty to keep everything in the user data folder:
# {default_data_dir}
data = "{data_dir}"
database = "{database}"
notices = "{notices}"
exports = "{exports}"

[lock]
idle_minutes = 5               # lock the screen after this many idle minutes (0 = never); PIN: clerk pin

[cases]
follow_up_days = 5             # working days to call back after a bad rating (德州 5, 四川 15)
due_soon_days = 3              # pending list: promised cases due within this many working days

[backup]
keep = 7                       # daily backups kept in the data folder's backups/ (0 = none)

[sync]
# folder = "/media/usb"          # where clerk export writes bundles (default: the exports path);
#                                # a folder chosen with --to or on the Sync screen is remembered

[queue]
# priority_streak = 3            # after this many green/transferred/appointment calls in a row, call the oldest normal ticket (0 = never)
# appointment_early_minutes = 10 # an appointment ticket can be called from this many minutes before its slot
# appointment_grace_minutes = 30 # ...and keeps its priority until this many minutes after it; then it waits as normal
# reinstate = "end"              # a reinstated no-show (过号) goes to the end of its queue; "after" = after reinstate_after tickets
# reinstate_after = 3
# pause_reasons = ["休息", "会议", "业务咨询", "系统故障"]

[board]
# template = "请{{number}}号到{{window}}号窗口办理"  # also {{queue}} (letter) and {{queue_name}}
# recent = 6                     # earlier calls listed under the latest one
# poll_seconds = 0.5             # how often the board looks for new calls
# bell = true                    # ring the terminal bell on each call
# announce_command = ""          # run on each call, without a shell, e.g. "espeak-ng -v zh {{text}}"

[kiosk]
# queues = ["A", "B"]            # businesses offered (number keys 1-9); leave out for all queues
# show_seconds = 10              # how long the new number stays on screen
# print_command = ""             # prints the slip, e.g. "lp -d slip"; the slip text arrives on stdin,
#                                # arguments may use {{number}} {{queue}} {{queue_name}} {{ahead}} {{time}}

[check]
# instant_rongque_days = 5       # 容缺 for a 即办件 (no promised limit): materials due within this many working days

[notice]
# width = 32                     # receipt printer line width in cells (a Chinese character takes 2): 58 mm = 32, 80 mm = 48
# office = ""                    # issuing office printed on notices; empty = the station name
# print_command = ""             # e.g. "lp -d window-printer"; run without a shell; the receipt text arrives on stdin,
#                                # arguments may use {{txt}} {{html}} (the saved files) and {{number}}
# encoding = "utf-8"             # bytes sent to the printer: utf-8 or gb18030 (many Chinese receipt printers)
# print_timeout = 20             # seconds before a hanging print command is stopped

# One [[queues]] table per queue: a capital letter and the name shown to applicants.
# Optional: matters = ["<implementation or basic code>", ...] and/or departments = ["<department code or name>", ...]:
# the document check then offers these matters by number for the queue's tickets (else the catalog search).
{queues}
"""


def render_config(settings: Settings) -> str:
    def toml_str(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"')

    def toml_list(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{toml_str(v)}"' for v in values) + "]"

    queues = "\n".join(
        f'[[queues]]\nletter = "{q.letter}"\nname = "{toml_str(q.name)}"\nname_en = "{toml_str(q.name_en)}"\n'
        + (f"matters = {toml_list(q.matters)}\n" if q.matters else "")
        + (f"departments = {toml_list(q.departments)}\n" if q.departments else "")
        for q in settings.queues
    )
    return CONFIG_TEMPLATE.format(
        station_id=toml_str(settings.station_id),
        station_name=toml_str(settings.station_name),
        station_contact=toml_str(settings.station_contact),
        window_no=settings.window_no,
        clerk_no=toml_str(settings.clerk_no),
        clerk_name=toml_str(settings.clerk_name),
        language=settings.language,
        default_data_dir=toml_str(str(default_data_dir())),
        data_dir=toml_str(str(settings.data_dir) if settings.data_dir != default_data_dir() else ""),
        database=toml_str(str(settings.database or "")),
        notices=toml_str(str(settings.notices_dir or "")),
        exports=toml_str(str(settings.exports_dir or "")),
        queues=queues,
    )


# --- feature sections: [queue], [board], [kiosk] ---------------------------------------

REINSTATE_POLICIES = ("end", "after")
BOARD_FIELDS = {"number": "A001", "window": 1, "queue": "A", "queue_name": "A"}
SLIP_FIELDS = {"number": "A001", "queue": "A", "queue_name": "A", "ahead": 0, "time": "09:30"}


@dataclass(frozen=True)
class QueuePolicy:
    priority_streak: int = 3
    appointment_early_minutes: int = 10
    appointment_grace_minutes: int = 30
    reinstate: str = "end"
    reinstate_after: int = 3
    pause_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoardConfig:
    template: str = ""  # empty: the language's default text
    recent: int = 6
    poll_seconds: float = 0.5
    bell: bool = True
    announce_command: str = ""


@dataclass(frozen=True)
class KioskConfig:
    queues: tuple[str, ...] = ()
    show_seconds: int = 10
    print_command: str = ""


def _table(raw: Any, name: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ClerkError("config.bad_value", where=name, expected="table")
    return raw


def _int_in(table: dict[str, Any], key: str, where: str, default: int, low: int, high: int) -> int:
    value = _get(table, key, int, where, default)
    if not low <= value <= high:
        raise ClerkError("config.bad_value", where=f"{where}.{key}", expected=f"{low}..{high}")
    return value


def _check_command(value: str, where: str, fields_: dict[str, Any]) -> str:
    """A command line run without a shell: it must split, and its fields must be known."""
    import shlex

    if not value:
        return value
    try:
        for arg in shlex.split(value):
            arg.format(text="x", **fields_)
    except ValueError as exc:
        raise ClerkError("config.bad_command", where=where, reason=str(exc)) from exc
    except (KeyError, IndexError) as exc:
        raise ClerkError("config.bad_placeholder", where=where, name=str(exc).strip("'")) from exc
    return value


def parse_queue_policy(raw: Any) -> QueuePolicy:
    table = _table(raw, "queue")
    reinstate = _get(table, "reinstate", str, "queue", "end")
    if reinstate not in REINSTATE_POLICIES:
        raise ClerkError("config.bad_value", where="queue.reinstate", expected=" / ".join(REINSTATE_POLICIES))
    reasons = _get(table, "pause_reasons", list, "queue", [])
    if not all(isinstance(r, str) and r.strip() for r in reasons):
        raise ClerkError("config.bad_value", where="queue.pause_reasons", expected="[text]")
    return QueuePolicy(
        priority_streak=_int_in(table, "priority_streak", "queue", 3, 0, 100),
        appointment_early_minutes=_int_in(table, "appointment_early_minutes", "queue", 10, 0, 240),
        appointment_grace_minutes=_int_in(table, "appointment_grace_minutes", "queue", 30, 0, 1440),
        reinstate=reinstate,
        reinstate_after=_int_in(table, "reinstate_after", "queue", 3, 0, 999),
        pause_reasons=tuple(r.strip() for r in reasons),
    )


def parse_board(raw: Any) -> BoardConfig:
    table = _table(raw, "board")
    template = _get(table, "template", str, "board", "")
    try:
        template.format(**BOARD_FIELDS)
    except (KeyError, IndexError) as exc:
        raise ClerkError("config.bad_placeholder", where="board.template", name=str(exc).strip("'")) from exc
    except ValueError as exc:
        raise ClerkError("config.bad_value", where="board.template", expected="text with {number} {window}") from exc
    poll = table.get("poll_seconds", 0.5)
    if isinstance(poll, bool) or not isinstance(poll, (int, float)) or not 0.1 <= poll <= 5:
        raise ClerkError("config.bad_value", where="board.poll_seconds", expected="0.1..5")
    return BoardConfig(
        template=template,
        recent=_int_in(table, "recent", "board", 6, 0, 20),
        poll_seconds=float(poll),
        bell=_get(table, "bell", bool, "board", True),
        announce_command=_check_command(
            _get(table, "announce_command", str, "board", ""), "board.announce_command", BOARD_FIELDS
        ),
    )


def parse_kiosk(raw: Any) -> KioskConfig:
    table = _table(raw, "kiosk")
    queues = _get(table, "queues", list, "kiosk", [])
    if len(queues) > 9 or not all(isinstance(q, str) for q in queues):
        raise ClerkError("config.bad_value", where="kiosk.queues", expected='["A", ...] (at most 9)')
    return KioskConfig(
        queues=tuple(queues),
        show_seconds=_int_in(table, "show_seconds", "kiosk", 10, 1, 120),
        print_command=_check_command(_get(table, "print_command", str, "kiosk", ""), "kiosk.print_command", SLIP_FIELDS),
    )


# --- feature sections: [check], [notice] ----------------------------------------------

NOTICE_FIELDS = {"txt": "/tmp/x.txt", "html": "/tmp/x.html", "number": "BZ-20261124-01-001"}
NOTICE_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class CheckConfig:
    instant_rongque_days: int = 5


@dataclass(frozen=True)
class NoticeConfig:
    width: int = 32
    office: str = ""
    print_command: str = ""
    encoding: str = "utf-8"
    print_timeout: int = 20


def parse_check(raw: Any) -> CheckConfig:
    table = _table(raw, "check")
    return CheckConfig(instant_rongque_days=_int_in(table, "instant_rongque_days", "check", 5, 0, 60))


def parse_notice(raw: Any) -> NoticeConfig:
    table = _table(raw, "notice")
    encoding = _get(table, "encoding", str, "notice", "utf-8").lower()
    if encoding not in NOTICE_ENCODINGS:
        raise ClerkError("config.bad_value", where="notice.encoding", expected=" / ".join(NOTICE_ENCODINGS))
    return NoticeConfig(
        width=_int_in(table, "width", "notice", 32, 24, 160),
        office=_get(table, "office", str, "notice", ""),
        print_command=_check_command(
            _get(table, "print_command", str, "notice", ""), "notice.print_command", NOTICE_FIELDS
        ),
        encoding=encoding,
        print_timeout=_int_in(table, "print_timeout", "notice", 20, 1, 600),
    )
