"""The state of a git working tree, asked of git in the background."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

MAX_UNTRACKED_BYTES = 1 << 20


class GitState:
    """HEAD and a working-tree state id, asked of git in the background while tests run.

    The state id hashes HEAD, the diff of tracked files against HEAD and the
    content of untracked (not ignored) files, so two runs on the same code get
    the same id and any edit gives a new one.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.head = _git(root, "rev-parse", "HEAD")
        self.diff = _git(root, "diff", "HEAD", "--binary")
        # repetend's own folder is left out: the store appearing must not change the state.
        self.untracked = _git(
            root, "ls-files", "-o", "--exclude-standard", "-z", "--", ".", ":!.repetend"
        )

    def result(self) -> tuple[str, str]:
        """(HEAD, state id); both empty outside a git repository."""
        head = _output(self.head).decode().strip()
        if not head and self.untracked is None:
            return "", ""
        digest = hashlib.sha256(head.encode())
        digest.update(_output(self.diff))
        for name in sorted(filter(None, _output(self.untracked).decode().split("\0"))):
            digest.update(name.encode() + b"\0" + _file_digest(self.root / name))
        return head, digest.hexdigest()[:16]


def _git(root: Path, *args: str) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            ["git", *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return None


def _output(process: subprocess.Popen[bytes] | None) -> bytes:
    if process is None:
        return b""
    out, _ = process.communicate(timeout=30)
    return out if process.returncode == 0 else b""


def _file_digest(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read(MAX_UNTRACKED_BYTES)).digest()
    except OSError:
        return b""
