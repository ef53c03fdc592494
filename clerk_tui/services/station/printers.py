"""The hall's own printers: the system's default A4 printer and an ESC/POS receipt printer.

Used when `[notice] print_command` is empty (a configured command wins, as before):
- A4: on Windows the shell's print verb on the saved HTML file (`os.startfile(path,
  "print")`, or "printto" a named printer); elsewhere `lp` (CUPS) when it is installed,
  given the plain-text A4 rendering (CUPS has no HTML filter).
- Receipt: `[papers] receipt_printer` through python-escpos, USB (`usb:VID:PID`), network
  (`net:HOST[:PORT]`, the one network use, and only to the address configured), a Linux
  printer device (`file:/dev/usb/lp0`) or a Windows printer queue (`win:NAME`); the text
  goes out as GB18030 in the printer's Chinese character mode.

Every failure (no printer, offline, out of paper, a timeout) is one `ClerkError` line in
the clerk's language. Nothing here touches the database: the caller has saved the paper
before printing, so a failure leaves it in the reprint list and the case as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_tui.errors import ClerkError

# ESC/POS: FS & selects the Chinese (double-byte) character mode the GB18030 text needs,
# then a few blank lines so the cut does not go through the last line.
CHINESE_MODE = b"\x1c\x26"
FEED_BEFORE_CUT = 4


@dataclass(frozen=True)
class Printout:
    """What one paper looks like on each printer."""

    number: str
    receipt: str  # receipt-width text
    html_path: Path  # the A4 page (Windows prints it)
    a4_text_path: Path  # the A4 page as plain text (lp prints it)


def targets(output: str, receipt_printer: str) -> tuple[str, ...]:
    """Which printers a paper goes to: `[papers] output` resolved."""
    if output == "auto":
        return ("receipt",) if receipt_printer else ("a4",)
    if output == "both":
        return ("a4", "receipt")
    return (output,)


# --- A4 on the system's printer ---------------------------------------------------------------


def system_printer() -> str | None:
    """How this machine prints a file: "windows", the path of `lp`, or None (no printing)."""
    if sys.platform == "win32":
        return "windows"
    return shutil.which("lp")


def print_a4(out: Printout, printer_name: str, timeout: int) -> bool:
    """Send the A4 page to the system's printer; False when this machine cannot print."""
    how = system_printer()
    if how is None:
        return False
    if how == "windows":  # pragma: no cover - runs on Windows only
        _print_windows(out.html_path, printer_name)
        return True
    args = [how]
    if printer_name:
        args += ["-d", printer_name]
    args += ["-t", out.number, "--", str(out.a4_text_path)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise ClerkError("papers.a4_timeout", seconds=timeout) from exc
    except OSError as exc:
        raise ClerkError("papers.a4_failed", reason=exc.strerror or str(exc)) from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise ClerkError("papers.a4_failed", reason=lines[-1] if lines else f"exit {done.returncode}")
    return True


def _print_windows(path: Path, printer_name: str) -> None:  # pragma: no cover - Windows only
    startfile: Any = getattr(os, "startfile", None)
    if startfile is None:
        raise ClerkError("papers.a4_failed", reason="os.startfile")
    try:
        if printer_name:
            startfile(str(path), "printto", f'"{printer_name}"')
        else:
            startfile(str(path), "print")
    except OSError as exc:
        raise ClerkError("papers.a4_failed", reason=exc.strerror or str(exc)) from exc


# --- receipts on an ESC/POS printer ------------------------------------------------------------


def open_receipt_printer(spec: str, timeout: int) -> Any:
    """A python-escpos printer for `[papers] receipt_printer` (checked when the settings load)."""
    from escpos import printer as escpos_printer

    kind, _, rest = spec.partition(":")
    if kind == "usb":
        vendor, product = (int(p, 0) for p in rest.split(":"))
        return escpos_printer.Usb(vendor, product, timeout=timeout * 1000)
    if kind == "net":
        host, _, port = rest.partition(":")
        return escpos_printer.Network(host, int(port or 9100), timeout=timeout)
    if kind == "file":
        return escpos_printer.File(rest)
    if kind == "win":  # pragma: no cover - Windows only
        return escpos_printer.Win32Raw(rest)
    raise ClerkError("papers.receipt_missing", printer=spec)


def write_receipt(device: Any, text: str) -> None:
    """The receipt's bytes on an open python-escpos printer: reset, Chinese mode, GB18030, cut."""
    device.hw("INIT")
    device._raw(CHINESE_MODE)
    body = text.rstrip("\n").replace("\n", "\r\n") + "\r\n"
    device._raw(body.encode("gb18030", errors="replace"))
    device.ln(FEED_BEFORE_CUT)
    device.cut()


STATUS_SECONDS = 2  # how long a printer may take to answer "online? paper?"


def _status_problem(device: Any) -> str | None:
    """ "offline" / "no_paper" when the printer says so; None when fine or when it cannot tell
    (printers that do not answer status queries still print). A silent printer is asked for
    at most STATUS_SECONDS, not the whole print timeout."""
    import socket

    sock = getattr(device, "_device", None)
    saved_socket = sock.gettimeout() if isinstance(sock, socket.socket) else None
    saved_usb = getattr(device, "timeout", None) if not isinstance(sock, socket.socket) else None
    try:
        if isinstance(sock, socket.socket):
            sock.settimeout(STATUS_SECONDS)
        elif isinstance(saved_usb, int | float):
            device.timeout = STATUS_SECONDS * 1000
        if not device.is_online():
            return "offline"
        if device.paper_status() == 0:
            return "no_paper"
    except Exception:  # any failure to ask is "cannot tell", never a block
        return None
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(saved_socket)
        elif isinstance(saved_usb, int | float):
            device.timeout = saved_usb
    return None


def print_receipt(spec: str, text: str, timeout: int, *, device: Any = None) -> None:
    """Print `text` on the receipt printer `spec` (or on `device`, already open: the tests')."""
    from escpos.exceptions import DeviceNotFoundError
    from escpos.exceptions import Error as EscposError

    printer: Any = device
    try:
        if printer is None:
            printer = open_receipt_printer(spec, timeout)
            printer.open()
        if spec.startswith(("net:", "usb:")):  # these answer status queries; a device file does not
            problem = _status_problem(printer)
            if problem is not None:
                raise ClerkError(f"papers.receipt_{problem}", printer=spec)
        write_receipt(printer, text)
    except ClerkError:
        raise
    except DeviceNotFoundError as exc:
        raise ClerkError("papers.receipt_missing", printer=spec) from exc
    except TimeoutError as exc:
        raise ClerkError("papers.receipt_timeout", printer=spec, seconds=timeout) from exc
    except (EscposError, OSError, RuntimeError) as exc:
        lines = str(exc).strip().splitlines()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else (lines[-1] if lines else "?")
        raise ClerkError("papers.receipt_failed", printer=spec, reason=reason) from exc
    finally:
        if device is None and printer is not None:
            with contextlib.suppress(Exception):  # closing a broken connection is best effort
                printer.close()


def print_out(out: Printout, *, output: str, a4_printer: str, receipt_printer: str, timeout: int) -> bool:
    """Send a paper where `[papers] output` says; False when nothing could be sent anywhere
    (no receipt printer, no system printer): the clerk prints the saved file by hand."""
    sent = False
    for target in targets(output, receipt_printer):
        if target == "receipt":
            if not receipt_printer:
                raise ClerkError("papers.no_receipt_printer")
            print_receipt(receipt_printer, out.receipt, timeout)
            sent = True
        else:
            sent = print_a4(out, a4_printer, timeout) or sent
    return sent
