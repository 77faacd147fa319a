"""`.gitignore` files honoured where git cannot be asked (a folder that is not a repository).

Git reads a `.gitignore` in every folder; its patterns apply to the paths
below that folder, a deeper file's verdict overrides a shallower one's, and a
file inside an ignored folder is ignored whatever it says. pathspec's
`GitIgnoreSpec` matches the patterns exactly as git does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# (folder prefix `a/b/`, its spec), shallow first
Scoped: TypeAlias = "list[tuple[str, GitIgnoreSpec]]"


class IgnoreRules:
    """The `.gitignore` files under one root, read once each, asked path by path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._specs: dict[str, GitIgnoreSpec | None] = {}

    def ignores(self, relative: str, *, folder: bool = False) -> bool:
        """Whether `relative` (posix, from the root) is ignored, an ignored folder included."""
        parts = relative.split("/")
        for depth in range(1, len(parts)):
            if self._verdict(parts[:depth], folder=True):
                return True
        return self._verdict(parts, folder=folder)

    def walk(self, skipped: set[str]) -> Iterator[str]:
        """Every file not ignored, as a relative posix path; ignored folders are not entered.

        The specs that apply are carried down the walk, so a tree with no
        `.gitignore` costs one set lookup per folder.
        """
        scopes: dict[str, Scoped] = {}
        for folder, folders, files in os.walk(self.root):
            base = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if base == "." else f"{base}/"
            scoped = list(scopes.get(prefix.rstrip("/").rpartition("/")[0] if prefix else "", []))
            own = self._spec(prefix.rstrip("/")) if ".gitignore" in files else None
            if own is not None:
                scoped.append((prefix, own))
            scopes[prefix.rstrip("/")] = scoped
            folders[:] = [
                f for f in folders if f not in skipped and not _ignored(scoped, prefix + f + "/")
            ]
            yield from (prefix + name for name in files if not _ignored(scoped, prefix + name))

    def _verdict(self, parts: list[str], *, folder: bool) -> bool:
        """The deepest decisive `.gitignore` pattern's verdict on one path (not its parents)."""
        ignored = False
        for depth in range(len(parts)):
            spec = self._spec("/".join(parts[:depth]))
            if spec is None:
                continue
            rest = "/".join(parts[depth:]) + ("/" if folder else "")
            include = spec.check_file(rest).include
            if include is not None:
                ignored = include
        return ignored

    def _spec(self, folder: str) -> GitIgnoreSpec | None:
        if folder not in self._specs:
            path = self.root / folder / ".gitignore"
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            # pathspec is imported here: inside a git repository git answers instead.
            from pathspec import GitIgnoreSpec

            self._specs[folder] = GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[folder]


def _ignored(scoped: Scoped, path: str) -> bool:
    """The deepest decisive verdict of the specs in scope on `path` (a folder ends in `/`)."""
    ignored = False
    for prefix, spec in scoped:
        include = spec.check_file(path[len(prefix) :]).include
        if include is not None:
            ignored = include
    return ignored
