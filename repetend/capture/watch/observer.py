"""Start watchdog observers, and notice when one stops working.

watchdog runs each observer in threads of its own. When one of them raises
(its recursive walk of a folder tree deeper than Python's recursion limit, an
error reading inotify), the thread prints a traceback and dies while the
process goes on watching nothing; `watchmedo` behaves the same. Trouble
watchdog survives (a snapshot that fails and is retried, an overflowing
event queue) goes to `logging`. While the watcher runs, both become one line
in repetend's voice, and a dead thread makes the observer unhealthy, so the
watcher can fall back to polling or stop and say why.

One failure kills nothing: once inotify's per-user watch limit is reached,
watchdog skips each new folder it cannot watch without a word, and files
made there are never seen. `InotifyRoom` notices that the limit is reached.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from watchdog.events import FileSystemEventHandler
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver
from watchdog.utils import BaseThread

from repetend.errors import RepetendError

WATCH_LIMIT = "inotify watch limit reached"
_IN_DELETE_SELF = 0x400  # a mask the probe watch needs; it never fires


class WatchError(RepetendError):
    """The watch cannot go on: its folder is gone, or no observer can watch it (exit 1)."""


class ObserverHealth:
    """What ended watchdog's threads, and watchdog's log, for as long as it is entered."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.failure = ""  # `Type: message` of the last watchdog thread that died
        self._echo = _EchoHandler(echo)
        self._previous_hook = threading.excepthook
        self._logger = logging.getLogger("watchdog")
        self._propagated = self._logger.propagate
        self.room = InotifyRoom()

    def __enter__(self) -> ObserverHealth:
        self._previous_hook, threading.excepthook = threading.excepthook, self._thread_died
        self._propagated = self._logger.propagate
        self._logger.addHandler(self._echo)
        self._logger.propagate = False
        self.room.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        threading.excepthook = self._previous_hook
        self._logger.removeHandler(self._echo)
        self._logger.propagate = self._propagated
        self.room.close()

    def healthy(self, observer: BaseObserver) -> bool:
        """Whether `observer` and every thread of its emitters still run."""
        alive = observer.is_alive() and all(emitter.is_alive() for emitter in observer.emitters)
        return alive and not self.failure

    def notice_new_folders(
        self, observer: BaseObserver, folder: Path, paths: Iterable[str]
    ) -> None:
        """Count a native observer as failed once new folders may have gone unwatched."""
        if isinstance(observer, PollingObserver) or not any(os.path.isdir(p) for p in paths):
            return
        if self.room.exhausted(folder):
            self.failure = WATCH_LIMIT

    def take_failure(self) -> str:
        """What killed a watchdog thread since the last call ('' when none died)."""
        failure, self.failure = self.failure, ""
        return failure

    def _thread_died(self, args: threading.ExceptHookArgs) -> None:
        # Runs in the dying thread; other threads' deaths keep Python's usual report.
        if isinstance(args.thread, BaseThread):
            self.failure = f"{args.exc_type.__name__}: {args.exc_value}"
        else:
            self._previous_hook(args)


class InotifyRoom:
    """Whether inotify can still watch one more folder (Linux; elsewhere there is no limit).

    It asks the kernel: a watch added (and at once removed) on an inotify
    instance of its own fails with ENOSPC exactly when the limit is reached.
    """

    def __init__(self) -> None:
        self._libc: ctypes.CDLL | None = None
        self._fd = -1

    def open(self) -> None:
        """Make the instance to ask with (none where inotify is missing or used up)."""
        if not sys.platform.startswith("linux"):
            return
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(os.O_CLOEXEC | os.O_NONBLOCK)
        if fd >= 0:
            self._libc, self._fd = libc, fd

    def exhausted(self, folder: Path) -> bool:
        """Whether a watch on `folder` fails because the watch limit is reached."""
        if self._libc is None:
            return False
        watch = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _IN_DELETE_SELF)
        if watch < 0:
            return ctypes.get_errno() == errno.ENOSPC
        self._libc.inotify_rm_watch(self._fd, watch)
        with contextlib.suppress(BlockingIOError):  # the removal's own event, never read
            os.read(self._fd, 4096)
        return False

    def close(self) -> None:
        """Release the instance."""
        if self._libc is not None:
            os.close(self._fd)
            self._libc, self._fd = None, -1


class _EchoHandler(logging.Handler):
    """Says watchdog's warnings and errors as one line each (no traceback)."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = echo

    def emit(self, record: logging.LogRecord) -> None:
        self.say(f"repetend: warning: file events: {record.getMessage()}")


def started(observer: BaseObserver, handler: FileSystemEventHandler, folder: Path) -> BaseObserver:
    """`observer` watching `folder` recursively, started."""
    observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    return observer


def describe(error: BaseException) -> str:
    """`Type: message`, the way a failure is named in one line."""
    return f"{type(error).__name__}: {error}"
