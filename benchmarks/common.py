"""Shared set-up for the capture benchmarks: temporary repositories and timing figures."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPETEND = [sys.executable, "-m", "repetend"]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def environment() -> dict[str, str]:
    """The environment every benchmark subprocess gets: no REPETEND_* from the shell.

    Bytecode caching is left on (as on a developer's machine) even when the shell
    running the benchmark switched it off.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("REPETEND_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    return {**env, **GIT_IDENTITY}


def sh(root: Path, *argv: str) -> str:
    """Run a command in `root`, fail loudly, return its stdout."""
    done = subprocess.run(
        argv, cwd=root, env=environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return done.stdout


def make_repo(root: Path, files: int) -> Path:
    """A git repository with `files` small Python files in folders of 100, all committed."""
    root.mkdir(parents=True)
    sh(root, "git", "init", "-q", "-b", "main")
    for i in range(files):
        path = root / f"pkg{i // 100:03d}" / f"module_{i:05d}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f'"""Module {i}."""\n\nVALUE = {i}\n')
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "initial")
    return root


def timed(root: Path, *argv: str) -> float:
    """Milliseconds one command takes, its output discarded (as under an IDE or a script)."""
    started = time.perf_counter()
    subprocess.run(
        argv,
        cwd=root,
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def wait_until_drained(root: Path, timeout: float = 60.0) -> None:
    """Wait for the background drain to empty the spool (not part of any timing)."""
    spool = root / ".repetend" / "spool"
    deadline = time.monotonic() + timeout
    while spool.is_dir() and any(spool.iterdir()):
        if time.monotonic() > deadline:
            raise SystemExit(f"{spool} was not drained within {timeout:.0f} s")
        time.sleep(0.01)
