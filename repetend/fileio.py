"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WRITERS = 8


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


def printable_values(value: Any) -> Any:
    """`printable` applied to every string inside lists, tuples and dicts of `value`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_values(k): printable_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(printable_values(v) for v in value)
    return value
