"""Station settings: a TOML file found through platformdirs.

Where the file is: `--config`, else `$CLERK_TUI_CONFIG`, else the user config folder.
Where the database is: `--db`, else `[paths] database`, else the user data folder.
A missing file means `clerk init`'s defaults; a broken one is a clear error, never a guess.

Every key is declared once, as a field of the frozen dataclass that holds its value (the
station's own keys on `Settings`, a feature's in `sections.py`), with its default, range
and comment (`keys.key`). From these declarations come the loader below, `clerk init`'s
commented file and the README table (`write.py`; `python -m clerk_tui.config --markdown`).
The whole file is read and checked once, when the settings are made.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from clerk_tui.config.keys import Key, declared, key, optional_path, read_keys, read_section, required, table
from clerk_tui.config.sections import (
    BOARD_FIELDS,
    NOTICE_ENCODINGS,
    NOTICE_FIELDS,
    REINSTATE_POLICIES,
    SLIP_FIELDS,
    BackupConfig,
    BoardConfig,
    CasesConfig,
    CheckConfig,
    KioskConfig,
    LockConfig,
    NoticeConfig,
    PapersConfig,
    QueuePolicy,
    SyncConfig,
)
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


SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DB_ENV = "CLERK_TUI_DB"  # the database, between --db and the config file


def database_value(value: str | Path | None) -> Path | str | None:
    """`--db`, `$CLERK_TUI_DB` or `[paths] database`: a server URL is kept as text, anything
    else is a file path; empty means the data folder's clerk.db."""
    if value is None or isinstance(value, Path):
        return value
    if value.strip().lower().startswith(SERVER_SCHEMES):
        return value.strip()
    return optional_path(value)


def _data_dir(value: str) -> Path:
    return Path(value).expanduser() if value else default_data_dir()


def _language(value: str, where: str) -> str:
    if value not in LANGUAGES:
        raise ClerkError("config.bad_language", value=value)
    return value


def _queue_letter(value: str, where: str) -> str:
    if not (value.isascii() and value.isalpha() and value.isupper() and len(value) == 1):
        # Named by the table ("queues[2]"): the letter is what tells the tables apart.
        raise ClerkError("config.bad_queue_letter", where=where.rpartition(".")[0], value=value)
    return value


@dataclass(frozen=True)
class QueueConfig:
    """One `[[queues]]` table."""

    letter: str = required(
        str, "a capital letter, the first character of the queue's ticket numbers", check=_queue_letter
    )
    name: str = required(str, "the name shown to applicants (default: the letter)")
    name_en: str = key("", "the name shown when the language is en (default: the name)")
    matters: tuple[str, ...] = key(  # empty = any
        (),
        "implementation or basic codes of the matters this queue serves: the document check offers them "
        "by number for the queue's tickets (else the catalog search)",
    )
    departments: tuple[str, ...] = key((), "department codes or names, offered the same way")


