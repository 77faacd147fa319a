"""The file index table: created on a blank store and added to a store that predates it."""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import pytest

from repetend.files.index import DIGEST_MARK
from repetend.files.similarity import BINS
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


def test_rows_signed_by_an_older_version_are_signed_again_and_kept_small(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from repetend.cli import main

    for name in ("a", "b", "c"):
        (repo / f"{name}.yml").write_text(f"name: {name}\nsteps:\n  - run: make {name}\n")
    assert main(["mine", ".", "--json"]) == 0
    database = repo / ".repetend" / "repetend.db"
    with sqlite3.connect(database) as db:
        (size,) = db.execute(
            "SELECT length(sketch) FROM file_index WHERE path = 'a.yml'"
        ).fetchone()
        assert size == 2 * BINS  # 16 bits a bin
        # what an older version left: its own digest and 64-bit bins, the file unchanged since
        db.execute(
            "UPDATE file_index SET digest = 'old', sketch = ? WHERE path = 'a.yml'",
            (struct.pack(f"<{BINS}Q", *range(BINS)),),
        )
    db.close()
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["read"] == 1  # signed again, the others kept
    with sqlite3.connect(database) as db:
        digest, size = db.execute(
            "SELECT digest, length(sketch) FROM file_index WHERE path = 'a.yml'"
        ).fetchone()
    db.close()
    assert digest.startswith(DIGEST_MARK) and size == 2 * BINS
