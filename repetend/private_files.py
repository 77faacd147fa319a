"""Files that may hold captured text: mode 0600 in folders of mode 0700, never through a symlink.

Spools, logs and the store can hold command lines, test output and file
content, so only their owner may read them. Logs are opened with
`O_NOFOLLOW`: a symlink planted where a log goes is refused, never followed.
This module imports nothing heavy: the git hooks and the pytest plugin use it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TextIO

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_dir(folder: Path) -> Path:
    """Make `folder` and any missing parents with mode 0700; return it."""
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=PRIVATE_DIR)
    return folder


def append_private(path: Path) -> TextIO:
    """Open a log for appending: created 0600, refused (OSError) if `path` is a symlink."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW
    descriptor = os.open(path, flags, PRIVATE_FILE)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def append_whole(path: Path, data: bytes, header: bytes = b"") -> None:
    """Append `data` to `path` (0600; `header` first when the file is new) whole, or not at all.

    A write that fails half way (a full disk) is cut back to where the file ended, so
    a reader never finds half a line; a file that was new is removed.
    """
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        before = os.fstat(descriptor).st_size
        raw = memoryview((header if before == 0 else b"") + data)
        try:
            while raw:
                raw = raw[os.write(descriptor, raw) :]
        except OSError:
            os.ftruncate(descriptor, before)
            if before == 0:
                path.unlink(missing_ok=True)
            raise
    finally:
        os.close(descriptor)


def create_private(path: Path, data: bytes) -> None:
    """Write a new file that must not exist yet (O_EXCL), mode 0600, flushed to disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    descriptor = os.open(path, flags, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def write_log(folder: Path, prefix: str, text: str) -> Path:
    """Write `text` to a new log `<prefix>-<time>-<pid>.log` in `folder`; return its path.

    The name is new each time and the open exclusive, so no file already there (or a
    symlink planted in its place) is ever written through.
    """
    import time

    private_dir(folder)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = folder / f"{prefix}-{stamp}-{os.getpid()}.log"
    create_private(path, text.encode("utf-8", "replace"))
    return path


def user_cache_dir() -> Path:
    """repetend's folder in the user's cache (`$XDG_CACHE_HOME/repetend`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "repetend"
