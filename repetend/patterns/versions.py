"""Versions of a pattern: history on disk, the next version proposed as a draft, rollback.

Every approved version is kept, byte for byte, under
`.repetend/patterns/history/<id>/<version>/` (the spec, and a file template's
folder). Relearning an approved pattern never changes it in place, nor its
spec file: the new body is written there as the next version, a draft with
`diff.patch` against the approved one (the proposal lives only there), and
`candidates approve ID` promotes it or `review` rejects it. `rollback` copies
a kept version back as it was. Each promotion, rejection and rollback is in
the audit log.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from repetend.config import Config
from repetend.errors import NotFoundError, UsageError
from repetend.events import AuditEntry, Candidate, utcnow
from repetend.fileio import atomic_write
from repetend.patterns.files import spec_text, status_folder, write_spec
from repetend.patterns.semver import next_minor, parts, semver
from repetend.store.base import Store

HISTORY = "history"
DIFF = "diff.patch"
PROPOSED = "proposed_version"  # older specs carried it; a proposal now lives only in history
REJECTED = " rejected"  # the note of a rejected proposal: "version 1.1.0 rejected: why"
_HEAD = ("id", "kind", "name", "description", "status", "version", "confidence", "occurrences")
_HEAD_MORE = ("destructive", "created_at", "updated_at")


def history_dir(config: Config, pattern_id: str) -> Path:
    """Where the versions of one pattern are kept."""
    return config.patterns_dir / HISTORY / pattern_id


def kept_versions(config: Config, pattern_id: str) -> list[tuple[str, str]]:
    """The kept versions of a pattern with the status each was kept in, oldest first."""
    folder = history_dir(config, pattern_id)
    found = []
    for entry in folder.iterdir() if folder.is_dir() else []:
        document = _document(entry / f"{pattern_id}.yaml")
        if document is not None:
            found.append((entry.name, str(document.get("status", ""))))
    return sorted(found, key=lambda item: parts(item[0]))


def later_version(config: Config, candidate: Candidate) -> str | None:
    """The newest kept version after the candidate's own (proposed, or rolled back from)."""
    current = parts(semver(candidate.spec.get("version")))
    later = [v for v, _ in kept_versions(config, candidate.id) if parts(v) > current]
    return later[-1] if later else None


def archive(config: Config, candidate: Candidate) -> Path:
    """Keep the candidate's spec (and template folder) as they are now under its version."""
    source = status_folder(config.patterns_dir, candidate.status)
    target = history_dir(config, candidate.id) / semver(candidate.spec.get("version"))
    target.mkdir(parents=True, exist_ok=True)
    _copy_pattern(source, target, candidate.id)
    return target


def proposal(config: Config, candidate: Candidate) -> tuple[str, dict[str, Any]] | None:
    """The proposed next version waiting for review, `(version, spec document)`, if any."""
    current = parts(semver(candidate.spec.get("version")))
    waiting = [v for v, status in kept_versions(config, candidate.id) if status == "draft"]
    for version in reversed(waiting):
        if parts(version) > current:
            document = _document(history_dir(config, candidate.id) / version / _name(candidate))
            if document is not None:
                return version, document
    return None


def proposed_version(config: Config, candidate: Candidate) -> str | None:
    """The version proposed for review, or None."""
    found = proposal(config, candidate)
    return found[0] if found else None


def already_proposed(config: Config, candidate: Candidate, digest: object) -> bool:
    """Whether a kept version (waiting, rejected or approved) has this relearned body."""
    folder = history_dir(config, candidate.id)
    for version, _ in kept_versions(config, candidate.id):
        document = _document(folder / version / _name(candidate))
        if document is not None and document.get("body_digest") == digest:
            return True
    return False


def propose_next(config: Config, approved: Candidate, fresh: Candidate) -> str:
    """Write relearned `fresh` as the next version of `approved`, a draft with a diff.

    The approved spec and its folder are not touched: the proposal is only the
    draft under `history/<id>/<version>/`.
    """
    pending = proposed_version(config, approved)  # a newer relearning replaces a waiting one
    version = pending or next_minor(semver(approved.spec.get("version")))
    taken = {v for v, status in kept_versions(config, approved.id) if status != "draft"}
    while version in taken:  # an approved (or rejected) version is never written over
        version = next_minor(version)
    draft = replace(
        fresh, id=approved.id, status="draft", created_at=approved.created_at, spec=dict(fresh.spec)
    )
    draft.spec["version"] = version
    folder = history_dir(config, approved.id) / version
    text = spec_text(draft)
    atomic_write(folder / _name(approved), text)
    _write_sources(folder / approved.id, draft)
    atomic_write(folder / DIFF, _diff(approved, draft))
    return version


def withdraw(config: Config, approved: Candidate) -> None:
    """Drop the proposed next version waiting for review: relearning gives the approved body."""
    found = proposal(config, approved)
    if found is not None:
        shutil.rmtree(history_dir(config, approved.id) / found[0], ignore_errors=True)


def promote(
    store: Store, config: Config, candidate: Candidate, *, actor: str, note: str = ""
) -> Candidate:
    """Approve the proposed next version: it replaces the approved one, which stays in history."""
    found = proposal(config, candidate)
    if found is None:
        raise NotFoundError(f"{candidate.id}: no proposed version to approve")
    version, document = found
    old = semver(candidate.spec.get("version"))
    promoted = from_document(candidate, document, status="approved")
    promoted.updated_at = utcnow()
    why = f"version {version} approved (was {old})" + (f": {note}" if note else "")
    saved = store.save_candidate(promoted, actor=actor, note=why, always_audit=True)
    path = write_spec(config.patterns_dir, saved)
    _write_sources(path.with_suffix(""), saved)
    archive(config, saved)
    return saved


