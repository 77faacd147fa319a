"""What every route shares: the configuration, a store connection per thread, the live feed."""

from __future__ import annotations

import getpass
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pluggy
from fastapi import Request

from repetend.config import Config
from repetend.dashboard.feed import Feed
from repetend.dashboard.security import Access
from repetend.events import Candidate, Event
from repetend.store import PatternMetrics, SQLiteStore, open_store
from repetend.store.base import Who

DRAIN_EVERY = 1.0  # seconds between looks at the commit spool


@dataclass
class Dashboard:
    """What every route shares: the configuration, a store per thread, plugins, the feed."""

    config: Config
    manager: pluggy.PluginManager
    access: Access
    user: str = field(default_factory=getpass.getuser)
    feed: Feed = field(init=False)
    _local: threading.local = field(default_factory=threading.local)

    def __post_init__(self) -> None:
        self.feed = Feed(self.follow, self._newest_id)
        self._drained_at = 0.0

    def follow(self, after: int, limit: int) -> list[Event]:
        """Events stored after id `after`, once the commits git hooks spooled are in."""
        if time.monotonic() - self._drained_at >= DRAIN_EVERY:
            self._drained_at = time.monotonic()
            self._drain()
        return self.store().events_by_id(after=after, limit=limit)

    def _drain(self) -> None:
        # The post-commit hook spools a commit for the next command; the dashboard is one.
        from repetend.capture.git.postcommit import drain_spools, spooled

        try:
            if not self.config.disabled and spooled(self.config):
                drain_spools(self.store(), self.config, self.manager)
                self.forget()
        except Exception as error:  # capture fails open; the next poll tries again
            print(f"repetend: warning: spooled commits not ingested ({error})", file=sys.stderr)

    def store(self) -> SQLiteStore:
        """This thread's connection to the store (SQLite connections stay in their thread)."""
        store: SQLiteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.config)
        return store

    def candidates(self, *, status: str | None = None, kind: str | None = None) -> list[Candidate]:
        """The store's candidates (newest first), read again only once the store changed."""
        every: list[Candidate] = self.cached("candidates", lambda store: store.candidates())
        return [
            c
            for c in every
            if (status is None or c.status == status) and (kind is None or c.kind == kind)
        ]

    def metrics_by_id(self) -> dict[str, PatternMetrics]:
        """Every used pattern's metrics by id, read again only once the store changed."""
        found: dict[str, PatternMetrics] = self.cached(
            "metrics", lambda store: {m.pattern_id: m for m in store.all_metrics()}
        )
        return found

    def scoped_metrics(self, who: Who | None) -> dict[str, PatternMetrics]:
        """The metrics of the uses `who` allows by id (every use: `metrics_by_id`)."""
        if who is None:
            return self.metrics_by_id()
        key = "metrics " + repr(sorted(who.items()))
        found: dict[str, PatternMetrics] = self.cached(
            key, lambda store: {m.pattern_id: m for m in store.scoped_metrics(who)}
        )
        return found

    def cached(self, key: str, read: Callable[[SQLiteStore], Any]) -> Any:
        """`read(store)`, kept per thread until another connection writes to the store.

        A write through this thread's own connection does not change what `data_version`
        says to it: whoever writes calls `forget`.
        """
        store = self.store()
        version = store.data_version()
        cache: dict[str, Any] = self._local.__dict__.setdefault("cache", {})
        if cache.get("") != version:
            cache.clear()
            cache[""] = version
        if key not in cache:
            cache[key] = read(store)
        return cache[key]

    def forget(self) -> None:
        """Drop what this thread keeps (after it wrote to the store itself)."""
        self._local.__dict__.pop("cache", None)

    def _newest_id(self) -> int:
        newest = self.store().events_by_id(limit=1, newest_first=True)
        return newest[0].id or 0 if newest else 0


def dashboard_of(request: Request) -> Dashboard:
    """The `Dashboard` behind a request."""
    found: Dashboard = request.app.state.dashboard
    return found


def json_safe(value: Any) -> Any:
    """`value` with what JSON cannot hold turned into text (for data islands in pages)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