@dataclass(frozen=True)
class Settings:
    """A station's settings, immutable: change them with `replace` or `with_overrides`."""

    station_id: str = key(
        "STATION-01", "Unique per station: it travels in every export bundle.", section="station", name="id"
    )
    station_name: str = key(
        "便民服务中心",
        "Shown in the header, on the board and the lock screen, and on notices.",
        section="station",
        name="name",
    )
    station_contact: str = key("", "Office address / phone printed on notices.", section="station", name="contact")
    window_no: int = key(1, "This window's number, as the board calls it out.", section="window", name="number", low=1)
    clerk_no: str = key("0001", "工号, recorded on every ticket call and case.", section="clerk", name="staff_no")
    clerk_name: str = key("", "Printed on notices beside the staff number.", section="clerk", name="name")
    language: str = key("zh", "zh (简体中文) or en.", section="ui", name="language", choices=LANGUAGES, check=_language)
    queues: tuple[QueueConfig, ...] = (
        QueueConfig("A", "综合受理", "General"),
        QueueConfig("B", "社保医保", "Social insurance"),
        QueueConfig("C", "不动产登记", "Real estate"),
    )
    window_queues: tuple[str, ...] = key(  # empty = all
        (),
        "Letters this window calls; leave out to serve all queues.",
        section="window",
        name="queues",
        example=("A", "B"),
    )
    # `key(..., convert=)` is a `field(default_factory=)`, which ruff's RUF009 does not see.
    data_dir: Path = key(
        "",
        "The folder for the database, notices, exports and daily backups.",
        section="paths",
        name="data",
        convert=_data_dir,
    )
    database: Path | str | None = key(
        "",
        "The database file (empty: clerk.db in the data folder), or a hall's server: postgresql://user@host/dbname.",
        section="paths",
        name="database",
        convert=database_value,
    )
    notices_dir: Path | None = key(
        "",
        "Where notices are saved (empty: notices/ in the data folder).",
        section="paths",
        name="notices",
        convert=optional_path,
    )
    exports_dir: Path | None = key(
        "",
        "Where clerk export writes bundles (empty: exports/ in the data folder).",
        section="paths",
        name="exports",
        convert=optional_path,
    )
    config_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # the feature sections as written (`section()`)
    # The feature sections, read from `extra` once, when the settings are made (or replaced).
    lock: LockConfig = field(init=False, compare=False)
    cases: CasesConfig = field(init=False, compare=False)
    backup: BackupConfig = field(init=False, compare=False)
    sync: SyncConfig = field(init=False, compare=False)
    queue_policy: QueuePolicy = field(init=False, compare=False)  # `[queue]`: how calling orders tickets
    board: BoardConfig = field(init=False, compare=False)
    kiosk: KioskConfig = field(init=False, compare=False)
    check: CheckConfig = field(init=False, compare=False)
    notice: NoticeConfig = field(init=False, compare=False)
    papers: PapersConfig = field(init=False, compare=False)

    def __post_init__(self) -> None:
        for section in SECTIONS:
            if section.attr:
                parsed: object = read_section(section.holder, section.name, self.extra.get(section.name, {}))
                object.__setattr__(self, section.attr, parsed)

    @property
    def database_url(self) -> str | None:
        """The server database (`postgresql://…`) when the station uses one, else None."""
        return self.database if isinstance(self.database, str) else None

    @property
    def database_path(self) -> Path:
        """The database file (a server database has none: the data folder's clerk.db is
        then only a name no one opens; ask `database_url` first)."""
        return self.database if isinstance(self.database, Path) else self.data_dir / "clerk.db"

    @property
    def database_target(self) -> Path | str:
        """What `db.open_database` opens: the server URL or the file."""
        return self.database_url or self.database_path

    @property
    def database_label(self) -> str:
        """The database as a clerk may read it: the file, or the URL without its password."""
        if self.database_url is None:
            return str(self.database_path)
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):  # ValueError: a port that is no number
            return "postgresql://…"

    @property
    def backups_path(self) -> Path:
        # Beside the database, not in the data folder: a backup belongs to one database.
        # A second database (--db, a centre's) would otherwise mix its backups with the
        # station's: a damaged database would be pointed at another one's backup, and
        # only one of the two would get its daily copy. A server database's go in the
        # data folder.
        if self.database_url is not None:
            return self.data_dir / "backups"
        return self.database_path.parent / "backups"

    @property
    def backup_keep(self) -> int:
        """How many daily backups to keep; 0 turns them off."""
        return self.backup.keep

    @property
    def lock_idle_minutes(self) -> int:
        """Minutes without a key press before the screen locks; 0 = never."""
        return self.lock.idle_minutes

    @property
    def follow_up_days(self) -> int:
        """Working days to call back an applicant who gave a bad rating (回访)."""
        return self.cases.follow_up_days

    @property
    def due_soon_days(self) -> int:
        """Promised cases due within this many working days show as "due soon"."""
        return self.cases.due_soon_days

    @property
    def notices_path(self) -> Path:
        return self.notices_dir or self.data_dir / "notices"

    @property
    def exports_path(self) -> Path:
        return self.exports_dir or self.data_dir / "exports"

    @property
    def sync_folder(self) -> Path | None:
        """`[sync] folder`: where bundles go until the clerk picks another (then remembered)."""
        return self.sync.folder

    def served_queues(self) -> tuple[str, ...]:
        """Letters this window calls: `[window] queues`, else every configured queue."""
        return self.window_queues or tuple(q.letter for q in self.queues)

    def section(self, name: str) -> dict[str, Any]:
        """A feature section as written in the file (e.g. `[queue]`, `[board]`); the parsed,
        typed values are the attributes (`queue_policy`, `board`, ...)."""
        value = self.extra.get(name, {})
        return value if isinstance(value, dict) else {}

    def queue(self, letter: str) -> QueueConfig | None:
        return next((q for q in self.queues if q.letter == letter), None)

    def with_overrides(self, **changes: Any) -> Settings:
        known = {f.name for f in fields(self) if f.init}
        return replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


@dataclass(frozen=True)
class Section:
    """One section of the file: the dataclass declaring its keys, and how `clerk init` writes it."""

    name: str
    holder: type  # `Settings` for the station's own sections, else the feature's dataclass
    attr: str = ""  # the `Settings` attribute holding a feature section once read
    comment: str = ""  # written above the section's keys ({default_data_dir} is filled in)
    live: bool = False  # a feature's keys written with their defaults; else commented out, ready to switch on

    @property
    def keys(self) -> tuple[Key, ...]:
        if self.holder is Settings:
            return tuple(k for k in declared(Settings) if k.section == self.name)
        return declared(self.holder, self.name)


