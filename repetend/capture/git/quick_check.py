"""The pre-commit hook's Python entry: a quick answer when it is sure, else the full check.

The hook's shell starts Python when the commit adds two or more files, or one
that fits an approved template's globs. For one added file, this module asks
git for the staged content and the snapshot the last full check left
(`check_snapshot`): when nothing that answer depends on moved and the file
lacks nothing its approved templates require, there is nothing to say and the
commit goes on, without the store, the plugin manager or the capture
machinery. In every other case (two or more files, no snapshot or a stale one,
a file that lacks something, any error) it runs `precommit.main`, the same
check as always, which prints the warnings, notes them and refreshes the
snapshot.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def main() -> int:
    """The hook's exit code (see `precommit.main`)."""
    try:
        if nothing_to_report(Path.cwd()):
            return 0
    except Exception:  # any doubt: the full check decides, and fails open itself
        pass
    from repetend.capture.git.precommit import main as full_check

    return full_check()


def nothing_to_report(root: Path) -> bool:
    """Whether the full check would print nothing and change nothing for this commit."""
    from repetend.capture.git import check_snapshot

    if not (root / ".git").exists():
        return False  # not the top of a work tree: let the full check find the root
    remembered = check_snapshot.read(root)
    if remembered is None:
        return False
    key, templates = remembered
    if key != check_snapshot.stamp(root, str(key[6])):
        return False
    added = _staged_added(root)
    if len(added) != 1:
        return not added  # none: the full check stops there; two or more may form a family
    ((path, blob),) = added
    text = _staged_text(root, blob)
    if text is None:
        return True  # binary, oversized or undecodable: the full check skips it too
    from repetend.templates.check import staged_file_problems

    return not staged_file_problems(templates, path, text, root)


def _staged_added(root: Path) -> list[tuple[str, str]]:
    """(path, blob) of each added file the check looks at (as `precommit.check` filters)."""
    raw = _git(
        root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=A"
    )
    parts = raw.decode("utf-8", "surrogateescape").split("\x00")
    found = []
    for i in range(0, len(parts) - 1, 2):
        path = parts[i + 1]
        if path.startswith(".repetend/"):  # repetend's own files are never checked
            continue
        found.append((path, parts[i].split()[3]))
    return found


def _staged_text(root: Path, blob: str) -> str | None:
    from repetend.capture.git.check_snapshot import MAX_BYTES

    content = _git(root, "cat-file", "blob", blob)
    if len(content) > MAX_BYTES or b"\x00" in content[:8192]:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout


if __name__ == "__main__":
    raise SystemExit(main())
