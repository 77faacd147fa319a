"""Append-only schema migrations, applied in order and recorded in `_repetend_migrations`.

Never edit or reorder a migration that has shipped: add a new one. The SQL is
kept to what SQLite and PostgreSQL both accept where that costs nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Register `function` as the next migration."""
    MIGRATIONS.append(function)
    return function


def applied(connection: sqlite3.Connection) -> list[str]:
    """The names of the migrations this database has had, in order."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS _repetend_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    rows = connection.execute(
        "SELECT name FROM _repetend_migrations ORDER BY applied_at, name"
    ).fetchall()
    return [row[0] for row in rows]


def migrate(connection: sqlite3.Connection) -> list[str]:
    """Apply every migration the database has not had; return the names applied now.

    The caller holds a write transaction, so two processes opening a new
    database at once cannot both apply the same migration.
    """
    done = set(applied(connection))
    now = datetime.now(timezone.utc).isoformat()
    new: list[str] = []
    for function in MIGRATIONS:
        if function.__name__ in done:
            continue
        function(connection)
        connection.execute(
            "INSERT INTO _repetend_migrations (name, applied_at) VALUES (?, ?)",
            (function.__name__, now),
        )
        new.append(function.__name__)
    return new


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE executions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            file_types TEXT NOT NULL,
            tools TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            input_signature TEXT NOT NULL,
            output_signature TEXT NOT NULL,
            signature TEXT NOT NULL,
            success INTEGER NOT NULL,
            error TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            context TEXT NOT NULL,
            source TEXT NOT NULL,
            session TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_executions_signature ON executions (signature, created_at)")
    db.execute("CREATE INDEX idx_executions_kind ON executions (kind, created_at)")
    db.execute("CREATE INDEX idx_executions_created ON executions (created_at)")
    db.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            session TEXT NOT NULL,
            kind TEXT NOT NULL,
            tool_name TEXT NOT NULL,
            actor TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_events_source ON events (source, kind, created_at)")
    db.execute("CREATE INDEX idx_events_session ON events (session, created_at)")
    db.execute("CREATE INDEX idx_events_created ON events (created_at)")
    db.execute(
        """CREATE TABLE candidates (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            signature TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            confidence REAL NOT NULL,
            confidence_parts TEXT NOT NULL,
            evidence TEXT NOT NULL,
            spec TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            destructive INTEGER NOT NULL,
            status TEXT NOT NULL,
            spec_path TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (kind, signature)
        )"""
    )
    db.execute("CREATE INDEX idx_candidates_status ON candidates (status, kind)")
    db.execute(
        """CREATE TABLE pattern_metrics (
            pattern_id TEXT PRIMARY KEY,
            uses INTEGER NOT NULL DEFAULT 0,
            successes INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            seconds_saved REAL NOT NULL DEFAULT 0,
            last_used_at TEXT,
            confidence REAL
        )"""
    )
    db.execute(
        """CREATE TABLE anti_patterns (
            id INTEGER PRIMARY KEY,
            signature TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            description TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            evidence TEXT NOT NULL,
            status TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_anti_patterns_last_seen ON anti_patterns (last_seen)")
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            pattern_id TEXT NOT NULL,
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            actor TEXT NOT NULL,
            note TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_audit_pattern ON audit_log (pattern_id, created_at)")


@migration
def m002_daily_signature_tally(db: sqlite3.Connection) -> None:
    # A running per-day count of executions by signature, kept on insert, so the
    # detector that runs on every record() asks a constant-time question instead
    # of counting an index range that grows with the evidence.
    db.execute(
        """CREATE TABLE execution_tally (
            signature TEXT NOT NULL,
            day TEXT NOT NULL,
            successes INTEGER NOT NULL,
            total INTEGER NOT NULL,
            PRIMARY KEY (signature, day)
        )"""
    )
    db.execute(
        "INSERT INTO execution_tally (signature, day, successes, total)"
        " SELECT signature, substr(created_at, 1, 10), SUM(success), COUNT(*)"
        " FROM executions GROUP BY signature, substr(created_at, 1, 10)"
    )


@migration
def m003_file_index(db: sqlite3.Connection) -> None:
    """The file miner's index: one row per mined file, so a second `mine` re-reads only changes."""
    db.execute(
        """CREATE TABLE file_index (
            path TEXT PRIMARY KEY,
            folder TEXT NOT NULL,
            suffix TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            digest TEXT NOT NULL,
            language TEXT NOT NULL,
            sketch BLOB NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_file_index_folder ON file_index (folder, suffix)")


@migration
def m004_tool_use_pending(db: sqlite3.Connection) -> None:
    # Agent tool uses between their PreToolUse and PostToolUse hooks, paired by id.
    db.execute(
        """CREATE TABLE tool_use_pending (
            tool_use_id TEXT PRIMARY KEY,
            session TEXT NOT NULL,
            tool_name TEXT NOT NULL,
            started_at TEXT NOT NULL
        )"""
    )


@migration
def m005_sequence_occurrences(db: sqlite3.Connection) -> None:
    # How often each sequence pattern occurred in each session, so re-analysing a
    # window that overlaps an earlier one never counts the same occurrence twice.
    db.execute(
        """CREATE TABLE sequence_occurrences (
            signature TEXT NOT NULL,
            session TEXT NOT NULL,
            occurrences INTEGER NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (signature, session)
        )"""
    )


@migration
def m006_event_keys(db: sqlite3.Connection) -> None:
    # A capture point's stable id for an event (an ingested line's digest, a stream's own id):
    # storing an event whose key is there already stores nothing. Older rows have none.
    db.execute("ALTER TABLE events ADD COLUMN key TEXT")
    db.execute("CREATE UNIQUE INDEX idx_events_key ON events (key) WHERE key IS NOT NULL")


@migration
def m007_pattern_uses(db: sqlite3.Connection) -> None:
    # Every use of a pattern, kept (the metrics row is its running total): which version,
    # who (human or agent), how it went and the evidence it was judged from.
    db.execute(
        """CREATE TABLE pattern_uses (
            id INTEGER PRIMARY KEY,
            pattern_id TEXT NOT NULL,
            version TEXT NOT NULL,
            actor TEXT NOT NULL,
            outcome TEXT NOT NULL,
            seconds_saved REAL NOT NULL,
            evidence TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_pattern_uses_pattern ON pattern_uses (pattern_id, created_at)")
    db.execute("CREATE INDEX idx_pattern_uses_created ON pattern_uses (created_at)")
    db.execute("ALTER TABLE pattern_metrics ADD COLUMN workarounds INTEGER NOT NULL DEFAULT 0")


@migration
def m008_use_loop(db: sqlite3.Connection) -> None:
    # What `apply` rendered, waiting for the commit that judges it (outcome '' until then):
    # the digests of the text and of each line, never the text itself.
    db.execute(
        """CREATE TABLE pattern_renders (
            id INTEGER PRIMARY KEY,
            batch TEXT NOT NULL,
            pattern_id TEXT NOT NULL,
            version TEXT NOT NULL,
            path TEXT NOT NULL,
            template_path TEXT NOT NULL,
            source TEXT NOT NULL,
            actor TEXT NOT NULL,
            digest TEXT NOT NULL,
            lines TEXT NOT NULL,
            trial INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            evidence TEXT NOT NULL,
            judged_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_pattern_renders_path ON pattern_renders (path, outcome)")
    db.execute("CREATE INDEX idx_pattern_renders_batch ON pattern_renders (batch)")
    # Each pattern's circuit breaker: closed, or open since `opened_at` (half-open later).
    db.execute(
        """CREATE TABLE pattern_circuits (
            pattern_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            failures INTEGER NOT NULL,
            opened_at TEXT,
            reason TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    # Alerts sent, so one is not sent again while it still holds.
    db.execute(
        """CREATE TABLE pattern_alerts (
            id INTEGER PRIMARY KEY,
            pattern_id TEXT NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_pattern_alerts_pattern ON pattern_alerts (pattern_id, level)")
    # Files the pre-commit check warned about (or passed), by path and staged blob.
    db.execute(
        """CREATE TABLE commit_checks (
            path TEXT PRIMARY KEY,
            blob TEXT NOT NULL,
            warned INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


@migration
def m010_spec_files(db: sqlite3.Connection) -> None:
    # The spec files under .repetend/patterns/ the store has read, by path: a command re-reads
    # a file only when its size or mtime moved and then its digest, so pulled specs are
    # indexed on the next command and unchanged ones cost a stat.
    db.execute(
        """CREATE TABLE spec_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            digest TEXT NOT NULL,
            pattern_id TEXT NOT NULL
        )"""
    )


@migration
def m010_team_sync(db: sqlite3.Connection) -> None:
    # Who and where of each event and execution, as the team store keeps them (empty on a
    # machine's own store), and `sync_key`: the pushing store's id and the row's id there, so
    # a batch sent twice (a drain killed after the push) is stored once.
    for table in ("events", "executions"):
        for column in ("user_name", "machine", "remote", "branch"):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN sync_key TEXT")
        db.execute(
            f"CREATE UNIQUE INDEX idx_{table}_sync_key ON {table} (sync_key)"
            " WHERE sync_key IS NOT NULL"
        )
    # This store's own sync bookkeeping: its id, and the last row sent to each team store.
    db.execute("CREATE TABLE sync_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migration
def m012_use_origin(db: sqlite3.Connection) -> None:
    # Who used a pattern and where, as the team store keeps them (empty on a machine's own
    # store: its uses are its own), and `sync_key`, so a use pushed twice is stored once.
    for column in ("user_name", "machine", "remote", "branch"):
        db.execute(f"ALTER TABLE pattern_uses ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE pattern_uses ADD COLUMN sync_key TEXT")
    db.execute(
        "CREATE UNIQUE INDEX idx_pattern_uses_sync_key ON pattern_uses (sync_key)"
        " WHERE sync_key IS NOT NULL"
    )
