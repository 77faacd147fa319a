"""The file index table: created on a blank store and added to a store that predates it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from repetend.store.migrations import applied, m001_initial
from repetend.store.sqlite import SQLiteStore


def test_a_blank_store_gets_the_file_index(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "blank.db")
    assert store.query("SELECT COUNT(*) FROM file_index")[0][0] == 0
    store.close()


def test_an_older_store_is_upgraded_with_its_data_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        applied(db)
        m001_initial(db)
        db.execute("INSERT INTO _repetend_migrations VALUES ('m001_initial', 'then')")
        db.execute(
            "INSERT INTO audit_log (pattern_id, from_status, to_status, actor, note, created_at)"
            " VALUES ('P', '', 'draft', 'me', '', 'then')"
        )
    db.close()
    store = SQLiteStore(path)
    assert store.query("SELECT COUNT(*) FROM file_index")[0][0] == 0
    assert store.query("SELECT pattern_id FROM audit_log")[0][0] == "P"
    store.close()
    with sqlite3.connect(path) as db:
        assert "m003_file_index" in applied(db)
    db.close()
