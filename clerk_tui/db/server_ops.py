"""Operations on a server (PostgreSQL) database: what `clerk check` looks at, and backups
and restores through PostgreSQL's own `pg_dump` and `pg_restore`.

The check reads only (one read-only transaction) and never creates anything: the schema
a server database should have comes from the models (`server_schema`), so it is compared
with what the server holds — tables, unique keys, the guards of the audit trail and the
cases, references between tables — and the rows are checked for what an absent or broken
constraint would have let in (references to no row, duplicated keys). A centre's database
has its references dropped on purpose (`server_schema.drop_reference_constraints`): the
caller decides whether missing references count.

`pg_dump` and `pg_restore` get the connection from the URL as a libpq keyword string
without the password; a password in the URL reaches the child through its `PGPASSWORD`
environment variable only, never its command line (which other accounts may read) or a
log. A password in a service or password file is read by libpq itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Column, Connection, Index, Table, UniqueConstraint, exists, func, inspect, select, text

from clerk_tui.db.errors import StorageError
from clerk_tui.db.meta import META_ROLE, get_meta
from clerk_tui.db.schema import latest_schema_version, schema_version
from clerk_tui.db.server import display_url, open_server_engine, server_url
from clerk_tui.db.server_schema import GUARD_TRIGGERS, server_tables


@dataclass(frozen=True)
class Dangling:
    """Rows of `table` whose `column` points at no row of `target`."""

    table: str
    column: str
    target: str
    rows: int


@dataclass(frozen=True)
class ServerHealth:
    """What `server_health` found; the schema and the rows are looked at only when the
    version is this program's (an older or newer schema differs on purpose)."""

    version: int
    role: str | None = None
    missing: tuple[str, ...] = ()  # tables, unique keys, guards the schema lacks; invalid indexes
    missing_references: tuple[str, ...] = ()  # foreign keys not there (a centre drops them)
    dangling: tuple[Dangling, ...] = ()
    duplicates: tuple[tuple[str, int], ...] = ()  # (table(columns), keys held by more than one row)
    tables: tuple[str, ...] = field(default=(), repr=False)


def server_health(url: str) -> ServerHealth:
    """Connect to the server database and look at its schema and rows, changing nothing.

    Raises the server's `StorageError` when it cannot be reached, refuses the login or is
    too old (`db.server`)."""
    engine = open_server_engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            return _health(conn)
    finally:
        engine.dispose()


def _health(conn: Connection) -> ServerHealth:
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    version = schema_version(conn)
    if version != latest_schema_version():
        return ServerHealth(version, tables=tuple(sorted(present)))
    role = get_meta(conn, META_ROLE)
    missing: list[str] = []
    missing_references: list[str] = []
    unchecked_keys: list[tuple[Table, Sequence[Column[object]], object]] = []
    tables = server_tables().sorted_tables
    for table in tables:
        if table.name not in present:
            missing.append(f"table {table.name}")
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        gone = [c.name for c in table.columns if c.name not in columns]
        if gone:
            missing.append(f"{table.name}({', '.join(gone)})")
            continue
        held = _unique_keys_held(conn, table.name)
        for cols, where in _unique_keys(table):
            if tuple(c.name for c in cols) not in held:
                missing.append(f"unique {table.name}({', '.join(c.name for c in cols)})")
                unchecked_keys.append((table, cols, where))
        fks = {
            (fk["referred_table"], tuple(fk["constrained_columns"])) for fk in inspector.get_foreign_keys(table.name)
        }
        for fk in table.foreign_keys:
            if (fk.column.table.name, (fk.parent.name,)) not in fks:
                missing_references.append(f"{table.name}.{fk.parent.name} -> {fk.column.table.name}")
    missing += [f"guard {name}" for name in _guards_missing(conn)]
    missing += [f"index {name} (invalid)" for name in _invalid_indexes(conn)]
    whole = [t for t in tables if t.name in present]
    dangling = list(_dangling(conn, whole, present))
    duplicates = [
        (f"{table.name}({', '.join(c.name for c in cols)})", count)
        for table, cols, where in unchecked_keys
        if table in whole and (count := _duplicated(conn, cols, where))
    ]
    return ServerHealth(
        version,
        role,
        tuple(missing),
        tuple(missing_references),
        tuple(dangling),
        tuple(duplicates),
        tuple(sorted(present)),
    )


def _unique_keys(table: Table) -> Iterable[tuple[Sequence[Column[object]], object]]:
    """The table's primary key, unique constraints and unique indexes (with the WHERE of a
    partial one): each as (columns, where or None)."""
    yield list(table.primary_key.columns), None
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            yield list(constraint.columns), None
    for index in table.indexes:
        if isinstance(index, Index) and index.unique:
            cols = [c for c in index.columns if isinstance(c, Column)]
            yield cols, index.dialect_options["postgresql"].get("where")


def _unique_keys_held(conn: Connection, table: str) -> set[tuple[str, ...]]:
    """The column lists the server enforces as unique on `table`: valid unique indexes
    (primary keys and unique constraints have one each)."""
    rows = conn.execute(
        text(
            "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indisunique AND i.indisvalid AND c.relname = :t "
            "AND c.relnamespace = current_schema()::regnamespace GROUP BY i.indexrelid"
        ),
        {"t": table},
    ).all()
    return {tuple(row[0]) for row in rows}


