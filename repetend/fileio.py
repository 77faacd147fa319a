"""Atomic file writes (a reader sees the old file or the new one, never half of either), and
the folders a search for the repository may walk."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

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
    # The writer's pid in the name: what a killed writer left is known as such (`leftovers`).
    prefix = f".{path.name}.{os.getpid()}{TEMPORARY_MARK}"
    descriptor, temporary = tempfile.mkstemp(prefix=prefix, dir=path.parent)
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


TEMPORARY_MARK = ".part-"


def leftovers(folder: Path) -> list[Path]:
    """The temporary files of `atomic_write`s under `folder` whose writer is no longer running."""
    found = []
    for path in folder.rglob(f".*{TEMPORARY_MARK}*"):
        name, _, _ = path.name.rpartition(TEMPORARY_MARK)
        pid = name.rsplit(".", 1)[-1]
        if pid.isdigit() and not _running(int(pid)) and path.is_file():
            found.append(path)
    return found


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


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


def printable(text: str) -> str:
    """`text` with the bytes of a name that is not UTF-8 shown as `\\xNN` (lossy, for people).

    Names are read with `surrogateescape`; text written for people (spec YAML, tables)
    must be UTF-8, so such a byte is shown, not written.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def printable_values(value: Any, _seen: dict[int, Any] | None = None) -> Any:
    """`printable` applied to every string inside lists, tuples and dicts of `value`.

    A container none of whose strings changes is returned itself, and one met twice
    gives the same result twice, so shared parts stay shared (YAML anchors).
    """
    if isinstance(value, str):
        return printable(value)
    if not isinstance(value, (dict, list, tuple)):
        return value
    seen = {} if _seen is None else _seen
    if id(value) in seen:
        return seen[id(value)]
    result: Any
    if isinstance(value, dict):
        pairs = [(printable_values(k, seen), printable_values(v, seen)) for k, v in value.items()]
        same = all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True))
        result = value if same else dict(pairs)
    else:
        items = [printable_values(v, seen) for v in value]
        same = all(a is b for a, b in zip(items, value, strict=True))
        result = value if same else type(value)(items)
    seen[id(value)] = result
    return result
