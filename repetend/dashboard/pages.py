"""The HTML pages: overview, pattern library, candidates, anti-patterns.

Rendered on the server by Jinja2 with autoescaping on, so mined text (which can hold
HTML or Jinja) always shows as text; the page script only adds behaviour.
"""

from __future__ import annotations

from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from repetend.dashboard import page_data, queries
from repetend.dashboard.board import Dashboard, dashboard_of, json_safe

router = APIRouter(include_in_schema=False)
Board = Annotated[Dashboard, Depends(dashboard_of)]
Offset = Annotated[int, Query(ge=0)]
_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("repetend.dashboard", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_environment.filters["json_safe"] = json_safe
templates = Jinja2Templates(env=_environment)


def render(request: Request, board: Dashboard, name: str, **context: Any) -> HTMLResponse:
    """A page with the layout's shared context: CSRF token, live panel's recent events."""
    recent = board.store().events_by_id(limit=10, newest_first=True)
    shared = {"csrf": request.state.csrf, "recent": [queries.activity(e) for e in recent]}
    return templates.TemplateResponse(request, name, {**shared, "page": name, **context})


@router.get("/")
def home() -> RedirectResponse:
    """The overview."""
    return RedirectResponse("/dashboard/overview", status_code=307)


@router.get("/dashboard/overview")
def overview(request: Request, board: Board, user: str = "", branch: str = "") -> HTMLResponse:
    """Active patterns, uses and time saved per week, recent activity, alerts (one person's)."""
    from repetend.team.scope import Scope

    data = page_data.overview(board, Scope(user=user, branch=branch))
    return render(request, board, "overview.html", **data)


@router.get("/dashboard/library")
def library(
    request: Request,
    board: Board,
    q: str = "",
    kind: str = "",
    status: str = "",
    folder: str = "",
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
    offset: Offset = 0,
) -> HTMLResponse:
    """Every pattern, searched and filtered."""
    filters = {"q": q, "kind": kind, "status": status, "folder": folder}
    found = page_data.library(board, min_confidence=min_confidence, **filters)
    shown = queries.cut(found, 50, offset)
    return render(
        request,
        board,
        "library.html",
        listing=shown,
        filters={**filters, "min_confidence": min_confidence},
        kinds=sorted({c.kind for c in found}),
    )


@router.get("/dashboard/library/{pattern_id}")
def pattern(request: Request, board: Board, pattern_id: str) -> HTMLResponse:
    """One pattern: members, variables with examples, marked source, new-file preview."""
    return render(request, board, "pattern.html", **page_data.pattern(board, pattern_id))


@router.get("/dashboard/candidates")
def candidates(request: Request, board: Board, offset: Offset = 0, id: str = "") -> HTMLResponse:
    """Drafts to review, one shown with its evidence; a key per decision."""
    data = page_data.candidates(board, offset=offset, selected_id=id)
    return render(request, board, "candidates.html", **data)


@router.get("/dashboard/anti-patterns")
def anti_patterns(request: Request, board: Board, offset: Offset = 0) -> HTMLResponse:
    """Failure patterns, flaky tests and recovery rules with how they do."""
    return render(request, board, "anti_patterns.html", **page_data.anti_patterns(board, offset))