def reject_proposal(
    store: Store, config: Config, candidate: Candidate, *, actor: str, note: str
) -> str:
    """Reject the proposed next version: kept as rejected (never proposed again), audited."""
    found = proposal(config, candidate)
    if found is None:
        raise NotFoundError(f"{candidate.id}: no proposed version to reject")
    version, _ = found
    import re

    path = history_dir(config, candidate.id) / version / _name(candidate)
    text = path.read_text(encoding="utf-8")  # only its status changes: the rest stays as written
    atomic_write(path, re.sub(r"^status: draft$", "status: rejected", text, count=1, flags=re.M))
    why = f"version {version}{REJECTED}" + (f": {note}" if note else "")
    store.save_candidate(candidate, actor=actor, note=why, always_audit=True)
    return version


def is_approval(entry: AuditEntry) -> bool:
    """Whether an audit entry approved the pattern (a rejected proposal leaves it as it was)."""
    if entry.to_status != "approved":
        return False
    return not (entry.note.startswith("version ") and REJECTED in entry.note.split(":", 1)[0])


def _name(candidate: Candidate) -> str:
    return f"{candidate.id}.yaml"


def rollback(
    store: Store, config: Config, candidate: Candidate, to: str | None, *, actor: str, note: str
) -> Candidate:
    """Restore a kept approved version byte for byte (default: the last one before the current).

    The audit log says `rolled back from X to Y`, with `note` (why) after it.
    """
    current = semver(candidate.spec.get("version"))
    approved = [v for v, status in kept_versions(config, candidate.id) if status == "approved"]
    if to is None:
        earlier = [v for v in approved if parts(v) < parts(current)]
        if not earlier:
            raise UsageError(
                f"{candidate.id}: no approved version before {current} to roll back to"
            )
        to = earlier[-1]
    if semver(to) not in approved:
        kept = ", ".join(approved) or "none"
        raise NotFoundError(f"{candidate.id}: no approved version {to!r} kept (kept: {kept})")
    folder = history_dir(config, candidate.id) / semver(to)
    document = _document(folder / f"{candidate.id}.yaml")
    assert document is not None  # kept_versions read it
    restored = from_document(candidate, document, status="approved")
    why = f"rolled back from {current} to {semver(to)}" + (f" ({note})" if note else "")
    saved = store.save_candidate(restored, actor=actor, note=why, always_audit=True)
    target = status_folder(config.patterns_dir, "approved")
    write_spec(config.patterns_dir, saved)  # moves it out of any other folder
    _copy_pattern(folder, target, candidate.id)
    return saved


def from_document(candidate: Candidate, document: dict[str, Any], *, status: str) -> Candidate:
    """The candidate as a spec document describes it (identity and evidence kept)."""
    body = {k: v for k, v in document.items() if k not in (*_HEAD, *_HEAD_MORE)}
    body["version"] = semver(document.get("version"))
    confidence = document.get("confidence") or {}
    return replace(
        candidate,
        name=str(document.get("name", candidate.name)),
        description=str(document.get("description", candidate.description)),
        status=status,
        spec=body,
        confidence=float(confidence.get("score", candidate.confidence)),
        confidence_parts=dict(confidence.get("parts", candidate.confidence_parts)),
        updated_at=_time(document.get("updated_at"), candidate.updated_at),
    )


def _time(value: object, default: datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return default


def _document(path: Path) -> dict[str, Any] | None:
    import yaml

    from repetend.patterns.spec_yaml import load_spec_yaml

    try:
        loaded = load_spec_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _copy_pattern(source: Path, target: Path, pattern_id: str) -> None:
    """Copy a spec and its folder from one folder to another, bytes and modes as they are."""
    target.mkdir(parents=True, exist_ok=True)
    spec = source / f"{pattern_id}.yaml"
    if spec.is_file():
        shutil.copy2(spec, target / spec.name)
    folder = source / pattern_id
    if folder.is_dir():
        shutil.rmtree(target / pattern_id, ignore_errors=True)
        shutil.copytree(folder, target / pattern_id)


def _write_sources(folder: Path, candidate: Candidate) -> None:
    """A file template's `.jinja` files (and globs) into `folder`."""
    if candidate.kind != "file-template" or not isinstance(candidate.spec.get("files"), list):
        return
    from repetend.patterns.template_files import GLOBS, path_glob, template_files

    items = template_files(candidate)
    shutil.rmtree(folder, ignore_errors=True)
    for item in items:
        atomic_write(folder / f"{item['path']}.jinja", item["template"])
    atomic_write(folder / GLOBS, "".join(f"{path_glob(item['path'])}\n" for item in items))


def _diff(approved: Candidate, draft: Candidate) -> str:
    """The unified diff from the approved spec (and template sources) to the draft's."""
    old_id, new_id = semver(approved.spec.get("version")), semver(draft.spec.get("version"))
    chunks = [_unified(spec_text(approved), spec_text(draft), f"{old_id}/spec", f"{new_id}/spec")]
    for old, new in _sources(approved, draft):
        chunks.append(_unified(old[1], new[1], f"{old_id}/{old[0]}", f"{new_id}/{new[0]}"))
    return "".join(chunks)


def _sources(
    approved: Candidate, draft: Candidate
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    def of(candidate: Candidate) -> list[tuple[str, str]]:
        files = candidate.spec.get("files")
        return (
            [(str(f["path"]), str(f["template"])) for f in files] if isinstance(files, list) else []
        )

    old, new = of(approved), of(draft)
    size = max(len(old), len(new))
    old += [("", "")] * (size - len(old))
    new += [("", "")] * (size - len(new))
    return list(zip(old, new, strict=True))


def _unified(old: str, new: str, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    )
    return "".join(lines)
