"""The throwaway PostgreSQL cluster stops when the test session that started it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

START = """
import sys
from tests.pg_cluster import Cluster
cluster = Cluster(template=False)
cluster.start()
print(cluster.data, flush=True)
sys.stdin.read()  # until killed
"""


def _server_pid(data: Path) -> int | None:
    pid_file = data / "postmaster.pid"
    try:
        return int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A stopped server's process may linger as a zombie until its parent (init) reaps it.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def test_a_killed_session_leaves_no_server_running() -> None:
    root = Path(__file__).resolve().parents[2]
    session = subprocess.Popen(
        [sys.executable, "-c", START], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert session.stdout is not None
    data = Path(session.stdout.readline().strip())
    pid = _server_pid(data)
    assert pid is not None and _running(pid)
    session.send_signal(signal.SIGKILL)  # no atexit, no fixture teardown
    session.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (_running(pid) or data.parent.exists()):
        time.sleep(0.5)
    assert not _running(pid), "the server outlived the session that started it"
    assert not data.parent.exists()
