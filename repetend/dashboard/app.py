"""The dashboard's ASGI application: the API, the pages, the static files, the guard."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pluggy
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from repetend.config import Config
from repetend.dashboard.feed import Feed
from repetend.dashboard.security import Access, Guard
from repetend.errors import NotFoundError, RepetendError, UsageError
from repetend.events import Event
from repetend.store import SQLiteStore, open_store

DRAIN_EVERY = 1.0  # seconds between looks at the commit spool
STATIC = Path(str(files("repetend.dashboard") / "static"))


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
        except Exception as error:  # capture fails open; the next poll tries again
            print(f"repetend: warning: spooled commits not ingested ({error})", file=sys.stderr)

    def store(self) -> SQLiteStore:
        """This thread's connection to the store (SQLite connections stay in their thread)."""
        store: SQLiteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.config)
        return store

    def _newest_id(self) -> int:
        newest = self.store().events_by_id(limit=1, newest_first=True)
        return newest[0].id or 0 if newest else 0


def dashboard_of(request: Request) -> Dashboard:
    """The `Dashboard` behind a request."""
    found: Dashboard = request.app.state.dashboard
    return found


def create_app(dashboard: Dashboard) -> Guard:
    """The application, wrapped in its guard (see `security`)."""
    from repetend.dashboard.api import router as api_router
    from repetend.dashboard.pages import router as page_router

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poller = asyncio.create_task(dashboard.feed.run())
        yield
        poller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await poller

    app = FastAPI(
        title="repetend dashboard API",
        version="1",
        summary="Patterns, their use, candidates to review, anti-patterns and live activity.",
        docs_url=None,  # the interactive docs load their scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.dashboard = dashboard
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(RepetendError, _repetend_error)
    return Guard(app, dashboard.access)


async def _repetend_error(request: Request, error: Exception) -> JSONResponse:
    """A known error as JSON: 404 for an unknown id, 409 for a refused change, else 400."""
    status = (
        404 if isinstance(error, NotFoundError) else 409 if isinstance(error, UsageError) else 400
    )
    return JSONResponse({"detail": str(error)}, status_code=status)


def json_safe(value: Any) -> Any:
    """`value` with what JSON cannot hold turned into text (for data islands in pages)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
