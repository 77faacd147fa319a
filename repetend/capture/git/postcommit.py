"""Ingest one commit: record it as an event, update the file index, propose what it completes.

This runs off the commit's critical path, in the drain the post-commit hook
starts (or in the next repetend command). A commit that completes a family
(the third similar file) yields a proposal, which the notifier prints.
"""

from __future__ import annotations

from pathlib import Path

import pluggy

from repetend.capture.git.git import CommitChanges, GitError, commit_changes
from repetend.capture.git.spool import drain
from repetend.capture.record import record_event
from repetend.config import STATE_DIR, Config
from repetend.patterns.lifecycle import Proposal, propose
from repetend.plugins.registry import call_hook
from repetend.store.base import Store


def ingest_commit(
    sha: str, store: Store, config: Config, manager: pluggy.PluginManager
) -> list[Proposal]:
    """Record commit `sha` and hand its added and modified files to the file index."""
    root = config.root
    changes = commit_changes(root, sha)
    record_event("git", "commit", commit_payload(changes), root=root)
    paths = [root / p for p in (*changes.added, *changes.modified) if _worth_indexing(root, p)]
    if not paths:
        return []
    answers = call_hook(
        manager, "repetend_files_changed", paths=paths, root=root, store=store, config=config
    )
    candidates = [candidate for answer in answers for candidate in answer]
    return propose(candidates, store, config, manager) if candidates else []


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


def drain_commits(store: Store, config: Config, manager: pluggy.PluginManager) -> int:
    """Ingest every spooled commit; a commit git no longer knows is dropped with one line."""

    def ingest(sha: str) -> None:
        try:
            ingest_commit(sha, store, config, manager)
        except GitError as error:
            from repetend.capture.record import warn_once

            warn_once(f"commit {sha}", f"commit {sha[:12]} not ingested ({error})")

    return drain(config.state_dir, ingest)


def _worth_indexing(root: Path, relative: str) -> bool:
    # repetend's own files are never evidence of the developer's work.
    return not relative.startswith(STATE_DIR + "/") and (root / relative).is_file()
