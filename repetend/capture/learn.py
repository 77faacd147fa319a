"""Start the failure learner in the background when a failed command is tried again and passes.

A capture point that stores a failure notes the command (`note_failure`:
`.repetend/failures/pending`, the last few failed commands with their time).
A success of one of them (the same command line, or the same first two words:
`git push` → `git push --set-upstream origin x`) within the recovery window
is what completes an example, so it starts `repetend heal --learn` detached:
rules are learned without anyone asking, and the command that succeeded never
waits. A passing command with no failure noted pays one stat.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from repetend.launch import BOOTSTRAP

PENDING = ("failures", "pending")  # recently failed commands: time TAB command, one a line
KEPT = 20


def note_failure(state_dir: Path, command: str) -> None:
    """Note a failed command, so its retry that passes starts the learner.

    Only in a repository whose `.repetend/` is there: nothing is created elsewhere.
    """
    path = state_dir.joinpath(*PENDING)
    line = " ".join(command.split())
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)  # not `parents`: .repetend/ must exist
        try:
            kept = _read(path)[-(KEPT - 1) :]
        except FileNotFoundError:  # the first failure noted
            kept = []
        _write(path, [*kept, (time.time(), line)])
    except OSError:
        return


def learn_after_success(state_dir: Path, root: Path, window_seconds: float, command: str) -> bool:
    """A noted failed command passed within `window_seconds`: learn in the background.

    One learner at a time: a retry that passes while one runs asks it to learn
    once more when it is done.
    """
    path = state_dir.joinpath(*PENDING)
    try:
        noted = _read(path)
    except OSError:  # nothing failed lately: the usual case, one stat
        return False
    now, line = time.time(), " ".join(command.split())
    fresh = [(at, failed) for at, failed in noted if now - at <= window_seconds]
    retried = [item for item in fresh if _retry_of(line, item[1])]
    with contextlib.suppress(OSError):
        if len(fresh) != len(noted) or retried:
            _write(path, [item for item in fresh if item not in retried])
    if not retried:
        return False
    if learner_running(state_dir):
        with contextlib.suppress(OSError):
            (state_dir / "failures" / "again").touch()
        return False
    start_learner(root)
    return True


def _retry_of(command: str, failed: str) -> bool:
    words, failed_words = command.split()[:2], failed.split()[:2]
    return command == failed or (len(words) == 2 and words == failed_words)


def _read(path: Path) -> list[tuple[float, str]]:
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        at, _, command = line.partition("\t")
        with contextlib.suppress(ValueError):
            found.append((float(at), command))
    return found


def _write(path: Path, items: list[tuple[float, str]]) -> None:
    from repetend.private_files import create_private

    if not items:
        path.unlink(missing_ok=True)
        return
    temporary = path.with_name(f".pending.{os.getpid()}")
    text = "".join(f"{at:.3f}\t{command}\n" for at, command in items)
    temporary.unlink(missing_ok=True)
    create_private(temporary, text.encode("utf-8", "replace"))
    os.replace(temporary, path)


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
