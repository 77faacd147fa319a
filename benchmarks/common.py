"""Shared set-up for the capture benchmarks: temporary repositories and timing figures."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
    return {**env, **GIT_IDENTITY, **_EXTRA.get("all", {})}


# `use_code(folder)`: every later subprocess runs another checkout's repetend (PYTHONPATH).
_EXTRA: dict[str, dict[str, str]] = {}


def use_code(folder: str | None) -> None:
    """Run the repetend of checkout `folder` in every subprocess from now on (None: ours)."""
    _EXTRA["all"] = {"PYTHONPATH": folder} if folder else {}


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
    spool = root / ".repetend" / "spool" / "commits"
    deadline = time.monotonic() + timeout
    while spool.is_dir() and any(not p.name.startswith(".") for p in spool.iterdir()):
        if time.monotonic() > deadline:
            raise SystemExit(f"{spool} was not drained within {timeout:.0f} s")
        time.sleep(0.01)


MEASURER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True, check=False)
wall = time.perf_counter() - started
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "peak_mb": use.ru_maxrss / 1024,
                  "code": done.returncode, "stderr": done.stderr.decode(errors="replace")[-2000:],
                  "stdout": done.stdout.decode(errors="replace")[-4000:]}))
"""


def measured(root: Path, *argv: str) -> dict[str, Any]:
    """Wall seconds, CPU seconds and peak memory (MB) of one command, measured from outside.

    A fresh interpreter that does nothing else runs the command and reads its
    children's resource use, so the figure is the command's own: not inflated
    by a parent that held data before it started (Linux hands a parent's peak
    to the children it forks), nor shrunk by work left out of the timing.
    """
    done = subprocess.run(
        [sys.executable, "-c", MEASURER, *argv],
        cwd=root,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    if figures["code"] != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({figures['code']}): {figures['stderr']}")
    return figures


def git_tree(source: Path, destination: Path, suffixes: tuple[str, ...] = ()) -> int:
    """A committed git repository at `destination` holding `source`'s files (those ending in
    one of `suffixes`, if any are given).

    Returns the number of files. The corpora are read-only, so files are copied
    with write bits; symbolic links and files git would not keep are left out.
    """
    destination.mkdir(parents=True)
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file() or "__pycache__" in path.parts:
            continue
        if suffixes and not path.name.endswith(suffixes):
            continue
        target = destination / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        count += 1
    sh(destination, "git", "init", "-q", "-b", "main")
    sh(destination, "git", "add", "-A")
    sh(destination, "git", "commit", "-q", "-m", "the tree as found")
    return count


def approve_template_for(root: Path, path: str) -> dict[str, Any]:
    """Mine `root` and approve the template whose path pattern `path` fits; return its row."""
    import fnmatch
    import re

    sh(root, *REPETEND, "mine", ".", "--json")
    for template in json.loads(sh(root, *REPETEND, "templates", "list", "--json")):
        glob = re.sub(r"\{\{[^}]*\}\}", "*", str(template["path_pattern"]))
        if fnmatch.fnmatchcase(path, glob):
            sh(root, *REPETEND, "candidates", "approve", template["id"], "--note", "benchmark")
            return dict(template)
    raise SystemExit(f"no template was mined that {path} fits: the benchmark cannot run")
