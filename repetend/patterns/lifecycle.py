"""From candidate to reviewed pattern.

Classify, save, write the spec, notify; and review by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pluggy

from repetend.config import Config
from repetend.errors import NotFoundError, UsageError
from repetend.events import Candidate, utcnow
from repetend.fileio import overlapping
from repetend.patterns.files import spec_text, write_spec
from repetend.patterns.semver import next_minor, semver
from repetend.plugins.registry import call_hook
from repetend.plugins.types import Notification, Verdict
from repetend.store.base import Store

STATUS_OF = {"approve": "approved", "pending": "draft", "reject": "rejected"}
REVIEWED = {"approved", "rejected", "quarantined"}


@dataclass(frozen=True)
class Proposal:
    """What happened to one proposed candidate."""

    candidate: Candidate
    created: bool
    status_changed: bool
    verdict: Verdict | None
    path: Path


def propose(
    candidates: list[Candidate], store: Store, config: Config, manager: pluggy.PluginManager
) -> list[Proposal]:
    """Classify, store and write each candidate; notify about new ones and status changes.

    A candidate with the same kind and signature as a stored one updates it
    (same id, `version` raised when the spec changed); a status set by review
    (approved, rejected, quarantined) is kept.
    """
    proposals = save_proposals(candidates, store, config, manager)
    announce(proposals, config, manager)
    return proposals


def save_proposals(
    candidates: list[Candidate], store: Store, config: Config, manager: pluggy.PluginManager
) -> list[Proposal]:
    """`propose` without the notifications: for a caller that writes more first (see `announce`).

    Candidates are classified and stored one by one, then their specs are
    written together (see `overlapping`), then each spec's path is stored.
    """
    saved = [_save(c, store, config, manager) for c in candidates]
    # The YAML is made here: threads that wait on the GIL would wait for each other, while
    # threads that only write overlap their waits on fsync.
    texts = [(s.candidate, spec_text(s.candidate)) for s in saved]

    def write(item: tuple[Candidate, str]) -> Path:
        return write_spec(config.patterns_dir, *item)

    distinct = len({s.candidate.id for s in saved}) == len(saved)  # else one file, one writer
    paths = overlapping(write, texts) if distinct else [write(item) for item in texts]
    return [_proposal(s, path, store, config) for s, path in zip(saved, paths, strict=True)]


def announce(
    proposals: list[Proposal],
    config: Config,
    manager: pluggy.PluginManager,
    *,
    caller_reports: bool = False,
) -> None:
    """Notify about each new proposal and each status change.

    `caller_reports` tells the notifiers that the caller shows the proposals
    itself (see `Notification`).
    """
    for proposal in proposals:
        if proposal.created or proposal.status_changed:
            event = "created" if proposal.created else "status"
            message = message_for(proposal)
            notify(
                manager, config, event, message, proposal.candidate, caller_reports=caller_reports
            )


@dataclass(frozen=True)
class _Saved:
    candidate: Candidate
    created: bool
    old_status: str
    verdict: Verdict | None


def _save(
    candidate: Candidate, store: Store, config: Config, manager: pluggy.PluginManager
) -> _Saved:
    existing = store.find_candidate(candidate.kind, candidate.signature)
    old_status = existing.status if existing else ""
    frozen = existing is not None and _decided(store, existing)
    if existing is not None and frozen:
        _propose_version(existing, candidate, config)
        candidate = _keep_reviewed_body(existing, candidate)
    elif existing is not None:
        candidate.id, candidate.created_at = existing.id, existing.created_at
        _next_version(existing, candidate)
    candidate.updated_at = utcnow()
    verdict = None
    if frozen:
        candidate.status = old_status
    else:
        verdict = within_daily_cap(classify(candidate, config, manager), candidate, store, config)
        candidate.status = STATUS_OF[verdict.decision]
    note = f"{verdict.decision}: {verdict.reason}" if verdict else ""
    saved = store.save_candidate(candidate, actor=_classifier(verdict), note=note)
    return _Saved(saved, existing is None, old_status, verdict)


REPLACES = "replaces"  # the body (digest) and version an unreviewed relearning moved on from


def _next_version(existing: Candidate, fresh: Candidate) -> None:
    """An unreviewed candidate's version: the next minor for a new body, the one before for
    the body it replaced (files changed and restored give the first version back)."""
    version = semver(existing.spec.get("version"))
    digest = fresh.spec.get("body_digest")
    before = existing.spec.get(REPLACES)
    if digest == existing.spec.get("body_digest"):
        fresh.spec["version"] = version
        if isinstance(before, dict):
            fresh.spec[REPLACES] = before
    elif isinstance(before, dict) and before.get("body_digest") == digest:
        fresh.spec["version"] = semver(before.get("version"))
    else:
        fresh.spec["version"] = next_minor(version)
        fresh.spec[REPLACES] = {"body_digest": existing.spec.get("body_digest"), "version": version}


def within_daily_cap(
    verdict: Verdict, candidate: Candidate, store: Store, config: Config
) -> Verdict:
    """An approval of a file template, or pending once `max_auto_approve_per_day` were today."""
    if verdict.decision != "approve" or candidate.kind != "file-template":
        return verdict
    cap = int(config.max_auto_approve_per_day)
    templates = {c.id for c in store.candidates(kind="file-template")}
    today = utcnow().date()
    approved = sum(
        1
        for entry in store.audit_log()
        if entry.to_status == "approved"
        and entry.from_status != "approved"  # a version promoted or rolled back is no new pattern
        and entry.actor.startswith("repetend")
        and entry.pattern_id in templates
        and entry.created_at.date() == today
    )
    if approved < cap:
        return verdict
    reason = f"{approved} file templates approved automatically today (max_auto_approve_per_day)"
    return Verdict("pending", reason, verdict.classifier)


def _proposal(saved: _Saved, path: Path, store: Store, config: Config) -> Proposal:
    candidate, relative = saved.candidate, _relative(path, config.root)
    if candidate.spec_path != relative:
        candidate.spec_path = relative
        store.set_spec_path(candidate.id, relative)
    changed = saved.old_status != candidate.status
    return Proposal(candidate, saved.created, changed, saved.verdict, path)


def _decided(store: Store, existing: Candidate) -> bool:
    """Whether the candidate's status stands: set by a person, or approved or quarantined.

    An automatic rejection is not a decision to keep: the candidate is classified
    again as its evidence grows, so a pattern rejected for thin evidence can earn
    its way back. Approval, quarantine and every decision a person made stay.
    """
    if existing.status not in REVIEWED:
        return False
    if existing.status != "rejected":
        return True
    history = store.audit_log(existing.id)
    return bool(history) and not history[-1].actor.startswith("repetend")


def _propose_version(existing: Candidate, fresh: Candidate, config: Config) -> None:
    """Relearning an approved pattern proposes its next version; the approved body stays.

    The new body is written as a draft under `history/<id>/<next version>/` with a
    diff (see `versions`); the approved spec file is not touched, the same relearned
    body (waiting, rejected or approved before) is not proposed twice, and a waiting
    proposal is withdrawn when relearning gives the approved body again.
    """
    digest = fresh.spec.get("body_digest")
    if existing.status != "approved" or digest is None:
        return
    from repetend.patterns import versions

    if digest == existing.spec.get("body_digest"):
        if fresh.spec.get("learned") != "refit":  # learned again: the files are as approved
            versions.withdraw(config, existing)
        return
    if versions.already_proposed(config, existing, digest):
        return

    if not (
        versions.history_dir(config, existing.id) / semver(existing.spec.get("version"))
    ).is_dir():
        versions.archive(config, existing)  # the approved version is kept before anything moves
    versions.propose_next(config, existing, fresh)


def _keep_reviewed_body(existing: Candidate, fresh: Candidate) -> Candidate:
    """A reviewed pattern keeps the body a person reviewed; only its evidence moves on.

    New evidence updates occurrences, confidence and the evidence record, but
    the variables, template or steps change only through a new review.
    """
    spec = dict(existing.spec)
    if "evidence" in fresh.spec:
        spec["evidence"] = fresh.spec["evidence"]
    existing.spec = spec
    existing.evidence = fresh.evidence
    existing.occurrences = fresh.occurrences
    existing.confidence, existing.confidence_parts = fresh.confidence, fresh.confidence_parts
    return existing


def classify(candidate: Candidate, config: Config, manager: pluggy.PluginManager) -> Verdict:
    """Ask the classify hook (first answer wins); a candidate nobody classifies stays pending."""
    answers = call_hook(manager, "repetend_classify_candidate", candidate=candidate, config=config)
    if answers and isinstance(answers[0], Verdict):
        return answers[0]
    return Verdict("pending", "no classifier answered")


def review(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate_id: str,
    status: str,
    *,
    actor: str,
    note: str = "",
    caller_reports: bool = False,
) -> Candidate:
    """Set a candidate's status by hand (approve, reject, quarantine), move its spec, notify.

    For an approved pattern whose next version waits (see `versions`), approve
    promotes that version and reject drops it: the pattern stays approved as it is.

    `caller_reports`: the caller says what changed itself (the CLI does), so the terminal
    notifier keeps quiet; other notifiers still hear it.
    """
    current = store.get_candidate(candidate_id)
    if current is None:
        raise NotFoundError(f"no candidate {candidate_id!r} (see `repetend candidates list`)")
    from repetend.patterns.versions import proposed_version

    proposed = current.status == "approved" and proposed_version(config, current)
    if proposed and status in ("approved", "rejected"):
        return _decide_version(store, config, manager, current, status, actor, note, caller_reports)
    if current.status == status:
        raise UsageError(f"{candidate_id} is already {status}")
    updated = store.set_status(candidate_id, status, actor=actor, note=note)
    path = write_spec(config.patterns_dir, updated)
    store.save_candidate(_with_path(updated, _relative(path, config.root)), actor=actor)
    reason = f" ({note})" if note else ""
    notify(
        manager,
        config,
        "status",
        f"{candidate_id} is now {status} by {actor}{reason}: {_relative(path, config.root)}",
        updated,
        caller_reports=caller_reports,
    )
    _after_review(store, config, current.status, updated)
    return updated


def _after_review(store: Store, config: Config, before: str, updated: Candidate) -> None:
    """An approval starts afresh (circuit closed, version kept); quarantine's report goes."""
    from repetend.patterns import circuit, versions
    from repetend.patterns.quarantine_report import remove_failure_report

    if before == "quarantined":
        remove_failure_report(config, updated.id)
    if updated.status == "approved":
        circuit.reset(store, updated.id)
        versions.archive(config, updated)


