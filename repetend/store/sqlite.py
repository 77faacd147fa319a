"""The embedded SQLite backend: one file under `.repetend/`, safe for many writers at once.

The connection and its transactions are in `sqlite_connection`, the candidate
and pattern tables in `sqlite_candidates`; this module adds executions, events,
counts and the retention purge.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from repetend.events import Event, Execution
from repetend.store.base import PURGEABLE, SignatureGroup
from repetend.store.rows import (
    dumps,
    execution_from_row,
    execution_row,
    from_text,
    to_text,
)
from repetend.store.sqlite_candidates import CandidateTables, where_clause
from repetend.store.sqlite_connection import LOCK_PATIENCE
from repetend.store.sqlite_failures import FailureTables
from repetend.store.sqlite_loop import LoopTables
from repetend.store.sqlite_reports import ReportTables
from repetend.store.sqlite_specs import SpecTables
from repetend.store.sqlite_sync import SyncTables
from repetend.store.sqlite_uses import UseTables

__all__ = ["LOCK_PATIENCE", "SQLiteStore"]


class SQLiteStore(
    CandidateTables, UseTables, LoopTables, ReportTables, SpecTables, SyncTables, FailureTables
):
    """A store in one SQLite file."""

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
        """Store generic events (filling in `id`); return the ids of those stored now.

        An event whose `key` is stored already is the same event: it is not stored
        again and its `id` stays None.
        """

        def insert(db: sqlite3.Connection) -> list[int | None]:
            return [_insert_event(db, event) for event in events]

        ids = self._write(insert)
        for event, new_id in zip(events, ids, strict=True):
            event.id, event.already_stored = new_id, new_id is None
        return [new_id for new_id in ids if new_id is not None]

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
        sql = "SELECT * FROM executions" + where_clause(where)
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
        return int(
            self._query("SELECT COUNT(*) FROM executions" + where_clause(where), params)[0][0]
        )

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
            + where_clause(where)
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
        sql = "SELECT * FROM events" + where_clause(where) + " ORDER BY created_at, id"
        for row in self._query(sql, params):
            yield _event(row)

    def events_by_id(
        self,
        *,
        after: int = 0,
        before: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Event]:
        """Up to `limit` events with `after < id < before`, by id (the order they were stored)."""
        where, params = ["id > ?"], [after]
        if before is not None:
            where.append("id < ?")
            params.append(before)
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT * FROM events{where_clause(where)} ORDER BY id {order} LIMIT ?"
        return [_event(row) for row in self._query(sql, [*params, limit])]

    # -- candidates and their audit trail ---------------------------------------------------

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

    def data_version(self) -> int:
        """A number that changes once another connection has written to the store."""
        return int(self._query("PRAGMA data_version")[0][0])

    def purge(self, before: datetime, *, dry_run: bool = True) -> dict[str, int]:
        """Remove (or, dry, count) rows older than `before` in the purgeable tables."""
        cutoff = to_text(before)
        if dry_run:
            return {
                table: int(
                    self._query(f"SELECT COUNT(*) FROM {table}{_old(table)}", (cutoff,))[0][0]
                )
                for table in PURGEABLE
            }

        def delete(db: sqlite3.Connection) -> dict[str, int]:
            db.execute("DELETE FROM execution_tally WHERE day < ?", (cutoff[:10],))
            return {
                table: db.execute(f"DELETE FROM {table}{_old(table)}", (cutoff,)).rowcount
                for table in PURGEABLE
            }

        return self._write(delete)


def _event(row: sqlite3.Row) -> Event:
    return Event(
        source=row["source"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        session=row["session"],
        tool_name=row["tool_name"],
        actor=row["actor"],
        created_at=from_text(row["created_at"]),
        id=row["id"],
        key=row["key"] or "",
    )


def _old(table: str) -> str:
    """The rows of `table` a purge removes: older than the cutoff (`?`).

    The audit trail of a pattern that still exists is kept whatever its age: it is
    the only record of who approved it, and why.
    """
    where = f" WHERE {PURGEABLE[table]} < ?"
    if table == "audit_log":
        where += " AND pattern_id NOT IN (SELECT id FROM candidates)"
    return where


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


def _insert_event(db: sqlite3.Connection, event: Event) -> int | None:
    cursor = db.execute(
        "INSERT INTO events (source, session, kind, tool_name, actor, payload, created_at, key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING",
        (
            event.source,
            event.session,
            event.kind,
            event.tool_name,
            event.actor,
            dumps(event.payload),
            to_text(event.created_at),
            event.key or None,
        ),
    )
    return int(cursor.lastrowid or 0) if cursor.rowcount else None
