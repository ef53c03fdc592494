"""Service and storage tests run on both stores: the embedded SQLite file and PostgreSQL.

A test that depends on a station's database (through the `settings` fixture) runs once per
store, named `[sqlite]` / `[postgresql]`; one about the SQLite file itself (its pragmas,
file modes, WAL) is marked `sqlite_only`.
"""

from __future__ import annotations

import pytest

from tests.conftest import STORES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("store", ("sqlite",) if only_sqlite else STORES)
