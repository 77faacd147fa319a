"""Benchmark: what the shell integration adds to each prompt (budget: 10 ms).

Runs an interactive bash (and zsh, when installed) that executes N commands,
with and without `repetend shell-init`, alternating, and compares the median
wall times. The integrated runs include everything the integration does:
the hooks at each prompt and the background `repetend shell-flush` every 20
commands, which stores the commands in a git repository's store.

    python benchmarks/shell_prompt.py [--commands 400] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 10.0
SHELLS = {"bash": ["bash", "--norc", "--noprofile", "-i"], "zsh": ["zsh", "-f", "-i"]}


def session(shell: str, folder: Path, init: Path | None, commands: int) -> float:
    """Wall time of one interactive session running `commands` commands."""
    lines = ([f"source {init}"] if init else []) + ["true"] * commands + ["exit"]
    env = {**os.environ, "HISTFILE": os.devnull, "REPETEND_SPOOL_DIR": str(folder / "spool")}
    started = time.perf_counter()
    subprocess.run(
        SHELLS[shell], input="\n".join(lines) + "\n", cwd=folder, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return time.perf_counter() - started


def measure(shell: str, folder: Path, commands: int, runs: int) -> tuple[float, float]:
    """Median session time with the integration and without it."""
    init = folder / f"init.{shell}"
    script = subprocess.run(
        [sys.executable, "-m", "repetend", "shell-init", shell],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    init.write_text(script)
    with_hooks, without = [], []
    for _ in range(runs):
        with_hooks.append(session(shell, folder, init, commands))
        without.append(session(shell, folder, None, commands))
    return statistics.median(with_hooks), statistics.median(without)


def main() -> int:
    """Measure every installed shell; print the added milliseconds per prompt."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    over = 0
    with tempfile.TemporaryDirectory(prefix="repetend-bench-") as name:
        folder = Path(name)
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        for shell in SHELLS:
            if shutil.which(shell) is None:
                print(f"{shell}: not installed, not measured")
                continue
            hooked, plain = measure(shell, folder, options.commands, options.runs)
            added = (hooked - plain) / options.commands * 1000
            over += added > BUDGET_MS
            print(
                f"{shell}: {options.commands} prompts in {hooked:.3f} s with the integration,"
                f" {plain:.3f} s without: ratio {hooked / plain:.2f},"
                f" {added:.2f} ms added per prompt = {added / BUDGET_MS:.2f} x the 10 ms budget"
            )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
