"""Every store test runs on both backends: SQLite, and PostgreSQL on a throw-away cluster.

The cluster is made once per test session (per xdist worker) from the system's
PostgreSQL binaries on a private socket folder and removed at the end; each test
gets a database of its own. Where no server can start the PostgreSQL half skips
with the reason, unless REQUIRE_POSTGRES_TESTS is set (`.ci/run` sets it once it
has installed PostgreSQL): then it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repetend.store.sqlite import SQLiteStore
from tests.pg_cluster import Cluster, pg_cluster

BACKENDS = ("sqlite", "postgresql")
__all__ = ["open_address", "pg_cluster"]  # pg_cluster: the session fixture, shared


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test."""
    return str(request.param)


@pytest.fixture
def store_address(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """What `store:` says for this backend: a SQLite path, or a new PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / ".repetend" / "repetend.db")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.url()


@pytest.fixture
def store(store_address: str) -> Iterator[SQLiteStore]:
    """An open store of the backend under test."""
    opened = open_address(store_address)
    yield opened
    opened.close()


def open_address(address: str) -> SQLiteStore:
    """The store at a SQLite path or a PostgreSQL address."""
    if address.startswith("postgresql://"):
        from repetend.store.postgres import PostgreSQLStore

        return PostgreSQLStore(address)
    return SQLiteStore(Path(address))
