"""The small error hierarchy; the CLI turns these into exit codes at the edge."""

from __future__ import annotations


class RepetendError(Exception):
    """A known failure with a one-line message for the user (exit 1)."""

    exit_code = 1


class ConfigError(RepetendError):
    """A configuration file, key or value is wrong (exit 2)."""

    exit_code = 2


class UsageError(RepetendError):
    """A command was called with arguments it cannot use (exit 2)."""

    exit_code = 2


class StoreError(RepetendError):
    """The event store cannot be opened, read or written."""


class NotFoundError(RepetendError):
    """A candidate, pattern or other named thing does not exist."""


# How a write that found the disk full is told, wherever it happened (store, spool, spec, apply).
DISK_FULL = "no space left on the device (disk full)"
_ROOM = 64 * 1024  # less free space than this: a write that failed for "I/O" failed for room


def disk_full(error: BaseException, path: object = None) -> bool:
    """Whether `error` (or what caused it) is a write that found no room on the device.

    SQLite reports a full disk as "database or disk is full", or, when it cannot
    grow its shared-memory or log file, as a bare "disk I/O error": with `path`
    (the file written), that one counts when the device holding it has no room left.
    """
    import errno

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(seen)
        if "database or disk is full" in text:
            return True
        if "disk I/O error" in text and path is not None and _no_room(str(path)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def reason(error: BaseException, path: object = None) -> str:
    """`error` as a few words for a one-line message: DISK_FULL when that is what it was."""
    return DISK_FULL if disk_full(error, path) else str(error)


def _no_room(path: str) -> bool:
    import os

    folder = path
    while folder and not os.path.exists(folder):
        folder = os.path.dirname(folder)
    try:
        stat = os.statvfs(folder or ".")
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < _ROOM or stat.f_favail == 0
