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
    def notices_path(self) -> Path:
        return self.notices_dir or self.data_dir / "notices"

    @property
    def exports_path(self) -> Path:
        return self.exports_dir or self.data_dir / "exports"

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


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the config file; defaults when there is none yet."""
    path = path or default_config_path()
    if not path.exists():
        return Settings(config_path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ClerkError("config.unreadable", path=str(path), reason=str(exc)) from exc
    except OSError as exc:
        raise ClerkError("config.unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    return parse_settings(data, path)


CONFIG_TEMPLATE = """\
# clerk-tui station configuration. Written by `clerk init`; edit and restart the app.

[station]
id = "{station_id}"            # unique per station: it travels in every export bundle
name = "{station_name}"
contact = "{station_contact}"  # office address / phone printed on notices

[window]
number = {window_no}
# queues = ["A", "B"]          # letters this window calls; leave out to serve all

[clerk]
staff_no = "{clerk_no}"        # 工号, recorded on every ticket call and case
name = "{clerk_name}"

[ui]
language = "{language}"        # zh (简体中文) or en

[paths]
# Leave empty to keep everything in the user data folder:
# {data_dir}
database = "{database}"
notices = "{notices}"
exports = "{exports}"

[lock]
idle_minutes = 5               # lock the screen after this many idle minutes (0 = never); PIN: clerk pin

[backup]
keep = 7                       # daily backups kept in the data folder's backups/ (0 = none)

# One [[queues]] table per queue: a capital letter and the name shown to applicants.
{queues}
"""


def render_config(settings: Settings) -> str:
    def toml_str(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"')

    queues = "\n".join(
        f'[[queues]]\nletter = "{q.letter}"\nname = "{toml_str(q.name)}"\nname_en = "{toml_str(q.name_en)}"\n'
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
        data_dir=toml_str(str(settings.data_dir)),
        database=toml_str(str(settings.database or "")),
        notices=toml_str(str(settings.notices_dir or "")),
        exports=toml_str(str(settings.exports_dir or "")),
        queues=queues,
    )
