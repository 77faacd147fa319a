"""How long the pre-commit check takes on 50 staged new files (budget: ≤ 300 ms).

The hook script repetend installs is run exactly as git runs it, in a
repository of 5,000 files with 50 new files staged and an approved template
present (so the check has work and starts Python). Baselines from the same
run: the bare interpreter start (`python -c pass`, the floor of any hook
written in Python) and a plain `git diff --cached` over the same index.
The plugins are whatever is installed: after the file miner lands, its
staged-file check is part of the figure.

    python benchmarks/precommit_check.py [--staged 50] [--runs 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import REPETEND, make_repo, median, percentile, sh, timed


def main() -> None:
    """Stage the files, time the hook and the baselines, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--staged", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_repo(Path(folder) / "repo", options.files)
        sh(root, *REPETEND, "hooks", "install")
        template = root / ".repetend" / "patterns" / "approved" / "T-bench.yaml"
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text("id: T-bench\nkind: file-template\nstatus: approved\n")
        for i in range(options.staged):
            path = root / "new" / f"module_{i:03d}.py"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f'"""New module {i}."""\n\nVALUE = {i}\n')
        sh(root, "git", "add", "new")
        hook = str(root / ".git" / "hooks" / "pre-commit")
        timed(root, hook)  # warm-up: bytecode caches, page cache
        rows = []
        for label, argv in (
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("git diff --cached", ["git", "diff", "--cached", "--name-only"]),
            (f"pre-commit hook, {options.staged} new files", [hook]),
        ):
            times = [timed(root, *argv) for _ in range(options.runs)]
            rows.append((label, median(times), percentile(times, 0.95)))
        floor = rows[0][1]
        print(f"pre-commit check, {options.files}-file repository, {options.runs} runs each")
        print(f"{'command':<36}{'median':>9}{'p95':>9}{'x python start':>16}")
        for label, middle, p95 in rows:
            print(f"{label:<36}{middle:>7.1f}ms{p95:>7.1f}ms{middle / floor:>16.2f}")


if __name__ == "__main__":
    main()
