"""The commit spool: post-commit leaves one empty file per sha, a drain ingests them.

Draining is safe with many drains at once: each entry is claimed by an atomic
rename before it is ingested, so exactly one drain handles it. A claim left by
a drain that died is taken over once it is `STALE_SECONDS` old. The drain
writes its pid to `.drain.pid` so the post-commit hook can skip starting a
second one; it removes that file before its last look, so a sha spooled at
that moment is never left behind.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

SPOOL = "spool"
PID_FILE = ".drain.pid"
STALE_SECONDS = 600.0
_CLAIM = ".claimed-"


def spool_dir(state_dir: Path) -> Path:
    """The spool folder under `.repetend/`."""
    return state_dir / SPOOL


def enqueue(state_dir: Path, sha: str) -> Path:
    """Spool one commit sha (what the shell hook does, for the pre-commit framework's entry)."""
    folder = spool_dir(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    entry = folder / sha
    entry.touch()
    return entry


def pending(state_dir: Path) -> list[str]:
    """The shas waiting in the spool, oldest first (cheap: one directory listing)."""
    try:
        entries = list(os.scandir(spool_dir(state_dir)))
    except OSError:
        return []
    waiting = [e for e in entries if not e.name.startswith(".")]
    waiting.sort(key=lambda entry: _mtime(entry.path))
    return [entry.name for entry in waiting]


def drain(state_dir: Path, ingest: Callable[[str], None]) -> int:
    """Claim and ingest every spooled sha until none is left; return how many were ingested."""
    folder = spool_dir(state_dir)
    if not folder.is_dir():
        return 0
    done = 0
    marker = folder / PID_FILE
    while True:
        _write_pid(marker)
        done += _drain_once(folder, ingest)
        marker.unlink(missing_ok=True)
        if not pending(state_dir) and not _stale_claims(folder):
            return done


def _drain_once(folder: Path, ingest: Callable[[str], None]) -> int:
    done = 0
    for sha in [*pending(folder.parent), *_stale_claims(folder)]:
        claimed = _claim(folder, sha)
        if claimed is None:
            continue
        try:
            ingest(_sha_of(sha))
        except BaseException:
            os.replace(claimed, folder / _sha_of(sha))  # kept for the next drain
            raise
        claimed.unlink(missing_ok=True)
        done += 1
    return done


def _claim(folder: Path, name: str) -> Path | None:
    claimed = folder / f"{_CLAIM}{_sha_of(name)}.{os.getpid()}"
    try:
        os.replace(folder / name, claimed)
    except FileNotFoundError:
        return None  # another drain took it first
    os.utime(claimed)
    return claimed


def _sha_of(name: str) -> str:
    return name[len(_CLAIM) :].split(".")[0] if name.startswith(_CLAIM) else name


def _stale_claims(folder: Path) -> list[str]:
    cutoff = time.time() - STALE_SECONDS
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(_CLAIM)]
    except OSError:
        return []
    return [name for name in names if _mtime(str(folder / name)) < cutoff]


def _write_pid(marker: Path) -> None:
    # Only an optimisation: without it the hook may start a second, harmless drain.
    with contextlib.suppress(OSError):
        marker.write_text(f"{os.getpid()}\n", encoding="utf-8")


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
