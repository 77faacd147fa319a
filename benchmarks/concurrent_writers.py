"""8 processes × 2,000 `repetend.record()` calls at once into one store.

Prints rows stored, errors seen, and the time against one process writing the same total.
Target: 16,000 rows, zero errors.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROCESSES = 8
RECORDS = 2000
WRITER = """
import sys, repetend
worker, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    with repetend.record("job", inputs={"worker": worker, "i": i}):
        pass
"""


def run_writers(root: Path, processes: int, records: int) -> tuple[float, list[str]]:
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), str(records)],
            cwd=root,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    errors = []
    for worker in workers:
        _, err = worker.communicate()
        errors += [line for line in err.splitlines() if "warning" in line or "Error" in line]
        if worker.returncode:
            errors.append(f"exit {worker.returncode}")
    return time.perf_counter() - started, errors


def rows(root: Path) -> int:
    with sqlite3.connect(root / ".repetend" / "repetend.db") as db:
        count = int(db.execute("SELECT COUNT(*) FROM executions").fetchone()[0])
    db.close()
    return count


def main() -> None:
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        for folder in (a, b):
            subprocess.run(["git", "init", "-q", folder], check=True)
        serial, serial_errors = run_writers(Path(a), 1, PROCESSES * RECORDS)
        parallel, errors = run_writers(Path(b), PROCESSES, RECORDS)
        print(
            f"1 process  x {PROCESSES * RECORDS}: {serial:6.2f} s, rows {rows(Path(a))}, "
            f"errors {len(serial_errors)}"
        )
        print(
            f"{PROCESSES} processes x {RECORDS}: {parallel:6.2f} s, rows {rows(Path(b))}, "
            f"errors {len(errors)}"
        )
        print(f"ratio parallel/serial wall time: {parallel / serial:.2f}")
        for line in errors[:5]:
            print("  error:", line)


if __name__ == "__main__":
    main()
