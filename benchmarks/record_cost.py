"""Cost of one persisted `repetend.record()` call, against a bare SQLite insert+commit.

Prints the median and p95 per call for both, and their ratio. Targets: median ≤ 1 ms (issue
12: ≤ 0.15 ms). The repository is opted in (it has `.repetend/`), so the store is written.
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import repetend

CALLS = 2000


def repetend_calls(root: Path) -> list[float]:
    times = []
    for i in range(CALLS):
        started = time.perf_counter()
        with repetend.record(
            "file_creation",
            inputs={"filename": f"src/module_{i}.py", "content": f"print({i})\n"},
            tools=["write_file"],
            root=root,
        ) as run:
            run.outputs["bytes"] = 10
        times.append(time.perf_counter() - started)
    return times


def sqlite_calls(path: Path) -> list[float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT, inputs TEXT, created_at TEXT)")
    times = []
    for i in range(CALLS):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO t (kind, inputs, created_at) VALUES (?, ?, ?)",
            ("file_creation", f'{{"filename": "src/module_{i}.py"}}', str(time.time())),
        )
        db.execute("COMMIT")
        times.append(time.perf_counter() - started)
    db.close()
    return times


def describe(label: str, times: list[float]) -> float:
    median = statistics.median(times) * 1000
    p95 = statistics.quantiles(times, n=20)[18] * 1000
    print(f"{label:<28} median {median:7.3f} ms   p95 {p95:7.3f} ms")
    return median


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        # Opted in, so record() writes to the store: without `.repetend/` it spools each call
        # to the user's data folder with an fsync (~4 ms), which is not the path measured here.
        (root / ".repetend").mkdir()
        repetend_calls(root)  # warm-up: imports, store creation, migrations
        ours = describe("repetend.record()", repetend_calls(root))
        bare = describe("bare sqlite insert+commit", sqlite_calls(root / "bare.db"))
    print(
        f"ratio record()/bare insert: {ours / bare:.1f}x   target median <= 1 ms: "
        f"{'met' if ours <= 1.0 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
