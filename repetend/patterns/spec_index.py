"""Specs in git are the truth: spec files the store does not know are indexed from the files.

Every command (and the pre-commit check and the watcher) calls `index_spec_files`
first. It lists `.repetend/patterns/*/`, stats each spec, and reads only those
whose size or mtime moved since the store last read them, and of those, parses
only those whose content digest moved. A teammate's pulled spec, a spec edited
by hand, or a clone with no store at all is thus known before anything mines,
checks or suggests: a re-mine finds the pattern with its committed id and
status, and leaves the file alone.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns.files import remove_spec, spec_text, status_folder
from repetend.store.base import SpecFile, Store

# When one id has files in several folders (a merge kept both), the later status wins.
PRECEDENCE = ("draft", "rejected", "quarantined", "approved")
_HEAD = (
    "id",
    "kind",
    "signature",
    "name",
    "description",
    "status",
    "confidence",
    "occurrences",
    "destructive",
    "created_at",
    "updated_at",
)


def index_spec_files(store: Store, config: Config) -> list[str]:
    """Bring the store up to date with the spec files; return the ids read now."""
    known = store.spec_files()
    found = _spec_files(config)
    changed: list[SpecFile] = []
    indexed: list[str] = []
    for relative, (status, path, stat) in found.items():
        old = known.get(relative)
        if old is not None and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            continue
        try:
            raw = path.read_bytes()
        except OSError as error:
            sys.stderr.write(f"repetend: warning: {relative}: not indexed ({error.strerror})\n")
            continue
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        if old is None or old.digest != digest:
            pattern_id = _adopt(store, config, raw, status, relative)
            if pattern_id:
                indexed.append(pattern_id)
        changed.append(SpecFile(relative, stat.st_size, stat.st_mtime_ns, digest, path.stem))
    gone = [path for path in known if path not in found]
    if changed or gone:
        store.note_spec_files(changed, gone)
    return indexed


def note_written(store: Store, config: Config, paths: list[Path]) -> None:
    """Record spec files repetend just wrote from the store, so the next command does not
    read them back (a file a person edits afterwards changes its time and is read)."""
    noted = []
    for path in paths:
        try:
            raw, stat = path.read_bytes(), path.stat()
        except OSError:
            continue
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        relative = _relative(path, config.root)
        noted.append(SpecFile(relative, stat.st_size, stat.st_mtime_ns, digest, path.stem))
    if noted:
        store.note_spec_files(noted, [])


def _spec_files(config: Config) -> dict[str, tuple[str, Path, os.stat_result]]:
    """Spec files by relative path: one per id, from the folder that wins."""
    chosen: dict[str, tuple[str, Path, os.stat_result]] = {}
    for status in PRECEDENCE:
        folder = status_folder(config.patterns_dir, status)
        try:
            names = [name for name in os.listdir(folder) if name.endswith(".yaml")]
        except OSError:
            continue
        for name in names:
            path = folder / name
            try:
                chosen[path.stem] = (status, path, path.stat())
            except OSError:
                continue
    return {_relative(entry[1], config.root): entry for entry in chosen.values()}


def _adopt(store: Store, config: Config, raw: bytes, status: str, relative: str) -> str:
    """Store the candidate the file describes (the file wins); return its id, or ""."""
    candidate = _candidate(raw, status, relative)
    if candidate is None:
        return ""
    stored = store.get_candidate(candidate.id)
    if stored is None and not _free_for(store, config, candidate):
        return ""
    if stored is not None:
        if spec_text(stored) == raw.decode("utf-8", "replace") and stored.status == status:
            return ""
        candidate.evidence = stored.evidence
        candidate.signature = candidate.signature or stored.signature
    store.save_candidate(candidate, actor="git", note=f"indexed from {relative}")
    return candidate.id


def _free_for(store: Store, config: Config, candidate: Candidate) -> bool:
    """Whether the file's pattern can take its evidence group from a local draft.

    A pattern this store mined under another id (before the teammate's spec was
    pulled) is the same pattern: a local draft takes the committed id (its audit
    trail and uses go with it, its draft file goes). A local reviewed pattern
    stays, and the file is left unindexed with a warning.
    """
    local = store.find_candidate(candidate.kind, candidate.signature)
    if local is None:
        return True
    if local.status != "draft":
        sys.stderr.write(
            f"repetend: warning: {candidate.spec_path}: {candidate.id} is the pattern this"
            f" store keeps as {local.id} ({local.status}); not indexed\n"
        )
        return False
    store.rename_candidate(local.id, candidate.id)
    remove_spec(config.patterns_dir, "draft", local.id)
    return True


def _candidate(raw: bytes, status: str, relative: str) -> Candidate | None:
    """The candidate a spec file describes, or None (with one warning) for a broken file."""
    import yaml

    try:
        # libyaml's loader where it is built in: a spec lists thousands of members, and
        # the pure-Python loader made reading 22 specs most of a re-run's time
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(raw.decode("utf-8"), Loader=loader)
        if not isinstance(document, dict) or not str(document.get("id") or ""):
            raise ValueError("expected a mapping with an `id`")
        return _from_document(document, status, relative)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, TypeError) as error:
        sys.stderr.write(f"repetend: warning: {relative}: not a spec, not indexed ({error})\n")
        return None


def _from_document(document: dict[str, Any], status: str, relative: str) -> Candidate:
    confidence = document.get("confidence") or {}
    if not isinstance(confidence, dict):
        confidence = {"score": confidence}
    spec = {key: value for key, value in document.items() if key not in _HEAD}
    candidate = Candidate(
        kind=str(document.get("kind") or "spec"),
        signature=_signature(document),
        name=str(document.get("name") or document["id"]),
        confidence=float(confidence.get("score") or 0.0),
        confidence_parts=dict(confidence.get("parts") or {}),
        spec=spec,
        description=str(document.get("description") or ""),
        occurrences=int(document.get("occurrences") or 0),
        destructive=bool(document.get("destructive", False)),
        status=status,
        spec_path=relative,
        id=str(document["id"]),
    )
    for field in ("created_at", "updated_at"):
        moment = _moment(document.get(field))
        if moment is not None:
            setattr(candidate, field, moment)
    return candidate


def _signature(document: dict[str, Any]) -> str:
    """The evidence group: as written, or (older specs) from the family a template covers."""
    if document.get("signature"):
        return str(document["signature"])
    if document.get("kind") == "file-template" and document.get("family"):
        return f"files:{document['family']}"
    return f"spec:{document['id']}"


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
