"""Debounce raw file events into batches, then classify each batch by what changed on disk.

Classification looks at the net result, not the event sequence: a path that
exists now and was known before was modified, whatever the editor did to get
there (write in place, or write a temporary file and rename it over the
original); a path that exists now and was not known was created; a known path
that is gone was deleted. A temporary file that came and went is nothing.
"""

from __future__ import annotations

import os
import queue
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

MAX_WAIT_SECONDS = 1.0  # a steady stream of events still yields a batch this often


@dataclass
class Changes:
    """One batch's files, relative to the root with forward slashes."""

    created: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


class Debouncer:
    """Collects paths from the observer thread and hands them out once things go quiet."""

    def __init__(self, quiet_seconds: float) -> None:
        self.quiet = quiet_seconds
        self.inbox: queue.Queue[tuple[float, str]] = queue.Queue()

    def put(self, path: str) -> None:
        """Called from the observer thread for every path an event names."""
        self.inbox.put((time.monotonic(), path))

    def next_batch(self, timeout: float) -> tuple[float, set[str]] | None:
        """Wait up to `timeout` for events; return (time of the first, paths) once quiet."""
        try:
            first, path = self.inbox.get(timeout=timeout)
        except queue.Empty:
            return None
        paths = {path}
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                _, path = self.inbox.get(timeout=self.quiet)
            except queue.Empty:
                break
            paths.add(path)
        return first, paths


def classify(relative_paths: set[str], known: set[str], root: Path) -> Changes:
    """Sort a batch into created, modified and deleted files, and update `known` to match."""
    changes = Changes()
    for relative in sorted(relative_paths):
        exists = _state(root / relative)
        if exists is None:
            continue  # unreadable (permissions): nothing can be said about it
        if exists and relative in known:
            changes.modified.append(relative)
        elif exists:
            changes.created.append(relative)
            known.add(relative)
        elif relative in known:
            changes.deleted.append(relative)
            known.discard(relative)
        elif not os.path.lexists(root / relative):  # perhaps a folder gone, files and all
            changes.deleted.extend(_forget_folder(relative, known))
    return changes


def _state(path: Path) -> bool | None:
    """Whether `path` is a regular file now; None when it cannot be looked at."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return None


def _forget_folder(folder: str, known: set[str]) -> list[str]:
    prefix = folder.rstrip("/") + "/"
    gone = sorted(path for path in known if path.startswith(prefix))
    known.difference_update(gone)
    return gone