def _decide_version(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    current: Candidate,
    status: str,
    actor: str,
    note: str,
    caller_reports: bool,
) -> Candidate:
    """Approve (promote) or reject an approved pattern's proposed next version."""
    from repetend.patterns import circuit, versions

    version = versions.proposed_version(config, current)
    if status == "approved":
        decided = versions.promote(store, config, current, actor=actor, note=note)
        circuit.reset(store, current.id)
        message = f"{current.id} version {version} is now approved by {actor}: {decided.spec_path}"
    else:
        versions.reject_proposal(store, config, current, actor=actor, note=note)
        decided = store.get_candidate(current.id) or current
        kept = semver(decided.spec.get("version"))
        message = f"{current.id} version {version} rejected by {actor}; {kept} stays approved"
    notify(manager, config, "status", message, decided, caller_reports=caller_reports)
    return decided


def notify(
    manager: pluggy.PluginManager,
    config: Config,
    event: str,
    message: str,
    candidate: Candidate | None = None,
    *,
    caller_reports: bool = False,
    level: Literal["info", "warning"] = "info",
) -> None:
    """Send one notification through every notifier plugin (see `Notification`)."""
    notification = Notification(
        event, message, candidate, level=level, caller_reports=caller_reports
    )
    call_hook(manager, "repetend_notify", notification=notification, config=config)


