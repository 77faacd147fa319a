"""The sandbox a fix is tried in: a git worktree of the working tree as it is now.

The worktree is made outside the repository (a temporary folder) from a
snapshot of the working tree (`git stash create`: tracked files with their
uncommitted edits, nothing touched); untracked files are copied in and
committed there, so the fix's change is exactly what the sandbox's diff
shows. Bringing it back is `git apply` of that diff in the working tree,
checked first; removing the sandbox leaves the working tree as it was.
The commit in the sandbox runs no hooks (`core.hooksPath` is emptied).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_QUIET_GIT = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "user.name=repetend",
    "-c",
    "user.email=repetend@localhost",
    "-c",
    "commit.gpgsign=false",
)


class SandboxError(Exception):
    """The sandbox could not be made or the change not brought back."""


def git(cwd: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git in `cwd` without repetend's hooks, capturing its output."""
    return subprocess.run(
        ["git", *_QUIET_GIT, *args], cwd=cwd, input=data, capture_output=True, timeout=120
    )


class Sandbox:
    """A git worktree holding the working tree of `root` as it is now."""

    def __init__(self, root: Path) -> None:
        self.root = root
        made = git(root, "stash", "create", "repetend heal sandbox")
        if made.returncode != 0:  # never a sandbox without your edits in it
            raise SandboxError(f"git stash create: {_line(made.stderr)}")
        base = made.stdout.decode().strip() or _head(root)
        if not base:
            raise SandboxError(f"{root}: no commit to make a sandbox from (commit something first)")
        self.path = Path(tempfile.mkdtemp(prefix="repetend-heal-")) / "tree"
        added = git(root, "worktree", "add", "--detach", "-q", str(self.path), base)
        if added.returncode != 0:
            shutil.rmtree(self.path.parent, ignore_errors=True)
            raise SandboxError(f"git worktree add: {_line(added.stderr)}")
        self._copy_untracked()
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "--allow-empty", "--no-verify", "-m", "sandbox base")

    def _copy_untracked(self) -> None:
        listed = git(
            self.root, "ls-files", "-o", "--exclude-standard", "-z", "--", ".", ":!.repetend"
        )
        for name in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
            source, target = self.root / name, self.path / name
            if source.is_file() and not source.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)

    def inside(self, folder: Path) -> Path:
        """The sandbox's twin of a folder of the working tree (its root for one outside)."""
        try:
            return self.path / folder.resolve().relative_to(self.root.resolve())
        except ValueError:
            return self.path

    def run(self, command: list[str] | str, cwd: Path, timeout: float) -> tuple[int, str]:
        """Run a command (a shell line, or argv); its exit status and the end of its output."""
        try:
            done = subprocess.run(
                command,
                cwd=cwd,
                shell=isinstance(command, str),
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "REPETEND_DISABLE": "1"},  # nothing is recorded from here
            )
        except subprocess.TimeoutExpired:
            return 124, f"timed out after {timeout:g} s"
        except OSError as error:
            return 127, str(error)
        output = (done.stdout + done.stderr).decode("utf-8", "replace")
        return done.returncode, output[-2000:]

    def change(self) -> bytes:
        """The sandbox's change as a binary patch (new files included)."""
        git(self.path, "add", "-A", "--", ".", ":!.repetend")
        return git(self.path, "diff", "--cached", "--binary", "HEAD").stdout

    def bring_back(self, patch: bytes) -> None:
        """Apply the change to the working tree, checked first; raises and changes nothing else."""
        checked = git(self.root, "apply", "--check", "--binary", "-", data=patch)
        if checked.returncode != 0:
            raise SandboxError(f"the change does not apply here: {_line(checked.stderr)}")
        applied = git(self.root, "apply", "--binary", "-", data=patch)
        if applied.returncode != 0:
            raise SandboxError(f"git apply: {_line(applied.stderr)}")

    def close(self) -> None:
        """Remove the worktree (and git's note of it)."""
        git(self.root, "worktree", "remove", "--force", str(self.path))
        shutil.rmtree(self.path.parent, ignore_errors=True)
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            git(self.root, "worktree", "prune")


def _head(root: Path) -> str:
    return git(root, "rev-parse", "--verify", "-q", "HEAD").stdout.decode().strip()


def _line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "failed"
