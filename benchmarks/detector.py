"""The execution detector over 100,000 stored executions: time and peak memory.

The baseline is a plain scan of the same table (SELECT every row and decode its JSON),
measured in the same run. Targets: ≤ 3 s, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

TOTAL = 100_000
KINDS = 40

MEASURE = """
import json, resource, sys, time
from repetend.config import load_config
from repetend.plugins.registry import get_plugin_manager
from repetend.patterns.lifecycle import run_detectors
from repetend.store import open_store
config = load_config(sys.argv[1])
store = open_store(config)
started = time.perf_counter()
proposals = run_detectors(store, config, get_plugin_manager())
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "candidates": len(proposals)}))
"""

SCAN = """
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
started = time.perf_counter()
n = 0
for row in db.execute("SELECT inputs, outputs, tools FROM executions"):
    json.loads(row[0]); json.loads(row[1]); json.loads(row[2]); n += 1
print(json.dumps({"seconds": time.perf_counter() - started, "rows": n}))
"""


def fill(root: Path) -> None:
    from repetend.config import load_config
    from repetend.events import Execution, utcnow
    from repetend.store import open_store

    store = open_store(load_config(root))
    rng = random.Random(7)
    now = utcnow()
    batch = []
    for i in range(TOTAL):
        kind = f"task_{i % KINDS}"
        shape = i % 3
        inputs: dict[str, object] = {"path": f"src/{kind}/item_{i}.py", "size": rng.randint(1, 900)}
        if shape == 1:
            inputs["mode"] = "fast"
        if shape == 2:
            inputs = {"url": f"https://example.com/{i}", "retries": 3}
        batch.append(
            Execution(
                kind=kind,
                inputs=inputs,
                tools=["read", "write"] if shape < 2 else ["fetch"],
                success=rng.random() > 0.05,
                duration_ms=rng.uniform(5, 500),
                created_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 25)),
            )
        )
        if len(batch) == 5000:
            store.add_executions(batch)
            batch = []
    store.close()


def run(code: str, argument: str) -> dict[str, float]:
    command = [sys.executable, "-c", code, argument]
    output = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", folder], check=True)
        started = time.perf_counter()
        fill(root)
        print(f"stored {TOTAL} executions in {time.perf_counter() - started:.1f} s")
        scan = run(SCAN, str(root / ".repetend" / "repetend.db"))
        detect = run(MEASURE, folder)
        again = run(MEASURE, folder)
    print(f"baseline full scan + JSON decode: {scan['seconds']:.2f} s")
    print(
        f"detector, first run:  {detect['seconds']:.2f} s, peak {detect['peak_mb']:.0f} MB, "
        f"{detect['candidates']:.0f} candidates"
    )
    print(f"detector, second run: {again['seconds']:.2f} s (idempotent update)")
    met = detect["seconds"] <= 3 and detect["peak_mb"] <= 300
    print(
        f"ratio detector/scan: {detect['seconds'] / scan['seconds']:.2f}   "
        f"target <= 3 s and <= 300 MB: {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
