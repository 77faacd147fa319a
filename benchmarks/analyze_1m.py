"""Benchmark: `repetend analyze` over 1,000,000 stored events (budget: 15 s, 1 GB).

The events are generated here and bulk-inserted straight into a fresh store:
10,000 sessions of 100 commands each from a vocabulary of 300, with two
planted habits (a three-step run and a gapped pair) among the noise. Then
`repetend analyze --hours 24 --min-occurrences 2` runs as a separate process,
measured from outside by a fresh interpreter (wall, CPU, peak memory). Figures are printed as
ratios of the budgets.

    python benchmarks/analyze_1m.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import REPETEND, measured

from repetend.store import SQLiteStore
from repetend.store.rows import to_text

BUDGET_SECONDS = 15.0
BUDGET_BYTES = 1 << 30
SESSION_LENGTH = 100
VOCABULARY = [f"tool{i} run" for i in range(300)]
HABIT = ["git add", "git commit", "git push"]


def generate(count: int, seed: int = 5) -> list[tuple[str, str, str, str, str, str, str]]:
    """Rows for the events table: noise commands with the planted habits."""
    rng = random.Random(seed)
    start = datetime.now(timezone.utc) - timedelta(hours=12)
    payloads = {
        label: json.dumps(
            {
                "command": label,
                "exit_status": 0,
                "success": True,
                "duration_ms": 0,
                "step": label,
                "destructive": False,
            }
        ).replace('"duration_ms": 0', '"duration_ms": %s')
        for label in [*VOCABULARY, *HABIT, "make build", "make deploy"]
    }
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    while len(rows) < count:
        number = len(rows) // SESSION_LENGTH
        session = f"bench-{number}"
        moment = to_text(start + timedelta(seconds=number))
        roll = rng.random()
        if roll < 0.01:
            labels = HABIT
        elif roll < 0.015:
            labels = ["make build", rng.choice(VOCABULARY), "make deploy"]
        else:
            labels = [rng.choice(VOCABULARY)]
        for label in labels:
            payload = payloads[label] % rng.randint(50, 3000)
            rows.append(("shell", session, "command", label.split()[0], "human", payload, moment))
    return rows[:count]


def insert(root: Path, rows: list[tuple[str, str, str, str, str, str, str]]) -> None:
    """One transaction, executemany: the fastest way in through the store's own connection."""
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO events (source, session, kind, tool_name, actor, payload, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    store.close()


def run_analysis(root: Path) -> tuple[float, float, int, str]:
    """Wall time, CPU time, peak resident memory (bytes) and output of one `repetend analyze`.

    Measured from outside by a fresh interpreter (`common.measured`): this process
    held the million generated rows, and Linux hands a parent's peak to the child
    it forks, so the child's own `ru_maxrss` read here would be this process's.
    """
    figures = measured(root, *REPETEND, "analyze", "--hours", "24", "--min-occurrences", "2")
    return figures["wall"], figures["cpu"], int(figures["peak_mb"] * 2**20), figures["stdout"]


def main() -> int:
    """Generate, insert, analyse, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    count = parser.parse_args().events
    with tempfile.TemporaryDirectory(prefix="repetend-bench-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()  # the repository root marker; nothing else of git is needed
        started = time.perf_counter()
        rows = generate(count)
        insert(root, rows)
        print(
            f"generated and inserted {len(rows):,} events in {time.perf_counter() - started:.1f} s"
        )
        del rows  # this process's memory is not the analysis's
        elapsed, cpu, peak, output = run_analysis(root)
    print(output.rstrip())
    print(f"analyze wall time: {elapsed:.2f} s = {elapsed / BUDGET_SECONDS:.2f} x the 15 s budget")
    print(f"analyze CPU time (user + system): {cpu:.2f} s = {cpu / BUDGET_SECONDS:.2f} x 15 s")
    memory = f"{peak / 2**20:.0f} MiB = {peak / BUDGET_BYTES:.2f} x the 1 GiB budget"
    print(f"analyze peak memory: {memory}")
    return 0 if elapsed <= BUDGET_SECONDS and peak <= BUDGET_BYTES else 1


if __name__ == "__main__":
    raise SystemExit(main())
