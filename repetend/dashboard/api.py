"""The JSON API: patterns and their use, review decisions, anti-patterns, live activity.

Every list takes `limit` and `offset` and answers a `Page`. A decision goes through
the same `review` call as `repetend candidates approve|reject|quarantine`, so it is
in the audit log and the spec file moves. The schema is served at /api/openapi.json.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from repetend.dashboard import models, queries
from repetend.dashboard.board import Dashboard, dashboard_of
from repetend.dashboard.decisions import DECISIONS, decide, preview_files, roll_back
from repetend.errors import NotFoundError
from repetend.store.base import Who
from repetend.team.scope import Scope

router = APIRouter(prefix="/api")
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Board = Annotated[Dashboard, Depends(dashboard_of)]
NO_ANTI_PATTERNS = (
    "No failure patterns yet: they are learned from failed commands, tests and agent tool"
    " uses once the failure learner has seen the same failure more than once."
)


@router.get("/session", tags=["session"])
def session(request: Request) -> models.Session:
    """The CSRF token of this session (a script sends it back in `X-CSRF-Token`)."""
    return models.Session(csrf_token=request.state.csrf)


class ScopeQuery:
    """One person's view: `?user=` (and machine, remote, branch); none is the team's."""

    def __init__(
        self,
        user: Annotated[str, Query(description="Only this person's uses (`me`: yours).")] = "",
        machine: Annotated[str, Query(description="Only this machine's uses.")] = "",
        remote: Annotated[str, Query(description="Only uses in this remote's clones.")] = "",
        branch: Annotated[str, Query(description="Only uses on this branch.")] = "",
    ) -> None:
        self.scope = Scope(user, machine, remote, branch)

    def who(self, board: Dashboard) -> Who | None:
        """The filter on the store's rows (None: the team)."""
        return self.scope.who(board.store(), board.config)


Scoped = Annotated[ScopeQuery, Depends()]


@router.get("/patterns/active", tags=["patterns"])
def active_patterns(
    board: Board, scoped: Scoped, limit: Limit = 50, offset: Offset = 0
) -> models.Page[models.Pattern]:
    """Approved patterns with their metrics (of one person's uses, with `user`), most used first."""
    who = scoped.who(board)
    found = board.cached(
        "active " + repr(who),
        lambda _: queries.active(board.candidates(status="approved"), board.scoped_metrics(who)),
    )
    reason = "No approved patterns yet: approve a candidate (see /api/patterns/candidates)."
    return queries.cut(found, limit, offset, reason)


@router.get("/patterns/candidates", tags=["patterns"])
def candidate_patterns(
    board: Board,
    limit: Limit = 50,
    offset: Offset = 0,
    kind: Annotated[str | None, Query(description="Only this kind (file-template, …).")] = None,
) -> models.Page[models.Candidate]:
    """Candidates waiting for review (status draft), newest first, with their evidence."""
    found = board.candidates(status="draft", kind=kind)
    shown = found[offset : offset + limit]
    metrics = board.metrics_by_id()
    items = [queries.candidate(c, metrics.get(c.id)) for c in shown]
    reason = "Nothing waits for review: capture some work, then run `repetend detect` or `mine`."
    return queries.page(items, len(found), limit, offset, reason)


@router.get("/patterns/anti-patterns", tags=["patterns"])
def anti_patterns(
    board: Board, limit: Limit = 50, offset: Offset = 0
) -> models.Page[models.AntiPattern]:
    """Failure patterns, most recently seen first."""
    store = board.store()
    rows = store.anti_patterns(limit=limit, offset=offset)
    items = [models.AntiPattern(**vars(row)) for row in rows]
    return queries.page(items, store.counts()["anti_patterns"], limit, offset, NO_ANTI_PATTERNS)


