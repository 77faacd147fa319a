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
    body = {key: value for key, value in candidate.spec.items() if key not in head}
    return {**head, **body}


def dump_yaml(document: Any) -> str:
    """YAML as people write it: block style, keys in the order given, unicode kept."""
    # imported here: git hooks import this module and rarely write a spec
    from repetend.patterns.spec_yaml import dump_spec_yaml

    return dump_spec_yaml(document)


def write_spec(patterns_dir: Path, candidate: Candidate, text: str | None = None) -> Path:
    """Write the spec into its status folder (moving it out of any other); return its path.

    `text` is the spec's YAML when the caller has made it already (see `spec_text`).
    """
    target = status_folder(patterns_dir, candidate.status) / f"{candidate.id}.yaml"
    for status in FOLDERS:
        if status != candidate.status:
            _move(status_folder(patterns_dir, status), target.parent, candidate.id)
    atomic_write(target, spec_text(candidate) if text is None else text)
    return target


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
