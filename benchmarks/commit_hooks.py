"""How much repetend's git hooks add to `git commit` in a repository of 5,000 files.

Two identical repositories, one with `repetend hooks install`, one without;
commits alternate between them so both see the same machine load. Three
cases: a commit of one modified file, of one new file, and of one new file
when an approved template exists (the only case where pre-commit starts
Python). The background drain is waited for between commits, outside the
timing. Budget: median added time ≤ 30 ms.

    python benchmarks/commit_hooks.py [--files 5000] [--commits 30]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import REPETEND, make_repo, median, sh, timed, wait_until_drained

TEMPLATE = "id: T-bench\nkind: file-template\nstatus: approved\n"


def commit_one(root: Path, case: str, i: int) -> float:
    """Make the change of `case` and time the commit."""
    if case == "modified":
        path = root / "pkg000" / "module_00000.py"
        path.write_text(f'"""Module 0."""\n\nVALUE = {i + 10_000}\n')
    else:
        path = root / "added" / f"{case}_{i:04d}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"VALUE = {i}\n")
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


def main() -> None:
    """Build the repositories, run the three cases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain = make_repo(Path(folder) / "plain", options.files)
        hooked = make_repo(Path(folder) / "hooked", options.files)
        sh(hooked, *REPETEND, "hooks", "install")
        print(f"git commit of one file, {options.files} files, {options.commits} commits each")
        print(f"{'case':<28}{'no hooks':>10}{'repetend':>10}{'added':>9}{'ratio':>7}")
        for case in ("modified", "new", "new+approved-template"):
            if case == "new+approved-template":
                template = hooked / ".repetend" / "patterns" / "approved" / "T-bench.yaml"
                template.parent.mkdir(parents=True, exist_ok=True)
                template.write_text(TEMPLATE)
            base, hooks = measure(plain, hooked, case, options.commits)
            print(
                f"{case:<28}{base:>8.1f}ms{hooks:>8.1f}ms{hooks - base:>7.1f}ms{hooks / base:>7.2f}"
            )


if __name__ == "__main__":
    main()
