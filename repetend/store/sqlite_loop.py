"""What the use loop keeps in SQLite: renders waiting to be judged, circuits, alerts, checks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from repetend.store.base import Circuit, Render
from repetend.store.rows import from_text, to_text
from repetend.store.sqlite_connection import SQLiteConnection

_RENDER_COLUMNS = (
    "batch, pattern_id, version, path, template_path, source, actor, digest, lines, trial,"
    " created_at, outcome, evidence"
)
_SAVE_CIRCUIT = (
    "INSERT INTO pattern_circuits (pattern_id, state, failures, opened_at, reason, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pattern_id) DO UPDATE SET state = excluded.state,"
    " failures = excluded.failures, opened_at = excluded.opened_at, reason = excluded.reason,"
    " updated_at = excluded.updated_at"
)
_NOTE_CHECK = (
    "INSERT INTO commit_checks (path, blob, warned, created_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (path) DO UPDATE SET blob = excluded.blob, warned = excluded.warned,"
    " created_at = excluded.created_at"
)


def _now() -> str:
    return to_text(datetime.now(timezone.utc))


class LoopTables(SQLiteConnection):
    """Renders, circuit breakers, alerts and pre-commit verdicts of the use loop."""

    def add_renders(self, renders: Sequence[Render]) -> None:
        """Keep files a pattern rendered until a commit judges them."""
        rows = [_render_row(render) for render in renders]

        def write(db: sqlite3.Connection) -> None:
            db.executemany(
                f"INSERT INTO pattern_renders ({_RENDER_COLUMNS}) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

        self._write(write)

    def pending_renders(self, paths: Iterable[str] | None = None) -> list[Render]:
        """Renders not judged yet (of these paths, or all), oldest first."""
        rows = self._query("SELECT * FROM pattern_renders WHERE outcome = '' ORDER BY id")
        wanted = None if paths is None else set(paths)
        return [_render(row) for row in rows if wanted is None or row["path"] in wanted]

    def batch_renders(self, batch: str) -> list[Render]:
        """Every render of one batch (one use), judged or not."""
        rows = self._query("SELECT * FROM pattern_renders WHERE batch = ? ORDER BY id", (batch,))
        return [_render(row) for row in rows]

    def judge_render(self, render_id: int, outcome: str, evidence: dict[str, Any]) -> None:
        """Set a render's outcome and the evidence it was judged from."""
        params = (outcome, json.dumps(evidence, sort_keys=True, default=str), _now(), render_id)

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE pattern_renders SET outcome = ?, evidence = ?, judged_at = ? WHERE id = ?",
                params,
            )

        self._write(write)

    def circuit(self, pattern_id: str) -> Circuit:
        """A pattern's circuit breaker (closed, no failures, when none is kept)."""
        rows = self._query("SELECT * FROM pattern_circuits WHERE pattern_id = ?", (pattern_id,))
        if not rows:
            return Circuit(pattern_id)
        row = rows[0]
        opened = from_text(row["opened_at"]) if row["opened_at"] else None
        return Circuit(pattern_id, row["state"], row["failures"], opened, row["reason"])

    def save_circuit(self, circuit: Circuit) -> None:
        """Keep a pattern's circuit breaker state."""
        opened = to_text(circuit.opened_at) if circuit.opened_at else None
        params = (circuit.pattern_id, circuit.state, circuit.failures, opened, circuit.reason)
        self._write(lambda db: db.execute(_SAVE_CIRCUIT, (*params, _now())))

    def add_alert(
        self, pattern_id: str, level: str, message: str, *, at: datetime | None = None
    ) -> None:
        """Keep an alert that was sent (at `at`, default now)."""
        params = (pattern_id, level, message, to_text(at) if at else _now())
        self._write(
            lambda db: db.execute(
                "INSERT INTO pattern_alerts (pattern_id, level, message, created_at)"
                " VALUES (?, ?, ?, ?)",
                params,
            )
        )

    def alerts(self, pattern_id: str | None = None) -> list[tuple[str, str, str, datetime]]:
        """Alerts sent (pattern id, level, message, when), oldest first."""
        sql, params = "SELECT * FROM pattern_alerts", tuple[str, ...]()
        if pattern_id is not None:
            sql, params = sql + " WHERE pattern_id = ?", (pattern_id,)
        rows = self._query(sql + " ORDER BY id", params)
        return [
            (r["pattern_id"], r["level"], r["message"], from_text(r["created_at"])) for r in rows
        ]

    def note_checks(self, checks: Sequence[tuple[str, str, bool]]) -> None:
        """Keep what the pre-commit check said of each file: (path, staged blob, warned)."""
        now = _now()
        rows = [(path, blob, int(warned), now) for path, blob, warned in checks]
        self._write(lambda db: db.executemany(_NOTE_CHECK, rows))

    def checks(self, paths: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """What the pre-commit check last said of each of these paths: (blob, warned)."""
        wanted = list(paths)
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self._query(f"SELECT * FROM commit_checks WHERE path IN ({marks})", wanted)
        return {row["path"]: (row["blob"], bool(row["warned"])) for row in rows}


def _render_row(render: Render) -> tuple[Any, ...]:
    return (
        render.batch,
        render.pattern_id,
        render.version,
        render.path,
        render.template_path,
        render.source,
        render.actor,
        render.digest,
        json.dumps(render.lines),
        int(render.trial),
        to_text(render.at or datetime.now(timezone.utc)),
        render.outcome,
        json.dumps(render.evidence, sort_keys=True, default=str),
    )


def _render(row: sqlite3.Row) -> Render:
    return Render(
        pattern_id=row["pattern_id"],
        path=row["path"],
        digest=row["digest"],
        lines=json.loads(row["lines"]),
        batch=row["batch"],
        version=row["version"],
        template_path=row["template_path"],
        source=row["source"],
        actor=row["actor"],
        trial=bool(row["trial"]),
        at=from_text(row["created_at"]),
        outcome=row["outcome"],
        evidence=json.loads(row["evidence"]),
        id=row["id"],
    )
