"""Pattern specs on disk: one YAML file per pattern, in a folder per status.

`.repetend/patterns/drafts/` holds drafts waiting for review, `approved/`,
`rejected/` and `quarantined/` the rest. A pattern that has files of its own
(a file template) keeps them in a folder named after its id beside the spec,
and the folder moves with it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.semver import semver

FOLDERS = {
    "draft": "drafts",
    "approved": "approved",
    "rejected": "rejected",
    "quarantined": "quarantined",
}


def status_folder(patterns_dir: Path, status: str) -> Path:
    """The folder that holds patterns of `status`."""
    return patterns_dir / FOLDERS[status]


def spec_document(candidate: Candidate) -> dict[str, Any]:
    """The YAML document written for a candidate: identity, status, confidence, then its spec."""
    head: dict[str, Any] = {
        "id": candidate.id,
        "kind": candidate.kind,
        "signature": candidate.signature,
        "name": candidate.name,
        "description": candidate.description,
        "status": candidate.status,
        "version": semver(candidate.spec.get("version")),
        "confidence": {"score": candidate.confidence, "parts": dict(candidate.confidence_parts)},
        "occurrences": candidate.occurrences,
        "destructive": candidate.destructive,
        "created_at": candidate.created_at.isoformat(timespec="seconds"),
        "updated_at": candidate.updated_at.isoformat(timespec="seconds"),
    }
    # The body's keys sorted: whoever writes a spec, the same pattern is the same text.
    body = {key: candidate.spec[key] for key in sorted(candidate.spec) if key not in head}
    return {**head, **body}


# What moves with every mine without a person changing anything: kept in the store, and a
# spec file that differs only in these is left alone (no diff, no merge conflict, per commit).
COUNTERS = (
    "confidence",
    "occurrences",
    "updated_at",
    "evidence",
    "members",
    "members_digest",
    "companions",  # the other families beside this one: they change as the repository grows
)


def dump_yaml(document: Any) -> str:
    """YAML as people write it: block style, keys in the order given, unicode kept."""
    # imported here: git hooks import this module and rarely write a spec
    from repetend.patterns.spec_yaml import dump_spec_yaml

    return dump_spec_yaml(document)


def write_spec(patterns_dir: Path, candidate: Candidate, text: str | None = None) -> Path:
    """Write the spec into its status folder (moving it out of any other); return its path.

    `text` is the spec's YAML when the caller has made it already (see `spec_text`).
    A spec already there that differs only in its `COUNTERS` is not rewritten.
    """
    target = status_folder(patterns_dir, candidate.status) / f"{candidate.id}.yaml"
    for status in FOLDERS:
        if status != candidate.status:
            _move(status_folder(patterns_dir, status), target.parent, candidate.id)
    text = spec_text(candidate) if text is None else text
    if not _same_but_counters(target, text):
        atomic_write(target, text)
    return target


def remove_spec(patterns_dir: Path, status: str, pattern_id: str) -> None:
    """Delete a pattern's spec and its folder of files from the folder of `status`."""
    folder = status_folder(patterns_dir, status)
    (folder / f"{pattern_id}.yaml").unlink(missing_ok=True)
    shutil.rmtree(folder / pattern_id, ignore_errors=True)


def _same_but_counters(target: Path, text: str) -> bool:
    try:
        old = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if old == text:
        return True
    quick = _without_counter_lines(old)
    if quick is not None and quick == _without_counter_lines(text):
        return True  # the same text outside the counters: the same values (no YAML read)
    import yaml  # only when a spec is there already and differs

    from repetend.patterns.spec_yaml import load_spec_yaml

    try:
        before, after = load_spec_yaml(old), load_spec_yaml(text)
    except yaml.YAMLError:
        return False
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return False
    return _without_counters(before) == _without_counters(after)


def _without_counter_lines(text: str) -> str | None:
    """The spec's text without its top-level `COUNTERS` entries; None when that cannot tell.

    A top-level entry starts at the first column (its nested lines, and the items of a
    list under it, are indented or start with `- `). An anchor could tie an entry kept to
    one left out, so a text with any is left to the YAML comparison. Refitting a family of
    thousands reads its spec twice otherwise, only to find the members changed.
    """
    if "&id" in text or "*id" in text:
        return None
    kept: list[str] = []
    counter = False
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "-", "#", "\n", "\r", ""):  # a top-level key
            counter = line.split(":", 1)[0] in COUNTERS
        if not counter:
            kept.append(line)
    return "".join(kept)


def _without_counters(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in COUNTERS}


def spec_text(candidate: Candidate) -> str:
    """The YAML document of the candidate's spec file."""
    return dump_yaml(spec_document(candidate))


def _move(source: Path, destination: Path, pattern_id: str) -> None:
    spec = source / f"{pattern_id}.yaml"
    spec.unlink(missing_ok=True)
    folder = source / pattern_id
    if folder.is_dir():
        destination.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(destination / pattern_id, ignore_errors=True)
        folder.rename(destination / pattern_id)
