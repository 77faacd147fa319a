"""Many writers at once never lose a row or fail with "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.store.conftest import open_address

WRITER = """
import sys
import repetend
for i in range({count}):
    with repetend.record("job", inputs={{"worker": sys.argv[1], "i": i}}):
        pass
"""


def test_four_processes_writing_at_once_store_every_row(repo: Path, store_address: str) -> None:
    count = 150
    script = WRITER.format(count=count)
    environment = {**os.environ, "REPETEND_STORE": store_address}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(n)],
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for n in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0]
    assert not any("locked" in e or "warning" in e for e in errors), errors
    store = open_address(store_address)
    assert store.counts()["executions"] == 4 * count
    per_worker = {e.inputs["worker"] for e in store.executions()}
    store.close()
    assert per_worker == {"0", "1", "2", "3"}
