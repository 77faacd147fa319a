"""What each page shows, gathered from the store and the repository (no HTML here)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from repetend.dashboard import queries
from repetend.dashboard.board import Dashboard
from repetend.errors import NotFoundError
from repetend.events import Candidate, utcnow
from repetend.team.scope import Scope

WEEKS_CHARTED = 12
MEMBERS_SHOWN = 3
MEMBER_BYTES = 64 * 1024
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
NO_FAILURES = (
    "No failure patterns yet. They are learned from failed commands, test runs and agent"
    " tool uses once the same failure is seen again; until then this page stays empty."
)
NO_FLAKY = "No flaky tests found: a test is flaky once it both passed and failed on the same code."
NO_RECOVERY = (
    "No recovery rules yet: a rule is proposed once a failure is fixed the same way twice."
)


def overview(board: Dashboard, scope: Scope | None = None) -> dict[str, Any]:
    """Counts, the active patterns, uses and hours saved per week, alerts.

    With a `scope` (one person's view), the uses and time saved are theirs.
    """
    store = board.store()
    scope = scope or Scope()
    who = scope.who(store, board.config)
    active = queries.active(board.candidates(status="approved"), board.scoped_metrics(who))
    drafts = board.candidates(status="draft")
    since = utcnow() - timedelta(weeks=WEEKS_CHARTED)
    weeks = queries.series(store.use_days(since=since, who=who), "week")
    chart = {
        "weeks": [w.start.isoformat() for w in weeks],
        "uses": [w.uses for w in weeks],
        "hours_saved": [round(w.seconds_saved / 3600, 2) for w in weeks],
    }
    return {
        "counts": store.counts(),
        "active": active[:10],
        "active_total": len(active),
        "drafts": len(drafts),
        "chart": chart,
        "alerts": alerts(board, active, len(drafts)),
        "scope": scope,
        "people": [name for name, _, _ in board.cached("people", lambda s: s.people()) if name],
    }


def alerts(board: Dashboard, active: list[Any], drafts: int) -> list[str]:
    """What needs a person: failing patterns, quarantined ones, drafts waiting."""
    found = [
        f"{p.id} ({p.name}) failed {p.metrics.failures} of {p.metrics.uses} uses"
        for p in active
        if p.metrics.uses >= 3 and p.metrics.failures * 2 > p.metrics.uses
    ]
    quarantined = board.candidates(status="quarantined")
    if quarantined:
        found.append(f"{len(quarantined)} pattern(s) quarantined: review them in the library")
    if drafts:
        found.append(f"{drafts} candidate(s) wait for review")
    return found


def library(
    board: Dashboard, *, q: str, kind: str, status: str, folder: str, min_confidence: float
) -> list[Candidate]:
    """Patterns matching every filter given, newest first."""
    needle = q.strip().lower()
    return [
        c
        for c in board.candidates(status=status or None, kind=kind or None)
        if c.confidence >= min_confidence
        and (not needle or needle in f"{c.id} {c.name} {c.description}".lower())
        and (not folder or _folder_of(c).startswith(folder.strip("/")))
    ]


def _folder_of(candidate: Candidate) -> str:
    family = str(candidate.spec.get("family") or candidate.spec.get("path_pattern") or "")
    return family.rpartition("/")[0]


def pattern(board: Dashboard, pattern_id: str) -> dict[str, Any]:
    """One pattern's document, members, variables, marked sources, history and metrics."""
    store = board.store()
    found = store.get_candidate(pattern_id)
    if found is None:
        raise NotFoundError(f"no pattern {pattern_id!r}")
    return {
        "pattern": found,
        "metrics": queries.metrics(store.metrics(pattern_id)),
        "variables": found.spec.get("variables") or [],
        "members": [str(m) for m in found.spec.get("members") or []],
        "sources": sources(found),
        "history": queries.audit(store.audit_log(pattern_id)),
        "evidence": pretty(found.evidence),
    }


def sources(candidate: Candidate) -> list[dict[str, Any]]:
    """Each template file: its path and its text cut into plain text and Jinja tags."""
    if candidate.kind != "file-template":
        return []
    from repetend.patterns.template_files import template_files

    return [
        {"path": item["path"], "parts": marked(item["template"])}
        for item in template_files(candidate)
    ]


def marked(text: str) -> list[tuple[str, bool]]:
    """`text` as (piece, is a Jinja tag) pairs, so the page can highlight the variables."""
    return [(piece, bool(_TAG.fullmatch(piece))) for piece in _TAG.split(text) if piece]


def candidates(board: Dashboard, *, offset: int, selected_id: str) -> dict[str, Any]:
    """A page of drafts and proposed versions, the one selected with its evidence or diff,
    and the latest decisions."""
    from repetend.patterns.semver import semver
    from repetend.patterns.versions import proposed_version

    store = board.store()
    waiting = {c.id: proposed_version(board.config, c) for c in board.candidates(status="approved")}
    proposed = {pattern_id: v for pattern_id, v in waiting.items() if v}
    approved = [c for c in board.candidates(status="approved") if c.id in proposed]
    drafts = board.candidates(status="draft") + approved
    listing = queries.cut(drafts, 50, offset, "Nothing waits for review.")
    chosen = next((c for c in drafts if c.id == selected_id), None) or (
        listing.items[0] if listing.items else None
    )
    position = drafts.index(chosen) if chosen is not None else -1
    following = drafts[position + 1].id if 0 <= position < len(drafts) - 1 else ""
    return {
        "listing": listing,
        "chosen": chosen,
        "next_id": following,
        "members": member_texts(board.config.root, chosen) if chosen else [],
        "sources": sources(chosen) if chosen else [],
        "evidence": pretty(chosen.evidence) if chosen else "",
        "decisions": queries.audit(list(reversed(store.audit_log()))[:10]),
        "proposed": proposed,
        "diff": _proposal_diff(board, chosen) if chosen and chosen.id in proposed else "",
        "version": semver(chosen.spec.get("version")) if chosen else "",
    }


def _proposal_diff(board: Dashboard, candidate: Candidate) -> str:
    """The proposed version's diff against the approved one, as `repetend review` shows it."""
    from repetend.review.session import diff_lines

    return "\n".join(diff_lines(candidate, board.config))


def member_texts(root: Path, candidate: Candidate) -> list[dict[str, str]]:
    """The first few members' text, read from the repository (bounded, inside it only)."""
    shown = []
    for member in list(candidate.spec.get("members") or [])[:MEMBERS_SHOWN]:
        text = _read_inside(root, str(member))
        if text is not None:
            shown.append({"path": str(member), "text": text})
    return shown


def _read_inside(root: Path, relative: str) -> str | None:
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    with path.open("rb") as handle:
        data = handle.read(MEMBER_BYTES + 1)
    text = data[:MEMBER_BYTES].decode("utf-8", errors="replace")
    return text + ("\n…" if len(data) > MEMBER_BYTES else "")


def anti_patterns(board: Dashboard, offset: int) -> dict[str, Any]:
    """Failure patterns, flaky tests, recovery rules (each with an explained empty state)."""
    store = board.store()
    rows = store.anti_patterns(limit=50, offset=offset)
    total = store.counts()["anti_patterns"]
    recovery = board.candidates(kind="recovery")
    metrics = board.metrics_by_id()
    return {
        "failures": queries.page(
            [r for r in rows if "flaky" not in r.kind], total, 50, offset, NO_FAILURES
        ),
        "flaky": [r for r in rows if "flaky" in r.kind],
        "recovery": [queries.pattern(c, metrics.get(c.id)) for c in recovery],
        "explain": {"failures": NO_FAILURES, "flaky": NO_FLAKY, "recovery": NO_RECOVERY},
    }


def pretty(value: Any) -> str:
    """`value` as indented JSON for a <pre> (escaped by the template)."""
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)[:20000]
