"""HEAD read from git's own files, against what `git rev-parse` says, in real repositories."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from repetend.capture.git.state import read_head, tree_state


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, name: str) -> str:
    (root / name).write_text(name)
    git(root, "add", name)
    git(root, "commit", "-qm", name)
    return git(root, "rev-parse", "HEAD")


def test_head_of_a_branch_a_packed_ref_and_a_detached_head(repo: Path) -> None:
    assert read_head(repo) == ""  # no commit yet
    first = commit(repo, "a.txt")
    assert read_head(repo) == first
    (repo / "sub" / ".repetend").mkdir(parents=True)  # a store below the repository's top
    assert read_head(repo / "sub") == first
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert read_head(repo) == first
    second = commit(repo, "b.txt")
    git(repo, "checkout", "-q", "--detach", first)
    assert read_head(repo) == first
    git(repo, "checkout", "-q", "main")
    assert read_head(repo) == second


def test_head_of_a_linked_worktree(repo: Path, tmp_path: Path) -> None:
    commit(repo, "a.txt")
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    side = commit(tmp_path / "side", "c.txt")
    assert (tmp_path / "side" / ".git").is_file()
    assert read_head(tmp_path / "side") == side
    assert read_head(repo) != side


def test_outside_a_repository_nothing_is_known(tmp_path: Path) -> None:
    assert read_head(tmp_path) == ""
    assert tree_state(tmp_path, "", time.time()) == ("", "", False)


def test_a_staged_file_before_the_first_commit_counts(repo: Path) -> None:
    (repo / "a.txt").write_text("one")
    git(repo, "add", "a.txt")
    before = tree_state(repo, "", time.time())
    (repo / "a.txt").write_text("two")
    git(repo, "add", "a.txt")
    after = tree_state(repo, "", time.time())
    assert before.head == after.head == ""
    assert before.state != after.state
