"""Sync's side of a store: rows not sent yet, bookkeeping, and receiving a batch exactly once.

The same methods serve both ends: a machine's SQLite store hands out its rows
by id, and the team's store (PostgreSQL, or any store) receives them; a row
whose `sync_key` is stored already is skipped, so a batch sent twice counts once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from repetend.errors import StoreError
from repetend.store.sqlite_connection import SQLiteConnection
from repetend.store.sqlite_uses import ROLL_UP

SYNCED = ("events", "executions", "pattern_uses")
_TALLY = (
    "INSERT INTO execution_tally (signature, day, successes, total) VALUES (?, ?, ?, 1)"
    " ON CONFLICT (signature, day) DO UPDATE SET"
    " successes = execution_tally.successes + excluded.successes,"
    " total = execution_tally.total + 1"
)


class SyncTables(SQLiteConnection):
    """What sync reads from a machine's store and writes to the team's."""

    def unsent(self, table: str, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Rows of `table` (events, executions, pattern_uses) above `after_id`, oldest first."""
        _check(table)
        rows = self._query(
            f"SELECT * FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )
        return [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]

    def sync_value(self, name: str) -> str:
        """One value of this store's sync bookkeeping ('' when unset)."""
        rows = self._query("SELECT value FROM sync_state WHERE name = ?", (name,))
        return str(rows[0][0]) if rows else ""

    def set_sync_value(self, name: str, value: str) -> None:
        """Set one value of this store's sync bookkeeping."""
        self._write(
            lambda db: db.execute(
                "INSERT INTO sync_state (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
        )

    def first_sync_value(self, name: str, value: str) -> str:
        """Set `name` to `value` unless it is set already; return what it holds (atomic)."""

        def write(db: Any) -> str:
            db.execute(
                "INSERT INTO sync_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, value),
            )
            return str(
                db.execute("SELECT value FROM sync_state WHERE name = ?", (name,)).fetchone()[0]
            )

        return self._write(write)

    def receive(self, table: str, rows: Sequence[dict[str, Any]]) -> int:
        """Store rows sent by a machine (each with its `sync_key`); return how many were new."""
        _check(table)
        if not rows:
            return 0
        columns = [name for name in rows[0] if name != "id"]
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING"
        )

        def write(db: Any) -> int:
            if table == "events":  # nothing to tally: one statement for the batch
                values = [[row[name] for name in columns] for row in rows]
                return int(db.executemany(sql, values).rowcount)
            stored = 0
            for row in rows:
                if db.execute(sql, [row[name] for name in columns]).rowcount:
                    stored += 1
                    if table == "executions":
                        tally = (row["signature"], row["created_at"][:10], row["success"])
                        db.execute(_TALLY, tally)
                    elif table == "pattern_uses":  # the team's metrics, as `record_use` rolls
                        db.execute(ROLL_UP, _roll_up(row))
            return stored

        return self._write(write)


def _check(table: str) -> None:
    if table not in SYNCED:
        raise StoreError(f"sync: {table!r} is not a synced table ({', '.join(SYNCED)})")


def _roll_up(row: dict[str, Any]) -> tuple[Any, ...]:
    flags = [int(row["outcome"] == outcome) for outcome in ("success", "failure", "workaround")]
    return (row["pattern_id"], *flags, row["seconds_saved"], row["created_at"])
