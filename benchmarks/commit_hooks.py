"""How much repetend's git hooks add to `git commit` in a repository of 5,000 files.

Two identical repositories, one with `repetend hooks install`, one without;
commits alternate between them so both see the same machine load. The real
miner answers the hooks (nothing is approved automatically here, so each case
is what it says). Cases:

- `modified`: one modified file (the pre-commit hook does not start Python);
- `new`: one new file that fits no approved template (nor does Python start);
- `new, fits a template`: one new file whose path fits an approved template
  mined from the repository, so the pre-commit check runs in Python.

The background drain is waited for between commits, outside the timing.
Budget: median added time ≤ 30 ms.

    python benchmarks/commit_hooks.py [--files 5000] [--commits 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import REPETEND, make_repo, median, sh, timed, wait_until_drained

CASES = ("modified", "new", "new, fits a template")


def commit_one(root: Path, case: str, i: int) -> float:
    """Make the change of `case` and time the commit."""
    if case == "modified":
        path = root / "pkg000" / "module_00000.py"
        path.write_text(f'"""Module 0."""\n\nVALUE = {i + 10_000}\n')
    elif case == "new":
        path = root / "notes" / f"note_{i:04d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"note {i}: " + "word " * (i % 7) + "\n")
    else:  # shaped like the files the approved template was learned from
        number = 20_000 + i
        path = root / "pkg001" / f"module_{number:05d}.py"
        path.write_text(f'"""Module {number}."""\n\nVALUE = {number}\n')
    sh(root, "git", "add", str(path.relative_to(root)))
    return timed(root, "git", "commit", "-q", "-m", f"{case} {i}")


def measure(plain: Path, hooked: Path, case: str, commits: int) -> tuple[float, float]:
    """Median commit time without and with the hooks, in ms."""
    without, with_hooks = [], []
    for i in range(commits):
        without.append(commit_one(plain, case, i))
        with_hooks.append(commit_one(hooked, case, i))
        wait_until_drained(hooked)
    return median(without), median(with_hooks)


def approve_a_template(root: Path) -> str:
    """Mine the repository and approve the template of the `pkg001/` files."""
    sh(root, *REPETEND, "mine", ".", "--json")
    templates = json.loads(sh(root, *REPETEND, "templates", "list", "--json"))
    for template in templates:
        if str(template["path_pattern"]).startswith("pkg001/"):
            sh(root, *REPETEND, "candidates", "approve", template["id"], "--note", "benchmark")
            return str(template["path_pattern"])
    raise SystemExit("no template was mined for pkg001/: the benchmark cannot run its last case")


def main() -> None:
    """Build the repositories, run the cases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain = make_repo(Path(folder) / "plain", options.files)
        hooked = make_repo(Path(folder) / "hooked", options.files)
        config = hooked / ".repetend" / "config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("auto_approve_threshold: 1.0\n")  # approvals are the benchmark's own
        sh(hooked, *REPETEND, "hooks", "install")
        print(f"git commit of one file, {options.files} files, {options.commits} commits each")
        print(f"{'case':<24}{'no hooks':>10}{'repetend':>10}{'added':>9}{'ratio':>7}")
        for case in CASES:
            if case == "new, fits a template":
                pattern = approve_a_template(hooked)
                print(f"  (approved template: {pattern})", file=sys.stderr)
            base, hooks = measure(plain, hooked, case, options.commits)
            print(
                f"{case:<24}{base:>8.1f}ms{hooks:>8.1f}ms{hooks - base:>7.1f}ms{hooks / base:>7.2f}"
            )


if __name__ == "__main__":
    main()
