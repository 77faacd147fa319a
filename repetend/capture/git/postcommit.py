"""Ingest one commit: record it as an event, update the file index, propose what it completes.

This runs off the commit's critical path, in the drain the post-commit hook
starts (or in the next repetend command). A commit that completes a family
(the third similar file) yields a proposal, which the notifier prints. The
commit's event is stored last: a store that stays locked past
`capture_timeout` leaves the sha in the spool for the next drain, and
re-indexing a commit is harmless, while a second event for it would not be.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pluggy

from repetend.capture.git.git import CommitChanges, GitError, commit_changes
from repetend.capture.git.spool import Unrecoverable, drain
from repetend.capture.record import record_events
from repetend.config import STATE_DIR, Config
from repetend.errors import StoreError
from repetend.events import Event
from repetend.patterns.lifecycle import Proposal, propose
from repetend.plugins.registry import call_hook
from repetend.store.base import Store


def ingest_commit(
    sha: str, store: Store, config: Config, manager: pluggy.PluginManager
) -> list[Proposal]:
    """Record commit `sha` and hand its added and modified files to the file index."""
    root = config.root
    changes = commit_changes(root, sha)
    paths = [root / p for p in (*changes.added, *changes.modified) if _worth_indexing(root, p)]
    proposals: list[Proposal] = []
    if paths:
        answers = call_hook(
            manager, "repetend_files_changed", paths=paths, root=root, store=store, config=config
        )
        candidates = [candidate for answer in answers for candidate in answer]
        proposals = propose(candidates, store, config, manager) if candidates else []
    from repetend.uses.judge import judge_commit_safely

    lists = (changes.added, changes.modified, changes.deleted)
    judge_commit_safely(root, sha, lists, store, config, manager)  # the uses this commit settles
    event = Event(source="git", kind="commit", payload=commit_payload(changes))
    if not record_events([event], root=root, keep=False):
        raise StoreError(f"commit {sha[:12]} left in the spool for the next drain")
    return proposals


def commit_payload(changes: CommitChanges) -> dict[str, object]:
    """The event payload of a commit: its sha, parents, subject and changed files."""
    return {
        "sha": changes.sha,
        "parents": list(changes.parents),
        "subject": changes.subject,
        "added": changes.added,
        "modified": changes.modified,
        "deleted": changes.deleted,
    }


def drain_commits(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    finish: Callable[[], None] | None = None,
) -> int:
    """Ingest every spooled commit within `capture_timeout` each (then `finish`, see `drain`).

    A commit git does not know is kept aside (`.failed-<sha>`) with one line;
    a store still locked leaves the rest in the spool and raises `StoreError`.
    """

    def ingest(sha: str) -> None:
        try:
            with store.budget(float(config.capture_timeout)):
                ingest_commit(sha, store, config, manager)
        except GitError as error:
            from repetend.capture.record import warn_once

            warn_once(f"commit {sha}", f"commit {sha[:12]} not ingested ({error})")
            raise Unrecoverable(str(error)) from error

    return drain(config.state_dir, ingest, finish)


def _worth_indexing(root: Path, relative: str) -> bool:
    # repetend's own files are never evidence of the developer's work.
    return not relative.startswith(STATE_DIR + "/") and (root / relative).is_file()


def spooled(config: Config) -> bool:
    """Whether any spool (commits, events, test runs) has something waiting (cheap listings)."""
    from repetend.capture.event_spool import waiting
    from repetend.capture.git.spool import commits_dir, is_stale, pending
    from repetend.capture.pytest.recorder import SPOOL

    tests = config.state_dir.joinpath(*SPOOL)
    # A claim whose drain or store was killed is work too: without it counted, the commit it
    # held waited for the next commit's drain (chaos: 1 of 177 commits missing at the end).
    claims = [*_listing(commits_dir(config.state_dir), ".claimed-"), *_listing(tests, "")]
    left = any(is_stale(p) for p in claims if ".claimed-" in p.name or ".storing." in p.name)
    has_tests = any(p.suffix in (".jsonl", ".part") for p in _listing(tests, ""))
    return bool(pending(config.state_dir) or waiting(config.state_dir) or has_tests or left)


def _listing(folder: Path, prefix: str) -> list[Path]:
    try:
        return [folder / name for name in os.listdir(folder) if name.startswith(prefix)]
    except OSError:
        return []


def drain_spools(store: Store, config: Config, manager: pluggy.PluginManager) -> int:
    """Ingest spooled commits, then events spooled by capture points and waiting test runs."""
    from repetend.capture.agent import store_spooled_payloads
    from repetend.capture.pytest.store import store_waiting
    from repetend.capture.record import store_spooled
    from repetend.patterns.spec_index import index_spec_files

    index_spec_files(store, config)  # what a pull brought is known before commits propose

    def the_other_spools() -> None:
        store_spooled(config.root, store_spooled_payloads)
        store_waiting(config.root)

    return drain_commits(store, config, manager, the_other_spools)
