"""Migrations: each applies from a blank database and as an upgrade from every earlier state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from repetend.store.migrations import MIGRATIONS, applied
from repetend.store.sqlite import SQLiteStore


def schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    db.close()
    return rows


def test_blank_database_gets_every_migration_recorded(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "blank.db")
    names = applied(store._connection)
    store.close()
    assert names == [m.__name__ for m in MIGRATIONS]
    tables = {name for name, _ in schema(tmp_path / "blank.db")}
    expected = {"executions", "events", "candidates", "pattern_metrics", "anti_patterns"}
    assert expected | {"audit_log"} <= tables


@pytest.mark.parametrize("done", range(len(MIGRATIONS)))
def test_upgrade_from_each_earlier_version_matches_a_blank_database(
    tmp_path: Path, done: int
) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:
        applied(db)
        for function in MIGRATIONS[:done]:
            function(db)
            db.execute("INSERT INTO _repetend_migrations VALUES (?, 'then')", (function.__name__,))
    db.close()
    SQLiteStore(old).close()
    SQLiteStore(tmp_path / "new.db").close()
    assert schema(old) == schema(tmp_path / "new.db")


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    SQLiteStore(path).close()
    store = SQLiteStore(path)
    assert applied(store._connection) == [m.__name__ for m in MIGRATIONS]
    store.close()


def test_store_uses_wal_and_ignores_itself_in_git(repo: Path) -> None:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    mode = store._connection.execute("PRAGMA journal_mode").fetchone()[0]
    store.close()
    assert mode == "wal"
    ignore = (repo / ".repetend" / ".gitignore").read_text()
    assert "*.db" in ignore


def test_tally_migration_counts_executions_stored_before_it(tmp_path: Path) -> None:
    from datetime import date

    from repetend.events import Execution

    path = tmp_path / "old.db"
    first = SQLiteStore(path)
    first.add_executions([Execution("job", {"n": 1}), Execution("job", {"n": 2})])
    signature = next(first.executions()).signature
    first._connection.execute("DROP TABLE execution_tally")
    first._connection.execute(
        "DELETE FROM _repetend_migrations WHERE name = 'm002_daily_signature_tally'"
    )
    first.close()
    upgraded = SQLiteStore(path)
    assert upgraded.successes_since(signature, date(2000, 1, 1)) == 2
    upgraded.close()
