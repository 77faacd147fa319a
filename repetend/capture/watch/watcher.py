"""The watch loop: a watchdog observer feeds a debouncer; each batch updates the index and suggests.

The observer is the platform's native one (inotify, FSEvents, ReadDirectoryChangesW,
kqueue); where it cannot start (no native support, watch limits reached) the
watcher says so once and polls instead, and so it does when the native one
stops working mid-run. A polling observer that dies, or a watched folder that
is gone, ends the watch with one line and exit 1 (watchdog itself would go on
watching nothing).
"""

from __future__ import annotations

import errno
import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pluggy
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from repetend.capture.git.git import ignored, known_files
from repetend.capture.record import record_event
from repetend.capture.watch.changes import Changes, Debouncer, classify
from repetend.capture.watch.filters import is_noise
from repetend.capture.watch.observer import (
    WATCH_LIMIT,
    ObserverHealth,
    WatchError,
    describe,
    started,
)
from repetend.config import Config
from repetend.patterns.lifecycle import propose
from repetend.patterns.spec_index import index_spec_files
from repetend.plugins.registry import call_hook
from repetend.store.sqlite import SQLiteStore
from repetend.suggest.present import SuggestionPresenter
from repetend.suggest.repeated import PREFIX as REPEATED

POLL_SECONDS = 1.0
# Files a person creates arrive one or two at a time; a batch with this many new files,
# or one that moves git's HEAD, is a checkout, a pull, an unpacked archive or a generator.
BULK_CREATIONS = 10
GIT_MOVES = ("/.git/HEAD", "/.git/ORIG_HEAD")


class _Forward(FileSystemEventHandler):
    """Hands every path an event names to the debouncer (runs in the observer thread)."""

    def __init__(self, debouncer: Debouncer) -> None:
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for path in (event.src_path, event.dest_path):
            if path:
                self.debouncer.put(os.fsdecode(path))


