"""The file miner's real-time answers, from the stored index (see `file_hooks`).

These run inside git hooks and the file watcher, so each does indexed look-ups
and reads only the file it is asked about, never a re-mine. The miner's heavy
modules (alignment, Jinja2, the file index) are imported only by the answers
that need them: the pre-commit check needs none of them.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns.template_files import KIND
from repetend.plugins.types import Notification, Suggestion, SuggestionContext
from repetend.store.base import Store


def files_changed(
    paths: list[Path], root: Path, store: Store, config: Config
) -> list[Candidate] | None:
    """Index the changed files and return candidates for the families they complete."""
    from repetend.files.miner import FileMiner
    from repetend.plugins.registry import get_plugin_manager

    miner = FileMiner(root, store, config, get_plugin_manager(config.disable_plugins))
    return miner.files_changed(paths) or None


def check_staged_file(
    path: str, text: str, root: Path, store: Store, config: Config
) -> list[str] | None:
    """One line per fixed part of a matching approved template that the staged file lacks."""
    from repetend.templates.check import staged_file_problems

    templates = [(str(c.id), list(c.spec.get("files") or [])) for c in _approved(store)]
    return staged_file_problems(templates, path, text, root)


def notify(notification: Notification, config: Config) -> None:
    """Keep a file template's Jinja2 files beside its spec, whoever proposed it.

    `repetend mine` writes them itself; a candidate proposed from the git hooks
    or the watcher gets them when it is announced.
    """
    from repetend.patterns.template_files import write_template_folder
    from repetend.templates.check import warm

    candidate = notification.candidate
    # Another miner's file-template candidate may carry no Jinja2 sources of ours.
    has_sources = candidate is not None and isinstance(candidate.spec.get("files"), list)
    if candidate is not None and candidate.kind == KIND and candidate.id and has_sources:
        write_template_folder(config.patterns_dir, candidate)
        if candidate.status == "approved":  # the pre-commit check will read it
            for item in candidate.spec["files"]:
                warm(item, config.root)


def suggest(context: SuggestionContext) -> list[Suggestion] | None:
    """For a new file: the approved template its path fits, or the family it starts."""
    if context.trigger != "file-created" or context.path is None or context.store is None:
        return None
    relative = _relative(context.path, context.root)
    usable = _in_service(context, _approved(context.store))
    found = [_suggestion(c, relative) for c in usable if _matches(c, relative)]
    if not found:
        found = _family_suggestions(context.store, relative)
    return found or None


def _in_service(context: SuggestionContext, found: list[Candidate]) -> list[Candidate]:
    """The templates whose circuit is not open (see `repetend.patterns.circuit`)."""
    from repetend.config import load_config
    from repetend.patterns.circuit import in_service

    config = context.details.get("config")
    config = config if isinstance(config, Config) else load_config(context.root)
    assert context.store is not None
    return [c for c in found if in_service(context.store, config, c.id)]


def _suggestion(candidate: Candidate, relative: str) -> Suggestion:
    from repetend.templates.apply import can_be_asked, missing_variables, question_hint

    values = _path_values(candidate, relative)
    sets = " ".join(f"--set {k}={shlex.quote(v)}" for k, v in values.items())
    members = tuple(str(m) for m in candidate.spec.get("members", [])[:3])
    missing = missing_variables(candidate, values)
    return Suggestion(
        pattern_id=candidate.id,
        message=f"{relative} matches template {candidate.id}"
        f" ({candidate.spec.get('path_pattern')})",
        command=f"repetend apply {candidate.id} {sets}".strip(),
        evidence=members,
        score=candidate.confidence,
        values=tuple(values.items()),
        questions=tuple((v["name"], question_hint(v)) for v in missing),
        fillable=all(can_be_asked(v) for v in missing),
    )


def _family_suggestions(store: Store, relative: str) -> list[Suggestion]:
    from repetend.files.families import folder_key
    from repetend.files.index import as_table_store, folder_of, load, suffix_of
    from repetend.templates.path_shapes import fits

    key = folder_key(relative)
    for candidate in store.candidates(kind=KIND):
        family = str(candidate.spec.get("family") or "")
        if family and fits(family, relative) and candidate.status == "draft":
            return [_suggestion(candidate, relative)]
    beside = load(as_table_store(store), folder=folder_of(relative), suffix=suffix_of(relative))
    others = sorted(p for p in beside if p != relative)
    if len(others) < 2:
        return []
    return [
        Suggestion(
            pattern_id="",
            message=f"{relative} starts like {len(others)} files in {key}: run `repetend mine`",
            command="repetend mine .",
            evidence=tuple(others[:3]),
        )
    ]


def _approved(store: Store) -> list[Candidate]:
    return store.candidates(status="approved", kind=KIND)


def _files_fitting(candidate: Candidate, relative: str) -> list[dict[str, Any]]:
    """The template files of a candidate whose path pattern `relative` fits."""
    from repetend.templates.check import fitting

    return fitting(list(candidate.spec.get("files") or []), relative)


def _matches(candidate: Candidate, relative: str) -> bool:
    return bool(_files_fitting(candidate, relative))


def _path_values(candidate: Candidate, relative: str) -> dict[str, str]:
    for item in _files_fitting(candidate, relative):
        found = re.fullmatch(str(item["path_regex"]), relative)
        if found:
            return {k: v for k, v in found.groupdict().items() if v is not None}
    return {}


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return path.as_posix()