@router.get("/patterns/{pattern_id}/stats", tags=["patterns"])
def pattern_stats(
    board: Board,
    pattern_id: str,
    scoped: Scoped,
    bucket: Literal["day", "week"] = "week",
    since: Annotated[
        datetime | None, Query(description="Only uses from then on (ISO 8601).")
    ] = None,
) -> models.PatternStats:
    """Uses, successes, failures, workarounds and time saved: in total and per day or week."""
    store = board.store()
    if store.get_candidate(pattern_id) is None:
        raise NotFoundError(f"no pattern {pattern_id!r}")
    return queries.stats(store, pattern_id, bucket, since, scoped.who(board))


@router.get("/people", tags=["patterns"])
def people(board: Board) -> list[models.Person]:
    """Everyone the uses and events name, for `?user=` (digests under hashed identities)."""
    rows = board.cached("people", lambda store: store.people())
    return [models.Person(user=name, uses=uses, events=events) for name, uses, events in rows]


@router.get("/patterns/{pattern_id}/history", tags=["patterns"])
def pattern_history(
    board: Board, pattern_id: str, limit: Limit = 50, offset: Offset = 0
) -> models.Page[models.AuditRecord]:
    """The pattern's audit trail, oldest first."""
    return queries.cut(queries.audit(board.store().audit_log(pattern_id)), limit, offset)


def _decision_route(name: str) -> None:
    status, summary = DECISIONS[name]

    def route(board: Board, pattern_id: str, decision: models.Decision) -> models.DecisionResult:
        return decide(board, pattern_id, status, decision)

    route.__doc__ = f"{summary} Recorded in the audit log with the note."
    router.post(f"/patterns/{{pattern_id}}/{name}", tags=["review"], name=name, summary=summary)(
        route
    )


for _name in DECISIONS:
    _decision_route(_name)


@router.post("/patterns/{pattern_id}/rollback", tags=["review"])
def rollback(board: Board, pattern_id: str, given: models.Rollback) -> models.DecisionResult:
    """Restore an earlier approved version, byte for byte, from the pattern's history.

    The same call as `repetend candidates rollback`: the circuit breaker is reset and the
    audit log says who rolled back from which version, with the note.
    """
    return roll_back(board, pattern_id, given.to, given)


@router.post("/patterns/{pattern_id}/preview", tags=["patterns"])
def preview(board: Board, pattern_id: str, given: models.Preview) -> list[models.PreviewFile]:
    """The files `repetend apply PATTERN --dry-run` would write for these values."""
    return preview_files(board, pattern_id, given.values)


@router.get("/audit", tags=["review"])
def audit_log(
    board: Board, limit: Limit = 50, offset: Offset = 0
) -> models.Page[models.AuditRecord]:
    """Every status change, newest first."""
    entries = list(reversed(board.store().audit_log()))
    return queries.cut(queries.audit(entries), limit, offset)


@router.get("/events", tags=["activity"])
def events(
    board: Board,
    limit: Limit = 50,
    before: Annotated[
        int | None, Query(ge=1, description="Only events older than this id.")
    ] = None,
) -> models.Page[models.Activity]:
    """Captured events, newest first; the next page is `before` the last id shown."""
    store = board.store()
    found = store.events_by_id(before=before, limit=limit, newest_first=True)
    reason = "Nothing captured yet: `repetend hooks install`, then commit; or run tests."
    return models.Page[models.Activity](
        items=[queries.activity(e) for e in found],
        total=store.counts()["events"],
        limit=limit,
        offset=0,
        next_offset=None,  # keyset paging: ask again with `before` = the last id shown
        empty_reason="" if found or before else reason,
    )


@router.get(
    "/events/stream",
    tags=["activity"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Activity events."}},
)
async def event_stream(
    board: Board, last_event_id: Annotated[int | None, Header(ge=0)] = None
) -> StreamingResponse:
    """Server-sent events (`event: activity`, JSON data) as events are captured.

    Each event's data is an `Activity`; a decision taken in the dashboard comes with no id.
    A reconnecting client sends `Last-Event-ID` and first gets what it missed (up to 100).
    """
    backlog = []
    if last_event_id is not None:
        after = last_event_id
        found = await run_in_threadpool(lambda: board.store().events_by_id(after=after))
        backlog = [queries.activity(e) for e in found]
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        board.feed.stream(backlog), media_type="text/event-stream", headers=headers
    )
