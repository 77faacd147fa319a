"""The snapshot of a test run's tree: a commit of the tracked files, nothing touched, no lock."""

from __future__ import annotations

from pathlib import Path

from repetend.capture.git.state import tree_snapshot
from tests.failures.conftest import commit_all, git


def test_a_snapshot_holds_the_edits_and_never_takes_the_index_lock(repo: Path) -> None:
    (repo / "a.txt").write_text("one\n")
    commit_all(repo, "a")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert tree_snapshot(repo) == head  # a clean tree is HEAD itself
    (repo / "a.txt").write_text("two\n")
    status = git(repo, "status", "--porcelain")
    lock = repo / ".git" / "index.lock"
    lock.write_text("")  # a `git commit` under way holds it
    try:
        snapshot = tree_snapshot(repo)
    finally:
        assert lock.exists()  # left alone
        lock.unlink()
    assert snapshot != head
    assert git(repo, "show", f"{snapshot}:a.txt") == "two\n"
    assert git(repo, "status", "--porcelain") == status  # the tree and the index as they were
    assert git(repo, "stash", "list") == ""  # no ref: not a stash anyone sees
