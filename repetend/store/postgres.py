"""The PostgreSQL backend: a team's store, the SQLite store's methods on a connection pool.

`PostgreSQLStore` is `SQLiteStore` with the connection swapped: every method
(and every method another feature adds to the SQLite store) runs unchanged,
its SQL translated by `dialect` and its rows read by name as SQLite's are. The
same migrations run on both. Needs the `postgres` extra (psycopg 3 and
psycopg_pool); select it with `store: postgresql://…` or `REPETEND_STORE`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from repetend.errors import StoreError
from repetend.events import Event, Execution
from repetend.store.migrations import migrate
from repetend.store.postgres_connection import (
    PostgreSQLCursorConnection,
    TableInfo,
    lock_key,
)
from repetend.store.sqlite import SQLiteStore
from repetend.store.sqlite_connection import LOCK_PATIENCE

T = TypeVar("T")
RETRIED = ("40001", "40P01")  # serialization failure, deadlock: the transaction is run again


def shown_address(url: str) -> str:
    """The address without its password, for messages and `location`."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, ""))


class PostgreSQLConnection:
    """A pool of connections to one database (and schema), written in locked transactions."""

    dialect = "postgresql"

    def __init__(self, url: str, *, patience: float = LOCK_PATIENCE) -> None:
        self.url = url
        self.location = shown_address(url)
        self.patience = patience
        self.deadline: float | None = None
        self._local = threading.local()  # the connection of a transaction under way
        self._pool = self._open_pool()
        self._tables = TableInfo(self._pool)
        self._key = lock_key(self._schema())
        self._write(migrate)
        self._tables.forget()

    def _open_pool(self) -> Any:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError as error:
            raise StoreError(
                f"store: {self.location} is a PostgreSQL address; install the postgres extra"
                " (pip install 'repetend[postgres]')"
            ) from error
        wait = min(self.patience, 30.0)
        try:  # one connection first: a server that is not there is one line, at once
            psycopg.connect(self.url, connect_timeout=max(int(wait), 1)).close()
        except psycopg.Error as error:
            raise StoreError(
                f"{self.location}: cannot reach the PostgreSQL team store ({_line(error)})"
            ) from error
        _quiet_pool_log()
        try:
            pool = ConnectionPool(
                self.url,
                min_size=1,
                max_size=4,
                kwargs={"autocommit": True, "connect_timeout": max(int(wait), 1)},
                configure=_configure,
                open=False,
                name="repetend",
            )
            pool.open(wait=True, timeout=wait)
        except Exception as error:
            raise StoreError(
                f"{self.location}: cannot reach the PostgreSQL team store ({_line(error)})"
            ) from error
        return pool

    def _unreachable(self, error: BaseException) -> StoreError:
        reason = _line(error)
        return StoreError(f"{self.location}: cannot reach the PostgreSQL team store ({reason})")

    def _schema(self) -> str:
        with self._pool.connection() as connection:
            return str(connection.execute("SELECT current_schema()").fetchone()[0])

    def close(self) -> None:
        """Release the pool's connections."""
        self._pool.close()

    @contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        """Bound the total time every write inside the block waits for the store."""
        self.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self.deadline = None

    def _left(self) -> float:
        deadline = time.monotonic() + self.patience
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        return max(deadline - time.monotonic(), 0.001)

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one write transaction, run again on a serialization failure."""
        import psycopg

        started = time.monotonic()
        while True:
            try:
                with self.transaction() as db:
                    return work(db)
            except StoreError as error:
                cause = error.__cause__
                code = getattr(cause, "sqlstate", None)
                if code not in RETRIED or time.monotonic() - started > self._left():
                    raise
            except psycopg.Error as error:  # raised by `work` itself, outside the wrapper
                raise StoreError(f"{self.location}: cannot write ({error})") from error

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: the schema's advisory lock first, as `BEGIN IMMEDIATE` is."""
        import psycopg

        current = getattr(self._local, "db", None)
        if current is not None:  # nested: the outer transaction holds the lock
            yield current
            return
        left = self._left()
        try:
            with self._pool.connection(timeout=left) as connection, connection.transaction():
                timeout = int(left * 1000)
                connection.execute(f"SET LOCAL lock_timeout = {timeout}")
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (self._key,))
                db = PostgreSQLCursorConnection(connection, self._tables)
                self._local.db = db
                try:
                    yield cast(sqlite3.Connection, db)
                finally:
                    self._local.db = None
        except psycopg.Error as error:
            raise StoreError(
                f"{self.location}: cannot write to the event store ({error})"
            ) from error
        except Exception as error:
            if type(error).__module__.startswith("psycopg_pool"):
                raise StoreError(f"{self.location}: the team store is busy ({error})") from error
            raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        import psycopg

        current = getattr(self._local, "db", None)
        try:
            if current is not None:
                return cast(list[sqlite3.Row], current.execute(sql, params).fetchall())
            with self._pool.connection(timeout=self._left()) as connection:
                db = PostgreSQLCursorConnection(connection, self._tables)
                return cast(list[sqlite3.Row], db.execute(sql, params).fetchall())
        except psycopg.Error as error:
            raise StoreError(
                f"{self.location}: cannot read the event store ({_line(error)})"
            ) from error

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Read rows with `?` parameters, for features that keep tables of their own."""
        return self._query(sql, params)

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A connection for a long read of its own (a reader thread's), outside any write."""
        with self._pool.connection() as connection:
            yield cast(sqlite3.Connection, PostgreSQLCursorConnection(connection, self._tables))


class PostgreSQLStore(PostgreSQLConnection, SQLiteStore):
    """A store in a PostgreSQL database: the SQLite store's methods on the PostgreSQL connection.

    `stamp` is who and where (user, machine, remote, branch) as `open_store` found them:
    events and executions written straight into this shared store carry them, as the rows
    `repetend sync` pushes do (a row that came with its own who keeps it).
    """

    stamp: tuple[str, str, str, str] | None = None

    def add_events(self, events: Sequence[Event]) -> list[int]:
        """Store events, stamped with who and where (see `stamp`)."""
        ids = super().add_events(events)
        self._stamp("events", ids)
        return ids

    def add_executions(self, executions: Sequence[Execution]) -> list[int]:
        """Store executions, stamped with who and where (see `stamp`)."""
        ids = super().add_executions(executions)
        self._stamp("executions", ids)
        return ids

    def _stamp(self, table: str, ids: list[int]) -> None:
        stamp = self.stamp
        if stamp is None or not ids:
            return
        marks = ",".join("?" * len(ids))
        sql = (
            f"UPDATE {table} SET user_name = ?, machine = ?, remote = ?, branch = ?"
            f" WHERE user_name = '' AND sync_key IS NULL AND id IN ({marks})"
        )
        self._write(lambda db: db.execute(sql, (*stamp, *ids)))

    def data_version(self) -> int:
        """A number that changes once the database has been written to (by anyone).

        SQLite's `PRAGMA data_version` has no PostgreSQL twin; the write-ahead log's
        position moves with every committed write, which is all a cache needs to know.
        """
        rows = self._query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        return int(rows[0][0])


def _line(error: BaseException) -> str:
    """The first line of a driver's message (libpq's run over several)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _quiet_pool_log() -> None:
    """The pool logs each failed attempt; the store raises one `StoreError` instead."""
    import logging

    log = logging.getLogger("psycopg.pool")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = False


def _configure(connection: Any) -> None:
    """Each new connection: numbers read as Python numbers, text without NUL characters."""
    from repetend.store.postgres_types import register

    register(connection)
