"""The candidates and their audit log in SQLite."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from repetend.errors import NotFoundError
from repetend.events import AuditEntry, Candidate
from repetend.store.rows import (
    audit,
    candidate_from_row,
    from_text,
    insert_candidate,
    next_id,
    to_text,
    update_candidate,
)
from repetend.store.sqlite_connection import SQLiteConnection


class CandidateTables(SQLiteConnection):
    """What a store keeps of candidates and patterns: rows and their audit trail."""

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
        sql = (
            "SELECT * FROM candidates" + where_clause(where) + " ORDER BY created_at DESC, id DESC"
        )
        return [candidate_from_row(row) for row in self._query(sql, params)]

    def save_candidate(
        self,
        candidate: Candidate,
        *,
        actor: str = "repetend",
        note: str = "",
        always_audit: bool = False,
    ) -> Candidate:
        """Insert or update a candidate; a new one gets an `AUTO-YYYYMMDD-<digest>` id."""

        def save(db: sqlite3.Connection) -> Candidate:
            old = db.execute(
                "SELECT id, status FROM candidates WHERE id = ? OR (kind = ? AND signature = ?)",
                (candidate.id, candidate.kind, candidate.signature),
            ).fetchone()
            if old is None:
                candidate.id = candidate.id or next_id(
                    db, candidate.created_at, candidate.kind, candidate.signature
                )
                insert_candidate(db, candidate)
                audit(db, candidate.id, "", candidate.status, actor, note or "created")
            else:
                candidate.id = old[0]
                update_candidate(db, candidate)
                if old[1] != candidate.status or always_audit:
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
        rows = self._query("SELECT * FROM audit_log" + where_clause(where) + " ORDER BY id", params)
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


def where_clause(clauses: list[str]) -> str:
    """A `WHERE` of `clauses` joined by `AND`, or nothing."""
    return " WHERE " + " AND ".join(clauses) if clauses else ""