def _guards_missing(conn: Connection) -> list[str]:
    """The guard triggers (append-only audit trail, never-deleted cases) absent or disabled."""
    enabled = set(
        conn.execute(
            text(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
                "AND c.relnamespace = current_schema()::regnamespace"
            )
        ).scalars()
    )
    return [name for name in GUARD_TRIGGERS if name not in enabled]


def _invalid_indexes(conn: Connection) -> list[str]:
    """Indexes the server keeps but does not use (a CREATE INDEX CONCURRENTLY that failed)."""
    return list(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace ORDER BY 1"
            )
        ).scalars()
    )


def _dangling(conn: Connection, tables: list[Table], present: set[str]) -> Iterable[Dangling]:
    """Every reference of the models, counted where it points at no row. A constraint the
    server enforces leaves none; one dropped (a centre), disabled or loaded around can."""
    for table in tables:
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            target = fk.column.table
            if target.name not in present:
                continue
            child, parent = table.alias("c"), target.alias("p")
            column, referred = child.c[fk.parent.name], parent.c[fk.column.name]
            rows = conn.execute(
                select(func.count()).select_from(child).where(column.is_not(None), ~exists().where(referred == column))
            ).scalar_one()
            if rows:
                yield Dangling(table.name, fk.parent.name, target.name, int(rows))


def _duplicated(conn: Connection, cols: Sequence[Column[object]], where: object) -> int:
    """How many values of a unique key more than one row holds (NULLs never collide)."""
    query = select(*cols).where(*(c.is_not(None) for c in cols))
    if where is not None:
        query = query.where(where)  # type: ignore[arg-type]
    query = query.group_by(*cols).having(func.count() > 1)
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def server_is_empty(url: str) -> bool:
    """Whether the server database holds no table at all (a new `createdb`)."""
    engine = open_server_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


# --- pg_dump / pg_restore ------------------------------------------------------------------


DEBIAN_FOLDERS = Path("/usr/lib/postgresql")  # Debian and Ubuntu keep each major version's programs here


class ToolMissing(StorageError):
    """PostgreSQL's client program (`pg_dump`, `pg_restore`) is not installed here;
    `path` is its name."""

    clerk_key = "server.no_pg_tool"


class ToolFailed(StorageError):
    """`pg_dump` or `pg_restore` ran and failed; `str()` is its own last words."""


def pg_program(name: str) -> str | None:
    """Where PostgreSQL's program `name` is: on the PATH, else in Debian's versioned
    folders (`/usr/lib/postgresql/<major>/bin`, the newest first); None when nowhere."""
    found = shutil.which(name)
    if found is not None:
        return found
    for folder in sorted(DEBIAN_FOLDERS.glob("*/bin"), key=_major, reverse=True):
        if (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return str(folder / name)
    return None


def _major(folder: Path) -> int:
    name = folder.parent.name
    return int(name) if name.isdigit() else 0


def _program(name: str) -> str:
    found = pg_program(name)
    if found is None:
        raise ToolMissing(name, name)
    return found


def child_connection(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string for a child program (no password in it), and the
    child's environment: this one's, with `PGPASSWORD` when the URL has a password."""
    from psycopg.conninfo import make_conninfo

    parsed = server_url(url)
    _args, params = parsed.get_dialect()().create_connect_args(parsed)
    password = params.pop("password", None)
    params.setdefault("connect_timeout", 5)
    conninfo = make_conninfo("", **{k: str(v) for k, v in params.items() if v is not None})
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return conninfo, env


def _run(name: str, args: list[str], url: str) -> None:
    program = _program(name)
    conninfo, env = child_connection(url)
    done = subprocess.run(
        [program, f"--dbname={conninfo}", *args],
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise ToolFailed(_last_words(done.stderr, url), display_url(server_url(url)))


def _last_words(stderr: str, url: str) -> str:
    """The program's error in one line, the URL's password masked should it appear."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    words = (errors or lines or ["exit status non-zero"])[0]
    password = server_url(url).password
    if password:
        words = words.replace(str(password), "***")
    return re.sub(r"\s+", " ", words)


def dump_server(url: str, target: Path) -> None:
    """`pg_dump -Fc` of the server database into `target` (PostgreSQL's custom format: a
    consistent snapshot, compressed; `pg_restore` reads it). Raises `ToolMissing` or
    `ToolFailed`."""
    _run("pg_dump", ["--format=custom", f"--file={target}"], url)


def dump_problem(file: Path) -> str | None:
    """Why `file` is no dump `pg_restore` can read (its words), or None when it is one."""
    program = _program("pg_restore")
    done = subprocess.run(
        [program, "--list", str(file)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    return lines[0] if lines else f"pg_restore --list: exit status {done.returncode}"


def restore_server(url: str, file: Path) -> None:
    """Replace everything in the server database with the dump `file`, in one transaction:
    a failure part-way leaves the database as it was. Owners and grants of the machine the
    dump was made on are not carried over. Raises `ToolMissing` or `ToolFailed`."""
    _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(file),
        ],
        url,
    )