# Every section, in the order `clerk init` writes them and the README lists them.
SECTIONS = (
    Section("station", Settings),
    Section("window", Settings),
    Section("clerk", Settings),
    Section("ui", Settings),
    Section("paths", Settings, comment="Leave empty to keep everything in the user data folder:\n{default_data_dir}"),
    Section("lock", LockConfig, "lock", live=True),
    Section("cases", CasesConfig, "cases", live=True),
    Section("backup", BackupConfig, "backup", live=True),
    Section("sync", SyncConfig, "sync"),
    Section("queue", QueuePolicy, "queue_policy"),
    Section("board", BoardConfig, "board"),
    Section("kiosk", KioskConfig, "kiosk"),
    Section("check", CheckConfig, "check"),
    Section("notice", NoticeConfig, "notice"),
    Section("papers", PapersConfig, "papers"),
    Section(
        "queues",
        QueueConfig,
        comment="One [[queues]] table per queue: a capital letter and the name shown to applicants.\n"
        'Optional: matters = ["<implementation or basic code>", ...] and/or departments = '
        '["<department code or name>", ...]:\n'
        "the document check then offers these matters by number for the queue's tickets (else the catalog search).",
    ),
)
# Sections read by the loader itself; the others are kept in `Settings.extra` as written.
_OWN_SECTIONS = frozenset(s.name for s in SECTIONS if not s.attr)


def _parse_queues(raw: Any) -> tuple[QueueConfig, ...]:
    if not isinstance(raw, list) or not raw:
        raise ClerkError("config.bad_value", where="queues", expected="[[queues]]")
    parsed = []
    for i, item in enumerate(raw, 1):
        where = f"queues[{i}]"
        written = table(item, where)
        if "letter" not in written:
            _queue_letter("", f"{where}.letter")
        values = read_keys(declared(QueueConfig, "queues"), written, where)
        parsed.append(QueueConfig(**{"name": values["letter"], **values}))
    letters = [q.letter for q in parsed]
    if len(set(letters)) != len(letters):
        raise ClerkError("config.duplicate_queue", letters=",".join(letters))
    return tuple(parsed)


def parse_settings(data: dict[str, Any], path: Path | None = None) -> Settings:
    """Settings from a parsed config file: every key checked (type, range, choices), so a typo
    stops the start with a clear message."""
    own: dict[str, Any] = {}
    for section in SECTIONS:
        if section.holder is Settings:
            own |= read_keys(section.keys, table(data.get(section.name, {}), section.name), section.name)
    if "queues" in data:
        own["queues"] = _parse_queues(data["queues"])
    settings = Settings(
        **own, config_path=path, extra={k: v for k, v in data.items() if k not in _OWN_SECTIONS}
    )  # reads the feature sections
    for where, letters in (("window.queues", settings.window_queues), ("kiosk.queues", settings.kiosk.queues)):
        for letter in letters:
            if settings.queue(letter) is None:
                raise ClerkError("config.unknown_queue_in", where=where, value=letter)
    return settings


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
    """Every key the program reads, per section: the declared ones."""
    return {s.name: frozenset(k.name for k in s.keys) for s in SECTIONS}


def check_known_keys(data: dict[str, Any], path: Path | None) -> None:
    """A key the program does not read is a typo that would be silently ignored: name it,
    with the nearest known key (in its section, else the section that has it)."""
    import difflib

    known = known_keys()
    where = str(path or "-")

    def suggest(name: str, choices: list[str]) -> str:
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        return close[0] if close else ""

    for section, value in data.items():
        if section not in known:
            guess = suggest(section, sorted(known)) or suggest(section.rstrip("s"), sorted(known))
            raise ClerkError(
                "config.unknown_section",
                path=where,
                section=section,
                suggestion=f"[{guess}]" if guess else ", ".join(f"[{k}]" for k in sorted(known)),
            )
        tables = value if isinstance(value, list) else [value]
        for item in tables:
            if not isinstance(item, dict):
                continue  # a wrong type is reported by the parser, with what was expected
            for name in item:
                if name in known[section]:
                    continue
                guess = suggest(name, sorted(known[section]))
                if guess:
                    hint = f"[{section}] {guess}"
                else:
                    homes = [s for s, keys in sorted(known.items()) if name in keys]
                    hint = f"[{homes[0]}] {name}" if homes else ", ".join(sorted(known[section]))
                raise ClerkError("config.unknown_key", path=where, section=section, name=name, suggestion=hint)


def render_config(settings: Settings) -> str:
    """`clerk init`'s config file for `settings`: every key, each with its comment."""
    from clerk_tui.config.write import config_file

    return config_file(settings)


def markdown_table() -> str:
    """The README's table of keys (between its `config-keys` markers)."""
    from clerk_tui.config.write import markdown_table as table_text

    return table_text()


__all__ = [
    "APP_NAME",
    "BOARD_FIELDS",
    "CONFIG_ENV",
    "LANGUAGES",
    "NOTICE_ENCODINGS",
    "NOTICE_FIELDS",
    "REINSTATE_POLICIES",
    "SECTIONS",
    "SLIP_FIELDS",
    "BackupConfig",
    "BoardConfig",
    "CasesConfig",
    "CheckConfig",
    "KioskConfig",
    "LockConfig",
    "NoticeConfig",
    "PapersConfig",
    "QueueConfig",
    "QueuePolicy",
    "Section",
    "Settings",
    "SyncConfig",
    "check_known_keys",
    "default_config_path",
    "default_data_dir",
    "known_keys",
    "load_settings",
    "markdown_table",
    "parse_settings",
    "render_config",
]
