"""The failure signature store and the anti-patterns learned from it (docs/failures.md)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from repetend.store.records import AntiPatternRecord, FailureRecord
from repetend.store.rows import dumps, from_text, to_text
from repetend.store.sqlite_connection import SQLiteConnection


class FailureTables(SQLiteConnection):
    """Failures (one row per failure seen), the learner's read marks, anti-pattern writes."""

    def add_failures(self, failures: Sequence[FailureRecord]) -> int:
        """Store failures (a `key` stored already is skipped); return how many are new."""
        rows = [
            (
                f.key,
                f.source,
                f.kind,
                f.subject,
                f.command,
                f.signature,
                f.message,
                dumps(f.values),
                dumps(f.detail),
                f.session,
                f.tree_state,
                f.snapshot,
                to_text(f.created_at),
            )
            for f in failures
        ]

        def write(db: sqlite3.Connection) -> int:
            new = 0
            for row in rows:
                cursor = db.execute(
                    "INSERT INTO failures (key, source, kind, subject, command, signature,"
                    " message, failure_values, detail, session, tree_state, snapshot, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                    row,
                )
                new += max(cursor.rowcount, 0)
            return new

        return self._write(write) if rows else 0

    def failures(
        self,
        *,
        since: datetime | None = None,
        signature: str | None = None,
        kind: str | None = None,
        latest: int | None = None,
    ) -> list[FailureRecord]:
        """Stored failures matching every filter given, oldest first (the newest `latest`)."""
        where, params = [], []
        for column, value, operator in (
            ("created_at", to_text(since) if since else None, ">="),
            ("signature", signature, "="),
            ("kind", kind, "="),
        ):
            if value is not None:
                where.append(f"{column} {operator} ?")
                params.append(value)
        sql = "SELECT * FROM failures" + (" WHERE " + " AND ".join(where) if where else "")
        if latest is None:
            rows = self._query(sql + " ORDER BY created_at, id", params)
        else:
            rows = self._query(
                sql + " ORDER BY created_at DESC, id DESC LIMIT ?", [*params, latest]
            )
            rows = rows[::-1]
        return [_failure(row) for row in rows]

    def failure_mark(self, name: str) -> int:
        """How far the learner has read one source (0 at first)."""
        rows = self._query("SELECT value FROM failure_marks WHERE name = ?", (name,))
        return int(rows[0][0]) if rows else 0

    def set_failure_mark(self, name: str, value: int) -> None:
        """Note how far the learner has read one source."""
        self._write(
            lambda db: db.execute(
                "INSERT INTO failure_marks (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
        )

    def save_anti_patterns(self, records: Iterable[AntiPatternRecord]) -> None:
        """Insert or update anti-patterns by signature; a status set to `ignored` is kept."""
        rows = [
            (
                r.signature,
                r.kind,
                r.description,
                r.occurrences,
                dumps(r.evidence or {}),
                r.status,
                to_text(r.first_seen),
                to_text(r.last_seen),
                r.pattern_id,
                r.name,
                r.cause,
            )
            for r in records
        ]

        def write(db: sqlite3.Connection) -> None:
            for row in rows:
                db.execute(
                    "INSERT INTO anti_patterns (signature, kind, description, occurrences,"
                    " evidence, status, first_seen, last_seen, pattern_id, name, cause)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (signature) DO UPDATE"
                    " SET kind = excluded.kind, description = excluded.description,"
                    " occurrences = excluded.occurrences, evidence = excluded.evidence,"
                    " status = CASE WHEN anti_patterns.status = 'ignored' THEN anti_patterns.status"
                    " ELSE excluded.status END,"
                    " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
                    " name = excluded.name, cause = excluded.cause",
                    row,
                )

        if rows:
            self._write(write)

    def set_anti_pattern_status(self, pattern_id: str, status: str, note: str = "") -> bool:
        """Set one anti-pattern's status (by ANTI-PAT-NNN); False when there is no such id."""

        def write(db: sqlite3.Connection) -> bool:
            row = db.execute(
                "SELECT evidence FROM anti_patterns WHERE pattern_id = ?", (pattern_id,)
            ).fetchone()
            if row is None:
                return False
            evidence: dict[str, Any] = json.loads(row[0]) if row[0] else {}
            if note:
                evidence["note"] = note
            db.execute(
                "UPDATE anti_patterns SET status = ?, evidence = ? WHERE pattern_id = ?",
                (status, dumps(evidence), pattern_id),
            )
            return True

        return self._write(write)


def _failure(row: sqlite3.Row) -> FailureRecord:
    return FailureRecord(
        key=row["key"],
        source=row["source"],
        kind=row["kind"],
        subject=row["subject"],
        signature=row["signature"],
        message=row["message"],
        created_at=from_text(row["created_at"]),
        command=row["command"],
        values=json.loads(row["failure_values"]),
        detail=json.loads(row["detail"]),
        session=row["session"],
        tree_state=row["tree_state"],
        snapshot=row["snapshot"],
        id=row["id"],
    )
