"""What the reports read from SQLite beyond candidates and uses: the anti-patterns seen."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from repetend.store.base import AntiPatternRecord
from repetend.store.rows import from_text, to_text
from repetend.store.sqlite_connection import SQLiteConnection


class ReportTables(SQLiteConnection):
    """Read-only queries the weekly report and the dashboard share."""

    def anti_patterns_seen(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[AntiPatternRecord]:
        """Anti-patterns last seen in `[since, until)`, the most frequent first."""
        clauses, params = [], []
        if since is not None:
            clauses.append("last_seen >= ?")
            params.append(to_text(since))
        if until is not None:
            clauses.append("last_seen < ?")
            params.append(to_text(until))
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        sql = f"SELECT * FROM anti_patterns{where} ORDER BY occurrences DESC, signature"
        return [_record(row) for row in self._query(sql, params)]

    def anti_patterns(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[AntiPatternRecord]:
        """Failure patterns, most recently seen first."""
        sql = "SELECT * FROM anti_patterns ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?"
        # Not -1 for "no limit": PostgreSQL refuses a negative LIMIT.
        rows = self._query(sql, (2**62 if limit is None else limit, offset))
        return [_record(row) for row in rows]


def _record(row: sqlite3.Row) -> AntiPatternRecord:
    evidence = json.loads(row["evidence"]) if row["evidence"] else {}
    return AntiPatternRecord(
        signature=row["signature"],
        kind=row["kind"],
        description=row["description"],
        occurrences=row["occurrences"],
        status=row["status"],
        first_seen=from_text(row["first_seen"]),
        last_seen=from_text(row["last_seen"]),
        evidence=evidence,
        id=row["id"],
        pattern_id=row["pattern_id"],
        name=row["name"],
        cause=row["cause"],
    )
