"""HEAD, read from git's own files, and a working-tree state id, asked of git off the test run.

The pytest plugin reads HEAD when a session starts (a few small file reads, no
process) and leaves the state id to the background store process, so a large,
dirty working tree never slows the test run: `tree_state()` hashes HEAD, the
diff of tracked files against it and the content of untracked (not ignored)
files, so two runs on the same code get the same id and any edit gives a new
one. Because it looks at the tree after the run, it also says whether anything
in it changed after the run started (an edit during the run, or a commit).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

from repetend.fileio import folders_up

MAX_UNTRACKED_BYTES = 1 << 20
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # what an unborn HEAD is diffed against
# repetend's own folder is left out: the store appearing must not change the state.
UNTRACKED = ("ls-files", "-o", "--exclude-standard", "-z", "--", ".", ":!.repetend")


class TreeState(NamedTuple):
    """HEAD, the working-tree state id, and whether the tree changed after the run started."""

    head: str
    state: str
    edited: bool


def read_head(root: Path) -> str:
    """The commit HEAD names in the repository holding `root`, from git's files; '' if unknown."""
    dot_git = next((f / ".git" for f in folders_up(root) if (f / ".git").exists()), None)
    git_dir = _git_dir(dot_git) if dot_git else None
    if git_dir is None:
        return ""
    folders = (git_dir, _common_dir(git_dir))  # a worktree keeps its branches in the common dir
    value = _read(git_dir / "HEAD")
    for _ in range(5):  # a symbolic ref may name another one
        if not value.startswith("ref: "):
            return value if _is_commit_id(value) else ""
        value = _ref(folders, value.removeprefix("ref: "))
    return ""


def _git_dir(dot_git: Path) -> Path | None:
    if dot_git.is_dir():
        return dot_git
    text = _read(dot_git)  # a worktree or submodule: `gitdir: PATH`
    return dot_git.parent / text.removeprefix("gitdir: ") if text.startswith("gitdir: ") else None


def _common_dir(git_dir: Path) -> Path:
    common = _read(git_dir / "commondir")
    return git_dir / common if common else git_dir


def _ref(folders: tuple[Path, ...], name: str) -> str:
    for folder in folders:
        value = _read(folder / name)
        if value:
            return value
    for folder in folders:
        for line in _read(folder / "packed-refs").splitlines():
            if line.endswith(f" {name}"):
                return line.split(" ", 1)[0]
    return ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _is_commit_id(value: str) -> bool:
    return len(value) in (40, 64) and all(c in "0123456789abcdef" for c in value)


def tree_state(root: Path, head: str, since: float) -> TreeState:
    """The state of the working tree at `root` against `head` (HEAD when '').

    `since` is when the run started (seconds since the epoch): a changed or
    untracked file modified after it, or HEAD moved away from `head`, sets
    `edited`. Outside a git repository every field is empty.
    """
    current = _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip()
    head = head or current
    untracked = _git_or_none(root, *UNTRACKED)
    if untracked is None:
        return TreeState(head, "", False)
    digest = hashlib.sha256(head.encode())
    digest.update(_output_digest(root, "diff", "--binary", head or EMPTY_TREE))
    names = sorted(filter(None, untracked.decode().split("\0")))
    for name in names:
        digest.update(name.encode() + b"\0" + _file_digest(root / name))
    changed = [root / name for name in names] + _changed_files(root, head or EMPTY_TREE)
    edited = head != current or _modified_after(changed, since)
    return TreeState(head, digest.hexdigest()[:16], edited)


def tree_snapshot(root: Path) -> str:
    """A commit holding the working tree's tracked files as they are, touching nothing.

    `git stash create` writes the commit's objects and returns its id (no ref, no
    change to the index or the files); a clean tree gives HEAD itself. Untracked
    files are not in it. It works on a copy of the index: `stash create` takes
    the index lock, and a `git commit` at that moment would fail on it. '' outside
    a repository.
    """
    import shutil
    import tempfile

    index = _git(root, "rev-parse", "--git-path", "index").decode().strip()
    with tempfile.TemporaryDirectory(prefix="repetend-snapshot-") as folder:
        copy = Path(folder) / "index"
        try:
            shutil.copyfile(root / index, copy)
        except OSError:
            return ""
        try:
            done = subprocess.run(
                ["git", "stash", "create", "repetend snapshot"],
                cwd=root,
                capture_output=True,
                timeout=60,
                env={**os.environ, "GIT_INDEX_FILE": str(copy)},
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
    made = done.stdout.decode().strip() if done.returncode == 0 else ""
    return made or _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip()


def _changed_files(root: Path, base: str) -> list[Path]:
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip() or root)
    names = _git(root, "diff", "--name-only", "-z", base).decode().split("\0")
    return [top / name for name in names if name]  # diff names are relative to the top


def _modified_after(paths: list[Path], since: float) -> bool:
    since_ns = int(since * 1e9)
    for path in paths:
        try:
            if os.stat(path).st_mtime_ns > since_ns:
                return True
        except OSError:  # deleted: its deletion is in the diff, when it happened is not known
            continue
    return False


def _git(root: Path, *args: str) -> bytes:
    return _git_or_none(root, *args) or b""


def _git_or_none(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _output_digest(root: Path, *args: str) -> bytes:
    """The SHA-256 of git's output, read as it comes: a large diff is never held whole."""
    digest = hashlib.sha256()
    try:
        process = subprocess.Popen(
            ["git", *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return b""
    with process:
        stdout = process.stdout
        assert stdout is not None  # stdout=PIPE
        for chunk in iter(lambda: stdout.read(1 << 16), b""):
            digest.update(chunk)
    return digest.digest() if process.returncode == 0 else b""


def _file_digest(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read(MAX_UNTRACKED_BYTES)).digest()
    except OSError:
        return b""
