"""The embedded SQLite backend: WAL, a busy timeout, short `BEGIN IMMEDIATE` transactions.

Many processes write at once (pytest-xdist workers, git hooks, the watcher):
every write takes the write lock up front (`BEGIN IMMEDIATE`) so no reader
ever has to upgrade, SQLite's busy handler waits for the lock, and a write
that still meets "database is locked" is retried until `LOCK_PATIENCE` runs out.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from repetend.errors import NotFoundError, StoreError
from repetend.events import AuditEntry, Candidate, Event, Execution
from repetend.store.base import PURGEABLE, PatternMetrics, SignatureGroup
from repetend.store.migrations import migrate
from repetend.store.rows import (
    audit,
    candidate_from_row,
    dumps,
    execution_from_row,
    execution_row,
    from_text,
    insert_candidate,
    next_id,
    to_text,
    update_candidate,
)

T = TypeVar("T")
LOCK_PATIENCE = 120.0
_GITIGNORE = """\
# repetend's event store stays on this machine; patterns and config.yaml are shared through git.
*.db
*.db-*
*.log
spool/
"""


class SQLiteStore:
    """A store in one SQLite file."""

    def __init__(self, path: Path, *, patience: float = LOCK_PATIENCE) -> None:
        self.path = path
        self.location = str(path)
        self.patience = patience
        # A capture point's total wait (see `budget`): a monotonic time no write waits past.
        self.deadline: float | None = None
        self._connection = self._open()

    # -- connection -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            _prepare_folder(self.path)
            busy = min(self.patience, 30.0)
            connection = sqlite3.connect(self.path, timeout=busy, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {int(busy * 1000)}")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._retry(lambda: connection.execute("PRAGMA journal_mode = WAL"))
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            self._connection = connection
            if _needs_migration(connection):  # most opens read only: no wait on a writer
                self._write(migrate)
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"{self.path}: cannot open the event store ({error})") from error
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
            self.deadline = None
            self._set_busy_timeout(min(self.patience, 30.0))

    def _retry(self, action: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.patience
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        delay, tried = 0.005, False
        while True:
            if tried or self.deadline is not None:  # SQLite's own wait ends by the deadline too
                self._set_busy_timeout(min(max(deadline - time.monotonic(), 0.0), 30.0))
            tried = True
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
        connection: sqlite3.Connection | None = self.__dict__.get("_connection")
        if connection is not None:
            connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

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
            raise StoreError(f"{self.path}: cannot write to the event store ({error})") from error

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._retry(lambda: self._connection.execute(sql, params))
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the event store ({error})") from error

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction for features that keep tables of their own (added by migrations)."""
        db = self._connection
        self._retry(lambda: db.execute("BEGIN IMMEDIATE"))
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Read rows with `?` parameters, for features that keep tables of their own."""
        return self._query(sql, params)

    # -- executions and events --------------------------------------------------------------

    def add_executions(self, executions: Sequence[Execution]) -> list[int]:
        """Store executions (filling in `id` and `signature`); return their ids."""
        rows = [execution_row(execution) for execution in executions]

        def insert(db: sqlite3.Connection) -> list[int]:
            ids = []
            for row in rows:
                cursor = db.execute(
                    "INSERT INTO executions (kind, file_types, tools, inputs, outputs,"
                    " input_signature, output_signature, signature, success, error, duration_ms,"
                    " context, source, session, actor, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                ids.append(int(cursor.lastrowid or 0))
                db.execute(
                    "INSERT INTO execution_tally (signature, day, successes, total)"
                    " VALUES (?, ?, ?, 1) ON CONFLICT (signature, day) DO UPDATE SET"
                    " successes = successes + excluded.successes, total = total + 1",
                    (row[7], row[15][:10], row[8]),
                )
            return ids

        ids = self._write(insert)
        for execution, new_id, row in zip(executions, ids, rows, strict=True):
            execution.id, execution.signature = new_id, row[7]
        return ids

    def add_events(self, events: Sequence[Event]) -> list[int]:
        """Store generic events (filling in `id`); return their ids."""

        def insert(db: sqlite3.Connection) -> list[int]:
            ids = []
            for event in events:
                cursor = db.execute(
                    "INSERT INTO events (source, session, kind, tool_name, actor, payload,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        event.source,
                        event.session,
                        event.kind,
                        event.tool_name,
                        event.actor,
                        dumps(event.payload),
                        to_text(event.created_at),
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
            return ids

        ids = self._write(insert)
        for event, new_id in zip(events, ids, strict=True):
            event.id = new_id
        return ids

    def executions(
        self,
        *,
        since: datetime | None = None,
        kind: str | None = None,
        signatures: Iterable[str] | None = None,
        success: bool | None = None,
        ids: Iterable[int] | None = None,
        latest: int | None = None,
    ) -> Iterator[Execution]:
        """Yield stored executions matching every filter given, oldest first.

        With `latest`, only the newest `latest` of them (still oldest first).
        """
        where, params = _filters(since=since, kind=kind, success=success)
        for column, values in (("signature", signatures), ("id", ids)):
            if values is not None:
                chosen = list(values)
                where.append(f"{column} IN ({','.join('?' * len(chosen)) or 'NULL'})")
                params.extend(chosen)
        sql = "SELECT * FROM executions" + _where(where)
        if latest is None:
            rows = self._query(sql + " ORDER BY created_at, id", params)
        else:
            newest = self._query(
                sql + " ORDER BY created_at DESC, id DESC LIMIT ?", [*params, latest]
            )
            rows = newest[::-1]
        for row in rows:
            yield execution_from_row(row)

    def count_executions(
        self, signature: str, *, since: datetime | None = None, success: bool | None = None
    ) -> int:
        """Count executions with one signature digest."""
        where, params = _filters(since=since, success=success)
        where.insert(0, "signature = ?")
        params.insert(0, signature)
        return int(self._query("SELECT COUNT(*) FROM executions" + _where(where), params)[0][0])

    def successes_since(self, signature: str, day: date) -> int:
        """Successful executions with one signature from `day` (UTC) on, in constant time."""
        rows = self._query(
            "SELECT COALESCE(SUM(successes), 0) FROM execution_tally"
            " WHERE signature = ? AND day >= ?",
            (signature, day.isoformat()),
        )
        return int(rows[0][0])

    def signature_groups(
        self, *, since: datetime | None = None, success: bool | None = None
    ) -> list[SignatureGroup]:
        """One row per distinct execution signature in the window, with counts."""
        where, params = _filters(since=since, success=success)
        sql = (
            "SELECT signature, MIN(kind) AS kind, COUNT(*) AS n, SUM(success) AS ok,"
            " MIN(created_at) AS first,"
            " MAX(created_at) AS last FROM executions"
            + _where(where)
            + " GROUP BY signature ORDER BY signature"
        )
        return [
            SignatureGroup(
                r["signature"],
                r["kind"],
                r["n"],
                r["ok"],
                from_text(r["first"]),
                from_text(r["last"]),
            )
            for r in self._query(sql, params)
        ]

    def signature_shapes(self, signatures: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The signature body (see `ExecutionSignature.to_dict`) for each digest."""
        shapes: dict[str, dict[str, Any]] = {}
        for digest in signatures:
            rows = self._query(
                "SELECT kind, file_types, tools, input_signature, output_signature"
                " FROM executions WHERE signature = ? LIMIT 1",
                (digest,),
            )
            if rows:
                row = rows[0]
                shapes[digest] = {
                    "operation": row["kind"],
                    "file_types": json.loads(row["file_types"]),
                    "tools": json.loads(row["tools"]),
                    "input_shape": json.loads(row["input_signature"]),
                    "output_shape": json.loads(row["output_signature"]),
                }
        return shapes

    def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        kind: str | None = None,
        session: str | None = None,
    ) -> Iterator[Event]:
        """Yield stored events matching every filter given, oldest first."""
        where, params = _filters(since=since, kind=kind)
        for column, value, operator in (
            ("created_at", to_text(until) if until else None, "<"),
            ("source", source, "="),
            ("session", session, "="),
        ):
            if value is not None:
                where.append(f"{column} {operator} ?")
                params.append(value)
        sql = "SELECT * FROM events" + _where(where) + " ORDER BY created_at, id"
        for row in self._query(sql, params):
            yield Event(
                source=row["source"],
                kind=row["kind"],
                payload=json.loads(row["payload"]),
                session=row["session"],
                tool_name=row["tool_name"],
                actor=row["actor"],
                created_at=from_text(row["created_at"]),
                id=row["id"],
            )

    # -- candidates and their audit trail ---------------------------------------------------

    def find_candidate(self, kind: str, signature: str) -> Candidate | None:
        """The candidate already made from this evidence group, if any."""
        rows = self._query(
            "SELECT * FROM candidates WHERE kind = ? AND signature = ?", (kind, signature)
        )
        return candidate_from_row(rows[0]) if rows else None

    def get_candidate(self, candidate_id: str) -> Candidate | None:
        """One candidate by id."""
        rows = self._query("SELECT * FROM candidates WHERE id = ?", (candidate_id,))
        return candidate_from_row(rows[0]) if rows else None

    def candidates(self, *, status: str | None = None, kind: str | None = None) -> list[Candidate]:
        """Candidates, newest first."""
        where, params = [], []
        for column, value in (("status", status), ("kind", kind)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM candidates" + _where(where) + " ORDER BY created_at DESC, id DESC"
        return [candidate_from_row(row) for row in self._query(sql, params)]

    def save_candidate(
        self, candidate: Candidate, *, actor: str = "repetend", note: str = ""
    ) -> Candidate:
        """Insert or update a candidate; a new one gets an `AUTO-YYYYMMDD-NNN` id."""

        def save(db: sqlite3.Connection) -> Candidate:
            old = db.execute(
                "SELECT id, status FROM candidates WHERE id = ? OR (kind = ? AND signature = ?)",
                (candidate.id, candidate.kind, candidate.signature),
            ).fetchone()
            if old is None:
                candidate.id = candidate.id or next_id(db, candidate.created_at)
                insert_candidate(db, candidate)
                audit(db, candidate.id, "", candidate.status, actor, note or "created")
            else:
                candidate.id = old[0]
                update_candidate(db, candidate)
                if old[1] != candidate.status:
                    audit(db, candidate.id, old[1], candidate.status, actor, note)
            return candidate

        return self._write(save)

    def set_spec_path(self, candidate_id: str, spec_path: str) -> None:
        """Record where a candidate's spec file is (the row's one column: no spec to encode)."""
        self._write(
            lambda db: db.execute(
                "UPDATE candidates SET spec_path = ? WHERE id = ?", (spec_path, candidate_id)
            )
        )

    def set_status(
        self, candidate_id: str, status: str, *, actor: str, note: str = ""
    ) -> Candidate:
        """Change a candidate's status and audit it."""

        def change(db: sqlite3.Connection) -> None:
            row = db.execute(
                "SELECT status FROM candidates WHERE id = ?", (candidate_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"no candidate {candidate_id!r} (see `repetend candidates list`)"
                )
            db.execute(
                "UPDATE candidates SET status = ?, updated_at = ? WHERE id = ?",
                (status, to_text(datetime.now(timezone.utc)), candidate_id),
            )
            audit(db, candidate_id, row[0], status, actor, note)

        self._write(change)
        found = self.get_candidate(candidate_id)
        assert found is not None
        return found

    def update_spec_path(self, candidate_id: str, spec_path: str) -> None:
        """Remember where a candidate's spec file now lives."""
        self._write(
            lambda db: db.execute(
                "UPDATE candidates SET spec_path = ? WHERE id = ?", (spec_path, candidate_id)
            )
        )

    def audit_log(self, pattern_id: str | None = None) -> list[AuditEntry]:
        """Status changes, oldest first."""
        where, params = ([], []) if pattern_id is None else (["pattern_id = ?"], [pattern_id])
        rows = self._query("SELECT * FROM audit_log" + _where(where) + " ORDER BY id", params)
        return [
            AuditEntry(
                r["pattern_id"],
                r["from_status"],
                r["to_status"],
                r["actor"],
                r["note"],
                from_text(r["created_at"]),
            )
            for r in rows
        ]

    # -- metrics, counts, retention ---------------------------------------------------------

    def record_use(self, pattern_id: str, *, success: bool, seconds_saved: float = 0.0) -> None:
        """Count one use of a pattern."""
        now = to_text(datetime.now(timezone.utc))
        self._write(
            lambda db: db.execute(
                "INSERT INTO pattern_metrics (pattern_id, uses, successes, failures, seconds_saved,"
                " last_used_at) VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT (pattern_id) DO UPDATE SET"
                " uses = uses + 1, successes = successes + excluded.successes,"
                " failures = failures + excluded.failures,"
                " seconds_saved = seconds_saved + excluded.seconds_saved,"
                " last_used_at = excluded.last_used_at",
                (pattern_id, int(success), int(not success), seconds_saved, now),
            )
        )

    def metrics(self, pattern_id: str) -> PatternMetrics | None:
        """The metrics of one pattern, if it has been used."""
        rows = self._query("SELECT * FROM pattern_metrics WHERE pattern_id = ?", (pattern_id,))
        if not rows:
            return None
        r = rows[0]
        last = from_text(r["last_used_at"]) if r["last_used_at"] else None
        return PatternMetrics(
            r["pattern_id"],
            r["uses"],
            r["successes"],
            r["failures"],
            r["seconds_saved"],
            last,
            r["confidence"],
        )

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        tables = (
            "executions",
            "events",
            "candidates",
            "pattern_metrics",
            "anti_patterns",
            "audit_log",
        )
        return {t: int(self._query(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}

    def purge(self, before: datetime, *, dry_run: bool = True) -> dict[str, int]:
        """Remove (or, dry, count) rows older than `before` in the purgeable tables."""
        cutoff = to_text(before)
        if dry_run:
            return {
                table: int(
                    self._query(f"SELECT COUNT(*) FROM {table} WHERE {column} < ?", (cutoff,))[0][0]
                )
                for table, column in PURGEABLE.items()
            }

        def delete(db: sqlite3.Connection) -> dict[str, int]:
            db.execute("DELETE FROM execution_tally WHERE day < ?", (cutoff[:10],))
            return {
                table: db.execute(f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount
                for table, column in PURGEABLE.items()
            }

        return self._write(delete)


def _needs_migration(connection: sqlite3.Connection) -> bool:
    from repetend.store.migrations import MIGRATIONS

    try:
        rows = connection.execute("SELECT name FROM _repetend_migrations").fetchall()
    except sqlite3.OperationalError:  # a new database: no table yet
        return True
    return {row[0] for row in rows} != {function.__name__ for function in MIGRATIONS}


def _prepare_folder(path: Path) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if folder.name == ".repetend" and not ignore.exists():
        ignore.write_text(_GITIGNORE, encoding="utf-8")


def _filters(
    *, since: datetime | None = None, kind: str | None = None, success: bool | None = None
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("created_at >= ?")
        params.append(to_text(since))
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if success is not None:
        where.append("success = ?")
        params.append(int(success))
    return where, params


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""
