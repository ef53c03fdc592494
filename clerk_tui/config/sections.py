"""The feature sections of the config file, one frozen dataclass each, every key declared once.

A field is a key: its default, range and comment are in the `key(...)` call (see `keys.py`).
A new setting is a new field here; the loader, `clerk init`'s file, the list of known keys
and the README table pick it up (register a new section in `SECTIONS`, `config/__init__.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from clerk_tui.config.keys import command_check, key, optional_path
from clerk_tui.errors import ClerkError

REINSTATE_POLICIES = ("end", "after")
BOARD_FIELDS = {"number": "A001", "window": 1, "queue": "A", "queue_name": "A"}
SLIP_FIELDS = {"number": "A001", "queue": "A", "queue_name": "A", "ahead": 0, "time": "09:30"}
NOTICE_FIELDS = {"txt": "/tmp/x.txt", "html": "/tmp/x.html", "number": "BZ-20261124-01-001"}
NOTICE_ENCODINGS = ("utf-8", "gb18030")


def _reasons(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    if not all(v.strip() for v in values):
        raise ClerkError("config.bad_value", where=where, expected="[text]")
    return tuple(v.strip() for v in values)


def _board_template(value: str, where: str) -> str:
    try:
        value.format(**BOARD_FIELDS)
    except (KeyError, IndexError) as exc:
        raise ClerkError("config.bad_placeholder", where=where, name=str(exc).strip("'")) from exc
    except ValueError as exc:
        raise ClerkError("config.bad_value", where=where, expected="text with {number} {window}") from exc
    return value


def _hours(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    """Opening hours as "HH:MM-HH:MM" spans (start before end), kept as written."""
    if not values:
        raise ClerkError("config.bad_value", where=where, expected='["09:00-12:00", "13:30-17:00"]')
    spans = []
    for value in values:
        start, _, end = value.strip().partition("-")
        try:
            times = [time.fromisoformat(s.strip()) for s in (start, end)]
        except ValueError:
            times = []
        if len(times) != 2 or times[0] >= times[1] or any(len(s.strip()) != 5 for s in (start, end)):
            raise ClerkError("config.bad_value", where=where, expected='["09:00-12:00", "13:30-17:00"]')
        spans.append(f"{start.strip()}-{end.strip()}")
    return tuple(spans)


def _lower(value: str, where: str) -> str:
    return value.lower()


@dataclass(frozen=True)
class LockConfig:
    idle_minutes: int = key(5, "lock the screen after this many idle minutes (0 = never); PIN: clerk pin", low=0)


@dataclass(frozen=True)
class CasesConfig:
    follow_up_days: int = key(5, "working days to call back after a bad rating (德州 5, 四川 15)", low=1, high=60)
    due_soon_days: int = key(3, "pending list: promised cases due within this many working days", low=0, high=60)
    opening_hours: tuple[str, ...] = key(
        ("09:00-17:00",),
        "the hall's opening hours, HH:MM-HH:MM spans; a case received outside them is 延时服务 in the reports",
        expected='["HH:MM-HH:MM"]',
        check=_hours,
        high=8,
    )


@dataclass(frozen=True)
class BackupConfig:
    keep: int = key(7, "daily backups kept in backups/ beside the database (0 = none)", low=0)


@dataclass(frozen=True)
class SyncConfig:
    folder: Path | None = key(
        "",
        "where clerk export writes bundles (default: the exports path);\n"
        "a folder chosen with --to or on the Sync screen is remembered",
        example="/media/usb",
        convert=optional_path,
    )
    # Centre: bundles not encrypted to the centre's key (a station that has not imported it
    # yet) are refused unless this is on; they must still be signed by an enrolled station.
    accept_unencrypted: bool = key(
        False, "centre: merge signed bundles that are not encrypted (enrolled stations only)"
    )
    # Station: catalog, calendar and appointment files must carry the centre's signature
    # (FILE.sig). Only for an install with no centre yet; the bundled data is trusted anyway.
    unsigned_updates: bool = key(
        False, "station: import catalog/calendar/appointment files without the centre's signature"
    )


@dataclass(frozen=True)
class QueuePolicy:
    """How calling orders tickets (`[queue]`)."""

    priority_streak: int = key(
        3,
        "after this many green/transferred/appointment calls in a row, call the oldest normal ticket (0 = never)",
        low=0,
        high=100,
    )
    appointment_early_minutes: int = key(
        10, "an appointment ticket can be called from this many minutes before its slot", low=0, high=240
    )
    appointment_grace_minutes: int = key(
        30, "...and keeps its priority until this many minutes after it; then it waits as normal", low=0, high=1440
    )
    reinstate: str = key(
        "end",
        'a reinstated no-show (过号) goes to the end of its queue; "after" = after reinstate_after tickets',
        choices=REINSTATE_POLICIES,
    )
    reinstate_after: int = key(3, 'with reinstate = "after": how many waiting tickets it goes behind', low=0, high=999)
    pause_reasons: tuple[str, ...] = key(
        (),
        "reasons offered when the window pauses; leave out for the built-in list",
        expected="[text]",
        check=_reasons,
        example=("休息", "会议", "业务咨询", "系统故障"),
    )


@dataclass(frozen=True)
class BoardConfig:
    """The hall's calling board (`[board]`)."""

    template: str = key(
        "",
        "the call as shown and announced; also {queue} (letter) and {queue_name}; empty: the language's default",
        check=_board_template,
        example="请{number}号到{window}号窗口办理",
    )
    recent: int = key(6, "earlier calls listed under the latest one", low=0, high=20)
    poll_seconds: float = key(0.5, "how often the board looks for new calls", low=0.1, high=5)
    bell: bool = key(True, "ring the terminal bell on each call")
    announce_command: str = key(
        "", 'run on each call, without a shell, e.g. "espeak-ng -v zh {text}"', check=command_check(BOARD_FIELDS)
    )


