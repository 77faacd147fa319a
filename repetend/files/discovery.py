"""Which files of a repository are mined, and which are skipped and why.

In a git repository: the files git tracks plus untracked files git does not
ignore (`git ls-files --cached --others --exclude-standard`). Outside git:
every file under the root except `.git/`, `.repetend/` and what its
`.gitignore` files ignore. Either way binaries,
files over 1 MiB, files that look like secrets, and symlinks that lead out of
the root are skipped and counted.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from repetend.files.ignore_files import IgnoreRules

MAX_BYTES = 1024 * 1024
# Names of files that hold credentials by their nature (keys, tokens in tool configs,
# cloud and cluster credentials), whatever their content looks like.
SECRET_NAME = re.compile(
    r"(^|/)(\.env(\..*)?|.*\.(pem|key|p12|pfx|keystore|jks|asc|gpg|tfvars|tfstate)"
    r"|id_(rsa|dsa|ecdsa|ed25519)([._-][^/]*)?|.*\.secrets?(\.\w+)?"
    r"|\.netrc|\.pgpass|\.htpasswd|\.npmrc|\.pypirc|\.git-credentials|\.vault-token"
    r"|kubeconfig([._-][^/]*)?|\.kube/config|\.docker/config\.json|\.aws/credentials"
    r"|terraform\.tfvars(\.json)?|credentials?(\.[\w-]+)*|secrets?(\.[\w-]+)*)$",
    re.IGNORECASE,
)
SKIPPED_FOLDERS = {".git", ".repetend"}


@dataclass
class Discovery:
    """The files to mine (relative posix paths) and how many were skipped, by reason."""

    paths: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    stats: dict[str, os.stat_result] = field(default_factory=dict)


def discover(root: Path) -> Discovery:
    """List the minable files under `root`, counting what is skipped."""
    found = Discovery()
    for relative in candidate_paths(root):
        reason, status = check_file(root, relative)
        if status is None:
            found.skipped[reason] += 1
        else:
            found.paths.append(relative)
            found.stats[relative] = status
    return found


def candidate_paths(root: Path) -> list[str]:
    """Paths git would show (tracked or untracked and not ignored), or every file outside git."""
    listed = _git_files(root)
    if listed is None:
        return sorted(_walk(root))
    return sorted(p for p in listed if p.split("/", 1)[0] not in SKIPPED_FOLDERS)


def _git_files(root: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({name for name in names if name})


def ignored(root: Path, paths: list[str]) -> set[str]:
    """Which of `paths` git ignores (outside a git repository: its `.gitignore` files)."""
    if not paths:
        return set()
    if not (root / ".git").exists():
        rules = IgnoreRules(root)
        return {path for path in paths if rules.ignores(path)}
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            cwd=root,
            input="\0".join(paths).encode("utf-8", "surrogateescape"),
            capture_output=True,
            check=False,
        )
    except OSError:
        return set()
    return {name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name}


def _walk(root: Path) -> Iterator[str]:
    return IgnoreRules(root).walk(SKIPPED_FOLDERS)


def skip_reason(root: Path, relative: str) -> str:
    """Why a file is not mined ('' when it is): secret, symlink out, unreadable, large."""
    return check_file(root, relative)[0]


def check_file(root: Path, relative: str) -> tuple[str, os.stat_result | None]:
    """The file's status (one `lstat`, two for a symlink), or why it is skipped."""
    if SECRET_NAME.search(relative):
        return "secret", None
    path = os.path.join(root, relative)
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            if not _inside(root, Path(path)):
                return "symlink outside the repository", None
            status = os.stat(path)
    except OSError:
        return "unreadable", None
    if not stat.S_ISREG(status.st_mode):
        return "not a file", None
    if status.st_size > MAX_BYTES:
        return "over 1 MiB", None
    return "", status


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True


def decode(raw: bytes) -> str | None:
    """The text of a file, or None for a binary (a NUL byte, or not UTF-8)."""
    if b"\0" in raw[:8192]:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
