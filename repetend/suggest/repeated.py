"""The built-in suggester for work repeated by hand: the same kind of file, made again and again.

A file's kinds are `folder/*.suffix` (same folder, same suffix) and
`parent/*/name` (the same file name in sibling folders, as every component
folder has its `manifest.json`). When `repeat_threshold` files of one kind
were created by hand within `repeat_window_minutes` (seen by the watcher, or
added by commits), it suggests making a template of them, before any commit.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from repetend.config import Config, load_config
from repetend.events import utcnow
from repetend.plugins import hookimpl
from repetend.plugins.types import Suggestion, SuggestionContext
from repetend.store.base import Store

PREFIX = "repeated:"


def kinds_of(relative: str) -> list[str]:
    """The kinds a path (relative, forward slashes) belongs to."""
    parts = relative.split("/")
    name, folders = parts[-1], parts[:-1]
    found = []
    suffix = PurePosixPath(name).suffix
    if suffix:
        found.append("/".join([*folders, f"*{suffix}"]))
    if folders:
        found.append("/".join([*folders[:-1], "*", name]))
    return found


@hookimpl
def repetend_suggest(context: SuggestionContext) -> list[Suggestion] | None:
    """Suggest a template when this new file is the latest of several made by hand."""
    if context.trigger != "file-created" or context.path is None or context.store is None:
        return None
    config = context.details.get("config")
    if not isinstance(config, Config):
        config = load_config(context.root)
    relative = context.path.relative_to(context.root).as_posix()
    since = utcnow() - timedelta(minutes=int(config.repeat_window_minutes))
    recent = {relative, *made_by_hand(context.store, since)}
    for kind in kinds_of(relative):
        same = sorted(path for path in recent if kind in kinds_of(path))
        if len(same) >= int(config.repeat_threshold):
            return [_suggestion(kind, same, int(config.repeat_window_minutes))]
    return None


def made_by_hand(store: Store, since: datetime) -> set[str]:
    """Paths made by hand since `since`: files the watcher saw created, files commits added."""
    paths: set[str] = set()
    for event in store.events(since=since, source="watch", kind="file-created"):
        if event.payload.get("by_hand", True):
            paths.add(str(event.payload.get("path", "")))
    for event in store.events(since=since, source="git", kind="commit"):
        paths.update(_strings(event.payload.get("added", [])))
    paths.discard("")
    return paths


def _strings(values: object) -> Iterable[str]:
    return [str(v) for v in values] if isinstance(values, list) else []


def _suggestion(kind: str, same: list[str], minutes: int) -> Suggestion:
    folder = str(PurePosixPath(kind.split("*")[0] or ".")) if "*" in kind else "."
    return Suggestion(
        pattern_id=f"{PREFIX}{kind}",
        message=(
            f"{len(same)} files like {kind} made by hand in the last {minutes} minutes;"
            " make a template of them"
        ),
        command=f"repetend mine {shlex.quote(folder)}",
        evidence=tuple(same),
        score=0.5,
    )
