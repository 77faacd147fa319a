"""The dashboard's ASGI application: the API, the pages, the static files, the guard."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from repetend.dashboard.api import router as api_router
from repetend.dashboard.board import Dashboard
from repetend.dashboard.pages import router as page_router
from repetend.dashboard.security import Guard
from repetend.errors import NotFoundError, RepetendError, UsageError

Lifespan = Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]
STATIC = Path(str(files("repetend.dashboard") / "static"))


def create_app(dashboard: Dashboard) -> Guard:
    """The application for `dashboard`, wrapped in its guard (see `security`)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poller = asyncio.create_task(dashboard.feed.run())
        yield
        poller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await poller

    app = application(lifespan)
    app.state.dashboard = dashboard
    return Guard(app, dashboard.access)


def application(lifespan: Lifespan | None = None) -> FastAPI:
    """The routes, static files and error handlers (the OpenAPI schema comes from here)."""
    app = FastAPI(
        title="repetend dashboard API",
        version="1",
        summary="Patterns, their use, candidates to review, anti-patterns and live activity.",
        docs_url=None,  # the interactive docs load their scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(RepetendError, _repetend_error)
    return app


async def _repetend_error(request: Request, error: Exception) -> JSONResponse:
    """A known error as JSON: 404 for an unknown id, 409 for a refused change, else 400."""
    status = (
        404 if isinstance(error, NotFoundError) else 409 if isinstance(error, UsageError) else 400
    )
    return JSONResponse({"detail": str(error)}, status_code=status)
