"""Many writers at once never lose a row or fail with "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WRITER = """
import sys
import repetend
for i in range({count}):
    with repetend.record("job", inputs={{"worker": sys.argv[1], "i": i}}):
        pass
"""


def test_four_processes_writing_at_once_store_every_row(repo: Path) -> None:
    count = 150
    script = WRITER.format(count=count)
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(n)], stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0]
    assert not any("locked" in e or "warning" in e for e in errors), errors
    from repetend.store.sqlite import SQLiteStore

    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    assert store.counts()["executions"] == 4 * count
    per_worker = {e.inputs["worker"] for e in store.executions()}
    store.close()
    assert per_worker == {"0", "1", "2", "3"}
