"""How much repetend's git hooks add to `git commit` in a repository of 5,000 files.

Two identical repositories, one with `repetend hooks install`, one without;
commits alternate between them so both see the same machine load. The real
miner answers the hooks (nothing is approved automatically here, so each case
is what it says). Cases:

- `modified`: one modified file (the pre-commit hook does not start Python);
- `new`: one new file that fits no approved template (nor does Python start);
- `new, fits a template`: one new file whose path fits an approved template
  mined from the repository, so the pre-commit check runs in Python.

In these cases the background drain is waited for between commits, outside the
timing. Then two runs that a developer meets as they are:

- `back to back`: 20 commits of a modified file one after another, no waiting:
  the total against 20 commits without hooks (target within 1.2x), and how many
  drains ran and how many at once (a process-table sampler; target one at a time);
- `pre-commit framework`: repetend's `repetend-propose` and `repetend-capture`
  hooks through `pre-commit` against the framework running one trivial local hook
  (`true`), the anchor: the framework's own cost, measured in the same run.

Budget: median added time ≤ 30 ms in every case.

    python benchmarks/commit_hooks.py [--files 5000] [--commits 30] [--back-to-back 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import (
    REPETEND,
    approve_template_for,
    make_repo,
    median,
    sh,
    timed,
    use_code,
    wait_until_drained,
)

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


def measure(
    plain: Path, hooked: Path, case: str, commits: int, other: tuple[Path, str] | None = None
) -> tuple[list[float], list[float], list[float]]:
    """Commit times (ms) without hooks, with ours, and with `other`'s (its code), alternated."""
    without: list[float] = []
    with_hooks: list[float] = []
    others: list[float] = []
    for i in range(commits):
        without.append(commit_one(plain, case, i))
        with_hooks.append(commit_one(hooked, case, i))
        wait_until_drained(hooked)
        if other is not None:
            use_code(other[1])
            try:
                others.append(commit_one(other[0], case, i))
                wait_until_drained(other[0])
            finally:
                use_code(None)
    return without, with_hooks, others


def case_line(label: str, base: list[float], hooks: list[float]) -> str:
    """Medians, the time added, the ratio and the quartiles of one case."""
    b, h = median(base), median(hooks)
    low, high = quartiles(hooks)
    return f"{label:<24}{b:>8.1f}ms{h:>8.1f}ms{h - b:>7.1f}ms{h / b:>7.2f}   [{low:.0f}-{high:.0f}]"


def approve_a_template(root: Path) -> str:
    """Mine the repository and approve the template the new `pkg001/` modules fit."""
    return str(approve_template_for(root, "pkg001/module_20000.py")["path_pattern"])


class DrainCounter:
    """Samples the process table every few milliseconds for `hooks drain` processes."""

    def __init__(self, root: Path) -> None:
        self.root = str(root.resolve())  # drains running in this repository only
        self.seen: set[int] = set()
        self.most_at_once = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> DrainCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            running = {
                pid for pid in _pids() if _is_drain(_cmdline(pid)) and _cwd(pid) == self.root
            }
            self.seen |= running
            self.most_at_once = max(self.most_at_once, len(running))
            time.sleep(0.003)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _is_drain(cmdline: bytes) -> bool:
    # the hooks start `-c BOOTSTRAP` for repetend.capture.git.drain; `repetend hooks drain` too
    return b"repetend.capture.git.drain" in cmdline or b"hooks\0drain" in cmdline


