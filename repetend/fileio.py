"""Atomic file writes (a reader sees the old file or the new one, never half of either), and
the folders a search for the repository may walk."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WRITERS = 8


def folders_up(start: Path) -> list[Path]:
    """`start` and the folders above it that a search for the repository may look in.

    As git does, the search never goes up into a folder `GIT_CEILING_DIRECTORIES` names
    (absolute paths, separated by the path separator): `start` itself is always looked in.
    """
    ceilings = {
        os.path.normpath(entry)
        for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
        if os.path.isabs(entry)
    }
    folders = [start]
    for folder in start.parents:
        if str(folder) in ceilings:
            break
        folders.append(folder)
    return folders


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    import tempfile  # here: git hooks import this module, few of them write

    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def overlapping(write: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[write(item) for item in items]`, the writes overlapping in threads.

    Each atomic write waits on fsync, and other threads run meanwhile: a batch
    of writes to different files takes about as long as the slowest one, not
    the sum. The first write that fails raises here. The items must not share
    a file.
    """
    if len(items) < 2:
        return [write(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor  # here: most callers write one file

    with ThreadPoolExecutor(max_workers=MAX_WRITERS) as pool:
        return list(pool.map(write, items))