class Watcher:
    """Watches `folder` inside a repository and reacts to created and saved files."""

    def __init__(
        self,
        folder: Path,
        config: Config,
        store: SQLiteStore,
        manager: pluggy.PluginManager,
        presenter: SuggestionPresenter,
        echo: Callable[[str], None],
    ) -> None:
        self.folder, self.root = folder, config.root
        self.config, self.store, self.manager = config, store, manager
        self.presenter, self.echo = presenter, echo
        self.debouncer = Debouncer(int(config.watch_debounce_ms) / 1000)
        found = known_files(self.root)
        existing = found if found is not None else _scan(self.root)
        self.known = {p for p in existing if not is_noise(p)}
        self.quiet_until = 0.0
        self.health = ObserverHealth(echo)

    def start(self, polling: bool = False) -> BaseObserver:
        """Start the observer (native, or polling as asked or as a fallback)."""
        handler = _Forward(self.debouncer)
        # watchdog warns when nested folders appear faster than it registers them (it
        # re-registers and goes on): nothing the developer can act on, so not shown.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.")
        if not polling:
            native = self._native(handler)
            if native is not None:
                return native
        try:
            return started(PollingObserver(timeout=POLL_SECONDS), handler, self.folder)
        except Exception as error:  # watchdog's first snapshot: whatever it raises ends the watch
            raise WatchError(f"cannot watch {self.folder} ({describe(error)})") from error

    def _native(self, handler: FileSystemEventHandler) -> BaseObserver | None:
        """A started native observer, or None (said why) where it cannot watch the folder."""
        try:
            observer = started(Observer(), handler, self.folder)
        except Exception as error:  # not available here, or it cannot walk this folder
            # inotify_init/inotify_add_watch fail with ENOSPC when the watch limit is reached
            full = isinstance(error, OSError) and error.errno == errno.ENOSPC
            reason = WATCH_LIMIT if full else describe(error)
        else:
            if not self.health.room.exhausted(self.folder):
                return observer
            observer.stop()  # some folders are already unwatched: watchdog skipped them
            reason = WATCH_LIMIT
        self.echo(f"repetend: native file events are not available ({reason}); polling")
        return None

    def run(self, stop: threading.Event, polling: bool = False) -> None:
        """Watch until `stop` is set; raise WatchError when the watch cannot go on.

        A native observer that stops working is replaced by polling (said once);
        a polling one that dies, or a watched folder that disappears, ends the watch.
        """
        with self.health as health:
            observer = self.start(polling)
            self.echo(f"repetend: watching {self.folder} (Ctrl-C to stop)")
            try:
                while not stop.is_set():
                    observer = self._checked(observer, health)
                    batch = self.debouncer.next_batch(timeout=0.2)
                    if batch is not None:
                        self._handle_safely(*batch)
                        health.notice_new_folders(observer, self.folder, batch[1])
            finally:
                observer.stop()
                observer.join(timeout=5)

    def _checked(self, observer: BaseObserver, health: ObserverHealth) -> BaseObserver:
        """`observer` if it still works, else its replacement."""
        if not self.folder.is_dir():
            raise WatchError(f"{self.folder} is gone; stopped watching")
        if health.healthy(observer):
            return observer
        return self._recover(observer, health.take_failure())

    def _recover(self, broken: BaseObserver, failure: str) -> BaseObserver:
        broken.stop()
        polling = isinstance(broken, PollingObserver)
        if not failure:  # watchdog stops watching a folder that was deleted; it is back
            self.echo(f"repetend: {self.folder} was replaced; watching the new one")
        elif polling:
            raise WatchError(f"file events stopped ({failure}); stopped watching")
        else:
            self.echo(f"repetend: native file events stopped ({failure}); polling from now on")
            polling = True
        observer = self.start(polling)
        self._catch_up()
        return observer

    def _catch_up(self) -> None:
        """Hand over the files that came or went while no observer watched."""
        prefix = "" if self.folder == self.root else self._relative(str(self.folder)) + "/"
        here = _scan(self.root, self.folder)
        before = {path for path in self.known if path.startswith(prefix)}
        for relative in sorted(here ^ before):
            self.debouncer.put(str(self.root / relative))

    def _handle_safely(self, first_seen: float, paths: set[str]) -> None:
        try:
            self.handle(first_seen, paths)
        except Exception as error:  # one bad batch must not end the watch
            self.echo(f"repetend: warning: skipped a change ({type(error).__name__}: {error})")

    def handle(self, first_seen: float, paths: set[str]) -> Changes:
        """Classify one batch of paths and act on it."""
        index_spec_files(self.store, self.config)  # a pulled approved spec is suggested now
        relative = {r for r in (self._relative(p) for p in paths) if r and not is_noise(r)}
        relative -= ignored(self.root, sorted(relative))
        changes = classify(relative, self.known, self.root)
        by_tool = (
            first_seen < self.quiet_until
            or len(changes.created) >= BULK_CREATIONS
            or any(path.endswith(GIT_MOVES) for path in paths)
        )
        self._index([*changes.created, *changes.modified])
        for path in changes.created:
            self._created(path, by_tool)
        return changes

    def _index(self, relative: list[str]) -> None:
        if not relative:
            return
        paths = [self.root / r for r in relative]
        answers = call_hook(
            self.manager,
            "repetend_files_changed",
            paths=paths,
            root=self.root,
            store=self.store,
            config=self.config,
        )
        candidates = [candidate for answer in answers for candidate in answer]
        if candidates:
            propose(candidates, self.store, self.config, self.manager)

    def _created(self, relative: str, by_tool: bool) -> None:
        path = self.root / relative
        suggestions = [] if by_tool else self.presenter.ask("file-created", path)
        templates = [s for s in suggestions if not s.pattern_id.startswith(REPEATED)]
        record_event(
            "watch",
            "file-created",
            {"path": relative, "by_hand": not (by_tool or templates)},
            root=self.root,
        )
        # A file a template already covers is not made by hand: the template suggestion wins.
        shown = templates or suggestions
        if self.presenter.present("file-created", path, shown) and self.presenter.filled:
            self.quiet_until = time.monotonic() + 2 * self.debouncer.quiet + 0.5

    def _relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return ""


def _scan(root: Path, folder: Path | None = None) -> set[str]:
    """The files under `folder` (default: `root`), relative to `root`, noise folders pruned.

    Iterative, unlike os.walk before Python 3.12: a tree of any depth is no error.
    """
    found: set[str] = set()
    pending = [str(folder or root)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # gone or unreadable: nothing can be said about it
            continue
        for entry in entries:
            relative = Path(entry.path).relative_to(root).as_posix()
            if not entry.is_dir(follow_symlinks=False):
                found.add(relative)
            elif not is_noise(relative + "/x"):
                pending.append(entry.path)
    return found