def message_for(proposal: Proposal) -> str:
    """The one-line message for a proposal: id, evidence count, confidence, status, spec file."""
    c = proposal.candidate
    state = {"draft": "pending review", "approved": "auto-approved", "rejected": "auto-rejected"}
    where = c.spec_path or str(proposal.path)
    lead = "new pattern" if proposal.created else "pattern"
    return (
        f"{lead} {c.id} from {c.occurrences} similar {_noun(c)} (confidence {c.confidence:.2f},"
        f" {state.get(c.status, c.status)}): {where}"
    )


def _noun(candidate: Candidate) -> str:
    return {"execution": "executions", "file-template": "files", "sequence": "runs"}.get(
        candidate.kind, "examples"
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _classifier(verdict: Verdict | None) -> str:
    return f"repetend ({verdict.classifier})" if verdict and verdict.classifier else "repetend"


def _with_path(candidate: Candidate, spec_path: str) -> Candidate:
    candidate.spec_path = spec_path
    return candidate


def run_detectors(store: Store, config: Config, manager: pluggy.PluginManager) -> list[Proposal]:
    """Ask every detector plugin for candidates and propose them all."""
    answers = call_hook(manager, "repetend_detect", store=store, config=config)
    return propose(
        [candidate for answer in answers for candidate in answer], store, config, manager
    )
