"""The spec files a store has indexed, and renaming a candidate to the id its file carries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from repetend.store.base import SpecFile
from repetend.store.sqlite_connection import SQLiteConnection

# Tables that name a pattern by its id, with the column that holds it.
_PATTERN_COLUMNS = (
    ("candidates", "id"),
    ("audit_log", "pattern_id"),
    ("pattern_metrics", "pattern_id"),
    ("pattern_uses", "pattern_id"),
    ("spec_files", "pattern_id"),
)


class SpecTables(SQLiteConnection):
    """What a store remembers of the spec files it read (see `patterns.spec_index`)."""

    def spec_files(self) -> dict[str, SpecFile]:
        """Every indexed spec file by its path relative to the repository."""
        rows = self._query("SELECT path, size, mtime_ns, digest, pattern_id FROM spec_files")
        return {row[0]: SpecFile(row[0], row[1], row[2], row[3], row[4]) for row in rows}

    def note_spec_files(self, files: Iterable[SpecFile], gone: Iterable[str] = ()) -> None:
        """Remember spec files as read now, and forget the paths in `gone`."""
        rows = [(f.path, f.size, f.mtime_ns, f.digest, f.pattern_id) for f in files]
        paths = [(path,) for path in gone]

        def write(db: Any) -> None:
            db.executemany("DELETE FROM spec_files WHERE path = ?", paths)
            db.executemany(
                "INSERT INTO spec_files (path, size, mtime_ns, digest, pattern_id)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, digest = excluded.digest,"
                " pattern_id = excluded.pattern_id",
                rows,
            )

        self._write(write)

    def rename_candidate(self, old_id: str, new_id: str) -> None:
        """Give a candidate, its audit trail and its uses another id (the one its file carries)."""

        def write(db: Any) -> None:
            for table, column in _PATTERN_COLUMNS:
                db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new_id, old_id))

        self._write(write)
