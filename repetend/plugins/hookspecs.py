"""Every hook a repetend plugin can implement.

A plugin is a module (or object) with functions named after these hooks and
marked with `repetend.plugins.hookimpl`; it registers through the `repetend`
entry-point group, exactly as the built-ins do. An implementation may accept
any subset of a hook's parameters. An implementation that raises is reported
once (plugin and error) and skipped: the other plugins and the caller go on.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from repetend.config import Config
    from repetend.events import Candidate, Event, Execution
    from repetend.plugins.types import (
        FileSignature,
        Notification,
        Suggestion,
        SuggestionContext,
        Verdict,
    )
    from repetend.store import Store

hookspec = pluggy.HookspecMarker("repetend")


@hookspec
def repetend_register_commands(cli: click.Group) -> None:
    """Add commands to the `repetend` command line.

    :param cli: the top-level click group; call `cli.add_command(...)` or decorate with
        `@cli.command()`.
    """


@hookspec
def repetend_event_recorded(event: Event, config: Config) -> None:
    """React to a generic event just stored (a commit, a test outcome, a tool use).

    :param event: the stored event, with its `id` set.
    :param config: the effective configuration of the repository it belongs to.
    Return value is ignored.
    """


@hookspec
def repetend_execution_recorded(
    execution: Execution, store: Store, config: Config
) -> list[Candidate] | None:
    """Look at one execution just stored and propose candidates it completes.

    Called on every `repetend.record(...)`, so an implementation must be cheap:
    an indexed count, not a scan.

    :param execution: the stored execution, with `id` and `signature` set.
    :param store: the store it was written to, for looking at earlier evidence.
    :param config: the effective configuration (`min_examples`, `lookback_days`, …).
    :return: new or updated candidates (not yet classified or saved), or None.
    """


@hookspec
def repetend_detect(store: Store, config: Config) -> list[Candidate] | None:
    """Mine the stored evidence and propose candidates (run by `repetend detect`).

    :param store: the event store to read.
    :param config: the effective configuration.
    :return: new or updated candidates (not yet classified or saved), or None.
        A candidate with the same `kind` and `signature` as a stored one updates it.
    """


@hookspec(firstresult=True)
def repetend_classify_candidate(candidate: Candidate, config: Config) -> Verdict | None:
    """Decide whether a candidate is approved, left for review, or rejected.

    The first implementation that returns a verdict wins, so a plugin marked
    `tryfirst=True` overrides the built-in threshold policy. Return None to
    leave the decision to the next implementation.

    :param candidate: the candidate, with its confidence and `destructive` flag.
    :param config: the effective configuration (`auto_approve_threshold`, …).
    :return: a `Verdict` (`approve`, `pending` or `reject`, with a reason), or None.
    """


@hookspec
def repetend_suggest(context: SuggestionContext) -> list[Suggestion] | None:
    """Say which patterns apply at this moment of work (a new file, a command, a failure).

    :param context: what just happened, where, and the store to consult.
    :return: suggestions to show the developer, or None.
    """


@hookspec
def repetend_files_changed(
    paths: list[Path], root: Path, store: Store, config: Config
) -> list[Candidate] | None:
    """Update what is known about files that were added or changed, and propose templates.

    Called by the git post-commit capture (with the commit's own added and
    modified files) and by the file watcher (with a created or saved file). An
    implementation updates its index incrementally and returns the candidates
    the change completes (a third file of the same shape makes a family).

    :param paths: absolute paths of the files, inside `root`.
    :param root: the repository root.
    :param store: the event store.
    :param config: the effective configuration.
    :return: new or updated candidates (not yet classified or saved), or None.
    """


@hookspec
def repetend_check_staged_file(
    path: str, text: str, root: Path, store: Store, config: Config
) -> list[str] | None:
    """Check a file about to be committed against the approved patterns it matches.

    Called by the pre-commit capture with the staged content (not the working
    tree) of each added file. An implementation returns one line per problem,
    each naming the pattern and what the file is missing (a key, a section, a
    decorator the template's fixed part requires).

    :param path: the file's path relative to `root`, with forward slashes.
    :param text: the staged content.
    :param root: the repository root.
    :param store: the event store.
    :param config: the effective configuration.
    :return: problems found, or None when the file matches no approved pattern.
    """


@hookspec
def repetend_notify(notification: Notification, config: Config) -> None:
    """Tell someone about a new or changed pattern (terminal, log, chat, e-mail).

    Every notifier hears every notification. When `notification.caller_reports`
    is true, the command that proposed the pattern shows it to the person itself
    (`repetend mine` prints its table), so a notifier that writes to the same
    terminal can stay quiet; the built-in terminal notifier does.

    :param notification: what happened, with the candidate it concerns.
    :param config: the effective configuration.
    Return value is ignored.
    """


@hookspec(firstresult=True)
def repetend_file_signature(path: str, text: str) -> FileSignature | None:
    """Describe a file's structure so files made to the same shape can be found.

    The first implementation that returns a signature wins: a language plugin
    returns one for the files it understands (by suffix or content) and None
    for the rest; the built-in generic signature (`trylast`) answers for any
    text. An implementation must not raise on a file it cannot parse: return
    None and let the next one answer.

    :param path: the file's path relative to the repository root, with forward slashes.
    :param text: the file's content.
    :return: a `FileSignature` (language name and a set of feature strings), or None.
    """


def hook_names() -> list[str]:
    """The names of every hook in this module, in the order they are declared."""
    return [name for name, value in globals().items() if _is_hookspec(name, value)]


def _is_hookspec(name: str, value: Any) -> bool:
    return name.startswith("repetend_") and callable(value)
