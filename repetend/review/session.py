"""`repetend review`: the candidates waiting for a person, what to show of each, and decisions.

Two things wait: drafts, and the proposed next versions of approved patterns
(a relearned template, kept under `history/<id>/<version>/` with its diff).
Each decision goes through the lifecycle (`patterns.lifecycle.review`, and
`patterns.versions` for a proposal), which moves the spec and writes the audit
log; a skip is kept in the audit log too, as an entry that keeps the status, so
`--stats` can tell what was looked at and left.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pluggy

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns.files import spec_text, status_folder
from repetend.patterns.lifecycle import review
from repetend.store.base import Store

DECISIONS = {"approve": "approved", "reject": "rejected", "quarantine": "quarantined"}
SKIPPED = "skipped in `repetend review`"
EVIDENCE_SHOWN = 5
VERSION_DECISION = re.compile(r"version \S+ (approved|rejected)\b")


@dataclass(frozen=True)
class Decision:
    """What a person decided about one candidate: approve, reject, quarantine or skip."""

    action: str
    note: str = ""


def pending(store: Store, kind: str | None = None) -> list[Candidate]:
    """Drafts waiting for review, oldest first."""
    return list(reversed(store.candidates(status="draft", kind=kind)))


def proposals(store: Store, config: Config, kind: str | None = None) -> list[Candidate]:
    """Approved patterns whose proposed next version waits for review, oldest first."""
    from repetend.patterns.versions import proposed_version

    approved = reversed(store.candidates(status="approved", kind=kind))
    return [c for c in approved if proposed_version(config, c)]


def waiting(store: Store, config: Config, kind: str | None = None) -> list[Candidate]:
    """Everything a person has to decide: drafts, then proposed versions."""
    return pending(store, kind) + proposals(store, config, kind)


def decide(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate: Candidate,
    decision: Decision,
    actor: str,
) -> Candidate:
    """Apply one decision; every one, a skip included, lands in the audit log.

    For an approved pattern with a proposed version, approve promotes the
    version and reject drops it (the pattern stays as it is); quarantine acts
    on the pattern.
    """
    from repetend.patterns import versions

    proposed = candidate.status == "approved" and versions.proposed_version(config, candidate)
    if decision.action == "skip":
        note = f"{SKIPPED}: {decision.note}" if decision.note else SKIPPED
        if proposed:
            note = f"{note} (version {proposed})"
        return store.set_status(candidate.id, candidate.status, actor=actor, note=note)
    status = DECISIONS[decision.action]
    return review(
        store,
        config,
        manager,
        candidate.id,
        status,
        actor=actor,
        note=decision.note,
        caller_reports=True,
    )


def evidence_lines(candidate: Candidate) -> list[str]:
    """What the candidate stands on: confidence and its parts, occurrences, the examples."""
    parts = ", ".join(f"{k} {v:.2f}" for k, v in candidate.confidence_parts.items())
    lines = [
        f"confidence {candidate.confidence:.2f}" + (f" ({parts})" if parts else ""),
        f"seen {candidate.occurrences} time(s)"
        + (", destructive: never approved automatically" if candidate.destructive else ""),
    ]
    if candidate.description:
        lines.append(candidate.description)
    steps = candidate.spec.get("steps")
    if isinstance(steps, list) and steps:
        lines.append("steps: " + " → ".join(_label(step) for step in steps))
    examples = candidate.evidence[:EVIDENCE_SHOWN]
    lines += [f"evidence: {_label(example)}" for example in examples]
    if len(candidate.evidence) > EVIDENCE_SHOWN:
        lines.append(f"… and {len(candidate.evidence) - EVIDENCE_SHOWN} more")
    return lines


def _label(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def diff_lines(candidate: Candidate, config: Config) -> list[str]:
    """The diff a reviewer reads: against the previous version, else against a family member.

    A proposed version shows its `diff.patch` (against the approved one); a
    previous version is the newest spec kept under `patterns/history/<id>/`;
    a file template without one is shown against the first member that still
    exists: what the template keeps and what becomes a variable.
    """
    proposed = _proposed_diff(candidate, config)
    if proposed is not None:
        return proposed
    root, patterns_dir = config.root, config.patterns_dir
    previous = previous_version(patterns_dir, candidate.id)
    if previous is not None:
        label, text = previous
        return _diff(text, spec_text(candidate), f"{candidate.id} {label}", f"{candidate.id} now")
    return _member_diffs(candidate, root, patterns_dir)


def _proposed_diff(candidate: Candidate, config: Config) -> list[str] | None:
    """The `diff.patch` of the approved pattern's proposed version, if one waits."""
    if candidate.status != "approved":
        return None
    from repetend.patterns.versions import DIFF, history_dir, proposal

    found = proposal(config, candidate)
    if found is None:
        return None
    patch = history_dir(config, candidate.id) / found[0] / DIFF
    text = patch.read_text(encoding="utf-8") if patch.is_file() else ""
    chunks: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("--- ") or not chunks:
            chunks.append([])
        chunks[-1].append(line)
    # The template's own lines first: the spec's chunk repeats them, quoted, at length.
    ordered = [c for c in chunks if not c[0].endswith("/spec")] + [
        c for c in chunks if c[0].endswith("/spec")
    ]
    return [f"proposed version {found[0]}:", *(line for chunk in ordered for line in chunk)]


