"""The few git plumbing calls capture needs, each one subprocess with `-z` output."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from repetend.errors import RepetendError

# A hook inherits variables such as GIT_INDEX_FILE that point at a temporary index git
# deletes once the commit is done; work that outlives the hook must not use them.
HOOK_ONLY_VARIABLES = ("GIT_INDEX_FILE", "GIT_EDITOR", "GIT_PREFIX")


class GitError(RepetendError):
    """A git command failed."""


@dataclass(frozen=True)
class CommitChanges:
    """A commit and the files its own diff (against its first parent) adds, modifies, deletes."""

    sha: str
    parents: tuple[str, ...]
    subject: str
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def git(
    root: Path, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    """Run `git ARGS` in `root` and return its stdout; a failure raises `GitError`."""
    result = subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, env=env, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result.stdout


def detached_environment() -> dict[str, str]:
    """The environment for git calls made after the hook that started them has ended."""
    return {k: v for k, v in os.environ.items() if k not in HOOK_ONLY_VARIABLES}


def hooks_dir(root: Path) -> Path:
    """The folder git runs hooks from, honouring `core.hooksPath`."""
    text = git(root, "rev-parse", "--git-path", "hooks").decode().strip()
    return (root / text).resolve()


def commit_changes(root: Path, sha: str) -> CommitChanges:
    """What commit `sha` changed, from its own diff (not the working tree)."""
    env = detached_environment()
    meta = git(root, "show", "-s", "--format=%H%x00%P%x00%s", sha, env=env).decode()
    full, parents, subject = meta.rstrip("\n").split("\x00", 2)
    base = parents.split()[:1]
    diff = ["diff-tree", "-r", "-z", "--no-renames", "--name-status", "--no-commit-id"]
    raw = git(root, *diff, *(base or ["--root"]), full, env=env)
    changes = CommitChanges(full, tuple(parents.split()), subject)
    for status, path in _pairs(raw):
        bucket = {"A": changes.added, "D": changes.deleted}.get(status[:1], changes.modified)
        bucket.append(path)
    return changes


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    parts = raw.decode("utf-8", "surrogateescape").split("\x00")
    return [(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]


def staged_added(root: Path) -> list[tuple[str, str]]:
    """The files the index adds: (path, staged blob id), in git's order."""
    raw = git(
        root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=A"
    )
    parts = raw.decode("utf-8", "surrogateescape").split("\x00")
    found = []
    for i in range(0, len(parts) - 1, 2):
        fields = parts[i].split()
        found.append((parts[i + 1], fields[3]))
    return found


def read_blobs(root: Path, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, read in one `git cat-file --batch`."""
    ids = list(blob_ids)
    if not ids:
        return {}
    raw = git(root, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    blobs: dict[str, bytes] = {}
    position = 0
    for blob_id in ids:
        end = raw.index(b"\n", position)
        header = raw[position:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        blobs[blob_id] = raw[end + 1 : end + 1 + size]
        position = end + 1 + size + 1
    return blobs


def ignored(root: Path, paths: list[str]) -> set[str]:
    """Which of `paths` (relative to `root`) git ignores; an empty set outside a repository."""
    if not paths:
        return set()
    result = subprocess.run(
        ["git", "check-ignore", "-z", "--stdin"],
        cwd=root,
        input="\x00".join(paths).encode("utf-8", "surrogateescape") + b"\x00",
        capture_output=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        return set()
    return {p for p in result.stdout.decode("utf-8", "surrogateescape").split("\x00") if p}


def known_files(root: Path) -> set[str] | None:
    """Files git tracks plus untracked ones it does not ignore; None outside a repository."""
    try:
        raw = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except (GitError, OSError):
        return None
    return {p for p in raw.decode("utf-8", "surrogateescape").split("\x00") if p}


def blob_id(content: bytes) -> str:
    """The id git gives a blob with this content (to compare a working file with the index)."""
    import hashlib

    return hashlib.sha1(b"blob %d\x00" % len(content) + content, usedforsecurity=False).hexdigest()
