"""The migrations of the capture points: from a blank database and as an upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from repetend.store import SQLiteStore
from repetend.store.migrations import MIGRATIONS, applied, m001_initial

NEW = ("m004_tool_use_pending", "m005_sequence_occurrences")


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_blank_database_gets_the_capture_tables(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    SQLiteStore(path).close()
    assert {"tool_use_pending", "sequence_occurrences"} <= tables(path)
    with sqlite3.connect(path) as db:
        assert set(NEW) <= set(applied(db))


def test_an_existing_database_is_upgraded_and_keeps_its_events(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    applied(db)
    m001_initial(db)
    db.execute("INSERT INTO _repetend_migrations (name, applied_at) VALUES ('m001_initial', 'x')")
    db.execute(
        "INSERT INTO events (source, session, kind, tool_name, actor, payload, created_at)"
        " VALUES ('shell', 's', 'command', 'ls', 'human', '{}', '2026-01-01T00:00:00.000000Z')"
    )
    db.close()
    store = SQLiteStore(path)
    assert store.counts()["events"] == 1
    store.close()
    assert {"tool_use_pending", "sequence_occurrences"} <= tables(path)
    names = [m.__name__ for m in MIGRATIONS]
    assert names.index("m004_tool_use_pending") > names.index("m001_initial")