def previous_version(patterns_dir: Path, pattern_id: str) -> tuple[str, str] | None:
    """The newest kept version of a spec, `(version, text)`, if history keeps any."""
    folder = patterns_dir / "history" / pattern_id
    if not folder.is_dir():
        return None
    versions = sorted((p for p in folder.iterdir() if p.is_dir()), key=_version_key)
    for version in reversed(versions):
        for spec in sorted(version.glob("*.yaml")):
            return f"version {version.name}", spec.read_text(encoding="utf-8")
    return None


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.name))


def _member_diffs(candidate: Candidate, root: Path, patterns_dir: Path) -> list[str]:
    files = candidate.spec.get("files")
    if candidate.kind != "file-template" or not isinstance(files, list):
        return []
    members = [str(m) for m in candidate.spec.get("members", [])]
    folder = status_folder(patterns_dir, candidate.status) / candidate.id
    lines: list[str] = []
    for item in files:
        regex = re.compile(str(item.get("path_regex", "")))
        member = next((m for m in members if regex.fullmatch(m) and (root / m).is_file()), None)
        if member is None:
            continue
        jinja = folder / f"{item['path']}.jinja"
        source = jinja.read_text("utf-8") if jinja.is_file() else str(item.get("template", ""))
        text = (root / member).read_bytes().decode("utf-8", errors="replace")
        lines += _diff(source, text, f"template {item['path']}", member)
    return lines


def _diff(before: str, after: str, old: str, new: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), old, new, n=1
        )
    ]


def review_stats(store: Store, now: datetime, config: Config | None = None) -> dict[str, Any]:
    """Waiting candidates by kind and age, proposed versions; decisions by outcome."""
    waiting = pending(store)
    versions = len(proposals(store, config)) if config is not None else 0
    by_person: Counter[str] = Counter()
    automatic: Counter[str] = Counter()
    for entry in store.audit_log():
        if not entry.from_status:
            continue  # a candidate's creation, not a decision
        outcome = "skipped" if entry.note.startswith(SKIPPED) else _outcome(entry.note, entry)
        (automatic if entry.actor.startswith("repetend") else by_person)[outcome] += 1
    oldest = min((c.created_at for c in waiting), default=None)
    return {
        "pending": len(waiting),
        "pending_by_kind": dict(Counter(c.kind for c in waiting)),
        "oldest_pending_days": (now - oldest).days if oldest else None,
        "proposed_versions": versions,
        "decisions_by_people": dict(by_person),
        "decisions_by_repetend": dict(automatic),
    }


def _outcome(note: str, entry: Any) -> str:
    """What a decision did: its new status, or what it did to a version of an approved pattern."""
    version = VERSION_DECISION.match(note)
    if version:
        return f"version {version.group(1)}"
    if note.startswith("rolled back"):
        return "rolled back"
    return str(entry.to_status)
