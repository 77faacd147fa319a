"""A real second process that holds the store's write lock (`BEGIN IMMEDIATE`) for a while."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # held until the test closes our stdin
db.execute("ROLLBACK")
"""


@contextmanager
def hold_write_lock(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Hold the write lock of the SQLite file at `path` in another process until the block ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    locker = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout is not None and locker.stdin is not None
    assert locker.stdout.readline().strip() == "locked"
    try:
        yield locker
    finally:
        locker.stdin.close()
        locker.wait(timeout=30)
        locker.stdout.close()
