"""What the dashboard changes or renders: review decisions and `apply --dry-run` previews.

Both go through the same calls as the command line (`patterns.lifecycle.review`,
`templates.apply.plan_rows`), so a decision taken here is audited and its spec file
moves, and a preview is exactly what `apply` would write.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import HTTPException

from repetend.dashboard import models, queries
from repetend.dashboard.board import Dashboard
from repetend.errors import NotFoundError, RepetendError
from repetend.events import Candidate
from repetend.store.base import Store

# The decision routes: name -> (the status it sets, what it does).
DECISIONS = {
    "approve": ("approved", "Approve a pattern: it is used from now on."),
    "reject": ("rejected", "Reject a pattern: it is not proposed again for the same evidence."),
    "quarantine": ("quarantined", "Quarantine a pattern: kept, but not used until reviewed."),
}


def decide(
    board: Dashboard, pattern_id: str, status: str, decision: models.Decision
) -> models.DecisionResult:
    """Set the status through `review` (audit log, spec moved, notifiers told) and say so.

    On an approved pattern whose next version waits, approve promotes that version
    and reject drops it (see `patterns.lifecycle.review`).
    """
    from repetend.patterns.lifecycle import review
    from repetend.patterns.versions import proposed_version

    store = board.store()
    actor = decision.actor.strip() or f"{board.user} (dashboard)"
    current = store.get_candidate(pattern_id)
    proposed = proposed_version(board.config, current) if current is not None else None
    try:
        updated = review(
            store, board.config, board.manager, pattern_id, status, actor=actor, note=decision.note
        )
    finally:
        board.forget()  # this thread wrote: what it kept is stale
    done = f"version {proposed} {status}" if proposed and status != "quarantined" else ""
    summary = (f"{pattern_id} {done}" if done else f"{pattern_id} is now {status}") + (
        f": {decision.note}" if decision.note else ""
    )
    board.feed.publish(_news(actor, summary, updated.updated_at))
    return _result(store, updated)


def roll_back(
    board: Dashboard, pattern_id: str, to: str | None, decision: models.Decision
) -> models.DecisionResult:
    """Restore a kept approved version as `repetend candidates rollback` does, and say so."""
    from repetend.patterns.circuit import reset
    from repetend.patterns.lifecycle import notify
    from repetend.patterns.semver import semver
    from repetend.patterns.versions import rollback

    store = board.store()
    candidate = store.get_candidate(pattern_id)
    if candidate is None:
        raise NotFoundError(f"no candidate {pattern_id!r}")
    actor = decision.actor.strip() or f"{board.user} (dashboard)"
    old = semver(candidate.spec.get("version"))
    try:  # the audit log says "rolled back from X to Y (note)", and who
        restored = rollback(store, board.config, candidate, to, actor=actor, note=decision.note)
        reset(store, pattern_id)
    finally:
        board.forget()
    new = semver(restored.spec.get("version"))
    message = f"{pattern_id} rolled back from {old} to {new}: {restored.spec_path}"
    notify(board.manager, board.config, "status", message, restored)
    board.feed.publish(_news(actor, message, restored.updated_at))
    return _result(store, restored)


def _news(actor: str, summary: str, at: datetime) -> models.Activity:
    return models.Activity(
        id=0, source="dashboard", kind="review", actor=actor, session="", summary=summary, at=at
    )


def _result(store: Store, updated: Candidate) -> models.DecisionResult:
    return models.DecisionResult(
        id=updated.id,
        status=updated.status,
        spec_path=updated.spec_path,
        version=str(updated.spec.get("version", "")),
        history=queries.audit(store.audit_log(updated.id)),
    )


def file_template(board: Dashboard, pattern_id: str) -> Candidate:
    """The file template `pattern_id`, or a 404."""
    found = board.store().get_candidate(pattern_id)
    if found is None or found.kind != "file-template":
        raise NotFoundError(f"no file template {pattern_id!r}")
    return found


def preview_files(
    board: Dashboard, pattern_id: str, values: dict[str, str]
) -> list[models.PreviewFile]:
    """The files `apply --dry-run` would write for `values` (empty values left unset)."""
    from repetend.templates.apply import plan_rows

    candidate = file_template(board, pattern_id)
    given = {name: value for name, value in values.items() if value != ""}
    root = board.config.root.resolve()
    try:
        planned = plan_rows(candidate, [given], board.config.root)
    except RepetendError as error:  # a missing or unusable value: bad input, said as apply says it
        raise HTTPException(status_code=400, detail=str(error)) from error
    return [
        models.PreviewFile(path=_relative(p.path, root), text=p.text, exists=p.exists)
        for p in planned
    ]


def _relative(path: Path, root: Path) -> str:
    target = path.resolve()
    return target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
