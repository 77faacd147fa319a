"""The built-in file miner plugin: real-time hooks answered from the stored index.

Every repetend command and git hook loads this module with the other plugins,
so it stays cheap to import: the miner itself (templates, alignment, Jinja2)
is imported only inside the hook that needs it (see `repetend.files.realtime`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from repetend.plugins import hookimpl

if TYPE_CHECKING:
    from repetend.config import Config
    from repetend.events import Candidate
    from repetend.plugins.types import Notification, Suggestion, SuggestionContext
    from repetend.store.base import Store


@hookimpl
def repetend_files_changed(
    paths: list[Path], root: Path, store: Store, config: Config
) -> list[Candidate] | None:
    """Index the changed files and return candidates for the families they complete."""
    from repetend.files import realtime

    return realtime.files_changed(paths, root, store, config)


@hookimpl
def repetend_check_staged_file(
    path: str, text: str, root: Path, store: Store, config: Config
) -> list[str] | None:
    """One line per fixed part of a matching approved template that the staged file lacks."""
    from repetend.files import realtime

    return realtime.check_staged_file(path, text, root, store, config)


@hookimpl
def repetend_notify(notification: Notification, config: Config) -> None:
    """Keep a file template's Jinja2 files beside its spec, whoever proposed it."""
    candidate = notification.candidate
    if candidate is None or candidate.kind != "file-template" or not candidate.id:
        return
    from repetend.files import realtime

    realtime.notify(notification, config)


@hookimpl
def repetend_suggest(context: SuggestionContext) -> list[Suggestion] | None:
    """For a new file: the approved template its path fits, or the family it starts."""
    if context.trigger != "file-created" or context.path is None or context.store is None:
        return None
    from repetend.files import realtime

    return realtime.suggest(context)
