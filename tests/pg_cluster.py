"""A throwaway PostgreSQL cluster for the tests: `initdb` + `pg_ctl` on a private socket.

Every test on the server store gets its own database, copied from a template that already
holds the migrated schema (a copy takes milliseconds; migrating takes a second). Each
pytest-xdist worker starts its own cluster in a temporary folder and stops it at the end.

The server refuses to run as root: when the tests run as root (CI), the cluster is made
and run by an unprivileged account (`postgres` if the machine has it, else `nobody`)
through `runuser`. When PostgreSQL's programs are missing or the cluster cannot start,
the tests that need it fail with the reason; they are never skipped.

A test session killed from outside (a CI timeout, Ctrl+C twice, SIGKILL) never reaches
`stop`: a watchdog process, started with the server in a session of its own, stops the
server and removes its folder once the process that started it is gone.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TEMPLATE = "clerk_template"
# Run by `python -c`: argv = parent pid, pg_ctl, data folder, root folder, user or "".
WATCHDOG = """
import os, shutil, subprocess, sys, time
parent, pg_ctl, data, root, user = int(sys.argv[1]), *sys.argv[2:6]

def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

while alive(parent) and os.path.isdir(data):
    time.sleep(1)
if os.path.isdir(data):  # the tests died without stopping their server
    command = [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]
    subprocess.run((["runuser", "-u", user, "--"] if user else []) + command, capture_output=True, check=False)
    shutil.rmtree(root, ignore_errors=True)
"""


def _unprivileged_user() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no unprivileged account (postgres, nobody) to run PostgreSQL")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (folder / name).exists():
                return str(folder / name)
        raise RuntimeError(f"PostgreSQL's {name} is not on the PATH: install the PostgreSQL server (14 or newer)")
    return found


class Cluster:
    """`auth`: how the server checks a login ("trust" for the shared test cluster;
    "scram-sha-256" with `password` for the tests of a wrong password). `template`: make
    the migrated template database the shared cluster copies for each test."""

    def __init__(self, *, auth: str = "trust", password: str | None = None, template: bool = True) -> None:
        self.auth = auth
        self.password = password
        self.with_template = template
        self.user = _unprivileged_user()
        self.root = Path(tempfile.mkdtemp(prefix="clerk-pg-"))
        self.data = self.root / "data"
        self.socket = self.root  # short path: a socket path must fit in ~100 bytes
        self.log = self.root / "server.log"
        self.port = 5432
        self._names = itertools.count(1)
        if self.user:
            shutil.chown(self.root, self.user)
        os.chmod(self.root, 0o700)

    def _run(self, *args: str) -> None:
        command = [*args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()} {done.stdout.strip()} {log}")

    def start(self) -> None:
        password_file = []
        if self.password is not None:
            pwfile = self.root / "pwfile"
            pwfile.write_text(self.password + "\n")
            if self.user:
                shutil.chown(pwfile, self.user)
            password_file = [f"--pwfile={pwfile}"]
        self._run(
            _program("initdb"),
            "-D",
            str(self.data),
            "-U",
            "clerk",
            f"--auth={self.auth}",
            *password_file,
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._run(
            _program("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            self._options(),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        self._watch()
        if self.with_template:
            self._template()

    def _watch(self) -> None:
        import sys

        args = [str(os.getpid()), _program("pg_ctl"), str(self.data), str(self.root), self.user or ""]
        subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a signal to the tests' process group leaves it running
        )

    def restart(self) -> None:
        """Stop the server (every connection dropped) and start it again, as a server
        restarted at night or after an update does."""
        self._run(
            _program("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            self._options(),
            "-l",
            str(self.log),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "restart",
        )

    def _options(self) -> str:
        return (
            f"-c listen_addresses='' -c unix_socket_directories={self.socket} -p {self.port} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=32MB"
        )

    def url(self, database: str, password: str | None = None) -> str:
        """The database's URL; with `password`, written into the URL (as a clerk might)."""
        login = "clerk" if password is None else f"clerk:{password}"
        return f"postgresql://{login}@/{database}?host={self.socket}&port={self.port}"

    def admin(self, statement: str, database: str = "postgres") -> list[tuple]:  # type: ignore[type-arg]
        """Run one statement as the cluster's superuser, outside any transaction."""
        import psycopg

        with psycopg.connect(self.url(database, self.password), autocommit=True) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def _template(self) -> None:
        from clerk_tui.db import open_database

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        open_database(self.url(TEMPLATE)).dispose()

    def new_database(self) -> str:
        """A fresh database holding the migrated, empty schema; returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run(_program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