@dataclass(frozen=True)
class KioskConfig:
    """The self-service ticket kiosk (`[kiosk]`)."""

    queues: tuple[str, ...] = key(
        (),
        "businesses offered (number keys 1-9); leave out for all queues",
        high=9,
        expected='["A", ...] (at most 9)',
        example=("A", "B"),
    )
    show_seconds: int = key(10, "how long the new number stays on screen", low=1, high=120)
    print_command: str = key(
        "",
        'prints the slip, e.g. "lp -d slip"; the slip text arrives on stdin,\n'
        "arguments may use {number} {queue} {queue_name} {ahead} {time}",
        check=command_check(SLIP_FIELDS),
    )


@dataclass(frozen=True)
class CheckConfig:
    """The document check (`[check]`)."""

    instant_rongque_days: int = key(
        5, "容缺 for a 即办件 (no promised limit): materials due within this many working days", low=0, high=60
    )


@dataclass(frozen=True)
class NoticeConfig:
    """One-time notices: receipt width, print command (`[notice]`)."""

    width: int = key(
        32,
        "receipt printer line width in cells (a Chinese character takes 2): 58 mm = 32, 80 mm = 48",
        low=24,
        high=160,
    )
    office: str = key("", "issuing office printed on notices; empty = the station name")
    print_command: str = key(
        "",
        'e.g. "lp -d window-printer"; run without a shell; the receipt text arrives on stdin,\n'
        "arguments may use {txt} {html} (the saved files) and {number}",
        check=command_check(NOTICE_FIELDS),
    )
    encoding: str = key(
        "utf-8",
        "bytes sent to the printer: utf-8 or gb18030 (many Chinese receipt printers)",
        check=_lower,
        choices=NOTICE_ENCODINGS,
    )
    print_timeout: int = key(20, "seconds before a hanging print command is stopped", low=1, high=600)


PAPER_OUTPUTS = ("auto", "a4", "receipt", "both")
RECEIPT_PRINTER_KINDS = ("usb", "net", "file", "win")


def _receipt_printer(value: str, where: str) -> str:
    """`usb:VID:PID`, `net:HOST[:PORT]`, `file:/dev/usb/lp0` or `win:PRINTER NAME`."""
    if not value:
        return value
    kind, _, rest = value.partition(":")
    ok = kind in RECEIPT_PRINTER_KINDS and bool(rest)
    if ok and kind == "usb":
        parts = rest.split(":")
        try:
            ok = len(parts) == 2 and all(0 < int(p, 0) <= 0xFFFF for p in parts)
        except ValueError:
            ok = False
    if ok and kind == "net":
        host, _, port = rest.partition(":")
        ok = bool(host) and (not port or (port.isdigit() and 0 < int(port) < 65536))
    if not ok:
        raise ClerkError(
            "config.bad_value", where=where, expected="usb:0x0416:0x5011 | net:192.168.1.50:9100 | file:/dev/usb/lp0"
        )
    return value


@dataclass(frozen=True)
class PapersConfig:
    """The papers a window hands over, and the hall's printers (`[papers]`)."""

    templates: Path | None = key(
        "",
        "a folder with the station's own paper templates (zh/acceptance.txt ...); missing ones: the bundled",
        convert=optional_path,
    )
    output: str = key(
        "auto",
        "what printing sends when [notice] print_command is empty: a4 (system default printer), receipt,\n"
        "both, or auto (the receipt printer if one is set, else A4)",
        choices=PAPER_OUTPUTS,
    )
    a4_printer: str = key("", "the A4 printer's name; empty = the system's default printer")
    receipt_printer: str = key(
        "",
        "ESC/POS receipt printer, text sent as GB18030: usb:VID:PID, net:HOST[:PORT], file:/dev/usb/lp0\n"
        "or win:PRINTER NAME; empty = none",
        check=_receipt_printer,
        example="net:192.168.1.50:9100",
    )
    delivery: str = key("", "how and where results are handed over (受理通知书); empty: the template's wording")
    progress_query: str = key("", "how applicants ask about progress; empty: the template's wording")
    reconsideration_body: str = key(
        "", "不予受理: where to apply for 行政复议 (e.g. XX区人民政府); empty: the template's wording"
    )
    court: str = key("", "不予受理: the court for 行政诉讼 (e.g. XX区人民法院); empty: the template's wording")
