"""Uses of patterns in SQLite: one row per use, rolled into `pattern_metrics` as it is stored."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone

from repetend.errors import StoreError
from repetend.store.base import USE_OUTCOMES, PatternMetrics, PatternUse, UseDay
from repetend.store.records import Who, who_clauses
from repetend.store.rows import from_text, to_text
from repetend.store.sqlite_connection import SQLiteConnection

ROLL_UP = (
    "INSERT INTO pattern_metrics (pattern_id, uses, successes, failures, workarounds,"
    " seconds_saved, last_used_at) VALUES (?, 1, ?, ?, ?, ?, ?) ON CONFLICT (pattern_id)"
    " DO UPDATE SET uses = uses + 1, successes = successes + excluded.successes,"
    " failures = failures + excluded.failures, workarounds = workarounds + excluded.workarounds,"
    " seconds_saved = seconds_saved + excluded.seconds_saved,"
    " last_used_at = excluded.last_used_at"
)

# Times are ISO-8601 text in UTC, so the first ten characters are the day (portable SQL).
_USE_DAYS = (
    "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS uses,"
    " SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes,"
    " SUM(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END) AS failures,"
    " SUM(CASE WHEN outcome = 'workaround' THEN 1 ELSE 0 END) AS workarounds,"
    " SUM(seconds_saved) AS seconds_saved FROM pattern_uses{where}"
    " GROUP BY substr(created_at, 1, 10) ORDER BY day"
)


_SCOPED = (
    "SELECT pattern_id, COUNT(*) AS uses,"
    " SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes,"
    " SUM(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END) AS failures,"
    " SUM(CASE WHEN outcome = 'workaround' THEN 1 ELSE 0 END) AS workarounds,"
    " SUM(seconds_saved) AS seconds_saved, MAX(created_at) AS last_used_at,"
    " NULL AS confidence FROM pattern_uses{where}"
    " GROUP BY pattern_id ORDER BY uses DESC, pattern_id"
)
_COUNT = "SELECT user_name, COUNT(*) FROM {table} GROUP BY user_name"
_RECENT_STEPS = (
    "SELECT session, json_extract(payload, '$.step'), json_extract(payload, '$.duration_ms'),"
    " created_at FROM events WHERE kind IN ('command', 'tool_use') ORDER BY id DESC LIMIT ?"
)


class UseTables(SQLiteConnection):
    """What a store keeps of pattern uses: each use, and each pattern's running totals."""

    def record_use(self, use: PatternUse) -> int:
        """Store one use and roll it into the pattern's metrics in the same transaction."""
        if use.outcome not in USE_OUTCOMES:
            raise StoreError(f"outcome {use.outcome!r} is not one of {', '.join(USE_OUTCOMES)}")
        at = to_text(use.at or datetime.now(timezone.utc))
        row = (
            use.pattern_id,
            use.version,
            use.actor,
            use.outcome,
            use.seconds_saved,
            json.dumps(use.evidence, sort_keys=True, default=str),
            at,
            use.user_name,
            use.machine,
            use.remote,
            use.branch,
        )
        # In the columns' order: successes, failures, workarounds.
        flags = [int(use.outcome == outcome) for outcome in ("success", "failure", "workaround")]

        def write(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "INSERT INTO pattern_uses (pattern_id, version, actor, outcome, seconds_saved,"
                " evidence, created_at, user_name, machine, remote, branch)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            db.execute(ROLL_UP, (use.pattern_id, *flags, use.seconds_saved, at))
            return int(cursor.lastrowid or 0)

        return self._write(write)

    def uses(
        self,
        pattern_id: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        who: Who | None = None,
    ) -> list[PatternUse]:
        """Uses of one pattern (or all) in `[since, until)`, oldest first (`who`: see records)."""
        clauses, params = _use_filters(pattern_id, since, until, who)
        sql = "SELECT * FROM pattern_uses" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        sql += " ORDER BY created_at, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_use_from_row(row) for row in self._query(sql, params)]

    def use_days(
        self,
        pattern_id: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        who: Who | None = None,
    ) -> list[UseDay]:
        """Uses of one pattern (or all) in `[since, until)` summed per UTC day, oldest first."""
        clauses, params = _use_filters(pattern_id, since, until, who)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._query(_USE_DAYS.format(where=where), params)
        return [
            UseDay(date.fromisoformat(r["day"]), r["uses"], r["successes"], r["failures"],
                   r["workarounds"], r["seconds_saved"])
            for r in rows
        ]  # fmt: skip

    def metrics(self, pattern_id: str) -> PatternMetrics | None:
        """The metrics of one pattern, if it has been used."""
        rows = self._query("SELECT * FROM pattern_metrics WHERE pattern_id = ?", (pattern_id,))
        return _metrics_from_row(rows[0]) if rows else None

    def scoped_metrics(self, who: Who) -> list[PatternMetrics]:
        """Each pattern's metrics summed over the uses `who` allows, most used first."""
        clauses, params = who_clauses(who)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._query(_SCOPED.format(where=where), params)
        return [_metrics_from_row(row) for row in rows]

    def people(self) -> list[tuple[str, int, int]]:
        """Each user name the uses and events carry, with their counts: (name, uses, events)."""
        uses = {str(r[0]): int(r[1]) for r in self._query(_COUNT.format(table="pattern_uses"), ())}
        events = {str(r[0]): int(r[1]) for r in self._query(_COUNT.format(table="events"), ())}
        names = sorted(set(uses) | set(events))
        return [(n, uses.get(n, 0), events.get(n, 0)) for n in names]

    def recent_steps(self, limit: int) -> list[tuple[str, str, float | None, datetime]]:
        """The latest `limit` labelled steps (commands, tool uses), oldest first.

        Each is (session, step label, duration in ms or None, when): only what a recipe's
        time saved is measured from, read without decoding whole payloads.
        """
        rows = self._query(_RECENT_STEPS, (limit,))
        found = [
            (str(r[0]), str(r[1]), float(r[2]) if r[2] is not None else None, from_text(r[3]))
            for r in rows
            if r[1] is not None
        ]
        return found[::-1]

    def remotes(self) -> list[str]:
        """Every remote the events and uses carry (stamped by sync; '' for a machine's own)."""
        found = {
            str(row[0])
            for table in ("events", "pattern_uses")
            for row in self._query(f"SELECT DISTINCT remote FROM {table}", ())
        }
        return sorted(found)

    def all_metrics(self) -> list[PatternMetrics]:
        """The metrics of every pattern that has been used, most used first."""
        rows = self._query("SELECT * FROM pattern_metrics ORDER BY uses DESC, pattern_id")
        return [_metrics_from_row(row) for row in rows]


def _use_filters(
    pattern_id: str | None, since: datetime | None, until: datetime | None, who: Who | None
) -> tuple[list[str], list[object]]:
    clauses, params = who_clauses(who)
    for clause, value in (
        ("pattern_id = ?", pattern_id),
        ("created_at >= ?", to_text(since) if since else None),
        ("created_at < ?", to_text(until) if until else None),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return clauses, params


def _use_from_row(row: sqlite3.Row) -> PatternUse:
    return PatternUse(
        pattern_id=row["pattern_id"],
        outcome=row["outcome"],
        version=row["version"],
        actor=row["actor"],
        seconds_saved=row["seconds_saved"],
        evidence=json.loads(row["evidence"]),
        at=from_text(row["created_at"]),
        id=row["id"],
        user_name=row["user_name"],
        machine=row["machine"],
        remote=row["remote"],
        branch=row["branch"],
    )


def _metrics_from_row(row: sqlite3.Row) -> PatternMetrics:
    last = from_text(row["last_used_at"]) if row["last_used_at"] else None
    return PatternMetrics(
        row["pattern_id"],
        row["uses"],
        row["successes"],
        row["failures"],
        row["seconds_saved"],
        last,
        row["confidence"],
        row["workarounds"],
    )