def _cwd(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def back_to_back(
    plain: Path, hooked: Path, commits: int, other: tuple[Path, str] | None = None, rounds: int = 3
) -> None:
    """`commits` commits in a row, no waiting: totals, and how many drains ran.

    `other` is a second hooked repository and the checkout whose repetend runs
    there (`--compare`): its rounds alternate with the rest, a before/after in one run.
    """

    def run(root: Path, offset: int, code: str | None = None) -> float:
        use_code(code)
        try:
            return sum(commit_one(root, "modified", offset + i) for i in range(commits))
        finally:
            use_code(None)

    base, hooks, others = [], [], []
    with DrainCounter(hooked) as drains:
        for round_ in range(rounds):  # alternated, so both see the same load
            base.append(run(plain, 1000 * (round_ + 1)))
            if other is not None and round_ % 2:  # which hooked repository goes first rotates
                others.append(run(other[0], 1000 * (round_ + 1), other[1]))
                wait_until_drained(other[0])
            hooks.append(run(hooked, 1000 * (round_ + 1)))
            wait_until_drained(hooked)
            if other is not None and not round_ % 2:
                others.append(run(other[0], 1000 * (round_ + 1), other[1]))
                wait_until_drained(other[0])
        time.sleep(0.5)  # a drain started by the last commit is still counted
    b, h = median(base), median(hooks)
    print(
        f"{commits} back to back      {b:>8.0f}ms{h:>8.0f}ms{(h - b) / commits:>7.1f}ms"
        f"{h / b:>7.2f}   (per commit; target ratio <= 1.2) [{min(hooks):.0f}-{max(hooks):.0f}]"
    )
    if others:
        o = median(others)
        print(
            f"  compared code      {b:>8.0f}ms{o:>8.0f}ms{(o - b) / commits:>7.1f}ms"
            f"{o / b:>7.2f}   [{min(others):.0f}-{max(others):.0f}]"
        )
    print(
        f"  drains: {len(drains.seen)} started over {rounds * commits} commits, "
        f"at most {drains.most_at_once} at once (target 1)"
    )


FRAMEWORK_ENTRIES = {
    "framework, trivial hook": None,  # the anchor
    "framework, `true` at both stages": "true",  # the framework's cost for hooks like ours
    "framework, repetend CLI": "repetend hooks run",  # the entry before repetend-hook
    "framework, repetend-hook": "repetend-hook",
}
FRAMEWORK_CASES = ("modified", "new")


def framework_config(entry: str | None) -> str:
    """A `repo: local` .pre-commit-config.yaml: one trivial hook, or repetend's two hooks."""
    if entry is None:
        return (
            "repos:\n- repo: local\n  hooks:\n  - id: trivial\n    name: trivial\n"
            "    entry: 'true'\n    language: system\n    pass_filenames: false\n"
        )
    return (
        "repos:\n- repo: local\n  hooks:\n"
        f"  - {{id: repetend-propose, name: repetend, entry: {entry} pre-commit,\n"
        "     language: system, stages: [pre-commit], pass_filenames: false}\n"
        f"  - {{id: repetend-capture, name: repetend, entry: {entry} post-commit,\n"
        "     language: system, stages: [post-commit], always_run: true, pass_filenames: false}\n"
    )


def framework(folder: Path, files: int, commits: int) -> None:
    """repetend's hooks through the pre-commit framework, against one trivial local hook.

    Four repositories, commits alternated between them (the order rotates): the
    framework running one trivial hook (the anchor), `true` as both of repetend's
    hooks (what the framework itself costs for two stages), repetend's hooks entered through
    the command line (`repetend hooks run`, the entry before `repetend-hook`), and
    through `repetend-hook`. Medians and [quartiles], ms; added = over the anchor.
    """
    repos = {}
    for n, (name, entry) in enumerate(FRAMEWORK_ENTRIES.items()):
        root = make_repo(folder / f"framework-{n}", files)
        (root / ".pre-commit-config.yaml").write_text(framework_config(entry))
        sh(root, "git", "add", ".pre-commit-config.yaml")
        sh(root, "git", "commit", "-q", "--no-verify", "-m", "pre-commit config")
        sh(root, sys.executable, "-m", "pre_commit", "install", "-t", "pre-commit",
           "-t", "post-commit")  # fmt: skip
        repos[name] = root
    names = list(repos)
    for case in FRAMEWORK_CASES:
        times: dict[str, list[float]] = {name: [] for name in names}
        for i in range(commits):
            turn = i % len(names)
            for name in names[turn:] + names[:turn]:
                times[name].append(commit_one(repos[name], case, i))
                if FRAMEWORK_ENTRIES[name] not in (None, "true"):
                    wait_until_drained(repos[name])
        anchor = median(times[names[0]])
        print(f"pre-commit framework, {case} file ({commits} commits each, {files} files)")
        for name in names:
            low, high = quartiles(times[name])
            m = median(times[name])
            print(
                f"  {name:<26}{m:>8.1f}ms [{low:.0f}-{high:.0f}]{m - anchor:>+8.1f}ms"
                f"{m / anchor:>7.2f}x the anchor"
            )


def quartiles(values: list[float]) -> tuple[float, float]:
    """The first and third quartiles."""
    cuts = statistics.quantiles(values, n=4)
    return cuts[0], cuts[2]


def main() -> None:
    """Build the repositories, run the cases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=30)
    parser.add_argument("--back-to-back", type=int, default=20)
    parser.add_argument("--framework-commits", type=int, default=10)
    parser.add_argument(
        "--only", choices=("framework", "back-to-back"), help="run only that part (faster)"
    )
    parser.add_argument(
        "--compare", metavar="FOLDER", help="also another checkout's hooks and code, alternated"
    )
    parser.add_argument("--rounds", type=int, default=3, help="back-to-back rounds")
    options = parser.parse_args()
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    with tempfile.TemporaryDirectory() as folder:
        if options.only == "framework":
            framework(Path(folder), options.files, options.framework_commits)
            return
        plain = make_repo(Path(folder) / "plain", options.files)
        hooked = make_repo(Path(folder) / "hooked", options.files)
        config = hooked / ".repetend" / "config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("auto_approve_threshold: 1.0\n")  # approvals are the benchmark's own
        sh(hooked, *REPETEND, "hooks", "install")
        print(f"git commit of one file, {options.files} files, {options.commits} commits each")
        print(f"{'case':<24}{'no hooks':>10}{'repetend':>10}{'added':>9}{'ratio':>7}")
        other = None
        if options.compare:  # the same set-up, the other checkout's hooks and code
            other_root = make_repo(Path(folder) / "hooked-compared", options.files)
            use_code(options.compare)
            (other_root / ".repetend").mkdir()
            (other_root / ".repetend" / "config.yaml").write_text("auto_approve_threshold: 1.0\n")
            sh(other_root, *REPETEND, "hooks", "install")
            if options.only == "back-to-back":
                sh(other_root, *REPETEND, "mine", ".")
            use_code(None)
            other = (other_root, options.compare)
        if options.only == "back-to-back":  # as the full run finds it: the repository mined
            sh(hooked, *REPETEND, "mine", ".")
        if options.only is None:
            for case in CASES:
                if case == "new, fits a template":
                    pattern = approve_a_template(hooked)
                    print(f"  (approved template: {pattern})", file=sys.stderr)
                    if other is not None:
                        use_code(other[1])
                        approve_a_template(other[0])
                        use_code(None)
                base, hooks, others = measure(plain, hooked, case, options.commits, other)
                print(case_line(case, base, hooks))
                if others:
                    print(case_line("  compared code", base, others))
        back_to_back(plain, hooked, options.back_to_back, other, options.rounds)
        if options.only is None:
            framework(Path(folder), options.files, options.framework_commits)


if __name__ == "__main__":
    main()
