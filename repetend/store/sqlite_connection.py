"""The SQLite connection: WAL, a busy timeout, short `BEGIN IMMEDIATE` transactions.

Many processes write at once (pytest-xdist workers, git hooks, the watcher):
every write takes the write lock up front (`BEGIN IMMEDIATE`) so no reader
ever has to upgrade, SQLite's busy handler waits for the lock, and a write
that still meets "database is locked" is retried until `LOCK_PATIENCE` runs out.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from repetend.errors import StoreError, reason
from repetend.store.migrations import migrate

T = TypeVar("T")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
LOCK_PATIENCE = 120.0
_GITIGNORE = """\
# repetend's event store stays on this machine; patterns and config.yaml are shared through git.
*.db
*.db-*
*.log
spool/
logs/
"""


class SQLiteConnection:
    """One SQLite file, opened, migrated, written in retried transactions."""

    dialect = "sqlite"  # the SQL the store's statements are written in (see `dialect`)

    def __init__(self, path: Path, *, patience: float = LOCK_PATIENCE) -> None:
        self.path = path
        self.location = str(path)
        self.patience = patience
        # A capture point's total wait (see `budget`): a monotonic time no write waits past.
        self.deadline: float | None = None
        self._busy_ms = -1  # the busy timeout last given to SQLite (set only when it changes)
        self._connection = self._open()

    # -- connection -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            if str(self.path) != ":memory:":  # an empty store for read-only commands
                _prepare_folder(self.path)
            busy = min(self.patience, 30.0)
            connection = sqlite3.connect(self.path, timeout=busy, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {int(busy * 1000)}")
            self._busy_ms = int(busy * 1000)
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._retry(lambda: connection.execute("PRAGMA journal_mode = WAL"))
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            self._connection = connection
            if _needs_migration(connection):  # most opens only read: no wait on a writer
                self._write(migrate)
        except (sqlite3.Error, OSError) as error:
            why = reason(error, self.path)
            raise StoreError(f"{self.path}: cannot open the event store ({why})") from error
        return connection

    def close(self) -> None:
        """Release the connection."""
        self._connection.close()

    @contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        """Bound the total time every write inside the block waits for a locked database.

        Capture points use it so that, whatever they write, the developer waits at
        most `capture_timeout`; past it a write raises `StoreError` at once.
        """
        self.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self.deadline = None  # the next write outside a budget sets the patience back

    def _retry(self, action: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.patience
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        delay, first = 0.005, True
        while True:
            if first and self.deadline is None:  # a first try outside a budget: all of it
                self._set_busy_timeout(min(self.patience, 30.0))
            else:  # SQLite's own wait ends by the deadline too
                self._set_busy_timeout(_whole_tenths(deadline - time.monotonic()))
            first = False
            try:
                return action()
            except sqlite3.OperationalError as error:
                locked = "locked" in str(error) or "busy" in str(error)
                left = deadline - time.monotonic()
                if not locked or left <= 0:
                    raise
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.25)

    def _set_busy_timeout(self, seconds: float) -> None:
        milliseconds = int(seconds * 1000)
        connection: sqlite3.Connection | None = self.__dict__.get("_connection")
        if connection is not None and milliseconds != self._busy_ms:
            connection.execute(f"PRAGMA busy_timeout = {milliseconds}")
            self._busy_ms = milliseconds

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one write transaction, retried whole while the database is locked."""

        def attempt() -> T:
            db = self._connection
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

        try:
            return self._retry(attempt)
        except sqlite3.Error as error:
            why = reason(error, self.path)  # a full disk says so; nothing of the write is kept
            raise StoreError(f"{self.path}: cannot write to the event store ({why})") from error

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._retry(lambda: self._connection.execute(sql, params))
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as error:
            why = reason(error, self.path)
            raise StoreError(f"{self.path}: cannot read the event store ({why})") from error

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction for features that keep tables of their own (added by migrations)."""
        db = self._connection
        try:
            self._retry(lambda: db.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as error:
            why = reason(error, self.path)  # a full disk says so; nothing of the write is kept
            raise StoreError(f"{self.path}: cannot write to the event store ({why})") from error
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Read rows with `?` parameters, for features that keep tables of their own."""
        return self._query(sql, params)

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection of its own, for a long read in another thread."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            yield connection
        finally:
            connection.close()


def _needs_migration(connection: sqlite3.Connection) -> bool:
    from repetend.store.migrations import MIGRATIONS

    try:
        rows = connection.execute("SELECT name FROM _repetend_migrations").fetchall()
    except sqlite3.OperationalError:  # a new database: no table yet
        return True
    return {row[0] for row in rows} != {function.__name__ for function in MIGRATIONS}


def _prepare_folder(path: Path) -> None:
    from repetend.private_files import PRIVATE_FILE, private_dir

    folder = private_dir(path.parent)  # a new folder: 0700; the store holds captured text
    ignore = folder / ".gitignore"
    if folder.name == ".repetend" and not ignore.exists():
        ignore.write_text(_GITIGNORE, encoding="utf-8")
    if not path.exists():  # SQLite would create it 0644; its -wal and -shm copy its mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW, PRIVATE_FILE))


def _whole_tenths(seconds: float) -> float:
    """`seconds` left, rounded down to a tenth (at most 30): the same timeout for writes close
    together, so SQLite is not told a new one before each (a `record()` call made four)."""
    return min(max(int(seconds * 10) / 10, 0.0), 30.0)
