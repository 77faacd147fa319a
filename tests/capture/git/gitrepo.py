"""Helpers for tests that make real commits with real hooks."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPETEND = [sys.executable, "-m", "repetend"]


def run(root: Path, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command in `root` and capture its output as text."""
    return subprocess.run(argv, cwd=root, capture_output=True, text=True, check=check)


def repetend(root: Path, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the repetend command line in `root` as a real subprocess."""
    return run(root, *REPETEND, *argv, check=check)


def write(root: Path, relative: str, text: str) -> Path:
    """Write a file under `root`, making its folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def commit(root: Path, message: str, *paths: str) -> subprocess.CompletedProcess[str]:
    """Stage `paths` (everything when none) and commit with the hooks."""
    run(root, "git", "add", "-A", *paths)
    return run(root, "git", "commit", "-q", "-m", message, check=False)


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait until `predicate()` holds; fail the test when it does not in time."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def spool_empty(root: Path) -> bool:
    """Whether every spooled commit has been ingested and no drain is running."""
    spool = root / ".repetend" / "spool"
    return not spool.is_dir() or not any(p.is_file() for p in spool.rglob("*"))


def plugin_log(root: Path) -> list[dict[str, object]]:
    """The calls the test plugin received."""
    log = root / ".repetend" / "testplugin.log"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def events(root: Path, source: str) -> list[dict[str, object]]:
    """Stored events from one source, read through a fresh store connection."""
    import sqlite3

    path = root / ".repetend" / "repetend.db"
    if not path.is_file():
        return []
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            "SELECT kind, payload FROM events WHERE source = ? ORDER BY id", (source,)
        ).fetchall()
    finally:
        db.close()
    return [{"kind": kind, **json.loads(payload)} for kind, payload in rows]


def run_in_terminal(root: Path, argv: list[str], until: str, timeout: float = 30.0) -> str:
    """Run `argv` with a pseudo-terminal as stdin/stdout/stderr; read until `until` appears."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        argv, cwd=root, stdin=follower, stdout=follower, stderr=follower, close_fds=True
    )
    os.close(follower)
    output = read_until(leader, until, timeout)
    process.wait(timeout=timeout)
    os.close(leader)
    return output


def read_until(fd: int, text: str, timeout: float, already: str = "") -> str:
    """Read from a pty until `text` has appeared after `already` (or fail after `timeout`)."""
    seen = already.encode()
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{text!r} never appeared in: {seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen.decode(errors="replace")
