"""Start the failure learner in the background after a failure was followed by a success.

A capture point that stores a failure marks it (`note_failure`); the next
success in the repository (a command, a tool use) removes the mark and starts
`repetend heal --learn` detached, so rules are learned without anyone asking
and the command that succeeded never waits. A passing command pays one stat.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from repetend.launch import BOOTSTRAP

PENDING = ("failures", "pending")  # a failure was recorded since the last learning


def note_failure(state_dir: Path) -> None:
    """Mark that a failure was recorded, so the next success starts the learner.

    Only in a repository whose `.repetend/` is there: nothing is created elsewhere.
    """
    path = state_dir.joinpath(*PENDING)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)  # not `parents`: .repetend/ must exist
        path.touch()
    except OSError:
        return


def learn_after_success(state_dir: Path, root: Path, window_seconds: float) -> bool:
    """After a success within `window_seconds` of a failure, learn in the background.

    One stat when nothing failed lately. The learner is a detached process, one at
    a time: a success while one runs asks it to learn once more when it is done
    (the retry that completes an example may come while it reads the fix).
    """
    import time

    pending = state_dir.joinpath(*PENDING)
    try:
        if time.time() - pending.stat().st_mtime > window_seconds:
            return False
    except OSError:
        return False
    if learner_running(state_dir):
        with contextlib.suppress(OSError):
            (state_dir / "failures" / "again").touch()
        return False
    start_learner(root)
    return True


def learner_running(state_dir: Path) -> bool:
    """Whether a background learner holds the lock (its process still alive)."""
    from repetend.capture.git.spool import alive

    try:
        pid = int((state_dir / "failures" / "learning").read_text().strip() or 0)
    except (OSError, ValueError):
        return False
    return pid > 0 and alive(pid)


def start_learner(root: Path) -> None:
    """Start `repetend heal --learn` for `root` detached (its output goes to a log)."""
    import subprocess

    logs = root / ".repetend" / "logs"
    try:
        logs.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        log = os.open(logs / "learn.log", flags, 0o600)
    except OSError:
        return
    code = BOOTSTRAP.format(module="repetend")
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", code, "--root", str(root), "heal", "--learn", "--quiet"],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    except OSError:
        pass
    else:
        with contextlib.suppress(OSError):  # held from now: the next success asks it again
            (root / ".repetend" / "failures" / "learning").write_text(str(process.pid))
        # reaped by a thread: a Popen collected while its process runs warns
        import threading

        threading.Thread(target=process.wait, name="repetend-learn", daemon=True).start()
    finally:
        os.close(log)
